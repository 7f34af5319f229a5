from datetime import UTC, datetime

import pytest

from amzodoo_sandbox.spapi import SimClock

START = datetime(2026, 1, 1, tzinfo=UTC)


def test_frozen_clock_only_moves_when_advanced():
    clock = SimClock(START, scale=0)
    assert clock.now() == START
    clock.advance(90)
    assert (clock.now() - START).total_seconds() == 90


def test_clock_refuses_to_go_back_and_naive_starts():
    with pytest.raises(ValueError):
        SimClock(datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        SimClock(START).advance(-1)


def test_scale_change_applies_from_now_on():
    clock = SimClock(START, scale=0)
    clock.advance(10)
    clock.scale = 0
    assert clock.now() == clock.now()
    assert clock.scale == 0
    clock.scale = 3600.0
    assert clock.now() >= START


def test_default_clock_follows_wall_time_in_utc():
    clock = SimClock()
    assert clock.now().tzinfo is not None
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 5
