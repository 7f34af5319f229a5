"""Which UTC day a reconciliation run checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pendulum
import pytest

from amzodoo.sync.reconciliation import reconciliation_day


@pytest.mark.parametrize(("interval_end", "expected"), [
    # Airflow 3's cron trigger timetable: the interval is the run's own instant (02:00 on the 20th).
    (datetime(2026, 11, 20, 2, 0, tzinfo=UTC), date(2026, 11, 19)),
    # A data-interval timetable (@daily, create_cron_data_intervals): the interval ends at midnight.
    (pendulum.datetime(2026, 11, 20, tz="UTC"), date(2026, 11, 19)),
    # Interval ends given in another zone count in UTC: 00:30 in Berlin is still the 19th in UTC.
    (datetime(2026, 11, 20, 0, 30, tzinfo=timezone(timedelta(hours=1))), date(2026, 11, 18)),
    (datetime(2027, 1, 1, 2, 0, tzinfo=UTC), date(2026, 12, 31)),
])
def test_a_scheduled_run_checks_the_finished_day(interval_end, expected):
    assert reconciliation_day(None, interval_end) == expected


@pytest.mark.parametrize("asked", ["2026-10-03", " 2026-10-03 ", "2026-10-03T00:00:00+00:00", date(2026, 10, 3)])
def test_the_day_asked_for_wins(asked):
    assert reconciliation_day(asked, datetime(2026, 11, 20, 2, tzinfo=UTC)) == date(2026, 10, 3)


def test_without_an_interval_the_day_before_now():
    assert reconciliation_day("", None, now=datetime(2026, 3, 1, 0, 5, tzinfo=UTC)) == date(2026, 2, 28)


def test_a_malformed_day_is_refused():
    with pytest.raises(ValueError):
        reconciliation_day("yesterday", None)
