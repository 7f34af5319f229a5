"""Calls of a quick operation made while a slow operation's quota refills.

The report path reads FBM recipients with searchOrders (one page per 180 s once its burst is spent) and the
FBA business buyers' company names with getOrder (one order per 2 s). Made one after the other, the getOrder
waits add to the searchOrders waits; made in the searchOrders gaps they cost no extra time. One thread
interleaves them, so the limiter's waits (and a benchmark's simulated clock) stay exact.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from amzodoo.amazon.limiter import Limiter

T = TypeVar("T")


class SideCalls(Generic[T]):
    def __init__(self, limiter: Limiter, operation: str, call: Callable[[T], None]) -> None:
        self.limiter = limiter
        self.operation = operation
        self.call = call
        self.pending: deque[T] = deque()
        self.done = 0

    def add(self, items: Iterable[T]) -> None:
        self.pending.extend(items)

    def while_waiting_for(self, slow_operation: str) -> None:
        """Make pending calls as long as ``slow_operation`` would still be waiting when the next one is done."""
        while self.pending and self.limiter.ready_in(slow_operation) > self.limiter.ready_in(self.operation):
            self._next()

    def drain(self) -> None:
        while self.pending:
            self._next()

    def _next(self) -> None:
        self.call(self.pending.popleft())
        self.done += 1
