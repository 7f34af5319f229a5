"""JSON_LISTINGS_FEED processing: schema validation per message (Amazon's v2 schemas, vendored in
``schemas/`` and checked against Amazon's schemas in the tests), listing changes, and the processing report.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path

from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from .catalog import Listing
from .listings import ListingIssue, apply_attributes, apply_patches

SCHEMA_DIR = Path(__file__).with_name("schemas")
FEED_SCHEMA = "listings-feed-schema-v2.json"
MESSAGE_SCHEMA = "listings-feed-message-schema-v2.json"
REPORT_SCHEMA = "listings-feed-processing-report-schema-v2.json"


@cache
def validator(name: str) -> Draft7Validator:
    return Draft7Validator(json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")))


def _header_errors(feed: object) -> list[str]:
    """Feed-level problems: the document without its messages must match the feed schema."""
    if not isinstance(feed, dict):
        return ["The feed document must be a JSON object with header and messages."]
    messages = feed.get("messages")
    shell = {
        **feed,
        "messages": [{"messageId": 1, "sku": "x", "operationType": "DELETE"}]
        if isinstance(messages, list) and messages
        else messages,
    }
    return [e.message for e in validator(FEED_SCHEMA).iter_errors(shell)]


def process_listings_feed(
    raw: bytes,
    *,
    seller_id: str,
    feed_id: str,
    listings: dict[str, Listing],
    now: datetime,
    failing_skus: set[str] | None = None,
    fail_all: bool = False,
) -> tuple[bool, dict]:
    """Apply a feed to ``listings``; returns (fatal, processing report)."""
    report: dict = {"header": {"sellerId": seller_id, "version": "2.0", "feedId": feed_id}, "issues": []}
    try:
        feed = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return True, _fatal(report, f"The feed document is not valid UTF-8 JSON: {exc.__class__.__name__}.")
    problems = _header_errors(feed)
    if problems:
        return True, _fatal(report, "The feed does not match the JSON_LISTINGS_FEED v2 schema: " + problems[0])
    if feed["header"]["sellerId"] != seller_id:
        return True, _fatal(report, "The sellerId in the feed header does not match the selling partner.")
    accepted = invalid = 0
    for index, message in enumerate(feed["messages"]):
        issue = _process_message(message, index, listings, now, failing_skus, fail_all)
        if issue is None:
            accepted += 1
        else:
            invalid += 1
            report["issues"].append(issue)
    report["summary"] = {
        "errors": len(report["issues"]),
        "warnings": 0,
        "messagesProcessed": accepted + invalid,
        "messagesAccepted": accepted,
        "messagesInvalid": invalid,
    }
    return False, report


def _fatal(report: dict, message: str) -> dict:
    report["issues"].append({"code": "100001", "severity": "ERROR", "message": message})
    report["summary"] = {
        "errors": 1,
        "warnings": 0,
        "messagesProcessed": 0,
        "messagesAccepted": 0,
        "messagesInvalid": 0,
    }
    return report


def _process_message(message, index, listings, now, failing_skus, fail_all) -> dict | None:
    message_id = message.get("messageId") if isinstance(message, dict) else None
    base: dict = {"messageId": message_id if isinstance(message_id, int) and message_id >= 1 else index + 1}
    sku = message.get("sku") if isinstance(message, dict) else None
    if isinstance(sku, str) and sku:
        base["sku"] = sku
    error = best_match(validator(MESSAGE_SCHEMA).iter_errors(message))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path)
        return {
            **base,
            "code": "100002",
            "severity": "ERROR",
            "message": f"Invalid message{(' at ' + where) if where else ''}: {error.message}",
        }
    if fail_all or (failing_skus and sku in failing_skus):
        return {
            **base,
            "code": "8001",
            "severity": "ERROR",
            "message": "An internal error occurred. Resubmit the message.",
        }
    try:
        operation = message["operationType"]
        if operation == "DELETE":
            if sku not in listings:
                raise ListingIssue("4000001", f"SKU {sku} does not exist for this seller.")
            del listings[sku]
        elif operation == "PATCH":
            apply_patches(listings.get(sku), sku, message["patches"], now, dry_run=True)
            apply_patches(listings[sku], sku, message["patches"], now)
        else:
            apply_attributes(listings.get(sku), sku, message["attributes"], now)
    except ListingIssue as issue:
        result = {**base, "code": issue.code, "severity": "ERROR", "message": issue.message}
        if issue.attribute:
            result["attributeName"] = issue.attribute
        return result
    return None
