"""FBM deliveries validated in Odoo are confirmed to Amazon exactly once, with only what shipped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from amzodoo.staging import schema as s

from .conftest import ACCOUNT

DAG = f"odoo_shipments__{ACCOUNT}"


@pytest.fixture(scope="module")
def shipped(loaded):
    """Five FBM deliveries validated in Odoo: UPS (mapped), an unmapped carrier, a partial one with a backorder,
    one without tracking reference, one for the fault injection."""
    world = loaded
    now = world.sandbox.clock.now()
    wall = datetime.now(UTC) - timedelta(minutes=1)
    service = world.odoo.create("product.product", [{"name": "Carrier service", "type": "service"}])[0]
    ups, acme = world.odoo.create("delivery.carrier", [
        {"name": name, "delivery_type": "fixed", "product_id": service} for name in ("UPS", "Acme Freight")])
    candidates = []
    for order in world.fbm_orders():
        amazon = world.sandbox.state.orders[order["amazon_order_id"]]
        picking = world.open_picking(order["odoo_order_id"])
        if picking and amazon.status_at(now) == "Unshipped" and amazon.created < wall:
            candidates.append((amazon.total_quantity(), order, picking))
    assert len(candidates) >= 5, "the sandbox should have unshipped FBM orders"
    # Deliveries are confirmed in picking order, and the first confirmShipment of the run fails (503): make the
    # lowest picking the "faulty" one, whichever ids the Odoo under test hands out.
    candidates.sort(key=lambda c: c[2]["id"])
    faulty, rest = candidates[0][1:], sorted(candidates[1:], key=lambda c: (-c[0], c[1]["amazon_order_id"]))
    assert rest[0][0] >= 2, "a partial delivery needs an order of two units or more"
    partial, full, other, untracked = (c[1:] for c in rest[:4])
    moves = world.odoo.search_read("stock.move", [("picking_id", "=", partial[1]["id"])], ["product_uom_qty"])
    big = max(moves, key=lambda m: m["product_uom_qty"])
    shipped_now = {big["id"]: big["product_uom_qty"] - 1} if big["product_uom_qty"] >= 2 else {
        moves[0]["id"]: 0.0}
    world.validate(partial[1]["id"], carrier_id=ups, tracking="1ZPARTIAL1", short=shipped_now)
    world.validate(full[1]["id"], carrier_id=ups, tracking="1ZFULL0001")
    world.validate(other[1]["id"], carrier_id=acme, tracking="ACME-77")
    world.validate(untracked[1]["id"], carrier_id=ups, tracking=None)
    world.validate(faulty[1]["id"], carrier_id=ups, tracking="1ZFAULTY01")
    return {"partial": partial, "full": full, "other": other, "untracked": untracked, "faulty": faulty,
            "ups": ups, "acme": acme}


def _rows(world) -> dict[int, dict]:
    return {r["odoo_picking_id"]: r for r in world.store.shipment_confirmations(ACCOUNT)}


def test_first_run_confirms_and_keeps_errors_per_delivery(loaded, shipped):
    world = loaded
    # The first confirmShipment of the run fails (Amazon 503); the other deliveries must still go through.
    world.sandbox.inject_fault("ordersV0.confirmShipment", "5xx", count=1)
    assert world.run(DAG) == "success"
    rows = _rows(world)
    states = {name: rows[shipped[name][1]["id"]]["state"] for name in ("partial", "full", "other", "untracked",
                                                                        "faulty")}
    failed = [name for name, state in states.items() if state == s.CONFIRM_ERROR and name != "untracked"]
    assert failed == ["faulty"], states
    assert states["untracked"] == s.CONFIRM_ERROR
    assert "no tracking reference" in rows[shipped["untracked"][1]["id"]]["message"]
    assert "ServiceUnavailable" in rows[shipped[failed[0]][1]["id"]]["message"]
    confirmed = [name for name, state in states.items() if state == s.CONFIRMED]
    assert len(confirmed) == 3
    for name in confirmed:
        order, picking = shipped[name]
        (package,) = world.sandbox.shipments(order["amazon_order_id"])
        assert package["packageDetail"]["packageReferenceId"] == str(picking["id"])
    summary = world.summary("shipments")["counts"]
    assert summary["confirmed"] == 3 and summary["failed"] == 1 and summary["missing_carrier_or_tracking"] == 1
    assert "no tracking reference" in world.summary("shipments")["text"]


def test_partial_delivery_confirms_only_what_shipped_and_carriers_map(loaded, shipped):
    world = loaded
    order, _ = shipped["partial"]
    amazon = world.sandbox.state.orders[order["amazon_order_id"]]
    (package,) = world.sandbox.shipments(order["amazon_order_id"])
    detail = package["packageDetail"]
    assert sum(i["quantity"] for i in detail["orderItems"]) == amazon.total_quantity() - 1
    assert detail["carrierCode"] == "UPS" and detail["trackingNumber"] == "1ZPARTIAL1"
    assert detail["shipDate"].endswith("Z")
    assert world.sandbox.order(order["amazon_order_id"])["fulfillment"]["fulfillmentStatus"] == "PARTIALLY_SHIPPED"
    other = world.sandbox.shipments(shipped["other"][0]["amazon_order_id"])[0]["packageDetail"]
    assert other["carrierCode"] == "Other" and other["carrierName"] == "Acme Freight"


def test_rerun_retries_errors_and_never_confirms_twice(loaded, shipped):
    world = loaded
    before = world.amazon_calls("ordersV0.confirmShipment")
    assert world.run(DAG) == "success"
    rows = _rows(world)
    assert rows[shipped["faulty"][1]["id"]]["state"] == s.CONFIRMED
    assert [r for r in rows.values() if r["state"] == s.CONFIRM_ERROR] == [rows[shipped["untracked"][1]["id"]]]
    assert world.amazon_calls("ordersV0.confirmShipment") == before + 1  # only the failed one was sent again
    for name in ("partial", "full", "other", "faulty"):
        assert len(world.sandbox.shipments(shipped[name][0]["amazon_order_id"])) == 1, name
    assert world.run(DAG) == "success"
    assert world.amazon_calls("ordersV0.confirmShipment") == before + 1
    assert world.summary("shipments")["counts"]["sent"] == 0


def test_tracking_added_later_and_backorder_are_confirmed(loaded, shipped):
    world = loaded
    _, untracked = shipped["untracked"]
    world.odoo.write("stock.picking", [untracked["id"]], {"carrier_tracking_ref": "1ZLATE0001"})
    order, _ = shipped["partial"]
    backorder = world.open_picking(order["odoo_order_id"])
    assert backorder is not None
    world.validate(backorder["id"], carrier_id=shipped["ups"], tracking="1ZREST0001")
    assert world.run(DAG) == "success"
    rows = _rows(world)
    assert rows[untracked["id"]]["state"] == s.CONFIRMED and rows[backorder["id"]]["state"] == s.CONFIRMED
    amazon = world.sandbox.state.orders[order["amazon_order_id"]]
    packages = world.sandbox.shipments(order["amazon_order_id"])
    assert len(packages) == 2
    assert sum(i["quantity"] for p in packages for i in p["packageDetail"]["orderItems"]) == amazon.total_quantity()
    assert world.sandbox.order(order["amazon_order_id"])["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
