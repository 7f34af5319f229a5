"""Companies that round taxes globally (Odoo 19's default) round each tax once over the order; Amazon rounds per
component. The rates stay the jurisdiction's; the cents go to one rounding line."""

from __future__ import annotations

from decimal import Decimal

from amzodoo.transform import odoo_amount_total, transform_orders
from tests.unit.transform.builders import OrderBuilder, context, raw_frame, raw_row


def _run(payload: dict, method: str) -> tuple[dict, list[dict]]:
    result = transform_orders(raw_frame(raw_row(payload)), context("US", tax_rounding=method))
    return result.order_records()[0], result.line_records()


def test_one_rate_for_the_order_and_a_rounding_cent_where_global_sums_differ():
    order = OrderBuilder(order_id="113-0000000-0000043")
    order.item(item="100.00").with_tax(item="8.88")  # 8.875 % = 8.875 -> 8.88
    order.item(item="50.00").with_tax(item="4.44")  # 4.4375 -> 4.44; together 13.3125 -> 13.31
    per_line, per_line_lines = _run(order.build(), "round_per_line")
    globally, global_lines = _run(order.build(), "round_globally")
    for record, lines in ((per_line, per_line_lines), (globally, global_lines)):
        assert record["total_mismatch"] is False and record["odoo_total"] == Decimal("163.32")
        assert {li["tax_rate"] for li in lines if li["kind"] == "product"} == {Decimal("8.875")}
    assert [li for li in per_line_lines if li["kind"] == "rounding"] == []
    rounding = [li for li in global_lines if li["kind"] == "rounding"]
    assert [(li["name"], li["price_unit"], li["tax_rate"]) for li in rounding] == [
        ("Tax rounding difference (Amazon)", Decimal("0.01"), None)]
    assert odoo_amount_total([li for li in global_lines if li["kind"] != "rounding"], 2, "round_globally") == (
        Decimal("163.31"))


def test_a_gap_beyond_rounding_is_flagged_not_absorbed():
    order = OrderBuilder(order_id="113-0000000-0000044")
    order.item(item="100.00").with_tax(item="8.88")
    order.item(item="20.00").with_charge("SHIPPING", "0.00").with_tax(item="1.78", shipping="0.25")
    record, lines = _run(order.build(), "round_globally")
    assert record["total_mismatch"] is True
    assert "shipping tax 0.25 on 0.00: no rate gives a tax there" in record["message"]
    assert "more than rounding" in record["message"]
    assert [li for li in lines if li["kind"] == "rounding"] == []
