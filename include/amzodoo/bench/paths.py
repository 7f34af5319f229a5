"""Run one way of reading a window (connector, per-order, searchOrders-only) and record what it cost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from amzodoo.amazon.session import SpApiSession
from amzodoo.bench.common import ACCOUNT, MARKETPLACES, SimAmazon, Stopwatch, bench_config, sqlite_store
from amzodoo.bench.drivers import per_order_path, search_only_path
from amzodoo.sync.extract import AccountExtractor
from amzodoo.sync.windows import BEFORE_BOUND_MARGIN

PER_ORDER = "per-order (getOrders + getOrderItems)"
SEARCH_ONLY = "searchOrders only"
CONNECTOR = "connector"


@dataclass
class PathRun:
    path: str
    orders: int
    api_calls: int
    calls_by_operation: dict[str, int]
    quota_wait_s: float  # limiter waits + 429 backoff, simulated seconds
    limiter_wait_s: float
    backoff_s: float
    throttled: int  # 429s the sandbox answered because a bucket was empty
    sim_elapsed_s: float  # simulated time the whole read took (report processing included)
    wall_s: float
    steps: list[str]

    def as_dict(self) -> dict:
        return asdict(self)


def run_path(amazon: SimAmazon, path: str, start: datetime, end: datetime) -> PathRun:
    """Read [start, end) with ``path`` from a sandbox whose counters and buckets start fresh."""
    amazon.reset()
    session = amazon.session()
    sim_start = amazon.sim_seconds()
    watch = Stopwatch()
    steps: list[str] = []
    if path == CONNECTOR:
        orders, steps = _connector(amazon, session, start, end)
    else:
        reader: Callable[..., int] = per_order_path if path == PER_ORDER else search_only_path
        # Amazon refuses before-bounds less than two minutes old; the connector clips the same way.
        orders = reader(session, MARKETPLACES, start, min(end, amazon.clock.now() - BEFORE_BOUND_MARGIN))
    calls = amazon.api_calls()
    return PathRun(
        path=path, orders=orders, api_calls=sum(calls.values()), calls_by_operation=calls,
        quota_wait_s=round(session.quota_wait_seconds + amazon.backoff_seconds, 1),
        limiter_wait_s=round(session.quota_wait_seconds, 1), backoff_s=round(amazon.backoff_seconds, 1),
        throttled=amazon.sandbox.throttled(), sim_elapsed_s=round(amazon.sim_seconds() - sim_start, 1),
        wall_s=round(watch.seconds, 2), steps=steps,
    )


def _connector(amazon: SimAmazon, session: SpApiSession, start: datetime, end: datetime) -> tuple[int, list[str]]:
    """The connector's extract step exactly as the DAG runs it (report vs searchOrders chosen by window)."""
    config = bench_config().accounts[ACCOUNT]
    with sqlite_store() as store:
        extractor = AccountExtractor(session, store, ACCOUNT, config, poll_seconds=15.0, sleep=amazon.advance)
        result = extractor.extract_window(start, end, now=amazon.clock.now())
        return sum(result.landed.values()), result.steps
