"""The staging store on SQLite and PostgreSQL: idempotent upserts, no regressions, restaging keeps Odoo ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from amzodoo.amazon.usage_plans import UsagePlan
from amzodoo.staging import schema as s
from amzodoo.staging.limiter import SharedTokenBucketLimiter

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def raw(order_id: str, updated: datetime, status: str = "Unshipped", marketplace: str = "US") -> dict:
    return {
        "account": "na_main",
        "marketplace": marketplace,
        "amazon_order_id": order_id,
        "last_updated": updated,
        "purchase_date": T0,
        "order_status": status,
        "fulfillment_channel": "MFN",
        "source": "searchOrders",
        "payload": {"orderId": order_id, "status": status, "name": "Zoë Ünïcode"},
        "extracted_at": T0,
        "run_id": "manual__1",
    }


def test_landing_is_idempotent_and_never_regresses(staging_store):
    store = staging_store
    assert store.land_raw_orders([raw("111-1", T0), raw("111-2", T0)]) == 2
    store.land_raw_orders([raw("111-1", T0), raw("111-2", T0)])
    assert [r["amazon_order_id"] for r in store.raw_orders("na_main", "US")] == ["111-1", "111-2"]

    newer = T0 + timedelta(hours=1)
    store.land_raw_orders([raw("111-1", newer, "Shipped")])
    store.land_raw_orders([raw("111-1", T0, "Unshipped")])  # a lagging report must not win
    row = store.raw_orders("na_main", "US", order_ids=["111-1"])[0]
    assert row["order_status"] == "Shipped"
    assert row["last_updated"] == newer
    assert row["payload"]["name"] == "Zoë Ünïcode"
    assert store.raw_orders("na_main", "CA") == []
    assert [r["amazon_order_id"] for r in store.raw_orders("na_main", "US", updated_from=newer)] == ["111-1"]


def staged(order_id: str, state: str = s.PENDING, **extra) -> dict:
    return {"account": "na_main", "marketplace": "US", "amazon_order_id": order_id, "state": state,
            "message": None, "amazon_total": "12.34", "order_values": {"origin": order_id}, **extra}


def line(order_id: str, key: str, seq: int) -> dict:
    return {"account": "na_main", "marketplace": "US", "amazon_order_id": order_id, "line_key": key,
            "sequence": seq, "kind": "product", "name": f"[SKU] {key}", "quantity": 1, "price_unit": "12.34"}


def test_restaging_keeps_odoo_ids_and_rebuilds_lines(staging_store):
    store = staging_store
    store.stage_orders([staged("111-1")], [line("111-1", "a", 1), line("111-1", "b", 2)])
    store.update_orders("na_main", "US", {"111-1": {"state": s.LOADED, "odoo_order_id": 42, "attempts": 1}})
    store.set_line_ids("na_main", "US", {("111-1", "a"): 7, ("111-1", "b"): 8})

    store.stage_orders([staged("111-1", s.PENDING, amazon_total="20.00")], [line("111-1", "a", 1)])
    order = store.staged_orders("na_main", "US")[0]
    assert order["odoo_order_id"] == 42 and order["attempts"] == 1
    assert str(order["amazon_total"]) == "20.00"
    lines = store.staged_lines("na_main", "US", ["111-1"])
    assert [(li["line_key"], li["odoo_line_id"]) for li in lines] == [("a", 7)]
    assert store.state_counts("na_main", "US") == {s.PENDING: 1}


def test_summaries_and_extract_ledger(staging_store):
    store = staging_store
    store.record_extract_window("na_main", T0, T0 + timedelta(minutes=15), "searchOrders", 3, "r1")
    windows = store.extracted_windows("na_main", since=T0)
    assert [(w["window_start"], w["orders"]) for w in windows] == [(T0, 3)]
    store.record_summary(dag_id="d", run_id="r1", flow="orders", account="na_main", marketplace="US",
                         counts={"created": 2}, text="2 created")
    assert store.summaries(dag_id="d")[0]["counts"] == {"created": 2}


def test_shared_limiter_books_tokens_across_instances(staging_store):
    clock = [1000.0]
    waits: list[float] = []
    plans = {"orders.searchOrders": UsagePlan(0.5, 2)}
    first, second = (
        SharedTokenBucketLimiter(staging_store, "na_main", plans=plans, clock=lambda: clock[0], sleep=waits.append)
        for _ in range(2)
    )
    assert first.acquire("orders.searchOrders") == 0
    assert second.acquire("orders.searchOrders") == 0
    # The bucket is shared: the third call, from either instance, waits one refill (1 / 0.5 s).
    assert second.acquire("orders.searchOrders") == 2.0
    assert first.acquire("orders.searchOrders") == 4.0
    clock[0] += 10
    assert first.acquire("orders.searchOrders") == 0
    assert first.acquire("unknown.operation") == 0


def test_shared_limiter_tells_when_a_token_is_ready_without_taking_it(staging_store):
    clock = [1000.0]
    plans = {"orders.searchOrders": UsagePlan(0.5, 2)}
    limiter = SharedTokenBucketLimiter(staging_store, "na_main", plans=plans, clock=lambda: clock[0],
                                       sleep=lambda _s: None)
    other = SharedTokenBucketLimiter(staging_store, "na_main", plans=plans, clock=lambda: clock[0],
                                     sleep=lambda _s: None)
    assert limiter.ready_in("orders.searchOrders") == 0.0  # never used: a full burst
    other.acquire("orders.searchOrders")
    other.acquire("orders.searchOrders")
    assert limiter.ready_in("orders.searchOrders") == 2.0  # the other instance emptied the shared bucket
    assert limiter.ready_in("orders.searchOrders") == 2.0  # asking took nothing
    clock[0] += 1.5
    assert limiter.ready_in("orders.searchOrders") == 0.5
    assert limiter.ready_in("unknown.operation") == 0.0
