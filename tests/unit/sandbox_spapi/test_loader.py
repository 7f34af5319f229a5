from amzodoo.sandbox.spapi import SimClock, SpApiSandbox
from amzodoo.sandbox.spapi.render_orders import INCLUDED_DATA, render_order
from amzodoo.sandbox.spapi.render_v0 import render_order_items_v0

from .conftest import FROZEN_START


def test_orders_round_trip_through_the_2026_shape(frozen_sandbox):
    now = frozen_sandbox.clock.now()
    target = SpApiSandbox(orders_per_marketplace=0, clock=SimClock(FROZEN_START, scale=0))
    for account in ("na_main", "eu_main"):
        orders = [
            o for o in frozen_sandbox.state.seller_orders(account, now) if not o.shipments or o.shipments[0].at <= now
        ]
        exported = [render_order(o, now, set(INCLUDED_DATA)) for o in orders]
        live = [o for o in exported if o["fulfillment"]["fulfillmentStatus"] != "CANCELLED"]
        ids = target.load_orders(account, live)
        assert len(ids) == len(live)
        for original in live:
            reloaded = target.order(original["orderId"])
            assert reloaded["proceeds"] == original["proceeds"]
            assert reloaded["fulfillment"]["fulfillmentStatus"] == original["fulfillment"]["fulfillmentStatus"]
            assert reloaded["orderItems"][0]["product"] == original["orderItems"][0]["product"]
            before = render_order_items_v0(frozen_sandbox.state.orders[original["orderId"]], now)
            after = render_order_items_v0(target.state.orders[original["orderId"]], now)
            assert [i["ItemPrice"] for i in before["OrderItems"]] == [i["ItemPrice"] for i in after["OrderItems"]]


def test_load_refuses_foreign_marketplaces(frozen_sandbox):
    now = frozen_sandbox.clock.now()
    eu_order = render_order(frozen_sandbox.state.seller_orders("eu_main", now)[0], now, set(INCLUDED_DATA))
    try:
        frozen_sandbox.load_orders("na_main", [eu_order])
    except ValueError as exc:
        assert "not one of na_main" in str(exc)
    else:
        raise AssertionError("an EU order must not load into an NA account")


def test_loaded_orders_keep_their_timestamps(frozen_sandbox):
    now = frozen_sandbox.clock.now()
    target = SpApiSandbox(orders_per_marketplace=0, clock=SimClock(FROZEN_START, scale=0))
    exported = [render_order(o, now, set(INCLUDED_DATA)) for o in frozen_sandbox.state.seller_orders("eu_main", now)]
    target.load_orders("eu_main", exported)
    for original in exported:
        reloaded = target.order(original["orderId"])
        assert (reloaded["createdTime"], reloaded["lastUpdatedTime"]) == (
            original["createdTime"],
            original["lastUpdatedTime"],
        )
