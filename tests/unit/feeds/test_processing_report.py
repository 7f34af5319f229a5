"""Processing reports of JSON_LISTINGS_FEED: per-SKU outcomes, warnings, feed-level failures."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft7Validator

from amzodoo.feeds.processing_report import ACCEPTED, ERROR, parse_processing_report
from tests.fixtures.contracts import SPAPI_FEED_SCHEMAS_DIR

SCHEMAS = SPAPI_FEED_SCHEMAS_DIR
MESSAGES = {1: ("SKU-A", 5), 2: ("SKU-B", 0), 3: ("SKU-C", 9)}


def test_issues_map_to_skus_by_message_id_and_warnings_do_not_fail():
    report = {
        "header": {"sellerId": "S", "version": "2.0", "feedId": "1"},
        "issues": [
            {"messageId": 2, "code": "4000004", "severity": "ERROR", "message": "managed by Amazon"},
            {"messageId": 3, "sku": "SKU-C", "code": "90220", "severity": "WARNING", "message": "just a warning"},
        ],
        "summary": {"errors": 1, "warnings": 1, "messagesProcessed": 3, "messagesAccepted": 2, "messagesInvalid": 1},
    }
    outcome = parse_processing_report(report, MESSAGES)
    assert outcome.per_sku == {"SKU-A": (ACCEPTED, None), "SKU-B": (ERROR, "4000004: managed by Amazon"),
                               "SKU-C": (ACCEPTED, None)}
    assert outcome.failed == {"SKU-B": "4000004: managed by Amazon"}


def test_fatal_feed_fails_every_sku_with_the_feed_reason():
    report = {"header": {"sellerId": "S", "version": "2.0", "feedId": "1"},
              "issues": [{"code": "100001", "severity": "ERROR", "message": "The feed could not be processed."}],
              "summary": {"errors": 1, "warnings": 0, "messagesProcessed": 0, "messagesAccepted": 0,
                          "messagesInvalid": 0}}
    outcome = parse_processing_report(report, MESSAGES, fatal=True)
    assert set(outcome.failed) == {"SKU-A", "SKU-B", "SKU-C"}
    assert "could not be processed" in outcome.failed["SKU-A"]
    assert outcome.feed_errors == ["100001: The feed could not be processed."]


def test_amazons_example_report_is_read():
    example = SCHEMAS / "listings-feed-processing-report-schema-v2.example.json"
    if not example.is_file():
        pytest.skip(f"Amazon's example report is not available at {example}")
    report = json.loads(example.read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS / "listings-feed-processing-report-schema-v2.json").read_text(encoding="utf-8"))
    assert list(Draft7Validator(schema).iter_errors(report)) == []
    outcome = parse_processing_report(report, {4: ("My-SKU-B", 1), 5: ("My-SKU-C", 1), 6: ("My-SKU-D", 1)})
    assert set(outcome.failed) == {"My-SKU-B", "My-SKU-C"} and outcome.per_sku["My-SKU-D"][0] == ACCEPTED
    assert outcome.failed["My-SKU-B"].count("90220") == 2
