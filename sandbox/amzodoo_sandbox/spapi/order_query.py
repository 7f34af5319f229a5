"""Shared rules of the order searches: time windows with Amazon's two-minute rule, filters, pagination tokens."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import invalid_input
from .models import OrderRecord
from .state import SandboxState
from .timefmt import parse_iso

MIN_AGE = timedelta(minutes=2)


@dataclass
class Window:
    by_update: bool
    after: datetime
    before: datetime


def parse_time(name: str, value: str) -> datetime:
    try:
        return parse_iso(value)
    except ValueError:
        raise invalid_input(f"{name} is not a valid ISO 8601 date-time: {value!r}") from None


def window(
    now: datetime,
    created_after: str | None,
    created_before: str | None,
    updated_after: str | None,
    updated_before: str | None,
    names: tuple[str, str, str, str],
) -> Window:
    """The searched window; before-bounds must be at least two minutes old and default to now - 2 min."""
    ca, cb, ua, ub = names
    if bool(created_after) == bool(updated_after):
        raise invalid_input(f"Exactly one of {ca} or {ua} must be specified.")
    if created_after and updated_before:
        raise invalid_input(f"{ub} can only be used together with {ua}.")
    if updated_after and created_before:
        raise invalid_input(f"{cb} can only be used together with {ca}.")
    by_update = bool(updated_after)
    after_name, before_name = (ua, ub) if by_update else (ca, cb)
    after = parse_time(after_name, updated_after or created_after or "")
    limit = now - MIN_AGE
    raw_before = updated_before if by_update else created_before
    before = parse_time(before_name, raw_before) if raw_before else limit
    if before > limit:
        raise invalid_input(f"{before_name} must be a date at least two minutes before the time of the request.")
    if after >= before:
        raise invalid_input(f"{after_name} must be before {before_name} (or before two minutes ago).")
    return Window(by_update, after, before)


def in_window(order: OrderRecord, win: Window, now: datetime) -> bool:
    if win.by_update:
        # Like Amazon, the filter reads the order's current last update: an order changed again after the
        # window's end drops out of this window and shows up in the next one.
        return win.after <= order.last_updated_at(now) <= win.before
    return win.after <= order.created <= win.before


def sort_key(order: OrderRecord, win: Window, now: datetime) -> tuple:
    stamp = order.last_updated_at(now) if win.by_update else order.created
    return (stamp, order.order_id)


def fingerprint(query: dict[str, list[str]], token_name: str) -> str:
    relevant = {k: sorted(v) for k, v in query.items() if k != token_name}
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()


def store_page_token(state: SandboxState, account: str, fp: str, offset: int, before: datetime) -> str:
    token = secrets.token_urlsafe(24)
    with state.lock:
        state.pagination[token] = {"account": account, "fingerprint": fp, "offset": offset, "before": before}
    return token


def load_page_token(state: SandboxState, account: str, token: str, fp: str | None, name: str) -> dict:
    with state.lock:
        entry = state.pagination.get(token)
    if entry is None or entry["account"] != account:
        raise invalid_input(f"Invalid {name}.", "The token is unknown or expired.")
    if fp is not None and entry["fingerprint"] != fp:
        raise invalid_input(
            f"Invalid {name}.", "A pagination token is only valid with the same parameters as the first request."
        )
    return entry
