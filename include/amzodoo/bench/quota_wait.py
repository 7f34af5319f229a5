"""Measurement 2: quota-imposed waiting to sync a 10,000-order backlog under Amazon's default usage plans.

Every path runs against the sandbox on a frozen simulated clock: the client-side token bucket (the same
``TokenBucketLimiter`` the connector uses) and the 429 backoff sleep by advancing that clock, so waiting costs
no real time and the measured wait is exact. The sandbox enforces the usage plans itself; its throttled count
shows whether anything still hit a 429.
"""

from __future__ import annotations

import math
from datetime import timedelta

from amzodoo.amazon.usage_plans import USAGE_PLANS
from amzodoo.bench.common import SIM_START, generate, sim_amazon
from amzodoo.bench.paths import CONNECTOR, PER_ORDER, SEARCH_ONLY, run_path

FBA_TARGET_S = 60.0
MIXED_TOLERANCE = 0.10
PAGE = 100  # searchOrders orders per page
FLOOR_FORMULA = (
    "floor = max over operations of max(0, n_op - burst_op) / rate_op  (buckets refill in parallel, so the "
    "slowest operation decides). Data Odoo needs: FBA orders from one All Orders report = createReport x1 "
    "(burst 15), getReport polls (2/s, burst 15), getReportDocument x1 (burst 15) -> 0 s; FBM recipients "
    "(names, streets are not in the report) = ceil(n_fbm / 100) searchOrders pages at 0.0056/s after a burst "
    "of 20."
)


def floor_seconds(n_fbm: int) -> tuple[float, dict[str, int]]:
    """The least quota-imposed waiting that the published usage plans allow for these orders."""
    needed = {"reports.createReport": 1, "reports.getReport": 1, "reports.getReportDocument": 1}
    if n_fbm:
        needed["orders.searchOrders"] = math.ceil(n_fbm / PAGE)
    waits = [max(0, n - USAGE_PLANS[op].burst) / USAGE_PLANS[op].rate for op, n in needed.items()]
    return round(max(waits), 1), needed


def scenario(backlog: int, fba_share: float, label: str) -> dict:
    runs = []
    for path in (PER_ORDER, SEARCH_ONLY, CONNECTOR):
        # A fresh sandbox per path (same seed, so the same orders) and full buckets, as at a first sync.
        with sim_amazon() as amazon:
            ids = generate(amazon, backlog, start=SIM_START - timedelta(days=7),
                           end=SIM_START - timedelta(hours=1), fba_share=fba_share)
            n_fbm = sum(1 for i in ids if amazon.sandbox.state.orders[i].channel == "MFN")
            # A catch-up run over everything since before the first order, up to now (the DAG's first sync).
            runs.append(run_path(amazon, path, SIM_START - timedelta(days=7, hours=1), amazon.clock.now()).as_dict())
    floor, needed = floor_seconds(n_fbm)
    connector = runs[-1]
    if fba_share >= 1.0:
        target = f"connector quota wait <= {FBA_TARGET_S:.0f} s"
        met = connector["quota_wait_s"] <= FBA_TARGET_S
    else:
        target = f"connector quota wait within {MIXED_TOLERANCE:.0%} of the floor ({floor} s)"
        # Compared at the 0.1 s the table shows: the harness rounds each simulated wait up to whole microseconds.
        met = connector["quota_wait_s"] <= round(floor * (1 + MIXED_TOLERANCE), 1)
    return {"label": label, "backlog": backlog, "fba": backlog - n_fbm, "fbm": n_fbm, "paths": runs,
            "floor_s": floor, "floor_calls": needed, "target": target, "met": met}


def run(backlog: int = 10_000) -> dict:
    return {
        "floor_formula": FLOOR_FORMULA,
        "scenarios": [scenario(backlog, 1.0, "FBA only"), scenario(backlog, 0.7, "mixed 70 % FBA / 30 % FBM")],
    }
