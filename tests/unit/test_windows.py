"""Extraction planning: which calls cover a window (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from amzodoo.sync.windows import (
    MAX_REPORT_DAYS,
    REPORT,
    SEARCH,
    Extraction,
    plan,
    report_ranges,
    uncovered,
    widen_old_interval,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
DAY = timedelta(days=1)


def test_short_window_uses_search_orders_and_respects_the_two_minute_rule():
    steps = plan(NOW - 15 * timedelta(minutes=1), NOW, NOW, report_threshold=24 * H)
    assert steps == [Extraction(NOW - timedelta(minutes=15), NOW - timedelta(minutes=2, seconds=5), SEARCH)]


def test_window_entirely_inside_the_last_two_minutes_is_empty():
    assert plan(NOW - timedelta(minutes=1), NOW, NOW, report_threshold=24 * H) == []


def test_long_window_uses_the_report_and_reads_its_lagging_tail_with_search_orders():
    steps = plan(NOW - 3 * DAY, NOW, NOW, report_threshold=24 * H)
    assert [s.method for s in steps] == [REPORT, SEARCH]
    assert steps[0].start == NOW - 3 * DAY and steps[0].end == NOW - timedelta(minutes=30)
    assert steps[1].start == steps[0].end and steps[1].end == NOW - timedelta(minutes=2, seconds=5)


def test_long_window_in_the_past_is_one_report():
    steps = plan(NOW - 10 * DAY, NOW - 7 * DAY, NOW, report_threshold=24 * H)
    assert steps == [Extraction(NOW - 10 * DAY, NOW - 7 * DAY, REPORT)]


def test_old_intervals_widen_to_whole_days_so_backfill_runs_share_one_report():
    start = datetime(2026, 11, 1, 10, 15, tzinfo=UTC)
    day = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC))
    assert widen_old_interval(start, start + 15 * timedelta(minutes=1), NOW) == day
    assert widen_old_interval(day[0], day[1], NOW) == day
    recent = (NOW - H, NOW - timedelta(minutes=45))
    assert widen_old_interval(*recent, NOW) == recent
    assert [s.method for s in plan(*day, NOW, report_threshold=24 * H)] == [REPORT]


def test_uncovered_parts():
    t = [NOW + i * H for i in range(10)]
    assert uncovered(t[0], t[5], []) == [(t[0], t[5])]
    assert uncovered(t[0], t[5], [(t[0], t[5])]) == []
    assert uncovered(t[1], t[3], [(t[0], t[5])]) == []
    assert uncovered(t[0], t[5], [(t[1], t[2]), (t[3], t[4])]) == [(t[0], t[1]), (t[2], t[3]), (t[4], t[5])]
    assert uncovered(t[2], t[6], [(t[0], t[3]), (t[5], t[9])]) == [(t[3], t[5])]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (NOW - 95 * DAY, NOW - DAY),  # the 95-day first sync
        (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)),  # README's example: 31 days
        (NOW - 30 * DAY, NOW),  # exactly the limit: one range
        (NOW - 365 * DAY - 7 * H, NOW - timedelta(seconds=1)),  # a year, odd bounds
        (datetime(2026, 1, 1, 3, 4, 5, 678901, tzinfo=UTC), datetime(2026, 4, 2, tzinfo=UTC)),  # microseconds
        (NOW - H, NOW),  # short
    ],
)
def test_report_ranges_cover_the_window_without_gaps_or_overlaps(start, end):
    ranges = report_ranges(start, end)
    assert ranges[0][0] == start and ranges[-1][1] == end
    assert all(hi == lo for (_, hi), (lo, _) in pairwise(ranges))  # seams contiguous
    assert all(lo < hi for lo, hi in ranges)
    assert all(hi - lo <= timedelta(days=MAX_REPORT_DAYS) for lo, hi in ranges)
    # Requests carry whole seconds: truncating both ends never makes a range longer than Amazon allows.
    assert all(hi.replace(microsecond=0) - lo.replace(microsecond=0) <= timedelta(days=MAX_REPORT_DAYS)
               for lo, hi in ranges)
    # As few requests as the limit allows.
    assert len(ranges) == -(-(end - start) // timedelta(days=MAX_REPORT_DAYS))


def test_report_ranges_of_an_empty_window_and_other_limits():
    assert report_ranges(NOW, NOW) == []
    assert report_ranges(NOW, NOW - H) == []
    assert report_ranges(NOW - 5 * DAY, NOW, max_days=2) == [
        (NOW - 5 * DAY, NOW - 3 * DAY), (NOW - 3 * DAY, NOW - DAY), (NOW - DAY, NOW)]
    with pytest.raises(ValueError):
        report_ranges(NOW - DAY, NOW, max_days=0)


def test_a_rerun_from_a_recorded_range_cuts_the_rest_as_the_first_run_did():
    start, end = NOW - 95 * DAY, NOW - DAY
    ranges = report_ranges(start, end)
    assert report_ranges(ranges[2][0], end) == ranges[2:]


def test_long_window_is_read_by_reports_of_at_most_30_days_then_the_lagging_tail():
    steps = plan(NOW - 95 * DAY, NOW, NOW, report_threshold=24 * H)
    assert [s.method for s in steps] == [REPORT] * 4 + [SEARCH]
    assert [(s.start, s.end) for s in steps[:4]] == report_ranges(NOW - 95 * DAY, NOW - timedelta(minutes=30))
    assert steps[4].start == steps[3].end


def test_readme_first_sync_example_becomes_two_reports():
    start, end = widen_old_interval(datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC), NOW)
    steps = plan(start, end, NOW, report_threshold=24 * H)
    assert [(s.start, s.end, s.method) for s in steps] == [
        (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 10, 31, tzinfo=UTC), REPORT),
        (datetime(2026, 10, 31, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC), REPORT),
    ]
