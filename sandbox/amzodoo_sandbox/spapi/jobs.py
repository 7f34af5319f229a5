"""Asynchronous report and feed processing on the simulated clock: IN_QUEUE -> IN_PROGRESS -> outcome.

Results are produced once, the first time anyone looks after the processing end (an API call or an
in-process helper), from the sandbox's state as of the processing end time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .timefmt import iso

QUEUE_SECONDS = 20
PROCESSING_SECONDS = 40


@dataclass
class Job:
    job_id: str
    account: str
    kind: str  # report type or feed type
    marketplace_ids: list[str]
    created: datetime
    outcome: str = "DONE"  # DONE, FATAL or CANCELLED once processing ends
    cancelled_at: datetime | None = None
    document_id: str | None = None
    settled: bool = False
    data_start: datetime | None = None
    data_end: datetime | None = None
    options: dict = field(default_factory=dict)
    queue_seconds: float = QUEUE_SECONDS
    processing_seconds: float = PROCESSING_SECONDS

    @property
    def started(self) -> datetime:
        return self.created + timedelta(seconds=self.queue_seconds)

    @property
    def ended(self) -> datetime:
        return self.started + timedelta(seconds=self.processing_seconds)

    def status(self, at: datetime) -> str:
        if self.cancelled_at is not None and self.cancelled_at <= at:
            return "CANCELLED"
        if at < self.started:
            return "IN_QUEUE"
        if at < self.ended:
            return "IN_PROGRESS"
        return self.outcome

    def due(self, at: datetime) -> bool:
        return not self.settled and self.cancelled_at is None and at >= self.ended

    def times(self, at: datetime) -> dict:
        values = {"createdTime": iso(self.created)}
        status = self.status(at)
        if status != "IN_QUEUE" and self.cancelled_at is None:
            values["processingStartTime"] = iso(self.started)
        if status in ("DONE", "FATAL", "CANCELLED"):
            values["processingEndTime"] = iso(self.cancelled_at or self.ended)
        return values
