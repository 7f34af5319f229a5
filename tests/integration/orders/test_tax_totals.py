"""Odoo's totals equal Amazon's to the cent, with published tax rates, whichever way the company rounds taxes.

A few hundred orders (the tax table, random orders with coupons, gift wrap and taxed shipping at real rates, and
the SP-API sandbox's own generated orders in nine marketplaces) are transformed with ``tax_rounding: auto`` and
loaded into Odoo (the stand-in, or unchanged a real Odoo when ODOO_URL is set) once with the company on Round per
Line and once on Round Globally; the company's setting is restored afterwards. On a real Odoo use a database of
your own: the test flips a company setting.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from amzodoo.config.marketplaces import MARKETPLACES
from amzodoo.config.model import OdooSettings
from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.order_loader import OrderLoader
from amzodoo.odoo.reference import company_tax_rounding, load_references
from amzodoo.odoo.transports import OdooCredentials
from amzodoo.staging.schema import PENDING
from amzodoo.transform import TransformContext, transform_orders
from amzodoo.transform.rates import is_published
from amzodoo_sandbox.spapi import SpApiSandbox
from tests.fixtures.odoo import OdooTarget
from tests.unit.transform.builders import raw_row
from tests.unit.transform.tax_cases import CASES, generated_orders

pytestmark = pytest.mark.real_odoo

SETTINGS = OdooSettings(fba_warehouse="TXFBA", tax_rounding="auto")


def _payloads() -> list[tuple[str, dict]]:
    """(marketplace, Order) of every order the test loads, before ids are made unique for the run."""
    table = [(case.marketplace, case.order(f"998-{index:07d}-0000001")) for index, case in enumerate(CASES)]
    generated = [(marketplace, payload) for marketplace, payload, _ in generated_orders(150, "tax-totals")]
    sandbox = SpApiSandbox(seed=12, orders_per_marketplace=16, history_days=3)
    by_id = {m.marketplace_id: m.code for m in MARKETPLACES.values()}
    rendered = [sandbox.order(order_id) for order_id in sorted(sandbox.state.orders)]
    simulated = [(by_id[o["salesChannel"]["marketplaceId"]], o) for o in rendered]
    return table + generated + simulated


@pytest.fixture(scope="module")
def odoo(odoo_target: OdooTarget) -> Iterator[OdooClient]:
    client = OdooClient.connect(OdooCredentials(odoo_target.url, odoo_target.database, odoo_target.login,
                                                odoo_target.password, odoo_target.api_key), "auto")
    company = client.search_read("res.company", [], ["id", "tax_calculation_rounding_method"], limit=1)[0]
    try:
        yield client
    finally:
        client.write("res.company", [company["id"]],
                     {"tax_calculation_rounding_method": company["tax_calculation_rounding_method"]})
        client.close()


def _transform(payloads: list[tuple[str, dict]], method: str, tag: str) -> tuple[list[dict], list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for marketplace, payload in payloads:
        grouped[marketplace].append({**payload, "orderId": f"{payload['orderId']}-{tag}"})
    orders: list[dict] = []
    lines: list[dict] = []
    for marketplace, items in sorted(grouped.items()):
        ctx = TransformContext(account="it", marketplace=MARKETPLACES[marketplace], odoo=SETTINGS, tax_rounding=method)
        result = transform_orders(pd.DataFrame([raw_row(p, marketplace=marketplace) for p in items]), ctx)
        loadable = {o["amazon_order_id"] for o in result.order_records()
                    if o["state"] == PENDING and o["amazon_status"] != "CANCELLED"}
        orders += [o for o in result.order_records() if o["amazon_order_id"] in loadable]
        lines += [li for li in result.line_records() if li["amazon_order_id"] in loadable]
    return orders, lines


@pytest.mark.parametrize("method", ["round_per_line", "round_globally"])
def test_odoo_totals_equal_amazons_with_published_rates(odoo: OdooClient, method: str) -> None:
    company = odoo.search_read("res.company", [], ["id"], limit=1)[0]["id"]
    odoo.write("res.company", [company], {"tax_calculation_rounding_method": method})
    assert company_tax_rounding(odoo, SETTINGS) == method  # what tax_rounding: auto reads
    tag = uuid.uuid4().hex[:6]
    orders, lines = _transform(_payloads(), method, tag)
    assert len(orders) >= 250
    flagged = [o["message"] for o in orders if o["total_mismatch"]]
    assert flagged == []

    outcome = OrderLoader(odoo, load_references(odoo, SETTINGS), account="it", marketplace="all").load(orders, lines)
    errors = [c["message"] for c in outcome.changes.values() if c.get("state") == "error"]
    assert errors == []
    assert outcome.counts["created"] == len(orders) and outcome.counts["total_mismatches"] == 0
    assert outcome.counts["tax_rounding_lines"] == sum(1 for li in lines if li["kind"] == "rounding")

    odoo_ids = {c["odoo_order_id"]: oid for oid, c in outcome.changes.items()}
    amazon = {o["amazon_order_id"]: o["amazon_total"] for o in orders}
    read = odoo.search_read_in("sale.order", "id", list(odoo_ids), ["amount_total"])
    exact = [r for r in read if Decimal(str(r["amount_total"])).quantize(Decimal("0.01")) == amazon[odoo_ids[r["id"]]]]
    assert len(exact) == len(orders)

    # The taxes Odoo used are published rates, one tax per (rate, inclusion).
    line_taxes = load_references(odoo, SETTINGS).dialect.line_taxes
    line_rows = odoo.search_read_in("sale.order.line", "order_id", list(odoo_ids), ["order_id", line_taxes])
    tax_ids = {t for row in line_rows for t in row[line_taxes]}
    taxes = odoo.search_read_in("account.tax", "id", sorted(tax_ids), ["name", "amount", "price_include"])
    used = Counter((Decimal(str(t["amount"])).quantize(Decimal("0.001")), bool(t["price_include"])) for t in taxes)
    assert all(count == 1 for count in used.values()), used
    rates_by_order: dict[str, set[Decimal]] = defaultdict(set)
    for line in lines:
        if line["tax_rate"] is not None:
            rates_by_order[line["amazon_order_id"]].add(Decimal(str(line["tax_rate"])))
    for order in orders:
        delivered = (order["shipping_partner"] or order["partner"]).get("country_code")
        home = MARKETPLACES[order["marketplace"]].country_code
        day = date.fromisoformat(order["order_values"]["date_order"][:10])
        for rate in rates_by_order[order["amazon_order_id"]]:
            assert is_published(rate, delivered or home, day) or is_published(rate, home, day), (order, rate)
    rounding_lines = sum(1 for li in lines if li["kind"] == "rounding")
    names = sorted(f"{rate}{' incl.' if included else ''}" for rate, included in used)
    print(f"\n{method}: {len(orders)} orders, {len(exact)} exact, {rounding_lines} rounding lines, "
          f"{len(used)} taxes: {names}")
