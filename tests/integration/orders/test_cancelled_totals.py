"""A cancelled order keeps its Amazon and Odoo totals in staging.

Amazon drops the money of an order it cancels (no proceeds), while Odoo keeps the cancelled order's amounts.
Staging used to restage such an order with both totals at 0. Runs on the stand-in, or unchanged on a real Odoo
(fresh order id and buyer per run); staging on SQLite and PostgreSQL.
"""

from __future__ import annotations

import copy
import uuid
from decimal import Decimal

import pandas as pd
import pytest

from amzodoo.config.marketplaces import MARKETPLACES
from amzodoo.config.model import OdooSettings
from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.order_loader import OrderLoader
from amzodoo.odoo.reference import load_references
from amzodoo.odoo.transports import OdooCredentials
from amzodoo.staging.store import StagingStore
from amzodoo.transform import TransformContext, transform_orders
from tests.fixtures.odoo import OdooTarget
from tests.unit.transform.builders import raw_row
from tests.unit.transform.tax_cases import builder, tax

pytestmark = pytest.mark.real_odoo

SETTINGS = OdooSettings(fba_warehouse="TXFBA", tax_rounding="round_per_line")


def _stage(store: StagingStore, payload: dict) -> None:
    ctx = TransformContext(account="it", marketplace=MARKETPLACES["US"], odoo=SETTINGS,
                           tax_rounding=SETTINGS.tax_rounding)
    result = transform_orders(pd.DataFrame([raw_row(payload, account="it")]), ctx)
    store.stage_orders(result.order_records(), result.line_records())


def _load(store: StagingStore, client: OdooClient, order_id: str) -> None:
    loader = OrderLoader(client, load_references(client, SETTINGS), account="it", marketplace="US")
    outcome = loader.load(store.staged_orders("it", "US", order_ids=[order_id]),
                          store.staged_lines("it", "US", [order_id]))
    store.update_orders("it", "US", outcome.changes)


def test_a_cancelled_order_keeps_its_totals(odoo_target: OdooTarget, staging_store: StagingStore) -> None:
    client = OdooClient.connect(OdooCredentials(odoo_target.url, odoo_target.database, odoo_target.login,
                                                odoo_target.password, odoo_target.api_key), "auto")
    tag = uuid.uuid4().hex[:7]
    order = builder(f"113-{int(tag, 16) % 10**7:07d}-0000001", "US", "US-NY", status="UNSHIPPED",
                    buyer={"buyerName": "Pat Doe", "buyerEmail": f"{tag}@marketplace.amazon.com"})
    order.item(item="59.97", quantity=3).with_tax(item=tax("59.97", "8.875"))
    placed = order.build()
    order_id = placed["orderId"]
    _stage(staging_store, placed)
    _load(staging_store, client, order_id)
    loaded = staging_store.staged_orders("it", "US", order_ids=[order_id])[0]
    assert (loaded["amazon_total"], loaded["odoo_total"], loaded["odoo_state"]) == (
        Decimal("65.29"), Decimal("65.29"), "sale")

    # Amazon cancels it: the order comes back without any money.
    cancelled = copy.deepcopy(placed)
    cancelled["fulfillment"]["fulfillmentStatus"] = "CANCELLED"
    cancelled["lastUpdatedTime"] = "2026-03-02T08:00:00Z"
    del cancelled["proceeds"]
    for item in cancelled["orderItems"]:
        del item["proceeds"]
    _stage(staging_store, cancelled)
    restaged = staging_store.staged_orders("it", "US", order_ids=[order_id])[0]
    assert (restaged["amazon_total"], restaged["odoo_total"]) == (Decimal("65.29"), Decimal("65.29"))
    _load(staging_store, client, order_id)

    final = staging_store.staged_orders("it", "US", order_ids=[order_id])[0]
    odoo = client.search_read("sale.order", [("id", "=", final["odoo_order_id"])], ["state", "amount_total"])[0]
    assert (final["odoo_state"], odoo["state"]) == ("cancel", "cancel")
    assert final["amazon_total"] == Decimal("65.29")
    assert final["odoo_total"] == Decimal(str(odoo["amount_total"])).quantize(Decimal("0.01")) == Decimal("65.29")
    assert final["total_mismatch"] is False
    client.close()
