import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from amzodoo_sandbox.spapi.catalog import Listing
from amzodoo_sandbox.spapi.feeds import MESSAGE_SCHEMA, REPORT_SCHEMA, SCHEMA_DIR, process_listings_feed

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def _listings() -> dict[str, Listing]:
    def listing(sku, channel, qty):
        return Listing(sku, "B000000001", "X000000001", "Mug", "DRINKING_CUP", channel, 10, NOW, NOW, qty, ("US",))

    return {
        "MUG-1": listing("MUG-1", "MFN", 5),
        "MUG-FBA": listing("MUG-FBA", "AFN", None),
        "MUG-2": listing("MUG-2", "BOTH", 1),
    }


def _patch(message_id, sku, quantity, channel="DEFAULT"):
    return {
        "messageId": message_id,
        "sku": sku,
        "operationType": "PATCH",
        "productType": "PRODUCT",
        "patches": [
            {
                "op": "replace",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": channel, "quantity": quantity}],
            }
        ],
    }


def _feed(*messages, seller="A1NASANDBOX0001"):
    return json.dumps({"header": {"sellerId": seller, "version": "2.0"}, "messages": list(messages)}).encode()


def _run(raw, listings=None, **kwargs):
    listings = listings if listings is not None else _listings()
    fatal, report = process_listings_feed(
        raw, seller_id="A1NASANDBOX0001", feed_id="1", listings=listings, now=NOW, **kwargs
    )
    Draft7Validator(json.loads((SCHEMA_DIR / REPORT_SCHEMA).read_text())).validate(report)
    return fatal, report, listings


def test_valid_patch_changes_quantities():
    fatal, report, listings = _run(_feed(_patch(1, "MUG-1", 42), _patch(2, "MUG-2", 0)))
    assert not fatal and report["issues"] == []
    assert report["summary"]["messagesAccepted"] == 2
    assert listings["MUG-1"].merchant_quantity == 42 and listings["MUG-2"].merchant_quantity == 0


def test_invalid_messages_get_their_own_errors():
    bad_shape = {"messageId": 3, "sku": "MUG-1", "operationType": "PATCH"}  # PATCH needs productType and patches
    fatal, report, listings = _run(
        _feed(
            _patch(1, "MUG-1", 7),
            _patch(2, "NOPE", 1),
            bad_shape,
            _patch(4, "MUG-1", -1),
            _patch(5, "MUG-FBA", 3, "AMAZON_NA"),
        )
    )
    assert not fatal
    assert {i["messageId"] for i in report["issues"]} == {2, 3, 4, 5}
    assert report["summary"] == {
        "errors": 4,
        "warnings": 0,
        "messagesProcessed": 5,
        "messagesAccepted": 1,
        "messagesInvalid": 4,
    }
    assert listings["MUG-1"].merchant_quantity == 7


def test_broken_documents_are_fatal():
    assert _run(b"{not json")[0]
    assert _run(_feed(_patch(1, "MUG-1", 1), seller="SOMEONE-ELSE"))[0]
    assert _run(json.dumps({"header": {"sellerId": "A1NASANDBOX0001", "version": "1.0"}, "messages": []}).encode())[0]


def test_feed_error_fault_fails_chosen_messages():
    fatal, report, listings = _run(_feed(_patch(1, "MUG-1", 9), _patch(2, "MUG-2", 9)), failing_skus={"MUG-2"})
    assert not fatal
    assert [i["sku"] for i in report["issues"]] == ["MUG-2"]
    assert listings["MUG-1"].merchant_quantity == 9 and listings["MUG-2"].merchant_quantity == 1


def test_delete_and_partial_update():
    partial = {
        "messageId": 1,
        "sku": "MUG-1",
        "operationType": "PARTIAL_UPDATE",
        "productType": "PRODUCT",
        "attributes": {"fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": 3}]},
    }
    delete = {"messageId": 2, "sku": "MUG-2", "operationType": "DELETE"}
    _, report, listings = _run(_feed(partial, delete))
    assert report["issues"] == [] and listings["MUG-1"].merchant_quantity == 3 and "MUG-2" not in listings


@pytest.mark.parametrize("name", ["listings-feed-schema-v2.json", MESSAGE_SCHEMA, REPORT_SCHEMA])
def test_vendored_schemas_are_amazons(spapi_contract, name):
    assert json.loads(Path(SCHEMA_DIR / name).read_text()) == spapi_contract.feed_schema(name)
