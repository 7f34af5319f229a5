"""The console's reads of staging, on SQLite and PostgreSQL: what needs a person, and only what the user may read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from amzodoo.console import queries
from amzodoo.staging import schema as s
from amzodoo.staging.store import StagingStore

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
PAIRS = [("na_main", "US"), ("na_main", "CA"), ("eu_main", "DE")]


def stage(store: StagingStore, account: str, marketplace: str, order_id: str, state: str, *, updated: datetime,
          purchased: datetime | None = None, message: str | None = None) -> None:
    store.upsert(s.raw_orders, [{
        "account": account, "marketplace": marketplace, "amazon_order_id": order_id, "last_updated": updated,
        "purchase_date": purchased or updated, "source": "searchOrders", "payload": {"orderId": order_id},
        "payload_hash": order_id, "extracted_at": updated}])
    store.upsert(s.staged_orders, [{
        "account": account, "marketplace": marketplace, "amazon_order_id": order_id, "state": state,
        "message": message, "last_updated": updated, "payload_hash": order_id, "amazon_total": 10,
        "currency": "USD", "order_values": {"x": 1}, "attempts": 0}])


@pytest.fixture
def store(staging_store: StagingStore) -> StagingStore:
    stage(staging_store, "na_main", "US", "111-0000001", s.ERROR, updated=NOW - timedelta(hours=1),
          message="account na_main, marketplace US, order 111-0000001: orderItems[0].product.sellerSku: missing")
    stage(staging_store, "na_main", "US", "111-0000002", s.WAITING, updated=NOW - timedelta(days=5),
          purchased=NOW - timedelta(days=5))
    stage(staging_store, "na_main", "US", "111-0000003", s.WAITING, updated=NOW - timedelta(hours=5))
    stage(staging_store, "na_main", "US", "111-0000004", s.LOADED, updated=NOW - timedelta(days=9))
    stage(staging_store, "na_main", "CA", "702-0000005", s.ERROR, updated=NOW - timedelta(minutes=5),
          message="account na_main, marketplace CA, order 702-0000005: Odoo refused to create the order")
    stage(staging_store, "eu_main", "DE", "302-0000006", s.ERROR, updated=NOW - timedelta(minutes=1),
          message="account eu_main, marketplace DE, order 302-0000006: currencyCode")
    return staging_store


def ids(page: queries.OrderPage) -> list[str]:
    return [row["amazon_order_id"] for row in page.rows]


def test_orders_needing_attention_are_errors_and_long_waits_newest_first(store: StagingStore) -> None:
    page = queries.attention_orders(store, PAIRS, queries.OrderFilter(), now=NOW)
    assert ids(page) == ["302-0000006", "702-0000005", "111-0000001", "111-0000002"]
    assert page.total == 4
    waiting = page.rows[-1]
    assert waiting["reason"].startswith("waiting for Amazon for 5 d")
    assert page.rows[2]["reason"].endswith("orderItems[0].product.sellerSku: missing")


def test_only_what_the_user_may_read_even_when_asked_for(store: StagingStore) -> None:
    readable = [("na_main", "US")]
    assert ids(queries.attention_orders(store, readable, queries.OrderFilter(), now=NOW)) == [
        "111-0000001", "111-0000002"]
    asked = queries.OrderFilter(account="eu_main", marketplace="DE")
    assert queries.attention_orders(store, readable, asked, now=NOW).total == 0
    one = queries.OrderFilter(order_id="302-0000006")
    assert queries.attention_orders(store, readable, one, now=NOW).rows == []
    assert queries.attention_orders(store, [], queries.OrderFilter(), now=NOW).total == 0


def test_filters_and_paging(store: StagingStore) -> None:
    by_market = queries.attention_orders(store, PAIRS, queries.OrderFilter(marketplace="CA"), now=NOW)
    assert ids(by_market) == ["702-0000005"]
    recent = queries.OrderFilter(day_from=(NOW - timedelta(days=1)).date(), day_to=NOW.date())
    assert "111-0000002" not in ids(queries.attention_orders(store, PAIRS, recent, now=NOW))
    old = queries.OrderFilter(day_to=date(2026, 11, 23))
    assert ids(queries.attention_orders(store, PAIRS, old, now=NOW)) == ["111-0000002"]
    first = queries.attention_orders(store, PAIRS, queries.OrderFilter(page=1, page_size=3), now=NOW)
    second = queries.attention_orders(store, PAIRS, queries.OrderFilter(page=2, page_size=3), now=NOW)
    assert (first.pages, len(first.rows), ids(second)) == (2, 3, ["111-0000002"])
    loaded = queries.attention_orders(store, PAIRS, queries.OrderFilter(order_id="111-0000004"), now=NOW)
    assert [(r["amazon_order_id"], r["state"]) for r in loaded.rows] == [("111-0000004", s.LOADED)]


def test_health_counts_states_and_says_what_needs_a_person(store: StagingStore) -> None:
    success = {"amazon_orders__na_main__US": NOW - timedelta(minutes=20),
               "amazon_orders__na_main__CA": NOW - timedelta(hours=7)}
    rows = {(r.account, r.marketplace): r for r in queries.marketplace_health(store, PAIRS, success, now=NOW)}
    us = rows[("na_main", "US")]
    assert (us.staged, us.created, us.waiting, us.errors, us.waiting_too_long) == (4, 1, 2, 1, 1)
    assert us.newest_change == NOW - timedelta(hours=1)
    assert us.problems == ["1 order(s) in error", "1 order(s) waiting more than 3 d"]
    assert rows[("na_main", "CA")].problems == ["last successful run 7 h ago", "1 order(s) in error"]
    assert rows[("eu_main", "DE")].problems[0] == "no successful run yet"
    assert list(rows) == PAIRS


def test_reverse_flows_show_refusals(store: StagingStore) -> None:
    store.upsert(s.shipment_confirmations, [
        {"account": "na_main", "odoo_picking_id": 1, "amazon_order_id": "111-1", "picking_name": "WH/OUT/1",
         "state": s.CONFIRMED, "message": None, "attempts": 1},
        {"account": "na_main", "odoo_picking_id": 2, "amazon_order_id": "111-2", "picking_name": "WH/OUT/2",
         "state": s.CONFIRM_ERROR, "message": "InvalidInput: carrier code unknown", "attempts": 1}])
    store.upsert(s.feeds, [{"account": "na_main", "feed_key": "run1#0", "feed_type": "JSON_LISTINGS_FEED",
                            "feed_id": "F1", "state": "DONE", "messages": 2, "submitted_at": NOW}])
    store.upsert(s.stock_levels_sent, [
        {"account": "na_main", "sku": "SKU-A", "quantity": 3, "state": s.LEVEL_ACCEPTED, "message": None},
        {"account": "na_main", "sku": "SKU-B", "quantity": 3, "state": s.LEVEL_ERROR,
         "message": "8541: the SKU does not exist"}])
    flows = [("na_main", "shipments"), ("na_main", "fbm_stock")]
    success = {"odoo_shipments__na_main": NOW, "odoo_fbm_stock__na_main": NOW}
    shipments, stock = queries.flow_health(store, flows, success, now=NOW)
    assert shipments.details == ["confirmed 1, refused 1, to send 0"]
    assert shipments.refusals == [("111-2 (WH/OUT/2)", "InvalidInput: carrier code unknown")]
    assert shipments.problems == ["1 shipment confirmation(s) refused"]
    assert stock.details[0] == "last feed F1: DONE, 2 SKU(s), submitted 2026-11-27 12:00 UTC"
    assert stock.refusals == [("SKU-B", "8541: the SKU does not exist")]
    assert stock.problems == ["1 SKU quantity(ies) refused"]


def test_an_ignored_order_leaves_the_list_and_is_never_loaded(store: StagingStore) -> None:
    assert queries.ignore_order(store, "na_main", "US", "111-0000001", "alice", now=NOW)
    row = store.staged_orders("na_main", "US", order_ids=["111-0000001"])[0]
    assert row["state"] == queries.IGNORED
    assert row["message"].startswith("ignored by alice on 2026-11-27 12:00 UTC (was error: account na_main")
    assert "111-0000001" not in store.order_ids_to_load("na_main", "US")
    assert "111-0000001" not in store.stale_raw_order_ids("na_main", "US")
    assert "111-0000001" not in ids(queries.attention_orders(store, PAIRS, queries.OrderFilter(), now=NOW))
    us = queries.marketplace_health(store, [("na_main", "US")], {}, now=NOW)[0]
    assert (us.errors, us.ignored) == (0, 1)
    assert not queries.ignore_order(store, "na_main", "US", "no-such-order", "alice", now=NOW)
