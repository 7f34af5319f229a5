from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from amzodoo.transform import TransformError, canonical_from_api
from tests.unit.transform.builders import OrderBuilder, mp


def _order(**kwargs) -> OrderBuilder:
    builder = OrderBuilder(**kwargs)
    builder.item()
    return builder


def test_reads_header_buyer_and_recipient():
    builder = _order(programs=["AMAZON_BUSINESS"])
    builder.buyer = {
        "buyerName": "Jane Doe",
        "buyerEmail": "abc@marketplace.amazon.com",
        "buyerCompanyName": "Doe Inc",
        "buyerPurchaseOrderNumber": "PO-7",
    }
    order = canonical_from_api(builder.build(), mp("US"))
    assert (order.amazon_order_id, order.marketplace_code, order.status, order.channel) == (
        "111-0000000-0000001",
        "US",
        "SHIPPED",
        "MFN",
    )
    assert order.purchase_date == datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
    assert order.last_updated.tzinfo is not None
    assert order.is_business and order.purchase_order_number == "PO-7"
    assert (order.buyer.name, order.buyer.email, order.buyer.company) == (
        "Jane Doe",
        "abc@marketplace.amazon.com",
        "Doe Inc",
    )
    assert order.recipient.street2 == "Apt 2, Rear"
    assert order.recipient.state == "California"  # kept as given; partners map it to a code
    assert order.currency == "USD" and order.grand_total == D("10.00")


def test_money_by_breakdown_type_and_subtype():
    builder = OrderBuilder()
    (
        builder.item(item="20.00", quantity=2)
        .with_charge("SHIPPING", "5.00")
        .with_charge("GIFT_WRAP", "3.00")
        .with_charge("COD_FEE", "1.00")
        .with_discount("ITEM", "-2.00")
        .with_discount("SHIPPING", "-5.00")
        .with_tax(item="1.60", shipping="0.40", gift_wrap="0.24", discount="-0.56", cod_fee="0.08")
        .gift("Happy birthday")
        .promotions("P1", "P2")
    )
    item = canonical_from_api(builder.build(), mp("US")).items[0]
    assert (item.item, item.item_tax, item.shipping, item.shipping_tax) == (D("20.00"), D("1.60"), D("5.00"), D("0.40"))
    assert (item.gift_wrap, item.gift_wrap_tax, item.cod_fee, item.cod_fee_tax) == (
        D("3"),
        D("0.24"),
        D("1"),
        D("0.08"),
    )
    assert (item.shipping_discount, item.promotion_discount) == (D("-5.00"), D("-2.00"))
    # One discount tax for both discounts, split in proportion: 5/7 and 2/7 of -0.56.
    assert (item.shipping_discount_tax, item.promotion_discount_tax) == (D("-0.40"), D("-0.16"))
    assert item.gift_message == "Happy birthday" and item.promotion_ids == ("P1", "P2")
    assert item.tax_itemised and item.total == D("23.76")


def test_discounts_are_negative_whatever_sign_amazon_sends():
    builder = OrderBuilder()
    builder.item(item="20.00").with_discount("ITEM", "2.00")
    item = canonical_from_api(builder.build(), mp("US")).items[0]
    assert item.promotion_discount == D("-2.00")


def test_tax_without_details_is_item_tax_and_details_short_of_the_subtotal_leave_item_tax():
    builder = OrderBuilder()
    builder.item(item="10.00")
    order = builder.build()
    order["orderItems"][0]["proceeds"]["breakdowns"].append(
        {"type": "TAX", "subtotal": {"amount": "0.90", "currencyCode": "USD"}}
    )
    assert canonical_from_api(order, mp("US")).items[0].item_tax == D("0.90")
    order["orderItems"][0]["proceeds"]["breakdowns"][-1]["detailedBreakdowns"] = [
        {"subtype": "SHIPPING", "value": {"amount": "0.10", "currencyCode": "USD"}}
    ]
    item = canonical_from_api(order, mp("US")).items[0]
    assert (item.item_tax, item.shipping_tax) == (D("0.80"), D("0.10"))


def test_delivery_tip_is_not_goods():
    builder = _order(tip="5.00")
    order = canonical_from_api(builder.build(), mp("US"))
    assert (order.grand_total, order.delivery_tip) == (D("10.00"), D("5.00"))


def test_zero_price_items_are_allowed():
    builder = OrderBuilder()
    builder.item(item="0.00")
    assert canonical_from_api(builder.build(), mp("US")).items[0].item == D("0.00")


def test_pending_availability_is_pending_and_fba_is_afn():
    order = canonical_from_api(_order(status="PENDING_AVAILABILITY", fulfilled_by="AMAZON").build(), mp("US"))
    assert (order.status, order.channel) == ("PENDING", "AFN")


def test_cancelled_orders_may_come_without_money():
    payload = _order(status="CANCELLED").build()
    del payload["proceeds"]
    del payload["orderItems"][0]["proceeds"]
    order = canonical_from_api(payload, mp("US"))
    assert order.grand_total == 0 and order.items[0].item == 0


def _quantity(value):
    def change(order):
        order["orderItems"][-1]["quantityOrdered"] = value

    return change


def _set(path: str, value):
    def change(order):
        target = order
        *parents, last = [int(key) if key.isdigit() else key for key in path.split(".")]
        for key in parents:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_quantity(0), "orderItems[2].quantityOrdered: must be a positive integer, got 0"),
        (_quantity(-1), "orderItems[2].quantityOrdered: must be a positive integer, got -1"),
        (_quantity(10_001), "orderItems[2].quantityOrdered: must be at most 10000, got 10001"),
        (_quantity("two"), "orderItems[2].quantityOrdered: must be a positive integer, got 'two'"),
        (_quantity(True), "orderItems[2].quantityOrdered: must be a positive integer, got True"),
        (_set("orderId", KeyError), "orderId: missing"),
        (_set("orderItems", []), "orderItems: missing"),
        (_set("orderItems", KeyError), "orderItems: missing"),
        (_set("orderItems.1.orderItemId", "10000000000001"), "orderItems: duplicate orderItemId"),
        (_set("orderItems.0.product.sellerSku", ""), "orderItems[0].product.sellerSku: missing"),
        (
            _set("orderItems.1.proceeds.breakdowns.0.subtotal.amount", "12,50"),
            "orderItems[1].proceeds.breakdowns[0].subtotal.amount: must be a decimal number",
        ),
        (
            _set("orderItems.1.proceeds.breakdowns.0.subtotal.amount", "NaN"),
            "orderItems[1].proceeds.breakdowns[0].subtotal.amount: must be a finite decimal number",
        ),
        (
            _set("orderItems.0.proceeds.breakdowns.0.subtotal.currencyCode", "EUR"),
            "orderItems[0].proceeds.breakdowns[0].subtotal.currencyCode: must be the marketplace currency USD, got EUR",
        ),
        (
            _set("proceeds.grandTotal.currencyCode", "CAD"),
            "proceeds.grandTotal.currencyCode: must be the marketplace currency USD, got CAD",
        ),
        (
            _set("orderItems.0.proceeds.breakdowns.0.subtotal.amount", "-1.00"),
            "orderItems[0].proceeds: item amount must not be negative",
        ),
        (
            _set("orderItems.0.proceeds.breakdowns.0.type", "BONUS"),
            "orderItems[0].proceeds.breakdowns[0].type: unknown proceeds type 'BONUS'",
        ),
        (
            _set("orderItems.0.proceeds", KeyError),
            "orderItems[0].proceeds.breakdowns: missing (request includedData PROCEEDS)",
        ),
        (_set("proceeds", KeyError), "proceeds.grandTotal: missing (request includedData PROCEEDS)"),
        (_set("fulfillment.fulfillmentStatus", "LOST"), "fulfillment.fulfillmentStatus: unknown status 'LOST'"),
        (_set("fulfillment", KeyError), "fulfillment.fulfillmentStatus: missing (request includedData FULFILLMENT)"),
        (_set("fulfillment.fulfilledBy", "DRONE"), "fulfillment.fulfilledBy: unknown fulfillment channel 'DRONE'"),
        (_set("createdTime", "yesterday"), "createdTime: must be an ISO 8601 date-time"),
        (
            _set("salesChannel.marketplaceId", "A1PA6795UKMFR9"),
            "salesChannel.marketplaceId: A1PA6795UKMFR9 is not marketplace US",
        ),
        (_set("orderItems.0", "not an item"), "orderItems[0]: must be an object"),
    ],
)
def test_malformed_input_names_the_field(change, message):
    builder = OrderBuilder()
    for _ in range(3):
        builder.item()
    payload = builder.build()
    change(payload)
    with pytest.raises(TransformError) as caught:
        canonical_from_api(payload, mp("US"))
    assert str(caught.value) == message


def test_error_messages_never_quote_buyer_data():
    payload = _order().build()
    payload["buyer"]["buyerName"] = "Secret Person"
    payload["createdTime"] = "Secret Person"
    with pytest.raises(TransformError) as caught:
        canonical_from_api(payload, mp("US"))
    assert "Secret" not in str(caught.value)
