"""Extraction planning: which calls cover a window (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from amzodoo.sync.windows import REPORT, SEARCH, Extraction, plan, uncovered, widen_old_interval

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
