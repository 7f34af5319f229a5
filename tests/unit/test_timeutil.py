"""Timestamps read from Amazon and Airflow, written for Amazon and Odoo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pendulum
import pytest

from amzodoo.timeutil import amazon_time, odoo_datetime, parse_timestamp, to_utc

BERLIN_WINTER = timezone(timedelta(hours=1))


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-12-05T08:45:00Z", datetime(2026, 12, 5, 8, 45, tzinfo=UTC)),
    (" 2026-12-05T08:45:00.250Z ", datetime(2026, 12, 5, 8, 45, 0, 250000, tzinfo=UTC)),
    ("2026-12-05T09:45:00+01:00", datetime(2026, 12, 5, 9, 45, tzinfo=BERLIN_WINTER)),
    ("2026-12-05T08:45:00", datetime(2026, 12, 5, 8, 45, tzinfo=UTC)),  # naive: UTC
    ("2026-12-05", datetime(2026, 12, 5, tzinfo=UTC)),
])
def test_parse_timestamp_reads_amazon_and_iso_forms(text, expected):
    parsed = parse_timestamp(text)
    assert parsed == expected and parsed.utcoffset() == expected.utcoffset()


def test_parse_timestamp_keeps_the_offset_so_a_local_day_stays_the_buyers():
    assert parse_timestamp("2026-12-05T00:30:00+01:00").date().isoformat() == "2026-12-05"


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01T00:00:00Z"])
def test_parse_timestamp_refuses_what_is_not_a_timestamp(text):
    with pytest.raises(ValueError):
        parse_timestamp(text)


@pytest.mark.parametrize("value", [
    "2026-12-05T09:45:00+01:00",
    pendulum.datetime(2026, 12, 5, 9, 45, tz="Europe/Berlin"),
    pendulum.datetime(2026, 12, 5, 8, 45, tz="UTC"),
    datetime(2026, 12, 5, 8, 45),
])
def test_to_utc_gives_a_plain_utc_datetime(value):
    result = to_utc(value)
    assert type(result) is datetime and result.tzinfo is UTC
    assert result == datetime(2026, 12, 5, 8, 45, tzinfo=UTC)
    assert (result - timedelta(minutes=5)).tzinfo is UTC  # pendulum's would come out naive


def test_amazon_and_odoo_formats_are_utc():
    moment = datetime(2026, 12, 5, 9, 45, 30, 999999, tzinfo=BERLIN_WINTER)
    assert amazon_time(moment) == "2026-12-05T08:45:30Z"
    assert odoo_datetime(moment) == "2026-12-05 08:45:30"
