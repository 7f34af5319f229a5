from decimal import Decimal

from amzodoo_sandbox.spapi.proceeds import grand_total, line_total
from amzodoo_sandbox.spapi.render_orders import INCLUDED_DATA, render_order
from amzodoo_sandbox.spapi.render_v0 import render_order_items_v0, render_order_v0
from amzodoo_sandbox.spapi.report_content import all_orders_rows


def _amount(money):
    value = Decimal(money["amount"])
    assert value == value.quantize(Decimal("0.01")) and len(money["amount"].split(".")[1]) == 2
    return value


def test_proceeds_breakdowns_sum_to_totals(frozen_sandbox):
    now = frozen_sandbox.clock.now()
    checked = 0
    for order in frozen_sandbox.state.orders.values():
        if not order.visible_at(now) or order.status_at(now) == "Canceled":
            continue
        view = render_order(order, now, set(INCLUDED_DATA))
        item_totals = Decimal(0)
        for item in view["orderItems"]:
            proceeds = item["proceeds"]
            parts = sum((_amount(b["subtotal"]) for b in proceeds["breakdowns"]), Decimal(0))
            assert parts == _amount(proceeds["proceedsTotal"])
            for breakdown in proceeds["breakdowns"]:
                if "detailedBreakdowns" in breakdown:
                    detail = sum((_amount(d["value"]) for d in breakdown["detailedBreakdowns"]), Decimal(0))
                    assert detail == _amount(breakdown["subtotal"])
            item_totals += parts
        order_parts = sum((_amount(b["subtotal"]) for b in view["proceeds"]["breakdowns"]), Decimal(0))
        assert order_parts == item_totals == _amount(view["proceeds"]["grandTotal"])
        checked += 1
    assert checked > 100


def test_tax_is_itemised_only_where_prices_exclude_it(frozen_sandbox):
    now = frozen_sandbox.clock.now()
    for order in frozen_sandbox.state.orders.values():
        if not order.visible_at(now) or order.status_at(now) == "Canceled":
            continue
        types = {b["type"] for b in render_order(order, now, {"PROCEEDS"})["proceeds"]["breakdowns"]}
        assert ("TAX" in types) is (not order.prices_include_tax)
        for line in order.lines:
            assert line.unit_price * line.quantity == line.item_price
            discounts = {b["type"]: b for b in render_order(order, now, {"PROCEEDS"})["proceeds"]["breakdowns"]}
            if "DISCOUNT" in discounts:
                assert Decimal(discounts["DISCOUNT"]["subtotal"]["amount"]) < 0


def test_v0_and_report_amounts_reconcile_with_grand_total(frozen_sandbox):
    now = frozen_sandbox.clock.now()
    for order in frozen_sandbox.state.orders.values():
        if not order.visible_at(now) or order.status_at(now) == "Canceled":
            continue
        total = grand_total(order)
        assert Decimal(render_order_v0(order, now)["OrderTotal"]["Amount"]) == total
        items = render_order_items_v0(order, now)["OrderItems"]
        v0_sum = Decimal(0)
        for item in items:
            gift = item.get("BuyerInfo", {})
            charged = (
                Decimal(item["ItemPrice"]["Amount"])
                + Decimal(item["ShippingPrice"]["Amount"])
                + Decimal(gift.get("GiftWrapPrice", {"Amount": "0"})["Amount"])
                - Decimal(item["PromotionDiscount"]["Amount"])
                - Decimal(item["ShippingDiscount"]["Amount"])
            )
            if not order.prices_include_tax:
                charged += (
                    Decimal(item["ItemTax"]["Amount"])
                    + Decimal(item["ShippingTax"]["Amount"])
                    + Decimal(gift.get("GiftWrapTax", {"Amount": "0"})["Amount"])
                )
            v0_sum += charged
        assert v0_sum == total
        rows = all_orders_rows([order], now)
        money_columns = (
            "item-price",
            "shipping-price",
            "gift-wrap-price",
            "item-promotion-discount",
            "ship-promotion-discount",
        )
        tax_columns = ("item-tax", "shipping-tax", "gift-wrap-tax")
        columns = money_columns + (() if order.prices_include_tax else tax_columns)
        assert sum(Decimal(str(r[c])) for r in rows for c in columns) == total
        assert sum(line_total(ln, order.prices_include_tax) for ln in order.lines) == total


def test_cancelled_orders_carry_no_money(frozen_sandbox):
    now = frozen_sandbox.clock.now()
    cancelled = [
        o for o in frozen_sandbox.state.orders.values() if o.visible_at(now) and o.status_at(now) == "Canceled"
    ]
    assert cancelled
    for order in cancelled:
        assert "proceeds" not in render_order(order, now, {"PROCEEDS"})
        assert "OrderTotal" not in render_order_v0(order, now)
        assert all(r["quantity"] == 0 and "item-price" not in r for r in all_orders_rows([order], now))
