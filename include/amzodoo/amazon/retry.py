"""Retrying SP-API calls: 429 waits by the usage plan, 5xx and network errors back off exponentially."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx
from sp_api.base.exceptions import SellingApiException
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from amzodoo.amazon.errors import SpApiError

T = TypeVar("T")

RETRYABLE_STATUSES = {429, 500, 502, 503, 504}


def _header(headers: object, name: str) -> str | None:
    if not headers:
        return None
    getter = getattr(headers, "get", None)
    if getter is None:
        return None
    return getter(name) or getter(name.lower())


def rate_limit_of(exc: BaseException) -> float | None:
    """The x-amzn-RateLimit-Limit (requests per second) an error response carried, if any."""
    if isinstance(exc, SpApiError) and exc.rate_limit:
        return exc.rate_limit
    raw = _header(getattr(exc, "headers", None), "x-amzn-RateLimit-Limit")
    try:
        return float(raw) if raw else None
    except ValueError:
        return None


def status_of(exc: BaseException) -> int | None:
    if isinstance(exc, SpApiError):
        return exc.status
    if isinstance(exc, SellingApiException):
        return getattr(exc, "code", None)
    return None


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError):  # timeouts, refused and dropped connections
        return True
    if isinstance(exc, SpApiError):
        return exc.retryable
    return status_of(exc) in RETRYABLE_STATUSES


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 300.0
    sleep: Callable[[float], None] = time.sleep

    def delay_for(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        backoff = min(self.max_delay, self.base_delay * 2 ** (state.attempt_number - 1))
        backoff *= 0.5 + random.random() / 2  # jitter, so parallel workers do not retry in lockstep
        if exc is not None and status_of(exc) == 429:
            limit = rate_limit_of(exc)
            if limit:
                # One request's worth of refill is the earliest a retry can succeed.
                return min(self.max_delay, max(backoff, 1.0 / limit))
        return backoff

    def run(self, fn: Callable[[], T]) -> T:
        retrying = Retrying(
            retry=retry_if_exception(is_retryable),
            stop=stop_after_attempt(self.attempts),
            wait=self.delay_for,
            sleep=self.sleep,
            reraise=True,
        )
        return retrying(fn)
