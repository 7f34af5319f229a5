"""The sandbox's simulated clock: follows wall time at ``scale`` and can be advanced explicitly.

Everything time-dependent in the sandbox (order lifecycles, report and feed processing, quota buckets, the
two-minute rule) reads this clock, so tests move time forward instead of sleeping.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class SimClock:
    """Simulated UTC time: ``start + (wall seconds elapsed) * scale + advanced seconds``."""

    def __init__(self, start: datetime | None = None, scale: float = 1.0) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("SimClock start must be timezone-aware (UTC)")
        self._lock = threading.Lock()
        self._base_sim = (start or datetime.now(UTC)).astimezone(UTC)
        self._base_real = time.monotonic()
        self._scale = float(scale)

    def now(self) -> datetime:
        with self._lock:
            return self._now_locked()

    def _now_locked(self) -> datetime:
        elapsed = (time.monotonic() - self._base_real) * self._scale
        return self._base_sim + timedelta(seconds=elapsed)

    def advance(self, seconds: float) -> datetime:
        """Move simulated time forward (never backward: orders and tokens must not un-happen)."""
        if seconds < 0:
            raise ValueError("the simulated clock only moves forward")
        with self._lock:
            self._base_sim = self._now_locked() + timedelta(seconds=seconds)
            self._base_real = time.monotonic()
            return self._base_sim

    @property
    def scale(self) -> float:
        return self._scale

    @scale.setter
    def scale(self, value: float) -> None:
        if value < 0:
            raise ValueError("clock scale must be >= 0")
        with self._lock:
            # Rebase first so the change applies from now on, not retroactively.
            self._base_sim = self._now_locked()
            self._base_real = time.monotonic()
            self._scale = float(value)
