"""JSON_LISTINGS_FEED builders: Amazon's v2 schemas (vendored in tests/contracts) accept what the connector sends."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft7Validator

from amzodoo.feeds.listings_feed import MAX_MESSAGES, build_feed, quantity_feeds, quantity_message
from tests.fixtures.contracts import SPAPI_FEED_SCHEMAS_DIR

SCHEMAS = SPAPI_FEED_SCHEMAS_DIR


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft7Validator]:
    return {name: Draft7Validator(json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8")))
            for name in ("listings-feed-schema-v2", "listings-feed-message-schema-v2")}


def _errors(validator: Draft7Validator, instance: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


def test_feed_and_messages_match_amazons_schemas(validators):
    (feed,) = quantity_feeds("A1NASANDBOX0001", {"SKU-B": 0, "SKU-A": 12, "Sku „ü“": 3})
    assert _errors(validators["listings-feed-schema-v2"], feed.document) == []
    for message in feed.document["messages"]:
        assert _errors(validators["listings-feed-message-schema-v2"], message) == []
    assert feed.document["header"] == {"sellerId": "A1NASANDBOX0001", "version": "2.0", "issueLocale": "en_US"}


def test_messages_patch_only_the_merchant_channel_quantity():
    assert quantity_message(7, "SKU-A", 5) == {
        "messageId": 7, "sku": "SKU-A", "operationType": "PATCH", "productType": "PRODUCT",
        "patches": [{"op": "replace", "path": "/attributes/fulfillment_availability",
                     "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 5}]}],
    }
    with pytest.raises(ValueError, match="SKU-A"):
        quantity_message(1, "SKU-A", -1)


def test_feeds_split_at_the_message_limit_and_rebuild_identically():
    quantities = {f"SKU-{i:05d}": i % 7 for i in range(12)}
    feeds = list(quantity_feeds("S", quantities, max_messages=5))
    assert [len(f.messages) for f in feeds] == [5, 5, 2]
    assert [m["messageId"] for m in feeds[2].document["messages"]] == [1, 2]
    assert {sku for f in feeds for sku, _ in f.messages.values()} == set(quantities)
    again = build_feed("S", {str(k): tuple(v) for k, v in feeds[1].messages.items()})
    assert again.encode() == feeds[1].encode()
    assert MAX_MESSAGES == 25_000


def test_utf8_bytes_and_seller_required():
    (feed,) = quantity_feeds("S", {"Mug „Guten Morgen“": 1})
    assert "„Guten Morgen“".encode() in feed.encode()
    with pytest.raises(ValueError, match="seller id"):
        list(quantity_feeds("", {"A": 1}))
