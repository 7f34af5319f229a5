"""Every response of every operation, over many generated orders, against Amazon's models (tests/contracts)."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta

import pytest
from jsonschema import Draft7Validator

from amzodoo_sandbox.spapi import SpApiSandbox
from tests.fixtures.spapi import RawSpApi

MARKETPLACE_IDS = {
    "na_main": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"],
    "eu_main": [
        "A1PA6795UKMFR9",
        "A13V1IB3VIYZZH",
        "A1F83G8C2ARO7P",
        "APJ6JRA9NG5V4",
        "A1RKKUPIHCS9HS",
        "A1805IZSGTT6HS",
    ],
}
SELLER_IDS = {"na_main": "A1NASANDBOX0001", "eu_main": "A1EUSANDBOX0001"}
ALL_INCLUDED = "BUYER,RECIPIENT,PROCEEDS,EXPENSE,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES,TAX"


@pytest.fixture(scope="module")
def big_sandbox():
    sandbox = SpApiSandbox(seed=11, orders_per_marketplace=45, history_days=4, enforce_quotas=False)
    sandbox.start()
    # Let part of the future flow arrive and lifecycles move on.
    sandbox.clock.advance(6 * 3600)
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="module")
def raw(big_sandbox):
    clients = {
        name: RawSpApi(big_sandbox.url, data.account.refresh_token) for name, data in big_sandbox.state.accounts.items()
    }
    yield clients
    for client in clients.values():
        client.close()


def _ok(response, status=200):
    assert response.status_code == status, response.text[:500]
    assert response.headers["x-amzn-RateLimit-Limit"]
    return response.json() if response.content else None


def _since(sandbox, days=10):
    return (sandbox.clock.now() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("account", ["na_main", "eu_main"])
def test_orders_2026_and_v0_responses(spapi_contract, big_sandbox, raw, account):
    client = raw[account]
    params = {
        "createdAfter": _since(big_sandbox),
        "includedData": ALL_INCLUDED,
        "maxResultsPerPage": 50,
        "marketplaceIds": ",".join(MARKETPLACE_IDS[account]),
    }
    orders = []
    while True:
        body = _ok(client.request("GET", "/orders/2026-01-01/orders", params=params))
        spapi_contract.check("orders", "SearchOrdersResponse", body)
        orders += body["orders"]
        if "pagination" not in body:
            break
        params["paginationToken"] = body["pagination"]["nextToken"]
    assert len(orders) >= 45 * len(MARKETPLACE_IDS[account])
    statuses = {o["fulfillment"]["fulfillmentStatus"] for o in orders}
    assert {"PENDING", "UNSHIPPED", "SHIPPED", "CANCELLED"} <= statuses
    for order in orders:
        order_id = order["orderId"]
        spapi_contract.check(
            "orders",
            "GetOrderResponse",
            _ok(client.request("GET", f"/orders/2026-01-01/orders/{order_id}", params={"includedData": ALL_INCLUDED})),
        )
        spapi_contract.check(
            "ordersV0", "GetOrderResponse", _ok(client.request("GET", f"/orders/v0/orders/{order_id}"))
        )
        spapi_contract.check(
            "ordersV0", "GetOrderItemsResponse", _ok(client.request("GET", f"/orders/v0/orders/{order_id}/orderItems"))
        )
        spapi_contract.check(
            "ordersV0", "GetOrderAddressResponse", _ok(client.request("GET", f"/orders/v0/orders/{order_id}/address"))
        )
        spapi_contract.check(
            "ordersV0",
            "GetOrderBuyerInfoResponse",
            _ok(client.request("GET", f"/orders/v0/orders/{order_id}/buyerInfo")),
        )
    v0_params = {
        "LastUpdatedAfter": _since(big_sandbox),
        "MarketplaceIds": ",".join(MARKETPLACE_IDS[account]),
        "MaxResultsPerPage": 100,
    }
    body = _ok(client.request("GET", "/orders/v0/orders", params=v0_params))
    spapi_contract.check("ordersV0", "GetOrdersResponse", body)
    if "NextToken" in body["payload"]:
        more = _ok(
            client.request(
                "GET",
                "/orders/v0/orders",
                params={"NextToken": body["payload"]["NextToken"], "MarketplaceIds": v0_params["MarketplaceIds"]},
            )
        )
        spapi_contract.check("ordersV0", "GetOrdersResponse", more)


def test_error_responses(spapi_contract, big_sandbox, raw):
    client = raw["na_main"]
    bad = client.request("GET", "/orders/2026-01-01/orders", params={"createdAfter": "yesterday"})
    assert bad.status_code == 400
    spapi_contract.check("orders", "ErrorList", bad.json())
    missing = client.request("GET", "/orders/2026-01-01/orders/111-0000000-0000000")
    assert missing.status_code == 404
    spapi_contract.check("orders", "ErrorList", missing.json())
    spapi_contract.check(
        "ordersV0", "GetOrderResponse", client.request("GET", "/orders/v0/orders/111-0000000-0000000").json()
    )
    refused = client.request(
        "POST", "/orders/v0/orders/111-0000000-0000000/shipmentConfirmation", json={"marketplaceId": "ATVPDKIKX0DER"}
    )
    assert refused.status_code == 404
    spapi_contract.check("ordersV0", "ConfirmShipmentErrorResponse", refused.json())
    big_sandbox.inject_fault("reports.createReport", "429")
    throttled = client.request(
        "POST",
        "/reports/2021-06-30/reports",
        json={"reportType": "GET_MERCHANT_LISTINGS_ALL_DATA", "marketplaceIds": ["ATVPDKIKX0DER"]},
    )
    assert throttled.status_code == 429
    spapi_contract.check("reports", "ErrorList", throttled.json())
    forbidden = client.request(
        "GET", "/listings/2021-08-01/items/A1EUSANDBOX0001/X", params={"marketplaceIds": "ATVPDKIKX0DER"}
    )
    assert forbidden.status_code == 403
    spapi_contract.check("listings", "ErrorList", forbidden.json())
    spapi_contract.check("feeds", "ErrorList", client.request("GET", "/feeds/2021-06-30/feeds/1").json())
    spapi_contract.check("sellers", "GetMarketplaceParticipationsResponse", {"errors": [{"code": "x", "message": "y"}]})


def test_reports_feeds_listings_inventory_sellers(spapi_contract, big_sandbox, raw):
    client = raw["eu_main"]
    report_ids = []
    for report_type in (
        "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL",
        "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
        "GET_MERCHANT_LISTINGS_ALL_DATA",
        "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA",
    ):
        created = _ok(
            client.request(
                "POST",
                "/reports/2021-06-30/reports",
                json={"reportType": report_type, "marketplaceIds": ["A1PA6795UKMFR9"]},
            ),
            202,
        )
        spapi_contract.check("reports", "CreateReportResponse", created)
        report_ids.append(created["reportId"])
    spapi_contract.check(
        "reports", "Report", _ok(client.request("GET", f"/reports/2021-06-30/reports/{report_ids[0]}"))
    )
    big_sandbox.clock.advance(90)
    for report_id in report_ids:
        report = _ok(client.request("GET", f"/reports/2021-06-30/reports/{report_id}"))
        spapi_contract.check("reports", "Report", report)
        document = _ok(client.request("GET", f"/reports/2021-06-30/documents/{report['reportDocumentId']}"))
        spapi_contract.check("reports", "ReportDocument", document)

    skus = sorted(ls.sku for ls in big_sandbox.state.account("eu_main").listings.values() if ls.merchant_fulfilled)
    spec = _ok(
        client.request("POST", "/feeds/2021-06-30/documents", json={"contentType": "application/json; charset=UTF-8"}),
        201,
    )
    spapi_contract.check("feeds", "CreateFeedDocumentResponse", spec)
    messages = [
        {
            "messageId": i + 1,
            "sku": sku,
            "operationType": "PATCH",
            "productType": "PRODUCT",
            "patches": [
                {
                    "op": "replace",
                    "path": "/attributes/fulfillment_availability",
                    "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": i}],
                }
            ],
        }
        for i, sku in enumerate(skus)
    ]
    messages.append({"messageId": 99, "sku": "BAD", "operationType": "UPDATE"})
    feed_document = {"header": {"sellerId": SELLER_IDS["eu_main"], "version": "2.0"}, "messages": messages}
    Draft7Validator(spapi_contract.feed_schema("listings-feed-schema-v2.json")).iter_errors(feed_document)
    client.client.put(
        spec["url"],
        content=json.dumps(feed_document).encode(),
        headers={"Content-Type": "application/json; charset=UTF-8"},
    ).raise_for_status()
    feed = _ok(
        client.request(
            "POST",
            "/feeds/2021-06-30/feeds",
            json={
                "feedType": "JSON_LISTINGS_FEED",
                "marketplaceIds": ["A1PA6795UKMFR9"],
                "inputFeedDocumentId": spec["feedDocumentId"],
            },
        ),
        202,
    )
    spapi_contract.check("feeds", "CreateFeedResponse", feed)
    big_sandbox.clock.advance(90)
    status = _ok(client.request("GET", f"/feeds/2021-06-30/feeds/{feed['feedId']}"))
    spapi_contract.check("feeds", "Feed", status)
    result = _ok(client.request("GET", f"/feeds/2021-06-30/documents/{status['resultFeedDocumentId']}"))
    spapi_contract.check("feeds", "FeedDocument", result)
    processing_report = client.client.get(result["url"]).json()
    Draft7Validator(spapi_contract.feed_schema("listings-feed-processing-report-schema-v2.json")).validate(
        processing_report
    )
    assert processing_report["summary"]["messagesInvalid"] == 1

    for sku in big_sandbox.state.account("eu_main").listings:
        item = _ok(
            client.request(
                "GET",
                f"/listings/2021-08-01/items/{SELLER_IDS['eu_main']}/{sku}",
                params={
                    "marketplaceIds": "A1PA6795UKMFR9",
                    "includedData": "summaries,attributes,issues,offers,fulfillmentAvailability,productTypes",
                },
            )
        )
        spapi_contract.check("listings", "Item", item)
    search = _ok(
        client.request(
            "GET",
            f"/listings/2021-08-01/items/{SELLER_IDS['eu_main']}",
            params={"marketplaceIds": "A1PA6795UKMFR9", "pageSize": 20},
        )
    )
    spapi_contract.check("listings", "ItemSearchResults", search)
    patch = {
        "productType": "PRODUCT",
        "patches": [
            {
                "op": "replace",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 4}],
            }
        ],
    }
    for sku in (skus[0], "NO-SUCH-SKU"):
        submission = _ok(
            client.request(
                "PATCH",
                f"/listings/2021-08-01/items/{SELLER_IDS['eu_main']}/{sku}",
                params={"marketplaceIds": "A1PA6795UKMFR9"},
                json=patch,
            )
        )
        spapi_contract.check("listings", "ListingsItemSubmissionResponse", submission)

    for details in ("true", "false"):
        inventory = _ok(
            client.request(
                "GET",
                "/fba/inventory/v1/summaries",
                params={
                    "details": details,
                    "granularityType": "Marketplace",
                    "granularityId": "A1PA6795UKMFR9",
                    "marketplaceIds": "A1PA6795UKMFR9",
                },
            )
        )
        spapi_contract.check("fbaInventory", "GetInventorySummariesResponse", inventory)
    participations = _ok(client.request("GET", "/sellers/v1/marketplaceParticipations"))
    spapi_contract.check("sellers", "GetMarketplaceParticipationsResponse", participations)


def test_loaded_orders_file_is_schema_valid_and_replayed(spapi_contract, big_sandbox, raw, tmp_path):
    now = big_sandbox.clock.now()
    source = [big_sandbox.order(o.order_id) for o in big_sandbox.state.seller_orders("eu_main", now)[:5]]
    for order in source:
        spapi_contract.check("orders", "Order", order)
    replay = [
        dict(o, orderId="999-" + o["orderId"][4:])
        for o in source
        if o["fulfillment"]["fulfillmentStatus"] != "CANCELLED"
    ]
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(replay, ensure_ascii=False), encoding="utf-8")
    ids = big_sandbox.load_orders_file("eu_main", path)
    client = raw["eu_main"]
    for order_id, original in zip(ids, replay, strict=True):
        got = _ok(client.request("GET", f"/orders/2026-01-01/orders/{order_id}", params={"includedData": "PROCEEDS"}))[
            "order"
        ]
        assert got["proceeds"] == original["proceeds"]
        items = _ok(client.request("GET", f"/orders/v0/orders/{order_id}/orderItems"))["payload"]["OrderItems"]
        assert [i["SellerSKU"] for i in items] == [i["product"]["sellerSku"] for i in original["orderItems"]]
    report_id = _ok(
        client.request(
            "POST",
            "/reports/2021-06-30/reports",
            json={
                "reportType": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
                "marketplaceIds": MARKETPLACE_IDS["eu_main"],
            },
        ),
        202,
    )["reportId"]
    big_sandbox.clock.advance(90)
    document_id = _ok(client.request("GET", f"/reports/2021-06-30/reports/{report_id}"))["reportDocumentId"]
    url = _ok(client.request("GET", f"/reports/2021-06-30/documents/{document_id}"))["url"]
    text = gzip.decompress(client.client.get(url).content).decode("utf-8")
    assert all(order_id in text for order_id in ids)
