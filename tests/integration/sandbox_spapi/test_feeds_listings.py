import io
import json

import httpx
import pytest
from sp_api.api import Feeds, Inventories, ListingsItems, Sellers
from sp_api.base.exceptions import (
    SellingApiBadRequestException,
    SellingApiForbiddenException,
    SellingApiNotFoundException,
)

NA_SELLER = "A1NASANDBOX0001"
JSON_TYPE = "application/json; charset=UTF-8"


def _patch(message_id, sku, quantity):
    return {
        "messageId": message_id,
        "sku": sku,
        "operationType": "PATCH",
        "productType": "PRODUCT",
        "patches": [
            {
                "op": "replace",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": quantity}],
            }
        ],
    }


def _merchant_skus(sandbox, account="na_main"):
    return sorted(ls.sku for ls in sandbox.state.account(account).listings.values() if ls.merchant_fulfilled)


def _submit(client, messages, seller=NA_SELLER):
    body = json.dumps({"header": {"sellerId": seller, "version": "2.0", "issueLocale": "en_US"}, "messages": messages})
    document, feed = client.submit_feed("JSON_LISTINGS_FEED", io.BytesIO(body.encode()), content_type=JSON_TYPE)
    return document.payload["feedDocumentId"], feed.payload["feedId"]


def test_json_listings_feed_changes_quantities(spapi_sandbox, client_for):
    client = client_for(Feeds)
    first, second = _merchant_skus(spapi_sandbox)[:2]
    _, feed_id = _submit(
        client, [_patch(1, first, 17), _patch(2, second, 0), _patch(3, "NOT-A-SKU", 1), {"messageId": 4, "sku": first}]
    )
    assert client.get_feed(feed_id).payload["processingStatus"] == "IN_QUEUE"
    spapi_sandbox.clock.advance(90)
    feed = client.get_feed(feed_id).payload
    assert feed["processingStatus"] == "DONE"
    assert spapi_sandbox.listing_quantity("na_main", first) == 17
    assert spapi_sandbox.listing_quantity("na_main", second) == 0
    report = json.loads(client.get_feed_result_document(feed["resultFeedDocumentId"]))
    assert report["summary"]["messagesAccepted"] == 2 and report["summary"]["messagesInvalid"] == 2
    assert {i["messageId"] for i in report["issues"]} == {3, 4}
    listing = client_for(ListingsItems, version="2021-08-01").get_listings_item(
        NA_SELLER, first, includedData=["fulfillmentAvailability"]
    )
    assert listing.payload["fulfillmentAvailability"][0] == {"fulfillmentChannelCode": "DEFAULT", "quantity": 17}


def test_feed_faults(spapi_sandbox, client_for):
    client = client_for(Feeds)
    sku = _merchant_skus(spapi_sandbox)[0]
    before = spapi_sandbox.listing_quantity("na_main", sku)
    spapi_sandbox.inject_fault("feeds.createFeed", "feed_error")
    _, failing = _submit(client, [_patch(1, sku, 99)])
    spapi_sandbox.inject_fault("feeds.createFeed", "fatal")
    _, fatal = _submit(client, [_patch(1, sku, 98)])
    spapi_sandbox.clock.advance(90)
    result = client.get_feed(failing).payload
    assert result["processingStatus"] == "DONE"
    assert (
        json.loads(client.get_feed_result_document(result["resultFeedDocumentId"]))["summary"]["messagesInvalid"] == 1
    )
    assert client.get_feed(fatal).payload["processingStatus"] == "FATAL"
    assert spapi_sandbox.listing_quantity("na_main", sku) == before


def test_upload_must_use_the_signed_content_type(spapi_sandbox, client_for):
    client = client_for(Feeds)
    document = client.create_feed_document(None, JSON_TYPE).payload
    wrong = httpx.put(document["url"], content=b"{}", headers={"Content-Type": "text/plain"})
    assert wrong.status_code == 403 and b"SignatureDoesNotMatch" in wrong.content
    assert httpx.put(document["url"], content=b"{}", headers={"Content-Type": JSON_TYPE}).status_code == 200


def test_listings_get_patch_search(spapi_sandbox, client_for):
    client = client_for(ListingsItems, version="2021-08-01")
    sku = _merchant_skus(spapi_sandbox)[0]
    body = {
        "productType": "PRODUCT",
        "patches": [
            {
                "op": "replace",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 5}],
            }
        ],
    }
    before = spapi_sandbox.listing_quantity("na_main", sku)
    body["patches"][0]["value"][0]["quantity"] = before + 1
    preview = client.patch_listings_item(NA_SELLER, sku, body=body, mode="VALIDATION_PREVIEW").payload
    assert preview["status"] == "VALID" and spapi_sandbox.listing_quantity("na_main", sku) == before
    body["patches"][0]["value"][0]["quantity"] = 5
    accepted = client.patch_listings_item(NA_SELLER, sku, body=body).payload
    assert accepted["status"] == "ACCEPTED" and spapi_sandbox.listing_quantity("na_main", sku) == 5
    body["patches"][0]["value"][0]["quantity"] = -3
    assert client.patch_listings_item(NA_SELLER, sku, body=body).payload["status"] == "INVALID"
    with pytest.raises(SellingApiNotFoundException):
        client.get_listings_item(NA_SELLER, "NO-SUCH-SKU")
    with pytest.raises(SellingApiForbiddenException):
        client.get_listings_item("A1EUSANDBOX0001", sku)
    both = next(ls for ls in spapi_sandbox.state.account("na_main").listings.values() if ls.channel == "BOTH")
    item = client.get_listings_item(
        NA_SELLER, both.sku, includedData=["summaries", "fulfillmentAvailability", "offers"]
    ).payload
    assert {a["fulfillmentChannelCode"] for a in item["fulfillmentAvailability"]} == {"DEFAULT", "AMAZON_NA"}
    first_page = client.search_listings_items(NA_SELLER, pageSize=5)
    page = first_page.payload
    assert page["numberOfResults"] == len(spapi_sandbox.state.account("na_main").listings) and len(page["items"]) == 5
    rest = client.search_listings_items(NA_SELLER, pageSize=5, pageToken=first_page.next_token).payload
    assert {i["sku"] for i in rest["items"]}.isdisjoint(i["sku"] for i in page["items"])
    found = client.search_listings_items(NA_SELLER, identifiers=[sku], identifiersType="SKU").payload
    assert [i["sku"] for i in found["items"]] == [sku]


def test_fba_inventory_and_participations(spapi_sandbox, client_for):
    spapi_sandbox.set_fba_inventory("eu_main", "EUMAIN-002-FBA", 123)
    inventory = client_for(Inventories, "eu_main", "FR").get_inventory_summary_marketplace(details=True)
    summaries = {s["sellerSku"]: s for s in inventory.payload["inventorySummaries"]}
    assert summaries["EUMAIN-002-FBA"]["totalQuantity"] == 123
    assert summaries["EUMAIN-002-FBA"]["inventoryDetails"]["fulfillableQuantity"] == 123
    assert set(summaries) == set(spapi_sandbox.fba_inventory("eu_main"))
    participations = client_for(Sellers, "eu_main", "DE").get_marketplace_participation().payload
    assert [p["marketplace"]["countryCode"] for p in participations] == ["DE", "FR", "GB", "IT", "ES", "NL"]
    assert {p["marketplace"]["defaultCurrencyCode"] for p in participations} == {"EUR", "GBP"}


def test_feed_without_upload_is_fatal_and_queued_feeds_can_be_cancelled(spapi_sandbox, client_for):
    client = client_for(Feeds)
    document = client.create_feed_document(None, JSON_TYPE).payload["feedDocumentId"]
    never_uploaded = client.create_feed("JSON_LISTINGS_FEED", document).payload["feedId"]
    _, cancelled = _submit(client, [_patch(1, _merchant_skus(spapi_sandbox)[0], 1)])
    client.cancel_feed(cancelled)
    spapi_sandbox.clock.advance(90)
    feed = client.get_feed(never_uploaded).payload
    assert feed["processingStatus"] == "FATAL"
    report = json.loads(client.get_feed_result_document(feed["resultFeedDocumentId"]))
    assert "never uploaded" in report["issues"][0]["message"]
    assert client.get_feed(cancelled).payload["processingStatus"] == "CANCELLED"
    with pytest.raises(SellingApiBadRequestException) as caught:
        client.create_feed("POST_FLAT_FILE_INVLOADER_DATA", document)
    assert "JSON_LISTINGS_FEED" in caught.value.error[0]["details"]
