from decimal import Decimal

from amzodoo_sandbox.spapi import SimClock, SpApiSandbox
from amzodoo_sandbox.spapi.render_orders import INCLUDED_DATA, render_order
from amzodoo_sandbox.spapi.render_v0 import render_order_items_v0
from amzodoo_sandbox.spapi.report_content import all_orders_rows
from tests.fixtures.order_documents import money

from .conftest import FROZEN_START

# US: taxes on top, so every money column of the report adds up to the item's total.
REPORT_MONEY = ("item-price", "item-tax", "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax",
                "item-promotion-discount", "ship-promotion-discount")


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


def _item(breakdowns: list[dict]) -> dict:
    # A discount takes off, whatever its sign.
    total = sum(-abs(Decimal(b["subtotal"]["amount"])) if b["type"] == "DISCOUNT" else Decimal(b["subtotal"]["amount"])
                for b in breakdowns)
    return {
        "orderItemId": "1",
        "quantityOrdered": 2,
        "product": {"sellerSku": "SKU-1", "asin": "B000000001", "price": {"unitPrice": money("10.00", "USD")}},
        "proceeds": {"proceedsTotal": money(total, "USD"), "breakdowns": breakdowns},
        "fulfillment": {"quantityFulfilled": 0, "quantityUnfulfilled": 2},
    }


def _part(kind: str, amount: str, **details: str) -> dict:
    part: dict = {"type": kind, "subtotal": money(amount, "USD")}
    if details:
        part["detailedBreakdowns"] = [{"subtype": k, "value": money(v, "USD")} for k, v in details.items()]
    return part


# Shapes of proceeds the model allows and Amazon's examples do not show; each item's parts sum to its total.
ODD_PROCEEDS = [
    # Tax details that leave part of the subtotal over: the rest is item tax.
    [_part("ITEM", "20.00"), _part("SHIPPING", "5.00"), _part("TAX", "2.10", SHIPPING="0.40")],
    # Discounts sent as positive amounts (the model gives no sign) are still discounts.
    [_part("ITEM", "20.00"), _part("SHIPPING", "5.00"), _part("DISCOUNT", "7.00", ITEM="2.00", SHIPPING="5.00")],
    # A discount on the gift wrap, and one of subtype DISCOUNT.
    [_part("ITEM", "20.00"), _part("GIFT_WRAP", "3.00"), _part("DISCOUNT", "-4.00", GIFT_WRAP="-3.00",
                                                               DISCOUNT="-1.00")],
    # Tax taken off with a coupon on item and shipping; a discount without details is a promotion.
    [_part("ITEM", "20.00"), _part("SHIPPING", "5.00"), _part("TAX", "1.80", ITEM="1.60", SHIPPING="0.40",
                                                              DISCOUNT="-0.20"), _part("DISCOUNT", "-2.50")],
]


def test_every_proceeds_shape_adds_up_in_v0_and_the_report():
    target = SpApiSandbox(orders_per_marketplace=0, clock=SimClock(FROZEN_START, scale=0))
    orders = []
    for index, breakdowns in enumerate(ODD_PROCEEDS):
        item = _item(breakdowns)
        orders.append({
            "orderId": f"111-0000000-{index:07d}",
            "createdTime": "2026-11-20T10:00:00Z",
            "lastUpdatedTime": "2026-11-20T11:00:00Z",
            "salesChannel": {"channelName": "AMAZON", "marketplaceId": "ATVPDKIKX0DER"},
            "fulfillment": {"fulfillmentStatus": "UNSHIPPED", "fulfilledBy": "MERCHANT"},
            "proceeds": {"grandTotal": item["proceeds"]["proceedsTotal"]},
            "orderItems": [item],
        })
    target.load_orders("na_main", orders)
    for order in orders:
        record = target.state.orders[order["orderId"]]
        total = Decimal(order["proceeds"]["grandTotal"]["amount"])
        v0 = render_order_items_v0(record, FROZEN_START)["OrderItems"][0]
        amounts = {k: Decimal(v["Amount"]) for k, v in v0.items() if isinstance(v, dict) and "Amount" in v}
        amounts |= {k: Decimal(v["Amount"]) for k, v in v0.get("BuyerInfo", {}).items() if isinstance(v, dict)}
        charged = sum(amounts.get(k, Decimal(0)) for k in ("ItemPrice", "ItemTax", "ShippingPrice", "ShippingTax",
                                                           "GiftWrapPrice", "GiftWrapTax"))
        taken_off = sum(amounts.get(k, Decimal(0)) for k in ("PromotionDiscount", "PromotionDiscountTax",
                                                             "ShippingDiscount", "ShippingDiscountTax"))
        assert all(v >= 0 for v in amounts.values()), (order["orderId"], amounts)
        assert charged - taken_off == total, order["orderId"]
        row = all_orders_rows([record], FROZEN_START)[0]
        assert sum(Decimal(row[c]) for c in REPORT_MONEY) == total, order["orderId"]
