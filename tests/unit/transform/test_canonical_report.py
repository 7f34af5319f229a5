from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from amzodoo.transform import TransformError, canonical_from_report
from tests.unit.transform.builders import mp, report_row


def test_rows_become_one_order_with_report_amounts():
    rows = [
        report_row(
            sku="SKU-1",
            quantity="2",
            **{
                "item-price": "20.00",
                "item-tax": "1.78",
                "shipping-price": "5.00",
                "shipping-tax": "0.44",
                "gift-wrap-price": "3.00",
                "gift-wrap-tax": "0.27",
                "item-promotion-discount": "-2.00",
                "ship-promotion-discount": "-5.00",
                "promotion-ids": "P1, P2",
                "is-business-order": "true",
                "purchase-order-number": "PO-9",
            },
        ),
        report_row(sku="SKU-2", **{"last-updated-date": "2026-03-02T08:00:00-05:00"}),
    ]
    order = canonical_from_report(rows, mp("US"))
    assert (order.status, order.channel, order.source, order.buyer) == ("SHIPPED", "MFN", "report", None)
    assert order.last_updated == datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
    assert order.is_business and order.purchase_order_number == "PO-9"
    first, second = order.items
    assert (first.item_key, second.item_key) == ("SKU-1#0", "SKU-2#1")
    assert (first.item, first.item_tax, first.shipping_discount, first.promotion_discount) == (
        D("20.00"),
        D("1.78"),
        D("-5.00"),
        D("-2.00"),
    )
    assert first.promotion_ids == ("P1", "P2") and first.tax_itemised and not second.tax_itemised
    assert order.grand_total == D("20.00") + D("1.78") + D("0.44") + D("3.27") - D("2.00") + D("10.00")
    recipient = order.recipient
    assert (recipient.name, recipient.street, recipient.city, recipient.state, recipient.country_code) == (
        None,
        None,
        "Springfield",
        "California",
        "US",
    )


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("Pending", "PENDING"),
        ("Unshipped", "UNSHIPPED"),
        ("PartiallyShipped", "PARTIALLY_SHIPPED"),
        ("Partially Shipped", "PARTIALLY_SHIPPED"),
        ("Shipped", "SHIPPED"),
        ("Shipping", "PARTIALLY_SHIPPED"),
        ("Cancelled", "CANCELLED"),
        ("Canceled", "CANCELLED"),
        ("Unfulfillable", "UNFULFILLABLE"),
    ],
)
def test_report_statuses(value, status):
    assert canonical_from_report([report_row(**{"order-status": value})], mp("US")).status == status


@pytest.mark.parametrize(("value", "channel"), [("Amazon", "AFN"), ("AFN", "AFN"), ("Merchant", "MFN"), ("mfn", "MFN")])
def test_report_channels(value, channel):
    assert canonical_from_report([report_row(**{"fulfillment-channel": value})], mp("US")).channel == channel


def test_pending_rows_without_prices_are_zero():
    row = report_row(**{"order-status": "Pending", "item-price": "", "currency": ""})
    order = canonical_from_report([row], mp("US"))
    assert order.grand_total == 0 and order.items[0].item == 0


def test_cancelled_rows_with_quantity_zero_are_left_out():
    rows = [
        report_row(sku="A", **{"item-status": "Cancelled", "quantity": "0", "item-price": ""}),
        report_row(sku="B"),
    ]
    assert [item.sku for item in canonical_from_report(rows, mp("US")).items] == ["B"]
    cancelled = [report_row(**{"order-status": "Cancelled", "quantity": "0", "item-price": ""})]
    assert canonical_from_report(cancelled, mp("US")).items == ()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "rows: missing"),
        ([report_row(**{"amazon-order-id": ""})], "rows[0].amazon-order-id: missing"),
        ([report_row(), report_row(order_id="222-0000000-0000002")], "rows[1].amazon-order-id: rows of several orders"),
        ([report_row(**{"order-status": "Lost"})], "rows[0].order-status: unknown status 'Lost'"),
        ([report_row(**{"fulfillment-channel": ""})], "rows[0].fulfillment-channel: unknown fulfillment channel None"),
        ([report_row(quantity="0")], "rows[0].quantity: must be a positive integer, got 0"),
        ([report_row(quantity="20000")], "rows[0].quantity: must be at most 10000, got 20000"),
        ([report_row(quantity="1.5")], "rows[0].quantity: must be a positive integer, got '1.5'"),
        ([report_row(currency="EUR")], "rows[0].currency: must be the marketplace currency USD, got EUR"),
        ([report_row(**{"item-price": "ten"})], "rows[0].item-price: must be a decimal number"),
        ([report_row(**{"item-price": "-1.00"})], "rows[0].item-price: must not be negative"),
        ([report_row(sku="")], "rows[0].sku: missing"),
        ([report_row(**{"purchase-date": ""})], "rows[0].purchase-date: missing"),
        (["not a row"], "rows[0]: must be an object"),
    ],
)
def test_malformed_rows_name_the_field(rows, message):
    with pytest.raises(TransformError) as caught:
        canonical_from_report(rows, mp("US"))
    assert str(caught.value) == message


def test_gross_marketplace_report_taxes_are_inside_the_prices():
    row = report_row(currency="EUR", **{"item-price": "59.99", "item-tax": "9.58", "shipping-price": "4.99"})
    order = canonical_from_report([row], mp("DE"))
    item = order.items[0]
    assert (item.item, item.item_tax, item.tax_itemised) == (D("59.99"), 0, False)
    assert order.grand_total == D("64.98")


def test_business_rows_in_a_gross_marketplace_add_tax_on_top():
    row = report_row(currency="EUR", **{"item-price": "50.00", "item-tax": "9.50", "is-business-order": "true"})
    order = canonical_from_report([row], mp("DE"))
    assert order.items[0].tax_itemised and order.grand_total == D("59.50")
