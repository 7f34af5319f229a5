"""Order DAGs through Airflow against both stand-ins (or a real Odoo): every status, exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from tests.fixtures.odoo import warehouse_stock_location

NA_FBA_CUSTOMER = "Amazon Customer "


def staged(world, states=None) -> list[dict]:
    rows = []
    for account, mps in (("na_main", ("US", "CA", "MX")), ("eu_main", ("DE", "FR", "UK", "IT", "ES", "NL"))):
        for mp in mps:
            rows.extend(world.store.staged_orders(account, mp, states=states))
    return rows


def odoo_snapshot(world) -> dict[str, int]:
    ids = [o["amazon_order_id"] for o in staged(world)]
    orders = world.odoo_orders(ids)
    order_ids = [o["id"] for o in orders]
    partner_ids = sorted({o["partner_id"][0] for o in orders})
    return {
        "orders": len(orders),
        "lines": len(world.odoo.search_read_in("sale.order.line", "order_id", order_ids, ["id"])),
        "pickings": len(world.odoo.search_read_in("stock.picking", "sale_id", order_ids, ["id"])),
        "partners": len(partner_ids),
        "addresses": len(world.odoo.search_read_in("res.partner", "parent_id", partner_ids, ["id"])),
    }


@pytest.fixture(scope="module")
def first_sync(world):
    # History up to a day ago; the last day's updates are what the incremental run of the lifecycle test sees.
    end = world.sandbox.clock.now() - timedelta(days=1)
    states = world.run_all(**world.window(end - timedelta(days=3), end))
    return states, end


def test_first_sync_loads_every_marketplace_exactly_once(world, first_sync):
    states, _ = first_sync
    assert set(states.values()) == {"success"}, states
    rows = staged(world)
    assert {o["marketplace"] for o in rows} == {"US", "CA", "MX", "DE", "FR", "UK", "IT", "ES", "NL"}
    loaded = [o for o in rows if o["state"] == "loaded" and o["odoo_order_id"]]
    assert loaded and not [o for o in rows if o["state"] == "error"]
    in_odoo = Counter(o["amazon_order_id"] for o in world.odoo_orders([o["amazon_order_id"] for o in rows]))
    assert set(in_odoo) == {o["amazon_order_id"] for o in loaded}
    assert set(in_odoo.values()) == {1}
    waiting = [o for o in rows if o["state"] == "waiting"]
    assert all(o["amazon_status"] in ("PENDING", "UNFULFILLABLE") or
               (o["fulfillment_channel"] == "AFN" and o["amazon_status"] == "UNSHIPPED") for o in waiting)


def test_totals_equal_amazon_to_the_cent(world, first_sync):
    loaded = [o for o in staged(world, ["loaded"]) if o["odoo_order_id"] and o["amazon_status"] != "CANCELLED"]
    mismatched = [(o["amazon_order_id"], o["amazon_total"], o["odoo_total"]) for o in loaded if o["total_mismatch"]]
    assert mismatched == []
    odoo_totals = {o["amazon_order_id"]: o["amount_total"] for o in world.odoo_orders(
        [o["amazon_order_id"] for o in loaded])}
    for order in loaded:
        assert round(odoo_totals[order["amazon_order_id"]], 2) == float(order["amazon_total"]), order["amazon_order_id"]


def test_fba_delivered_from_fba_location_and_fbm_waiting_for_shipment(world, first_sync):
    loaded = {o["amazon_order_id"]: o for o in staged(world, ["loaded"]) if o["odoo_order_id"]
              and o["amazon_status"] != "CANCELLED"}
    pickings = world.odoo.search_read_in("stock.picking", "sale_id", [o["odoo_order_id"] for o in loaded.values()],
                                         ["sale_id", "state", "location_id"])
    by_order = {o["odoo_order_id"]: o for o in loaded.values()}
    # Each account's FBA warehouse (conftest: na_main keeps the default code, eu_main has its own).
    fba_location = {"na_main": warehouse_stock_location(world.odoo, "FBA"),
                    "eu_main": warehouse_stock_location(world.odoo, "FBAEU")}
    seen_fba = seen_fbm = 0
    for picking in pickings:
        order = by_order[picking["sale_id"][0]]
        if order["fulfillment_channel"] == "AFN":
            seen_fba += 1
            assert picking["state"] == "done" and picking["location_id"][0] == fba_location[order["account"]]
        else:
            seen_fbm += 1
            # What Amazon shows shipped is delivered in Odoo; the rest waits for the warehouse.
            if order["amazon_status"] == "SHIPPED":
                assert picking["state"] == "done"
            elif order["amazon_status"] == "UNSHIPPED":
                assert picking["state"] in ("assigned", "confirmed", "waiting")
    assert seen_fba and seen_fbm


def test_run_summary_says_where_the_odoo_time_went(world, first_sync):
    loading = [s for s in world.store.summaries() if s["flow"] == "orders" and s["counts"]["created"]]
    assert loading
    for summary in loading:
        steps = summary["counts"]["odoo_seconds"]
        assert {"look up", "customers", "create", "confirm", "FBA deliveries", "totals"} <= set(steps)
        assert all(seconds >= 0 for seconds in steps.values())
        assert "Odoo time by step: look up " in summary["text"]


def test_customers_named_and_never_empty(world, first_sync):
    loaded = [o for o in staged(world, ["loaded"]) if o["odoo_order_id"]]
    partners = {p["id"]: p for p in world.odoo.search_read_in(
        "res.partner", "id", [o["odoo_partner_id"] for o in loaded], ["name"])}
    assert all(partners[o["odoo_partner_id"]]["name"] for o in loaded)
    na_fba = [o for o in loaded if o["account"] == "na_main" and o["fulfillment_channel"] == "AFN"]
    anonymous = [o for o in na_fba if partners[o["odoo_partner_id"]]["name"].startswith(NA_FBA_CUSTOMER)]
    assert anonymous, "North American FBA orders come without a buyer name"
    assert all(partners[o["odoo_partner_id"]]["name"] == NA_FBA_CUSTOMER + o["amazon_order_id"] for o in anonymous)


def test_rerun_of_the_same_window_creates_nothing(world, first_sync):
    _, end = first_sync
    before = odoo_snapshot(world)
    states = world.run_all(**world.window(end - timedelta(days=3), end))
    assert set(states.values()) == {"success"}
    assert odoo_snapshot(world) == before
    last = world.store.summaries()[-9:]
    assert all(s["counts"]["created"] == 0 and s["counts"]["amazon_calls"] == 0 for s in last)
    # Asking Amazon again (force) lands the same payloads: nothing is restaged, nothing reaches Odoo.
    assert world.run("amazon_orders__na_main__CA", **world.window(end - timedelta(days=3), end), force=True) == (
        "success")
    assert odoo_snapshot(world) == before


def test_crash_between_odoo_and_staging_binds_instead_of_duplicating(world, first_sync):
    """Staging forgets what it loaded (as after a crash right after Odoo's write): the next run finds it."""
    loaded = [o for o in world.store.staged_orders("eu_main", "IT", states=["loaded"]) if o["odoo_order_id"]]
    assert loaded
    world.store.update_orders("eu_main", "IT", {
        o["amazon_order_id"]: {"state": "pending", "odoo_order_id": None, "odoo_partner_id": None}
        for o in loaded})
    before = odoo_snapshot(world)
    assert world.run("amazon_orders__eu_main__IT") == "success"
    assert odoo_snapshot(world) == before
    again = {o["amazon_order_id"]: o for o in world.store.staged_orders("eu_main", "IT")}
    assert all(again[o["amazon_order_id"]]["odoo_order_id"] == o["odoo_order_id"] for o in loaded)
    assert all(again[o["amazon_order_id"]]["state"] == "loaded" for o in loaded)


def test_lifecycle_updates_create_shipped_fba_and_cancel_in_odoo(world, first_sync):
    _, end = first_sync
    later = world.sandbox.clock.now() - timedelta(minutes=3)  # Amazon's two-minute rule
    states = world.run_all(**world.window(end - timedelta(minutes=10), later))
    assert set(states.values()) == {"success"}
    rows = staged(world)
    odoo = {o["amazon_order_id"]: o for o in world.odoo_orders([o["amazon_order_id"] for o in rows])}
    shipped_fba = [o for o in rows if o["fulfillment_channel"] == "AFN" and o["amazon_status"] == "SHIPPED"]
    assert shipped_fba and all(o["amazon_order_id"] in odoo for o in shipped_fba)
    cancelled = [o for o in rows if o["amazon_status"] == "CANCELLED" and o["amazon_order_id"] in odoo]
    for order in cancelled:
        delivered = order["message"] and "after Odoo delivered it" in order["message"]
        assert odoo[order["amazon_order_id"]]["state"] == ("sale" if delivered else "cancel"), order
    assert Counter(o["amazon_order_id"] for o in odoo.values()).most_common(1)[0][1] == 1


def test_recover_one_order_by_id(world, first_sync):
    order = next(o for o in staged(world, ["loaded"]) if o["odoo_order_id"] and o["marketplace"] == "DE")
    before = odoo_snapshot(world)
    state = world.run("amazon_orders__eu_main__DE", order_id=order["amazon_order_id"])
    assert state == "success"
    assert odoo_snapshot(world) == before
    summary = world.store.summaries(dag_id="amazon_orders__eu_main__DE")[-1]
    assert summary["counts"]["staged"] == 1 and summary["counts"]["updated"] == 1


def test_backfill_runs_of_one_old_day_share_one_report(world, first_sync):
    """Runs over old 15-minute intervals (catch-up, airflow backfill create) read the whole UTC day once.

    dag.test() makes manual runs, whose data interval is empty in Airflow 3, so each run gets its interval as
    the window params, which go through the same extraction as a scheduled interval."""
    dag = world.dags["amazon_orders__eu_main__FR"]
    day = (world.sandbox.clock.now() - timedelta(days=6)).replace(hour=0, minute=0, second=0, microsecond=0)
    before = Counter(world.sandbox.counters("eu_main"))
    runs = [dag.test(run_conf=world.window(day + timedelta(hours=h), day + timedelta(hours=h, minutes=15)))
            for h in (3, 9, 15)]
    assert [str(r.state) for r in runs] == ["success"] * 3
    calls = Counter(world.sandbox.counters("eu_main")) - before
    # One range: the day's All Orders report and its FBA shipments report (the FBA buyers).
    assert calls["reports.createReport"] == 2 and calls["orders.searchOrders"] == 0
    amazon_calls = [s["counts"]["amazon_calls"] for s in world.store.summaries(dag_id=dag.dag_id)[-3:]]
    assert amazon_calls[1:] == [0, 0]
