import httpx
import pytest
from sp_api.api import Orders, Sellers
from sp_api.base.exceptions import (
    SellingApiRequestThrottledException,
    SellingApiServerException,
    SellingApiTemporarilyUnavailableException,
)

from amzodoo.amazon.clients import build_client


def test_usage_plan_throttles_per_seller_across_marketplaces(spapi_sandbox, client_for, since):
    us = client_for(Orders, version="2026-01-01")
    ca = client_for(Orders, "na_main", "CA", version="2026-01-01")
    after = since()
    for i in range(20):
        response = (us if i % 2 else ca).search_orders(createdAfter=after)
        assert response.headers["x-amzn-RateLimit-Limit"] == "0.0056"
    with pytest.raises(SellingApiRequestThrottledException) as caught:
        us.search_orders(createdAfter=after)
    assert caught.value.error[0]["code"] == "QuotaExceeded"
    assert caught.value.headers["x-amzn-RateLimit-Limit"] == "0.0056"
    assert spapi_sandbox.throttled() == 1
    # Another seller has its own bucket; the first one refills on the simulated clock.
    client_for(Orders, "eu_main", "DE", version="2026-01-01").search_orders(createdAfter=after)
    spapi_sandbox.clock.advance(180)
    us.search_orders(createdAfter=after)
    assert spapi_sandbox.counters("na_main")["orders.searchOrders"] == 22


def test_server_errors_and_html_gateway_pages(spapi_sandbox, client_for):
    client = client_for(Sellers)
    spapi_sandbox.inject_fault("sellers.getMarketplaceParticipations", "5xx", count=2)
    for _ in range(2):
        with pytest.raises(SellingApiTemporarilyUnavailableException):
            client.get_marketplace_participation()
    spapi_sandbox.inject_fault("sellers.getMarketplaceParticipations", "5xx", status=500)
    with pytest.raises(SellingApiServerException):
        client.get_marketplace_participation()
    spapi_sandbox.inject_fault("sellers.getMarketplaceParticipations", "5xx", status=502, html=True)
    # python-amazon-sp-api only raises when the body has "errors": an HTML 502 comes back as a response.
    response = client.get_marketplace_participation()
    assert response.payload == {}
    assert client.get_marketplace_participation().payload[0]["marketplace"]["countryCode"] == "US"


def test_429_storm_drop_latency_and_truncated_body(spapi_sandbox, client_for, spapi_credentials):
    client = client_for(Sellers)
    spapi_sandbox.inject_fault("sellers.getMarketplaceParticipations", "429", count=3)
    for _ in range(3):
        with pytest.raises(SellingApiRequestThrottledException):
            client.get_marketplace_participation()
    assert spapi_sandbox.throttled() == 0, "injected storms are not quota throttling"
    spapi_sandbox.inject_fault("sellers.getMarketplaceParticipations", "drop")
    with pytest.raises(httpx.RemoteProtocolError):
        client.get_marketplace_participation()
    spapi_sandbox.inject_fault("sellers.getMarketplaceParticipations", "latency", seconds=0.3)
    impatient = build_client(Sellers, spapi_credentials["na_main"], "US", timeout=0.1)
    with pytest.raises(httpx.ReadTimeout):
        impatient.get_marketplace_participation()
    spapi_sandbox.inject_fault("sellers.getMarketplaceParticipations", "truncate")
    # A cut JSON body parses as nothing: the library hands back an empty payload without raising.
    assert client.get_marketplace_participation().payload == {}
    assert client.get_marketplace_participation().payload
    spapi_sandbox.clear_faults()
    assert spapi_sandbox.state.faults.pending() == []


def test_faults_on_lwa(spapi_sandbox, client_for, since):
    from sp_api.auth.exceptions import AuthorizationError

    spapi_sandbox.inject_fault("lwa.token", "5xx")
    with pytest.raises((AuthorizationError, ValueError)):
        client_for(Orders, version="2026-01-01").search_orders(createdAfter=since())
    assert client_for(Orders, version="2026-01-01").search_orders(createdAfter=since()).payload["orders"]


def test_unknown_fault_kind_is_refused(spapi_sandbox):
    with pytest.raises(ValueError):
        spapi_sandbox.inject_fault("orders.searchOrders", "gremlins")


def test_concurrent_clients_are_served_and_counted(spapi_sandbox, spapi_credentials):
    from concurrent.futures import ThreadPoolExecutor

    spapi_sandbox.state.enforce_quotas = False
    order_ids = [o.order_id for o in spapi_sandbox.state.seller_orders("na_main", spapi_sandbox.clock.now())][:5]

    def read(index: int) -> int:
        client = build_client(Orders, spapi_credentials["na_main"], "US", version="v0")
        for order_id in order_ids:
            assert client.get_order_items(order_id).payload["AmazonOrderId"] == order_id
        return index

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert sorted(pool.map(read, range(6))) == list(range(6))
    assert spapi_sandbox.counters("na_main")["ordersV0.getOrderItems"] == 6 * len(order_ids)
