"""Companies that round taxes globally (Odoo 19's default) sum unrounded taxes; Amazon rounds per line."""

from __future__ import annotations

from decimal import Decimal

from amzodoo.transform.orders import transform_orders
from tests.unit.transform.builders import OrderBuilder, context, raw_frame, raw_row


def odoo_global_total(lines: list[dict]) -> Decimal:
    """Odoo with round_globally: nets per line (2 decimals), each tax summed unrounded, then rounded once."""
    net = sum(Decimal(str(li["price_unit"])) * Decimal(str(li["quantity"])) for li in lines)
    per_tax: dict[Decimal, Decimal] = {}
    for li in lines:
        if li["tax_rate"] is not None:
            rate = Decimal(str(li["tax_rate"]))
            base = Decimal(str(li["price_unit"])) * Decimal(str(li["quantity"]))
            per_tax[rate] = per_tax.get(rate, Decimal(0)) + base * rate / 100
    return net + sum(v.quantize(Decimal("0.01")) for v in per_tax.values())


def us_order() -> dict:
    # Seen against a real Odoo 19 (round_globally): shared rates 9.09 % / 10.1 % gave 78.69, Amazon says 78.68.
    order = OrderBuilder(order_id="113-0000000-0000042")
    order.item(quantity=4, item="45.00").with_tax(item="4.09")
    order.item(item="20.99").with_tax(item="2.12").with_charge("SHIPPING", "4.99").with_tax(shipping="0.50")
    order.item(item="0.00").with_charge("SHIPPING", "4.99").with_tax(shipping="0.50")
    return order.build()


def test_shared_rates_are_kept_per_line_but_replaced_where_global_sums_differ():
    raw = raw_frame(raw_row(us_order()))
    per_line = transform_orders(raw, context("US"))
    global_ = transform_orders(raw, context("US", tax_rounding="round_globally"))
    amazon_total = Decimal(str(global_.order_records()[0]["amazon_total"]))
    assert amazon_total == Decimal("83.18")
    assert odoo_global_total(per_line.line_records()) != amazon_total  # what Odoo would have said
    assert odoo_global_total(global_.line_records()) == amazon_total
    assert not global_.order_records()[0]["total_mismatch"]


def test_shared_rate_survives_when_its_global_sum_matches():
    order = OrderBuilder(order_id="113-0000000-0000043")
    order.item(item="100.00").with_tax(item="8.88")
    order.item(item="50.00").with_tax(item="4.44")
    result = transform_orders(raw_frame(raw_row(order.build())), context("US", tax_rounding="round_globally"))
    rates = {li["tax_rate"] for li in result.line_records() if li["tax_rate"] is not None}
    assert len(rates) == 1
    assert odoo_global_total(result.line_records()) == Decimal("163.32")
