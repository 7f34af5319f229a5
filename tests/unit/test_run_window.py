"""The window a run extracts, from Airflow's data interval: plain UTC datetimes that survive arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pendulum
import pytest

from amzodoo.runtime import run_window
from amzodoo.staging.store import StagingStore
from amzodoo.sync.windows import uncovered


@pytest.fixture
def store(tmp_path):
    store = StagingStore.from_url(f"sqlite:///{tmp_path / 'staging.sqlite'}")
    store.create_schema()
    yield store
    store.engine.dispose()


@pytest.mark.parametrize("interval_start", [
    pendulum.datetime(2026, 12, 5, 8, 45, tz="UTC"),
    pendulum.datetime(2026, 12, 5, 9, 45, tz="Europe/Berlin"),
    datetime(2026, 12, 5, 8, 45, tzinfo=UTC),
])
def test_a_scheduled_window_stays_aware_after_the_overlap_and_meets_the_ledger(store, interval_start):
    """Airflow hands pendulum datetimes; pendulum.DateTime(tz=datetime.UTC) - timedelta is naive, which made every
    scheduled run whose window overlapped the ledger fail in ``uncovered`` (hidden while such runs looked green)."""
    context = {"params": {}, "data_interval_start": interval_start,
               "data_interval_end": interval_start + timedelta(minutes=15)}
    start, end, force = run_window(context, store, "na_main")
    assert not force and type(start) is datetime and type(end) is datetime
    overlapped = start - timedelta(minutes=5)
    assert overlapped.tzinfo is not None
    assert overlapped == datetime(2026, 12, 5, 8, 40, tzinfo=UTC)
    ledger = [(datetime(2026, 12, 5, 8, 30, tzinfo=UTC), datetime(2026, 12, 5, 8, 50, tzinfo=UTC))]
    assert uncovered(overlapped, end, ledger) == [(ledger[0][1], end)]


def test_params_window_wins_and_is_utc(store):
    context = {"params": {"window_start": "2026-10-01T02:00:00+02:00", "window_end": "2026-10-02T00:00:00Z",
                          "force": True}}
    start, end, force = run_window(context, store, "na_main")
    assert (start, end, force) == (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 10, 2, tzinfo=UTC), True)


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
