"""getOrder calls made in the gaps of searchOrders' quota cost no extra waiting (one thread, exact clock)."""

from __future__ import annotations

from amzodoo.amazon.limiter import NoLimiter, TokenBucketLimiter
from amzodoo.amazon.usage_plans import USAGE_PLANS
from amzodoo.sync.side_calls import SideCalls

SEARCH, GET = "orders.searchOrders", "orders.getOrder"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _run(pages: int, orders: int, *, interleave: bool) -> tuple[float, list[str]]:
    clock = Clock()
    limiter = TokenBucketLimiter(clock=lambda: clock.now, sleep=clock.sleep)
    calls: list[str] = []
    side = SideCalls(limiter, GET, lambda order_id: (limiter.acquire(GET), calls.append(order_id)))
    side.add(f"order-{i}" for i in range(orders))
    for page in range(pages):
        if interleave:
            side.while_waiting_for(SEARCH)
        limiter.acquire(SEARCH)
        calls.append(f"page-{page}")
    side.drain()
    return clock.now, calls


def test_side_calls_fill_the_search_orders_gaps():
    pages, orders = 30, 800  # 10 pages beyond the burst of 20: ~1,786 s of waiting
    search_alone, _ = _run(pages, 0, interleave=True)
    get_alone, _ = _run(0, orders, interleave=True)
    one_after_the_other, _ = _run(pages, orders, interleave=False)
    interleaved, calls = _run(pages, orders, interleave=True)
    assert search_alone == (pages - USAGE_PLANS[SEARCH].burst) / USAGE_PLANS[SEARCH].rate
    assert get_alone == (orders - USAGE_PLANS[GET].burst) / USAGE_PLANS[GET].rate
    assert one_after_the_other > search_alone + get_alone - 1
    # The getOrder waits hide inside the searchOrders waits: the whole read waits no longer than its slowest part.
    assert interleaved <= max(search_alone, get_alone) + 2.0
    assert sorted(calls) == sorted([f"page-{p}" for p in range(pages)] + [f"order-{i}" for i in range(orders)])
    assert calls[-1] == "page-29"  # every order fetched before the last page


def test_nothing_pending_or_no_limiter_is_no_side_call():
    made: list[int] = []
    side = SideCalls(NoLimiter(), GET, made.append)
    side.while_waiting_for(SEARCH)  # nothing pending
    side.add([1, 2])
    side.while_waiting_for(SEARCH)  # nothing to wait for without a limiter
    assert made == []
    side.drain()
    assert made == [1, 2] and side.done == 2


def test_ready_in_takes_no_token():
    clock = Clock()
    limiter = TokenBucketLimiter(clock=lambda: clock.now, sleep=clock.sleep)
    assert limiter.ready_in(SEARCH) == 0.0
    for _ in range(20):
        limiter.acquire(SEARCH)
    wait = limiter.ready_in(SEARCH)
    assert abs(wait - 1 / 0.0056) < 1e-6 and limiter.ready_in(SEARCH) == wait
    clock.sleep(100)
    assert abs(limiter.ready_in(SEARCH) - (wait - 100)) < 1e-6
    assert limiter.ready_in("unknown.operation") == 0.0
