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
from amzodoo.sync.windows import REPORT_LAG

TOLERANCE = 0.10
PAGE = 100  # searchOrders orders per page
FLOOR_FORMULA = (
    "floor = the least waiting the published usage plans allow for the data Odoo needs, where each operation "
    "waits max(0, n_op - burst_op) / rate_op and buckets refill in parallel (the slowest operation decides). "
    "Data Odoo needs, per report range of at most 30 days: items and money of every order from the All Orders "
    "report and the buyers and recipients of FBA orders from the FBA shipments report (createReport x2, "
    "getReportDocument x2 at burst 15, one Restricted Data Token at burst 10, getReport polls at 2/s -> 0 s); FBM "
    "recipients (names, streets: in no report) = ceil(n_fbm / 100) searchOrders pages at 0.0056/s after a burst "
    "of 20; the company names of shipped FBA business orders (in no report) either one getOrder each (0.5/s after "
    "a burst of 30, in parallel with the searchOrders pages) or every FBA order through searchOrders too "
    "(ceil(n_fba / 100) more pages): the cheaper of the two. Business FBA orders updated in the last 30 minutes, "
    "which no report shows yet, come with the searchOrders page that reads that tail, as every report-based "
    "read needs (the floor does not count that page)."
)


def _wait(operation: str, calls: int) -> float:
    plan = USAGE_PLANS[operation]
    return max(0, calls - plan.burst) / plan.rate


def floor_seconds(n_fbm: int, n_fba: int = 0, n_business_fba: int = 0) -> tuple[float, dict[str, int]]:
    """The least quota-imposed waiting that the published usage plans allow for these orders (one report range)."""
    reports = {"reports.createReport": 2, "reports.getReport": 2, "reports.getReportDocument": 2,
               "tokens.createRestrictedDataToken": 1}
    fbm_pages = math.ceil(n_fbm / PAGE)
    by_get_order = {**reports, "orders.searchOrders": fbm_pages, "orders.getOrder": n_business_fba}
    by_search = {**reports, "orders.searchOrders": fbm_pages + (math.ceil(n_fba / PAGE) if n_business_fba else 0)}
    options = [(max(_wait(op, n) for op, n in needed.items()), needed) for needed in (by_get_order, by_search)]
    wait, needed = min(options, key=lambda option: option[0])
    return round(wait, 1), {op: n for op, n in needed.items() if n}


def scenario(backlog: int, fba_share: float, label: str) -> dict:
    runs = []
    for path in (PER_ORDER, SEARCH_ONLY, CONNECTOR):
        # A fresh sandbox per path (same seed, so the same orders) and full buckets, as at a first sync.
        with sim_amazon() as amazon:
            ids = generate(amazon, backlog, start=SIM_START - timedelta(days=7),
                           end=SIM_START - timedelta(hours=1), fba_share=fba_share)
            records = [amazon.sandbox.state.orders[i] for i in ids]
            now = amazon.clock.now()
            n_fbm = sum(1 for r in records if r.channel == "MFN")
            # Reports lag the Orders API by up to 30 minutes: orders updated since come with the searchOrders
            # page every report-based read needs for that tail, company names included.
            n_business_fba = sum(1 for r in records if r.channel == "AFN" and r.business
                                 and r.status_at(now) in ("Shipped", "PartiallyShipped")
                                 and r.last_updated_at(now) < now - REPORT_LAG)
            # A catch-up run over everything since before the first order, up to now (the DAG's first sync).
            runs.append(run_path(amazon, path, SIM_START - timedelta(days=7, hours=1), amazon.clock.now()).as_dict())
    floor, needed = floor_seconds(n_fbm, backlog - n_fbm, n_business_fba)
    connector = runs[-1]
    target = f"connector quota wait within {TOLERANCE:.0%} of the floor ({floor} s)"
    # Compared at the 0.1 s the table shows: the harness rounds each simulated wait up to whole microseconds.
    met = connector["quota_wait_s"] <= round(floor * (1 + TOLERANCE), 1)
    return {"label": label, "backlog": backlog, "fba": backlog - n_fbm, "fbm": n_fbm,
            "business_fba_shipped": n_business_fba, "paths": runs, "floor_s": floor, "floor_calls": needed,
            "target": target, "met": met}


def run(backlog: int = 10_000) -> dict:
    return {
        "floor_formula": FLOOR_FORMULA,
        "scenarios": [scenario(backlog, 1.0, "FBA only"), scenario(backlog, 0.7, "mixed 70 % FBA / 30 % FBM")],
    }
