"""Parsing of single payload values, each failure named by its field path (never by its value: it may be PII)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from amzodoo.timeutil import parse_timestamp
from amzodoo.transform.errors import TransformError

MAX_QUANTITY = 10_000  # more units on one line is a data error, not an order


def text(value: object) -> str | None:
    """A stripped string, None for missing or blank values."""
    if value is None:
        return None
    result = str(value).strip()
    return result or None


def amount(value: object, field: str, *, allow_blank: bool = False) -> Decimal:
    """An exact decimal amount; blank is zero only where Amazon leaves money columns empty."""
    if isinstance(value, bool):
        raise TransformError(field, "must be a decimal number")
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_blank:
            return Decimal(0)
        raise TransformError(field, "missing")
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise TransformError(field, "must be a decimal number") from None
    if not result.is_finite():
        raise TransformError(field, "must be a finite decimal number")
    return result


def money(obj: object, field: str, currency: str) -> Decimal:
    """An Orders 2026-01-01 Money object in the marketplace currency."""
    if not isinstance(obj, dict):
        raise TransformError(field, "missing")
    code = text(obj.get("currencyCode"))
    if code is None or code.upper() != currency:
        raise TransformError(f"{field}.currencyCode", f"must be the marketplace currency {currency}, got {code}")
    return amount(obj.get("amount"), f"{field}.amount")


def quantity(value: object, field: str) -> int:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise TransformError(field, f"must be a positive integer, got {value!r}")
    if value > MAX_QUANTITY:
        raise TransformError(field, f"must be at most {MAX_QUANTITY}, got {value}")
    return value


def timestamp(value: object, field: str) -> datetime:
    """An aware datetime; Amazon sends ISO 8601 with Z or an offset, a naive value is read as UTC."""
    raw = text(value)
    if raw is None:
        raise TransformError(field, "missing")
    try:
        return parse_timestamp(raw)
    except ValueError:
        raise TransformError(field, "must be an ISO 8601 date-time") from None
