"""Small helpers for the sandbox's unit tests: a frozen clock so the data is fully deterministic."""

from datetime import UTC, datetime

import pytest

from amzodoo_sandbox.spapi import SimClock, SpApiSandbox

FROZEN_START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen_sandbox() -> SpApiSandbox:
    """An unstarted sandbox on a frozen clock with a realistic amount of orders."""
    return SpApiSandbox(seed=7, orders_per_marketplace=60, history_days=5, clock=SimClock(FROZEN_START, scale=0))
