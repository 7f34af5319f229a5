"""Timestamps in and out of the connector: Amazon's and Airflow's in, Amazon's and Odoo's out.

Everything inside the connector is an aware datetime; these are the only places that read or write text.
"""

from __future__ import annotations

from datetime import UTC, datetime

AMAZON_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Odoo stores naive UTC datetimes and reads them in this exact format.
ODOO_FORMAT = "%Y-%m-%d %H:%M:%S"


def parse_timestamp(value: str) -> datetime:
    """An ISO 8601 timestamp as Amazon writes it (``Z`` or an offset); a naive one is read as UTC.

    The offset is kept: the instant is the same, and a local purchase date stays the day the buyer saw.
    Raises ValueError for anything else.
    """
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def to_utc(value: datetime | str) -> datetime:
    """A timestamp (text, or any datetime, naive read as UTC) as a plain ``datetime`` in UTC.

    Never pendulum's (Airflow's data intervals): pendulum.DateTime minus a timedelta comes out naive when its
    tzinfo is datetime.UTC, and comparing it with the ledger's aware bounds then fails.
    """
    moment = parse_timestamp(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
                    moment.microsecond, tzinfo=UTC)


def amazon_time(value: datetime) -> str:
    """A timestamp as SP-API requests take it: UTC, whole seconds, ``Z``."""
    return value.astimezone(UTC).strftime(AMAZON_FORMAT)


def odoo_datetime(value: datetime) -> str:
    """A timestamp as an Odoo datetime field takes it over RPC."""
    return value.astimezone(UTC).strftime(ODOO_FORMAT)
