"""FBA deliveries as the loader makes them: from the account's FBA warehouse, whatever the mirrored stock holds.

Runs on the Odoo stand-in, or unchanged on a real Odoo when ODOO_URL is set (every run uses its own FBA warehouse,
order ids and buyer keys, so nothing an earlier run left behind is found).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import replace

import pytest

from amzodoo.bench.odoo_load import transformed_orders
from amzodoo.config.model import OdooSettings
from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.inventory import count_stock
from amzodoo.odoo.order_loader import LoadOutcome, OrderLoader
from amzodoo.odoo.reference import ensure_pricelists, load_references
from amzodoo.odoo.transports import OdooCredentials
from tests.fixtures.odoo import OdooTarget

pytestmark = pytest.mark.real_odoo


@pytest.fixture(scope="module")
def fba_orders() -> tuple[list[dict], list[dict]]:
    """Nine shipped FBA orders and their lines, through the connector's extract + transform."""
    orders, lines = transformed_orders(40)
    fba = [o for o in orders if o["fulfillment_channel"] == "AFN"][:9]
    assert len(fba) == 9
    ids = {o["amazon_order_id"] for o in fba}
    return fba, [li for li in lines if li["amazon_order_id"] in ids]


@pytest.fixture
def setup(odoo_target: OdooTarget, fba_orders):
    tag = uuid.uuid4().hex[:6]
    client = OdooClient.connect(OdooCredentials(odoo_target.url, odoo_target.database, odoo_target.login,
                                                odoo_target.password, odoo_target.api_key), "auto")
    settings = OdooSettings(fba_warehouse="F" + tag[:4].upper(), tax_rounding="round_globally")
    refs = load_references(client, settings)
    orders = [{**o, "amazon_order_id": f"{o['amazon_order_id']}:{tag}",
               "partner": {**o["partner"], "amazon_buyer_key": f"{o['amazon_order_id']}:{tag}"}} for o in fba_orders[0]]
    lines = [{**li, "amazon_order_id": f"{li['amazon_order_id']}:{tag}",
              "product_ref": f"{li['product_ref']}-{tag}" if li["kind"] == "product" else li["product_ref"]}
             for li in fba_orders[1]]
    skus = sorted({li["product_ref"] for li in lines if li["kind"] == "product"})
    ids = client.create("product.product", [{"name": sku, "default_code": sku, **refs.dialect.storable_product()}
                                            for sku in skus])
    ensure_pricelists(client, refs, {o["currency"] for o in orders})
    try:
        yield client, refs, orders, lines, dict(zip(skus, ids, strict=True))
    finally:
        client.close()


def demand(lines: list[dict], products: dict[str, int]) -> Counter:
    need: Counter = Counter()
    for li in lines:
        if li["kind"] == "product":
            need[products[li["product_ref"]]] += li["quantity"]
    return need


def on_hand(client: OdooClient, location: int, products: list[int]) -> dict[int, float]:
    rows = client.search_read("stock.quant", [("location_id", "=", location), ("product_id", "in", products)],
                              ["product_id", "quantity"])
    out: Counter = Counter()
    for row in rows:
        out[row["product_id"][0]] += row["quantity"]
    return dict(out)


def deliveries(client: OdooClient, outcome) -> list[dict]:
    odoo_ids = [c["odoo_order_id"] for c in outcome.changes.values()]
    return client.search_read_in("stock.picking", "sale_id", odoo_ids, ["state", "location_id", "sale_id"])


def test_three_ways_an_fba_delivery_starts_all_end_done_from_the_fba_stock(setup) -> None:
    client, refs, orders, lines, products = setup
    need = demand(lines, products)
    by_order = {o["amazon_order_id"]: [li for li in lines if li["amazon_order_id"] == o["amazon_order_id"]]
                for o in orders}
    stocked, short, elsewhere = orders[:3], orders[3:6], orders[6:]
    stocked_need = demand([li for o in stocked for li in by_order[o["amazon_order_id"]]], products)
    # The mirror holds what the first three need (and a margin); the others' goods are not at Amazon's in Odoo.
    count_stock(client, [(p, refs.fba_location_id, q + 5) for p, q in stocked_need.items()])
    before = on_hand(client, refs.fba_location_id, list(need))

    # Three orders confirmed on the seller's warehouse, as before the FBA warehouse existed.
    old = OrderLoader(client, replace(refs, fba_warehouse_id=refs.warehouse_id), account="it", marketplace="US")
    first = LoadOutcome()
    created = old._create_orders(elsewhere, by_order, first)
    old._confirm(created, {}, {o["amazon_order_id"]: o for o in elsewhere}, first)
    assert {p["location_id"][0] for p in deliveries(client, first)} == {refs.stock_location_id}

    loader = OrderLoader(client, refs, account="it", marketplace="US")
    client.calls.clear()
    outcome = loader.load(orders, lines)
    assert outcome.counts["fba_deliveries_done"] == 9
    assert not [c for c in outcome.changes.values() if c.get("state") == "error"]
    pickings = deliveries(client, outcome)
    assert len(pickings) == 9
    assert all(p["state"] == "done" and p["location_id"][0] == refs.fba_location_id for p in pickings)
    # Only the short and the relocated deliveries needed writes; the stocked ones were validated as reserved.
    assert client.calls["stock.picking.do_unreserve"] == 1
    assert client.calls["stock.picking.write"] == 1
    after = on_hand(client, refs.fba_location_id, list(need))
    assert {p: round(after.get(p, 0.0) - before.get(p, 0.0), 3) for p in need} == {p: -q for p, q in need.items()}
    assert short and any(after.get(p, 0.0) < 0 for p in demand(
        [li for o in short + elsewhere for li in by_order[o["amazon_order_id"]]], products))
    # A rerun finds every delivery done and writes nothing.
    client.calls.clear()
    again = loader.load(orders, lines)
    assert again.counts["created"] == 0 and again.counts["fba_deliveries_done"] == 0
    assert not any(k.startswith("stock.") and not k.endswith("search_read") for k in client.calls)
