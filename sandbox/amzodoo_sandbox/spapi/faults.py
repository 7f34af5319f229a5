"""Faults injected per operation: each fault fires for its next ``count`` requests, then is used up.

Kinds: ``5xx`` (option ``status``, default 503; ``html=True`` sends an HTML gateway page like a load balancer
does), ``latency`` (option ``seconds`` of real delay, default 0.5), ``drop`` (connection closed without a
response), ``429`` (throttled regardless of quota), ``truncate`` (the body, or the document behind a
getReportDocument / getFeedDocument URL, is cut short), ``fatal`` / ``cancelled`` (the report or feed created by
createReport / createFeed ends FATAL / CANCELLED) and ``feed_error`` (every message of the feed created next,
or those whose SKU is in option ``skus``, fails in the processing report). Option ``after=N`` lets the first N
matching requests through before the fault fires (e.g. a crash after the second report of a backfill).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

FAULT_KINDS = ("5xx", "latency", "drop", "429", "truncate", "fatal", "cancelled", "feed_error")


@dataclass
class Fault:
    operation: str
    kind: str
    remaining: int
    options: dict = field(default_factory=dict)


class FaultPlan:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def inject(self, operation: str, kind: str, count: int = 1, **options) -> Fault:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
        if count < 1:
            raise ValueError("fault count must be >= 1")
        fault = Fault(operation, kind, count, dict(options))
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, operation: str, kinds: tuple[str, ...] = FAULT_KINDS) -> Fault | None:
        """The next armed fault of one of ``kinds`` for ``operation``, consuming one of its uses."""
        with self._lock:
            for fault in self._faults:
                if fault.operation == operation and fault.kind in kinds and fault.remaining > 0:
                    if fault.options.get("after", 0) > 0:
                        fault.options["after"] -= 1
                        return None
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[dict]:
        with self._lock:
            return [
                {"operation": f.operation, "kind": f.kind, "remaining": f.remaining, "options": f.options}
                for f in self._faults
            ]
