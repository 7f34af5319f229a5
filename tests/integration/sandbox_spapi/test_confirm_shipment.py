from datetime import timedelta

import pytest
from sp_api.api import Orders
from sp_api.base.exceptions import SellingApiBadRequestException

from amzodoo_sandbox.spapi import SimClock, SpApiSandbox


def _unshipped_mfn(sandbox, min_quantity=1):
    now = sandbox.clock.now()
    for order in sandbox.state.seller_orders("na_main", now):
        if order.channel == "MFN" and order.status_at(now) == "Unshipped" and order.total_quantity() >= min_quantity:
            return order
    return None


def _package(order, items, ref="1", carrier="UPS", ship_date=None):
    return {
        "packageReferenceId": ref,
        "carrierCode": carrier,
        "trackingNumber": f"1Z{ref}999",
        "shipDate": (ship_date or order.created + timedelta(minutes=50)).isoformat(),
        "orderItems": [{"orderItemId": i, "quantity": q} for i, q in items],
    }


@pytest.fixture
def shipping_sandbox(spapi_sandbox):
    """Make sure there are unshipped merchant orders with several units to ship."""
    now = spapi_sandbox.clock.now()
    spapi_sandbox.generate_orders(
        "na_main", "US", 40, start=now - timedelta(hours=3), end=now - timedelta(hours=1), fba_share=0
    )
    return spapi_sandbox


def test_partial_then_full_shipment(shipping_sandbox, client_for):
    sandbox = shipping_sandbox
    order = _unshipped_mfn(sandbox, min_quantity=2)
    assert order is not None
    client = client_for(Orders, version="v0")
    new = client_for(Orders, version="2026-01-01")
    cancel_was = order.cancelled_at
    first = order.lines[0]
    client.confirm_shipment(
        order.order_id, marketplaceId="ATVPDKIKX0DER", packageDetail=_package(order, [(first.order_item_id, 1)])
    )
    status = new.get_order(order.order_id, includedData=["FULFILLMENT", "PACKAGES"]).payload["order"]
    if order.total_quantity() > 1:
        assert status["fulfillment"]["fulfillmentStatus"] == "PARTIALLY_SHIPPED"
        assert client.get_order(order.order_id).payload["OrderStatus"] == "PartiallyShipped"
    assert status["packages"][-1]["trackingNumber"] == "1Z1999"
    rest = [(ln.order_item_id, ln.quantity - (1 if ln is first else 0)) for ln in order.lines]
    rest = [(i, q) for i, q in rest if q]
    client.confirm_shipment(
        order.order_id, marketplaceId="ATVPDKIKX0DER", packageDetail=_package(order, rest, ref="2", carrier="USPS")
    )
    assert client.get_order(order.order_id).payload["OrderStatus"] == "Shipped"
    assert [p["packageDetail"]["packageReferenceId"] for p in sandbox.shipments(order.order_id)] == ["1", "2"]
    assert sandbox.order(order.order_id)["lastUpdatedTime"] >= sandbox.order(order.order_id)["createdTime"]
    if cancel_was is not None:
        sandbox.clock.advance(86400)
        assert client.get_order(order.order_id).payload["OrderStatus"] == "Shipped", "shipped orders stay shipped"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda o, p: p.update(carrierCode="Pony Express"),
        lambda o, p: p.update(carrierCode="Other"),
        lambda o, p: p.update(trackingNumber=""),
        lambda o, p: p["orderItems"].append({"orderItemId": "00000000000000", "quantity": 1}),
        lambda o, p: p["orderItems"][0].update(quantity=99),
        lambda o, p: p["orderItems"][0].update(quantity=0),
        lambda o, p: p.update(shipDate=(o.created - timedelta(days=1)).isoformat()),
    ],
    ids=["unknown-carrier", "other-without-name", "no-tracking", "foreign-item", "too-many", "zero", "before-purchase"],
)
def test_confirm_shipment_checks_against_the_order(shipping_sandbox, client_for, mutate):
    order = _unshipped_mfn(shipping_sandbox)
    package = _package(order, [(order.lines[0].order_item_id, 1)])
    mutate(order, package)
    with pytest.raises(SellingApiBadRequestException):
        client_for(Orders, version="v0").confirm_shipment(
            order.order_id, marketplaceId="ATVPDKIKX0DER", packageDetail=package
        )
    assert shipping_sandbox.shipments(order.order_id) == []


def test_confirm_shipment_refuses_fba_cancelled_and_wrong_marketplace(client_for):
    sandbox = SpApiSandbox(orders_per_marketplace=40, enforce_quotas=False, clock=SimClock())
    sandbox.start()
    try:
        from amzodoo.amazon.clients import SpApiCredentials, build_client
        from amzodoo_sandbox.spapi import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET

        credentials = SpApiCredentials(
            SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, "Atzr|amzodoo-sandbox-na_main", endpoint=sandbox.url
        )
        client = build_client(Orders, credentials, "US", version="v0")
        now = sandbox.clock.now()
        orders = [o for o in sandbox.state.seller_orders("na_main", now) if o.marketplace_code == "US"]
        fba = next(o for o in orders if o.channel == "AFN")
        cancelled = next(o for o in orders if o.status_at(now) == "Canceled")
        unshipped = _unshipped_mfn(sandbox)
        for order, marketplace in ((fba, "ATVPDKIKX0DER"), (cancelled, "ATVPDKIKX0DER"), (unshipped, "A2EUQ1WTGCTBG2")):
            if order is None:
                continue
            package = _package(order, [(order.lines[0].order_item_id, 1)], ship_date=now - timedelta(seconds=5))
            with pytest.raises(SellingApiBadRequestException):
                client.confirm_shipment(order.order_id, marketplaceId=marketplace, packageDetail=package)
    finally:
        sandbox.stop()
