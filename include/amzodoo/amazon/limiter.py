"""Client-side token buckets that keep the connector inside Amazon's usage plans.

Amazon counts requests per seller account across marketplaces, so every task of one account must draw from the
same buckets. ``TokenBucketLimiter`` does that inside one process; the staging store provides a cross-process
limiter with the same interface for DAGs that run in parallel on several workers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

from amzodoo.amazon.usage_plans import USAGE_PLANS, UsagePlan


class Limiter(Protocol):
    def acquire(self, operation: str) -> float:
        """Block until ``operation`` may be called; return the seconds waited."""

    def ready_in(self, operation: str) -> float:
        """Seconds until ``operation`` could be called without waiting (0 now); takes nothing."""


class NoLimiter:
    def acquire(self, operation: str) -> float:
        return 0.0

    def ready_in(self, operation: str) -> float:
        return 0.0


class TokenBucketLimiter:
    def __init__(
        self,
        plans: dict[str, UsagePlan] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._plans = plans or USAGE_PLANS
        self._clock = clock
        self._sleep = sleep
        self._state: dict[str, tuple[float, float]] = {}  # operation -> (tokens, at)
        self._lock = threading.Lock()

    def _reserve(self, operation: str) -> float:
        """Take a token now or book the next one; return how long the caller must wait for it."""
        plan = self._plans.get(operation)
        if plan is None:
            return 0.0
        with self._lock:
            now = self._clock()
            tokens, at = self._state.get(operation, (float(plan.burst), now))
            tokens = min(float(plan.burst), tokens + (now - at) * plan.rate) - 1.0
            self._state[operation] = (tokens, now)
        return 0.0 if tokens >= 0 else -tokens / plan.rate

    def ready_in(self, operation: str) -> float:
        plan = self._plans.get(operation)
        if plan is None:
            return 0.0
        with self._lock:
            now = self._clock()
            tokens, at = self._state.get(operation, (float(plan.burst), now))
        tokens = min(float(plan.burst), tokens + (now - at) * plan.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / plan.rate

    def acquire(self, operation: str) -> float:
        wait = self._reserve(operation)
        if wait > 0:
            self._sleep(wait)
        return wait
