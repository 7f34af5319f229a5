"""The window a run of the order sync extracts (pure): params, else the data interval, else since the ledger's
last extraction; widened by the overlap and to whole days when old; plain UTC datetimes that survive arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pendulum
import pytest

from amzodoo.sync.windows import SyncWindow, sync_window, uncovered

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
OVERLAP = timedelta(minutes=5)


def never_read() -> datetime | None:
    raise AssertionError("the ledger is read only by a manual run without a window")


def window(params=None, start=None, end=None, *, ledger=never_read, now=NOW) -> SyncWindow:
    return sync_window(params=params, interval_start=start, interval_end=end, last_extracted_end=ledger, now=now,
                       overlap=OVERLAP)


@pytest.mark.parametrize("interval_start", [
    pendulum.datetime(2026, 12, 5, 8, 45, tz="UTC"),
    pendulum.datetime(2026, 12, 5, 9, 45, tz="Europe/Berlin"),
    datetime(2026, 12, 5, 8, 45, tzinfo=UTC),
])
def test_a_scheduled_window_stays_aware_after_the_overlap_and_meets_the_ledger(interval_start):
    """Airflow hands pendulum datetimes; pendulum.DateTime(tz=datetime.UTC) - timedelta is naive, which made every
    scheduled run whose window overlapped the ledger fail in ``uncovered`` (hidden while such runs looked green)."""
    result = window({}, interval_start, interval_start + timedelta(minutes=15))
    assert not result.force and type(result.start) is datetime and type(result.end) is datetime
    assert result.start.tzinfo is not None
    assert (result.start, result.end) == (datetime(2026, 12, 5, 8, 40, tzinfo=UTC), NOW)
    ledger = [(datetime(2026, 12, 5, 8, 30, tzinfo=UTC), datetime(2026, 12, 5, 8, 50, tzinfo=UTC))]
    assert uncovered(result.start, result.end, ledger) == [(ledger[0][1], result.end)]


def test_params_window_wins_over_the_interval_and_is_utc():
    params = {"window_start": "2026-12-01T02:00:00+02:00", "window_end": "2026-12-05T08:00:00Z", "force": True}
    result = window(params, NOW - timedelta(minutes=15), NOW)
    assert result == SyncWindow(datetime(2026, 12, 1, tzinfo=UTC) - OVERLAP, datetime(2026, 12, 5, 8, tzinfo=UTC),
                                force=True)


def test_a_params_window_needs_both_ends():
    result = window({"window_start": "2026-10-01T00:00:00Z"}, NOW - timedelta(minutes=15), NOW)
    assert (result.start, result.end) == (NOW - timedelta(minutes=15) - OVERLAP, NOW)


@pytest.mark.parametrize(("start", "end"), [(None, None), (NOW, NOW)])
def test_a_manual_run_without_a_window_reads_since_the_last_extraction(start, end):
    last = NOW - timedelta(hours=3)
    assert window({}, start, end, ledger=lambda: last) == SyncWindow(last - OVERLAP, NOW)


def test_a_manual_run_of_an_account_never_extracted_reads_the_last_day():
    assert window(None, ledger=lambda: None) == SyncWindow(NOW - timedelta(days=1) - OVERLAP, NOW)


def test_an_old_interval_is_widened_to_whole_days():
    """A backfilled 15-minute interval reads its whole UTC day, so the day's runs share one report."""
    start = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    result = window({}, pendulum.instance(start), pendulum.instance(start + timedelta(minutes=15)))
    assert (result.start, result.end) == (datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC))


def test_the_overlap_can_reach_into_the_previous_day_of_an_old_interval():
    start = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    result = window({}, start, start + timedelta(minutes=15))
    assert (result.start, result.end) == (datetime(2026, 11, 19, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC))


def test_order_summary_labels_marketplace_and_account_figures():
    """Per-marketplace figures name the marketplace; the shared extraction's are labelled account-wide."""
    from amzodoo.sync.orders import render_summary

    counts = {"landed": 7, "staged": 0, "fba": 0, "fbm": 0, "waiting": 2, "created": 0, "updated": 0,
              "cancelled": 0, "failed": 0, "odoo_calls": 3, "customers_created": 0, "deliveries_created": 0,
              "fba_deliveries_done": 0, "total_mismatches": 0, "errors_in_staging": 1, "amazon_calls": 12,
              "amazon_throttled": 0, "odoo_seconds": {}}
    text = render_summary("na_main", "US", counts, ["All Orders report 2026-10-01..2026-10-31: 120 rows"])
    lines = text.splitlines()
    account_line = next(i for i, line in enumerate(lines) if line.strip().startswith("Account na_main"))
    assert "all marketplaces" in lines[account_line] and "12 SP-API calls" in lines[account_line]
    assert lines[account_line + 1].strip().startswith("All Orders report")  # report steps under the account line
    for line in lines[1:account_line]:  # everything above it is this marketplace's
        assert "US " in line or line.strip().startswith("Odoo time"), line
