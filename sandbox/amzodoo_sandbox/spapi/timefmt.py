"""Amazon's timestamp formats and parsing of the ISO 8601 strings clients send."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(value: datetime) -> str:
    """2026-01-01 and report APIs: ``2025-03-10T14:00:00Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_offset(value: datetime) -> str:
    """Flat-file reports: ISO 8601 with an explicit offset."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def parse_iso(value: str) -> datetime:
    """Parse an ISO 8601 timestamp; naive values are taken as UTC, as Amazon does."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
