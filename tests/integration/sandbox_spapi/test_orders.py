from datetime import timedelta

import pytest
from sp_api.api import Orders
from sp_api.base.exceptions import SellingApiBadRequestException, SellingApiNotFoundException

from amzodoo_sandbox.spapi.timefmt import parse_iso


def _all_pages(client, **params):
    orders, pages = [], 0
    response = client.search_orders(**params)
    while True:
        pages += 1
        orders += response.payload["orders"]
        token = (response.pagination or {}).get("nextToken")
        if not token:
            return orders, pages
        response = client.search_orders(**params, paginationToken=token)


def test_search_orders_pages_and_filters(spapi_sandbox, client_for, since):
    client = client_for(Orders, version="2026-01-01")
    orders, pages = _all_pages(client, createdAfter=since(), maxResultsPerPage=2)
    now = spapi_sandbox.clock.now()
    expected = [o for o in spapi_sandbox.state.seller_orders("na_main", now) if o.marketplace_code == "US"]
    assert sorted(o["orderId"] for o in orders) == sorted(o.order_id for o in expected)
    assert pages == -(-len(expected) // 2)
    assert all(o["salesChannel"]["marketplaceId"] == "ATVPDKIKX0DER" for o in orders)
    assert all("proceeds" not in o and "buyer" not in o for o in orders), "sections only with includedData"

    mfn, _ = _all_pages(client, createdAfter=since(), fulfilledBy=["MERCHANT"], includedData=["FULFILLMENT"])
    assert mfn and all(o["fulfillment"]["fulfilledBy"] == "MERCHANT" for o in mfn)
    shipped, _ = _all_pages(client, createdAfter=since(), fulfillmentStatuses=["SHIPPED"], includedData=["FULFILLMENT"])
    assert all(o["fulfillment"]["fulfillmentStatus"] == "SHIPPED" for o in shipped)


def test_pagination_token_needs_identical_parameters(client_for, since):
    client = client_for(Orders, version="2026-01-01")
    after = since()
    first = client.search_orders(createdAfter=after, maxResultsPerPage=1)
    token = first.pagination["nextToken"]
    with pytest.raises(SellingApiBadRequestException):
        client.search_orders(createdAfter=after, maxResultsPerPage=2, paginationToken=token)
    with pytest.raises(SellingApiBadRequestException):
        client.search_orders(createdAfter=after, maxResultsPerPage=1, paginationToken="made-up")
    second = client.search_orders(createdAfter=after, maxResultsPerPage=1, paginationToken=token)
    assert second.payload["orders"][0]["orderId"] != first.payload["orders"][0]["orderId"]


def test_two_minute_rule_and_parameter_checks(spapi_sandbox, client_for, since):
    client = client_for(Orders, version="2026-01-01")
    now = spapi_sandbox.clock.now()
    with pytest.raises(SellingApiBadRequestException) as caught:
        client.search_orders(createdAfter=since(), createdBefore=(now - timedelta(seconds=60)).isoformat())
    assert "two minutes" in caught.value.message
    ok = client.search_orders(createdAfter=since(), createdBefore=(now - timedelta(seconds=180)).isoformat())
    assert parse_iso(ok.payload["createdBefore"]) == (now - timedelta(seconds=180)).replace(microsecond=0) or ok.payload
    default = client.search_orders(lastUpdatedAfter=since())
    assert parse_iso(default.payload["lastUpdatedBefore"]) <= now - timedelta(minutes=2)
    for bad in (
        {},
        {"createdAfter": since(), "lastUpdatedAfter": since()},
        {"createdAfter": since(), "maxResultsPerPage": 101},
        {"createdAfter": since(), "includedData": ["EVERYTHING"]},
        {"createdAfter": since(), "lastUpdatedBefore": since(1)},
    ):
        with pytest.raises(SellingApiBadRequestException):
            client.search_orders(**bad)


def test_region_and_marketplace_mismatch_is_refused(client_for, since):
    na = client_for(Orders, version="2026-01-01")
    with pytest.raises(SellingApiBadRequestException) as caught:
        na.search_orders(createdAfter=since(), marketplaceIds=["A1PA6795UKMFR9"])
    assert "DE (EU)" in caught.value.error[0]["details"]
    eu = client_for(Orders, "eu_main", "DE", version="2026-01-01")
    with pytest.raises(SellingApiBadRequestException):
        eu.search_orders(createdAfter=since(), marketplaceIds=["ATVPDKIKX0DER"])
    assert eu.search_orders(createdAfter=since(), marketplaceIds=["A1PA6795UKMFR9", "A1F83G8C2ARO7P"]).payload["orders"]


def test_incremental_sync_sees_updates_as_the_clock_moves(spapi_sandbox, client_for):
    client = client_for(Orders, version="2026-01-01")
    start = spapi_sandbox.clock.now() - timedelta(days=3)
    seen_first, _ = _all_pages(client, lastUpdatedAfter=start.isoformat(), includedData=["FULFILLMENT"])
    cursor = parse_iso(client.search_orders(lastUpdatedAfter=start.isoformat()).payload["lastUpdatedBefore"])
    spapi_sandbox.clock.advance(2 * 86400)
    updated, _ = _all_pages(client, lastUpdatedAfter=cursor.isoformat(), includedData=["FULFILLMENT"])
    assert updated, "orders change or arrive after the first sync"
    assert all(parse_iso(o["lastUpdatedTime"]) >= cursor for o in updated)
    first_ids = {o["orderId"] for o in seen_first}
    assert any(o["orderId"] not in first_ids for o in updated), "new orders arrive"


def test_get_order_and_unknown_order(spapi_sandbox, client_for):
    client = client_for(Orders, version="2026-01-01")
    order_id = next(o.order_id for o in spapi_sandbox.state.seller_orders("na_main", spapi_sandbox.clock.now()))
    order = client.get_order(order_id, includedData=["BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT"]).payload["order"]
    full = spapi_sandbox.order(order_id)
    for section in ("buyer", "recipient", "proceeds", "fulfillment", "createdTime", "lastUpdatedTime"):
        assert order.get(section) == full.get(section)
    with pytest.raises(SellingApiNotFoundException):
        client.get_order("999-0000000-0000000")
    eu_order = next(o.order_id for o in spapi_sandbox.state.seller_orders("eu_main", spapi_sandbox.clock.now()))
    with pytest.raises(SellingApiNotFoundException):
        client.get_order(eu_order)


def test_orders_v0_reads(spapi_sandbox, client_for, since):
    client = client_for(Orders, version="v0")
    orders = client.get_orders(CreatedAfter=since(), MaxResultsPerPage=3)
    assert len(orders.payload["Orders"]) == 3 and orders.next_token
    rest = client.get_orders(NextToken=orders.next_token)
    assert {o["AmazonOrderId"] for o in rest.payload["Orders"]}.isdisjoint(
        o["AmazonOrderId"] for o in orders.payload["Orders"]
    )
    order = orders.payload["Orders"][0]
    order_id = order["AmazonOrderId"]
    assert client.get_order(order_id).payload["OrderStatus"] == order["OrderStatus"]
    items = client.get_order_items(order_id).payload["OrderItems"]
    assert [i["OrderItemId"] for i in items] == [ln.order_item_id for ln in spapi_sandbox.state.orders[order_id].lines]
    address = client.get_order_address(order_id).payload
    assert address["AmazonOrderId"] == order_id and address["ShippingAddress"]["CountryCode"] == "US"
    buyer = client.get_order_buyer_info(order_id).payload
    assert buyer["BuyerEmail"].endswith("@marketplace.amazon.com")
    with pytest.raises(SellingApiBadRequestException):
        client.get_orders(CreatedAfter=since(), OrderStatuses=["Lost"])
    too_recent = (spapi_sandbox.clock.now() - timedelta(seconds=30)).isoformat()
    with pytest.raises(SellingApiBadRequestException):
        client.get_orders(CreatedAfter=since(), CreatedBefore=too_recent)
    unshipped = client.get_orders(LastUpdatedAfter=since(), OrderStatuses=["Unshipped"], FulfillmentChannels=["MFN"])
    assert all(
        o["OrderStatus"] == "Unshipped" and o["FulfillmentChannel"] == "MFN" for o in unshipped.payload["Orders"]
    )
    by_id = client.get_orders(AmazonOrderIds=[order_id])
    assert [o["AmazonOrderId"] for o in by_id.payload["Orders"]] == [order_id]
