"""First syncs and backfills longer than Amazon's 30-day report limit, through the order DAGs (issue #12, item 2).

Amazon refuses order reports over more than 30 days (the sandbox as well). A 95-day window is read as four
report ranges of at most 30 days: orders updated at and around every seam land exactly once; a run that crashes
after the second range resumes at the third; the README's first-sync example runs as written.

The windows are fixed dates in the past, one per account, so that the extraction ledgers of the tests in this
module never overlap (the README's window is October 2026, the others end on 2026-09-04).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from amzodoo.config.model import AccountConfig
from amzodoo.sync.windows import report_ranges, widen_old_interval

ALL_ORDERS = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL"
WINDOW = (datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 9, 4, tzinfo=UTC))  # 95 days
README_WINDOW = {"window_start": "2026-10-01T00:00:00Z", "window_end": "2026-11-01T00:00:00Z"}
REPORTS_PER_RANGE = 2  # createReport calls per range: All Orders and FBA shipments
OVERLAP = timedelta(minutes=AccountConfig.model_fields["overlap_minutes"].default)


def read_ranges(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The report ranges a run over [start, end) asks for: each run re-reads ``overlap_minutes`` before its
    window, and an old window is widened to whole UTC days."""
    return report_ranges(*widen_old_interval(start - OVERLAP, end, datetime.now(UTC)))


def iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def seam_orders(world, account: str, marketplace: str, seams: list[datetime]) -> list[str]:
    """Orders last updated one second before, at, and one second after every seam, FBA shipped and FBM unshipped.

    Generated orders are re-timed through the sandbox's order loader (Orders 2026-01-01 documents), so their
    whole timeline, and with it every API view and report row, sits at the seam.
    """
    sandbox = world.sandbox
    start = WINDOW[0] - timedelta(days=30)
    candidates = sandbox.generate_orders(account, marketplace, 60, start=start, end=start + timedelta(days=5),
                                         fba_share=0.5)
    documents = [sandbox.order(order_id) for order_id in candidates]
    fba = [d for d in documents if d["fulfillment"]["fulfilledBy"] == "AMAZON"
           and d["fulfillment"]["fulfillmentStatus"] == "SHIPPED"]
    fbm = [d for d in documents if d["fulfillment"]["fulfilledBy"] == "MERCHANT"
           and d["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"]
    retimed = []
    for seam in seams:
        for offset in (-1, 0, 1):
            for pool in (fba, fbm):
                document = dict(pool.pop())
                document.pop("packages", None)
                document["createdTime"] = iso(seam - timedelta(hours=3))
                document["lastUpdatedTime"] = iso(seam + timedelta(seconds=offset))
                retimed.append(document)
    return sandbox.load_orders(account, retimed)


def order_reports(world, account: str) -> list[tuple[datetime, datetime]]:
    """The (start, end) of every All Orders report the account requested, in request order."""
    jobs = [job for job in world.sandbox.state.reports.values() if job.account == account and job.kind == ALL_ORDERS]
    return [(job.data_start, job.data_end) for job in sorted(jobs, key=lambda j: int(j.job_id))]


def assert_loaded_once(world, account: str, marketplace: str, order_ids: list[str]) -> None:
    staged = {o["amazon_order_id"]: o for o in world.store.staged_orders(account, marketplace)}
    assert set(order_ids) <= set(staged)
    assert not [o for o in staged.values() if o["state"] == "error"]
    # Cancelled orders that never reached Odoo have nothing to cancel there.
    loaded = [i for i in order_ids if staged[i]["state"] == "loaded" and staged[i]["amazon_status"] != "CANCELLED"]
    assert loaded
    refs = Counter(o["amazon_order_id"] for o in world.odoo_orders(loaded))
    assert set(refs) == set(loaded) and set(refs.values()) == {1}


def test_95_day_window_reads_four_ranges_and_loses_nothing_at_the_seams(world):
    ranges = read_ranges(*WINDOW)
    assert len(ranges) == 4
    seams = [lo for lo, _ in ranges[1:]]
    ids = world.sandbox.generate_orders("na_main", "US", 80, start=WINDOW[0], end=WINDOW[1] - timedelta(days=2))
    at_seams = seam_orders(world, "na_main", "US", seams)
    throttled = world.sandbox.throttled()

    state = world.run("amazon_orders__na_main__US", **world.window(*WINDOW))

    assert state == "success"
    assert order_reports(world, "na_main") == ranges
    ledger = [(w["window_start"], w["window_end"]) for w in world.store.extracted_windows("na_main")
              if w["source"] == "report"]
    assert ledger == ranges
    staged = {o["amazon_order_id"]: o for o in world.store.staged_orders("na_main", "US")}
    assert all(staged[i]["state"] == "loaded" for i in at_seams)
    assert_loaded_once(world, "na_main", "US", ids + at_seams)
    assert world.sandbox.throttled() == throttled  # inside every usage plan


def test_crash_after_the_second_range_resumes_at_the_third(world):
    ranges = read_ranges(*WINDOW)
    ids = world.sandbox.generate_orders("eu_main", "DE", 60, start=WINDOW[0], end=WINDOW[1] - timedelta(days=2))
    ids += seam_orders(world, "eu_main", "DE", [lo for lo, _ in ranges[1:]])
    # Every report requested after the first two ranges' ends FATAL, through every retry of the task.
    world.sandbox.inject_fault("reports.createReport", "fatal", count=100, after=2 * REPORTS_PER_RANGE)
    try:
        assert world.run("amazon_orders__eu_main__DE", **world.window(*WINDOW)) == "failed"
    finally:
        world.sandbox.clear_faults()
    first = order_reports(world, "eu_main")
    assert first[:2] == ranges[:2] and set(first[2:]) == {ranges[2]}  # each retry stopped at the third range
    assert [(w["window_start"], w["window_end"]) for w in world.store.extracted_windows("eu_main")] == ranges[:2]

    assert world.run("amazon_orders__eu_main__DE", **world.window(*WINDOW)) == "success"

    assert order_reports(world, "eu_main")[len(first):] == ranges[2:]  # the rerun asked only for what was missing
    assert [(w["window_start"], w["window_end"]) for w in world.store.extracted_windows("eu_main")] == ranges
    assert_loaded_once(world, "eu_main", "DE", ids)


def test_readme_first_sync_example_runs_as_written(world):
    start, end = (datetime.fromisoformat(README_WINDOW[k].replace("Z", "+00:00")) for k in README_WINDOW)
    # Placed early enough that every lifecycle event (shipped up to 40 h later) falls inside the window.
    ids = world.sandbox.generate_orders("na_main", "CA", 30, start=start, end=end - timedelta(days=2))

    state = world.run("amazon_orders__na_main__CA", **README_WINDOW)

    assert state == "success"
    ranges = read_ranges(start, end)
    assert ranges == [(datetime(2026, 9, 30, tzinfo=UTC), datetime(2026, 10, 30, tzinfo=UTC)),
                      (datetime(2026, 10, 30, tzinfo=UTC), end)]
    assert order_reports(world, "na_main")[-2:] == ranges
    assert_loaded_once(world, "na_main", "CA", ids)
