"""The transform's records go into the staging tables as they are (SQLite always, PostgreSQL when reachable)."""

from __future__ import annotations

from decimal import Decimal as D

from amzodoo.transform import transform_orders
from tests.unit.transform.builders import OrderBuilder, context, raw_frame, raw_row


def test_records_stage_and_restage_without_duplicates(staging_store):
    builder = OrderBuilder()
    builder.item(item="59.97", quantity=3).with_tax(item="5.32").with_charge("SHIPPING", "4.99").gift("Hi")
    bad = OrderBuilder(order_id="111-0000000-0000002")
    bad.item(quantity=0)
    frame = raw_frame(raw_row(builder.build()), raw_row(bad.build()))
    for _ in range(2):
        result = transform_orders(frame, context(run_id="r1"))
        staging_store.stage_orders(result.order_records(), result.line_records())
    staged = {row["amazon_order_id"]: row for row in staging_store.staged_orders("acme", "US")}
    assert staged["111-0000000-0000001"]["state"] == "pending"
    assert D(str(staged["111-0000000-0000001"]["amazon_total"])) == D("70.28")
    assert staged["111-0000000-0000002"]["state"] == "error"
    lines = staging_store.staged_lines("acme", "US", ["111-0000000-0000001"])
    assert [line["line_key"] for line in lines] == ["item:10000000000001", "shipping:10000000000001", "note:gift"]
    assert D(str(lines[0]["tax_rate"])) == D("8.875")  # New York City's rate: 5.32 on 59.97
