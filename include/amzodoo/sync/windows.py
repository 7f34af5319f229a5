"""The window of order updates a run extracts, and which Amazon calls cover it: pure decisions, no IO.

* A run's window: a manual run's ``window_start``/``window_end`` params, else its data interval, else (a manual
  run without one) since the end of the account's last extraction; always widened by the account's overlap, so
  an order updated just before the previous window closed is read again.
* Short windows (incremental runs) use searchOrders.
* Windows longer than the threshold (first syncs, backfills) use the All Orders report: one report instead of a
  searchOrders page per 100 orders, whose quota allows one page every three minutes. Reports lag the Orders
  API by up to 30 minutes, so the most recent part of a long window is still read with searchOrders.
* Amazon refuses order reports over more than 30 days ("The report's date range must not exceed 30 days"), so
  a longer report part is cut into consecutive ranges of at most 30 days, each its own step: the extraction
  ledger records each range as it completes, and a rerun after a crash starts at the first missing range.
* Runs over old intervals (catch-up, ``airflow backfill create``) are widened to whole UTC days, so the many
  15-minute runs of a backfilled day share one report instead of each spending a searchOrders call.
* Whatever the extraction ledger already covers for the account is not asked again: the marketplaces of one
  account share each extraction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from amzodoo.timeutil import to_utc

REPORT_LAG = timedelta(minutes=30)
BEFORE_BOUND_MARGIN = timedelta(minutes=2, seconds=5)
OLD_INTERVAL = timedelta(days=1)
FIRST_MANUAL_RUN = timedelta(days=1)  # a manual run of an account never extracted reads the last day
MAX_REPORT_DAYS = 30  # Amazon: "The report's date range must not exceed 30 days"

Interval = tuple[datetime, datetime]
SEARCH = "searchOrders"
REPORT = "report"


@dataclass(frozen=True)
class Extraction:
    start: datetime
    end: datetime
    method: str  # SEARCH | REPORT


@dataclass(frozen=True)
class SyncWindow:
    start: datetime
    end: datetime
    force: bool = False  # ask Amazon again even for what the account's ledger says was extracted


def sync_window(*, params: Mapping[str, Any] | None, interval_start: datetime | None, interval_end: datetime | None,
                last_extracted_end: Callable[[], datetime | None], now: datetime, overlap: timedelta) -> SyncWindow:
    """The window a run of the order sync extracts (see the module docstring), as plain UTC datetimes.

    ``last_extracted_end`` reads the account's ledger; it is called only for a manual run without a window.
    """
    params = params or {}
    if params.get("window_start") and params.get("window_end"):
        start, end = to_utc(params["window_start"]), to_utc(params["window_end"])
    elif interval_start is not None and interval_end is not None and interval_end > interval_start:
        start, end = to_utc(interval_start), to_utc(interval_end)
    else:
        start, end = last_extracted_end() or now - FIRST_MANUAL_RUN, now
    start, end = widen_old_interval(start - overlap, end, now)
    return SyncWindow(start, end, force=bool(params.get("force")))


def floor_day(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def widen_old_interval(start: datetime, end: datetime, now: datetime) -> tuple[datetime, datetime]:
    if now - end < OLD_INTERVAL:
        return start, end
    day_end = floor_day(end) if floor_day(end) == end else floor_day(end) + timedelta(days=1)
    return floor_day(start), day_end


def plan(start: datetime, end: datetime, now: datetime, *, report_threshold: timedelta) -> list[Extraction]:
    """Extractions covering [start, end), the end clipped to Amazon's two-minute rule."""
    end = min(end, now - BEFORE_BOUND_MARGIN)
    if end <= start:
        return []
    if end - start < report_threshold:
        return [Extraction(start, end, SEARCH)]
    report_end = min(end, now - REPORT_LAG)
    steps = [Extraction(lo, hi, REPORT) for lo, hi in report_ranges(start, report_end)]
    if report_end < end:
        steps.append(Extraction(max(start, report_end), end, SEARCH))
    return steps


def report_ranges(start: datetime, end: datetime, max_days: int = MAX_REPORT_DAYS) -> list[Interval]:
    """[start, end) as consecutive ranges of at most ``max_days`` each, from ``start`` on; the last takes the rest.

    Anchored on ``start``, so a rerun that resumes at the end of the last recorded range cuts the remainder
    exactly as the first run did. ``max_days`` is whole seconds: truncating both ends of a range to the second
    (as requests do) never makes it longer than the limit.
    """
    if max_days <= 0:
        raise ValueError("max_days must be positive")
    step = timedelta(days=max_days)
    ranges: list[Interval] = []
    cursor = start
    while cursor < end:
        upper = min(cursor + step, end)
        ranges.append((cursor, upper))
        cursor = upper
    return ranges


def uncovered(start: datetime, end: datetime, covered: list[Interval]) -> list[Interval]:
    """The parts of [start, end) that no covered interval contains."""
    gaps: list[Interval] = []
    cursor = start
    for lo, hi in sorted(covered):
        if hi <= cursor:
            continue
        if lo >= end:
            break
        if lo > cursor:
            gaps.append((cursor, min(lo, end)))
        cursor = max(cursor, hi)
        if cursor >= end:
            return gaps
    if cursor < end:
        gaps.append((cursor, end))
    return gaps
