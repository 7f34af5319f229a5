from datetime import timedelta

from amzodoo_sandbox.spapi import SimClock, SpApiSandbox

from .conftest import FROZEN_START


def _all_statuses(sandbox):
    now = sandbox.clock.now()
    return {o.status_at(now) for o in sandbox.state.orders.values() if o.visible_at(now)}


def test_same_seed_same_orders():
    def build(seed):
        return SpApiSandbox(seed=seed, orders_per_marketplace=10, clock=SimClock(FROZEN_START, scale=0))

    first, second, other = build(7), build(7), build(8)
    assert [first.order(i) for i in sorted(first.state.orders)] == [
        second.order(i) for i in sorted(second.state.orders)
    ]
    assert sorted(first.state.orders) != sorted(other.state.orders)


def test_generated_orders_cover_real_seller_variety(frozen_sandbox):
    orders = list(frozen_sandbox.state.orders.values())
    assert {o.channel for o in orders} == {"AFN", "MFN"}
    assert {"Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled"} <= _all_statuses(frozen_sandbox)
    assert {len(o.lines) for o in orders} == {1, 2, 3, 4, 5}
    lines = [ln for o in orders for ln in o.lines]
    assert max(ln.quantity for ln in lines) > 1
    assert any(ln.promotion_discount for ln in lines)
    assert any(ln.shipping_discount for ln in lines)
    assert any(ln.gift_wrap_price and ln.gift_message for ln in lines)
    assert any(o.business and o.purchase_order_number for o in orders)
    assert any(not ln.sku or "-OLD-" in ln.sku for ln in lines), "some SKUs must be missing from the listings"
    names = " ".join(o.buyer_name or "" for o in orders) + " ".join(o.address.city for o in orders)
    assert any(ord(ch) > 127 for ch in names), "unicode names and places"


def test_north_american_fba_orders_have_no_buyer_name(frozen_sandbox):
    for order in frozen_sandbox.state.orders.values():
        if order.channel == "AFN" and order.marketplace.region == "NA":
            assert order.buyer_name is None and order.address.name is None and order.address.line1 is None
        else:
            assert order.buyer_name


def test_tax_inclusion_follows_the_marketplace(frozen_sandbox):
    for order in frozen_sandbox.state.orders.values():
        if order.marketplace_code in ("US", "CA", "MX"):
            assert not order.prices_include_tax
        else:
            assert order.prices_include_tax is (not order.business)


def test_listings_have_merchant_amazon_and_both_channels(frozen_sandbox):
    for data in frozen_sandbox.state.accounts.values():
        channels = {ls.channel for ls in data.listings.values()}
        assert channels == {"MFN", "AFN", "BOTH"}
        both = [ls for ls in data.listings.values() if ls.channel == "BOTH"]
        assert all(ls.sku in data.fba and ls.merchant_quantity is not None for ls in both)


def test_lifecycle_moves_with_the_clock():
    sandbox = SpApiSandbox(seed=3, orders_per_marketplace=30, clock=SimClock(FROZEN_START, scale=0))
    order = next(
        o for o in sandbox.state.orders.values() if o.channel == "AFN" and o.cancelled_at is None and o.shipments
    )
    assert order.status_at(order.created) == "Pending"
    assert order.status_at(order.shipments[0].at) == "Shipped"
    assert order.last_updated_at(order.shipments[0].at + timedelta(days=1)) == order.shipments[0].at
    future = [o for o in sandbox.state.orders.values() if not o.visible_at(sandbox.clock.now())]
    assert future, "orders still to come appear as the clock advances"
    visible_before = len(sandbox.state.seller_orders("na_main", sandbox.clock.now()))
    sandbox.clock.advance(86400)
    assert len(sandbox.state.seller_orders("na_main", sandbox.clock.now())) > visible_before


def test_generate_orders_in_a_given_window():
    sandbox = SpApiSandbox(orders_per_marketplace=0, clock=SimClock(FROZEN_START, scale=0))
    start = FROZEN_START - timedelta(hours=5)
    ids = sandbox.generate_orders("eu_main", "UK", 25, start=start, end=FROZEN_START, fba_share=0.0)
    assert len(set(ids)) == 25
    orders = [sandbox.state.orders[i] for i in ids]
    assert all(start <= o.created <= FROZEN_START and o.channel == "MFN" for o in orders)
    assert {o.currency for o in orders} == {"GBP"}


def test_far_east_and_custom_accounts():
    import pytest

    from amzodoo_sandbox.spapi import SandboxAccount
    from amzodoo_sandbox.spapi.proceeds import grand_total

    fe = SandboxAccount("fe_main", "A1FESANDBOX0001", "Atzr|amzodoo-sandbox-fe_main", ("JP", "AU", "SG"))
    sandbox = SpApiSandbox(accounts=[fe], orders_per_marketplace=15, clock=SimClock(FROZEN_START, scale=0))
    orders = sandbox.state.seller_orders("fe_main", FROZEN_START)
    assert {o.currency for o in orders} == {"JPY", "AUD", "SGD"}
    assert all(o.prices_include_tax is not o.business for o in orders)
    assert all(grand_total(o) > 0 for o in orders)
    assert fe.region == "FE"
    with pytest.raises(ValueError):
        SandboxAccount("mixed", "A1", "Atzr|x", ("US", "DE"))


def test_some_fbm_orders_left_partly_shipped_within_an_item(frozen_sandbox):
    # A seller short of stock ships part of an item from another tool: quantityFulfilled below quantityOrdered.
    now = frozen_sandbox.clock.now()
    part_shipped = [
        (order.order_id, item["orderItemId"])
        for order in frozen_sandbox.state.orders.values()
        if order.channel == "MFN" and order.status_at(now) == "PartiallyShipped"
        for item in frozen_sandbox.order(order.order_id)["orderItems"]
        if 0 < item["fulfillment"]["quantityFulfilled"] < item["quantityOrdered"]
    ]
    assert part_shipped
