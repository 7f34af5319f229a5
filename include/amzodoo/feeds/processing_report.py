"""Reading a JSON_LISTINGS_FEED processing report (listings-feed-processing-report-schema-v2). Pure: no IO.

A feed ends DONE even when messages fail, so the outcome of each SKU is only in the report: one issue per
problem with its ``messageId`` (and usually ``sku``). Issues without a messageId concern the whole feed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ACCEPTED = "accepted"
ERROR = "error"


@dataclass
class FeedOutcome:
    per_sku: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # sku -> (accepted|error, message)
    feed_errors: list[str] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    @property
    def failed(self) -> dict[str, str]:
        return {sku: message or "" for sku, (state, message) in self.per_sku.items() if state == ERROR}


def parse_processing_report(report: Mapping, messages: Mapping[int, tuple[str, int]], *,
                            fatal: bool = False) -> FeedOutcome:
    """Per-SKU outcome of a feed. ``messages`` maps messageId -> (sku, quantity) as the feed was built.

    Warnings do not stop a message. A FATAL feed (or one whose report only has feed-level errors and no
    summary of processed messages) applied nothing: every SKU is an error with the feed's reason.
    """
    outcome = FeedOutcome(summary=dict(report.get("summary") or {}))
    by_sku: dict[str, list[str]] = {}
    for issue in report.get("issues") or []:
        if str(issue.get("severity", "ERROR")).upper() != "ERROR":
            continue
        text = f"{issue.get('code', '?')}: {issue.get('message', '')}".strip()
        message_id = issue.get("messageId")
        sku = issue.get("sku") or (messages.get(message_id, (None, 0))[0] if message_id is not None else None)
        if message_id is None and not issue.get("sku"):
            outcome.feed_errors.append(text)
        elif sku:
            by_sku.setdefault(sku, []).append(text)
    processed = int(outcome.summary.get("messagesProcessed") or 0)
    nothing_applied = fatal or (outcome.feed_errors and processed == 0)
    for sku, _quantity in messages.values():
        if nothing_applied:
            reason = "; ".join(outcome.feed_errors) or "the feed ended FATAL"
            outcome.per_sku[sku] = (ERROR, f"feed not processed: {reason}")
        elif sku in by_sku:
            outcome.per_sku[sku] = (ERROR, "; ".join(by_sku[sku]))
        else:
            outcome.per_sku[sku] = (ACCEPTED, None)
    return outcome
