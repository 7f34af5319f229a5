"""Issue #12 item 7 end to end: orders loaded into the SP-API sandbox (coupons with their tax taken off, business
buyers, a partial shipment, several packages, every field of the model) go through the order DAGs into Odoo
(the stand-in, or a real Odoo with ODOO_URL), whichever path reads them, and every Odoo total is Amazon's grand
total less the delivery tip, to the cent.

Paths: ``searchOrders`` (a window shorter than report_threshold_hours) and the All Orders report (a longer
one), each with its own orders. Over the report path the connector takes only FBA orders from the report (FBM
orders come from searchOrders, which has their recipients), so there the same orders are loaded as FBA orders.
The report has no column for COD fees and OTHER charges (docs/BEHAVIOR.md, "Loaded orders"), so the order that
has them goes through searchOrders only.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from tests.fixtures.order_documents import HAND_MADE, as_fba

# Builders of orders in the marketplaces of the world's accounts (conftest.CONFIG), by account.
ORDERS = {
    "na_main": ("us_coupons", "us_business", "us_partial_shipment", "every_field"),
    "eu_main": ("de_coupons", "de_business", "uk_coupons_itemised_tax", "uk_several_packages"),
}
NOT_IN_REPORTS = {"every_field"}
DAGS = {"US": "amazon_orders__na_main__US", "DE": "amazon_orders__eu_main__DE", "UK": "amazon_orders__eu_main__UK"}
CODES = {"ATVPDKIKX0DER": "US", "A1PA6795UKMFR9": "DE", "A1F83G8C2ARO7P": "UK"}


def _goods_total(document: dict) -> Decimal:
    proceeds = document["proceeds"]
    tip = sum((Decimal(b["subtotal"]["amount"]) for b in proceeds["breakdowns"] if b["type"] == "DELIVERY_TIP"),
              Decimal(0))
    return Decimal(proceeds["grandTotal"]["amount"]) - tip


def _load(world, path: str) -> dict[str, dict]:
    """Fresh hand-made orders (a real Odoo keeps earlier runs' orders) loaded over the control interface."""
    now = world.sandbox.clock.now().replace(microsecond=0)
    prefix = random.SystemRandom().randrange(100, 1000)
    documents: dict[str, dict] = {}
    for account, names in ORDERS.items():
        wanted = [name for name in names if not (path == "report" and name in NOT_IN_REPORTS)]
        batch = [HAND_MADE[name](f"{prefix}-{len(documents) + index:07d}-{len(path):07d}", now)
                 for index, name in enumerate(wanted)]
        if path == "report":
            batch = [as_fba(document) for document in batch]
        response = httpx.post(world.sandbox.url + "/_sandbox/orders/load", json={"account": account, "orders": batch})
        assert response.status_code == 201, response.text
        documents |= {d["orderId"]: d for d in batch}
    return documents


def _expected_source(path: str, document: dict) -> str:
    """Over the report path a shipped FBA business order is read with getOrder: no report has its company name
    (docs/BEHAVIOR.md, "FBA buyers on the report path")."""
    business = "AMAZON_BUSINESS" in (document.get("programs") or [])
    shipped = document["fulfillment"]["fulfillmentStatus"] in {"SHIPPED", "PARTIALLY_SHIPPED"}
    return "getOrder" if path == "report" and business and shipped else path


@pytest.mark.parametrize("path, hours", [("searchOrders", 3), ("report", 30)])
def test_loaded_orders_reach_odoo_with_amazons_totals(world, path, hours):
    documents = _load(world, path)
    now = world.sandbox.clock.now()
    # force: ask Amazon again for what the other path's run already extracted.
    window = world.window(now - timedelta(hours=hours), now - timedelta(minutes=3)) | {"force": True}
    for dag_id in DAGS.values():
        assert world.run(dag_id, **window) == "success", dag_id
    staged, sources = {}, {}
    for account in ORDERS:
        for code in ("US",) if account == "na_main" else ("DE", "UK"):
            staged |= {o["amazon_order_id"]: o for o in world.store.staged_orders(account, code,
                                                                                 order_ids=list(documents))}
            sources |= {o["amazon_order_id"]: o["source"] for o in world.store.raw_orders(account, code,
                                                                                         order_ids=list(documents))}
    assert set(staged) == set(documents)
    assert sources == {order_id: _expected_source(path, document) for order_id, document in documents.items()}
    in_odoo = {o["amazon_order_id"]: o for o in world.odoo_orders(list(documents))}
    for order_id, document in sorted(documents.items()):
        row, expected = staged[order_id], _goods_total(document)
        assert CODES[document["salesChannel"]["marketplaceId"]] == row["marketplace"]
        assert (row["state"], row["total_mismatch"]) == ("loaded", False), (order_id, row["message"])
        assert Decimal(str(row["amazon_total"])) == expected, order_id
        assert round(Decimal(str(in_odoo[order_id]["amount_total"])), 2) == expected, order_id
