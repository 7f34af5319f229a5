from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal as D

import pandas as pd
import pytest

from amzodoo.config.model import OdooSettings
from amzodoo.transform import load_state, odoo_line_amounts, transform_orders
from amzodoo.transform.orders import LINE_COLUMNS, ORDER_COLUMNS
from tests.unit.transform.builders import OrderBuilder, context, raw_frame, raw_row, report_row


def run(*payloads: dict, marketplace: str = "US", source: str = "getOrder", **ctx_kwargs):
    frame = raw_frame(*(raw_row(p, marketplace=marketplace, source=source) for p in payloads))
    result = transform_orders(frame, context(marketplace, **ctx_kwargs))
    return result.order_records(), result.line_records()


def run_one(payload: dict, **kwargs):
    orders, lines = run(payload, **kwargs)
    assert len(orders) == 1
    return orders[0], lines


def assert_reconciled(order: dict):
    assert order["total_mismatch"] is False, order["message"]
    assert order["odoo_total"] == order["amazon_total"]


def by_key(lines: list[dict]) -> dict[str, dict]:
    return {line["line_key"]: line for line in lines}


# -- taxes and totals ------------------------------------------------------------------------------------------


def test_us_tax_on_top_with_several_rates_reconciles_to_the_cent():
    builder = OrderBuilder()
    # 8.875 % (New York City) on odd amounts, 7.25 % (California), 6.35 % (Connecticut) with half-cent ties.
    builder.item(item="59.97", quantity=3).with_tax(item="5.32")  # 5.3223
    builder.item(item="19.99").with_tax(item="1.77").with_charge("SHIPPING", "4.99").with_tax(shipping="0.44")
    builder.item(item="10.00").with_tax(item="0.73")  # 0.725 exactly: half up
    builder.item(item="33.33", quantity=7).with_tax(item="2.12")  # 6.35 %: 2.116455
    builder.item(item="0.99").with_tax(item="0.09")
    order, lines = run_one(builder.build())
    assert_reconciled(order)
    assert order["amazon_total"] == D("59.97") + D("5.32") + D("19.99") + D("1.77") + D("4.99") + D("0.44") + D(
        "10.00"
    ) + D("0.73") + D("33.33") + D("2.12") + D("0.99") + D("0.09")
    for line in lines:
        assert line["tax_included"] is False
    # Each line's rate reproduces Amazon's tax for that line exactly.
    expected_tax = {"item:10000000000001": "5.32", "item:10000000000002": "1.77", "shipping:10000000000002": "0.44"}
    for key, tax in expected_tax.items():
        line = by_key(lines)[key]
        assert odoo_line_amounts(line["price_unit"], line["quantity"], line["tax_rate"], False)[1] == D(tax)


def test_lines_of_one_order_share_one_rate_where_it_reproduces():
    builder = OrderBuilder()
    builder.item(item="100.00").with_tax(item="8.88")
    builder.item(item="1000.00").with_tax(item="88.75")
    order, lines = run_one(builder.build())
    assert_reconciled(order)
    assert {line["tax_rate"] for line in lines} == {D("8.875")}


def test_zero_tax_lines_carry_no_tax_in_an_itemised_order():
    builder = OrderBuilder()
    builder.item(item="10.00").with_tax(item="0.80")
    builder.item(item="5.00").with_tax(item="0.00")
    order, lines = run_one(builder.build())
    assert_reconciled(order)
    assert by_key(lines)["item:10000000000002"]["tax_rate"] is None


def test_us_order_without_tax_has_no_tax():
    builder = OrderBuilder()
    builder.item(item="10.00").with_charge("SHIPPING", "3.99")
    order, lines = run_one(builder.build())
    assert_reconciled(order)
    assert all(line["tax_rate"] is None and not line["tax_included"] for line in lines)


@pytest.mark.parametrize(("marketplace", "rate"), [("DE", "19"), ("UK", "20"), ("FR", "20"), ("JP", "10")])
def test_gross_marketplaces_use_tax_included_vat(marketplace, rate):
    jpy = marketplace == "JP"
    builder = OrderBuilder(marketplace=marketplace, recipient=None)
    builder.item(item="5980" if jpy else "59.97", quantity=3).with_charge("SHIPPING", "450" if jpy else "4.99")
    builder.item(item="1" if jpy else "0.01").with_charge("GIFT_WRAP", "300" if jpy else "2.50")
    order, lines = run_one(builder.build(), marketplace=marketplace)
    assert_reconciled(order)
    assert all(line["tax_included"] and line["tax_rate"] == D(rate) for line in lines)
    if jpy:
        assert order["amazon_total"] == D("6731")


def test_vat_rate_from_the_context_wins():
    builder = OrderBuilder(marketplace="DE")
    builder.item(item="10.70")
    order, lines = run_one(builder.build(), marketplace="DE", vat_rate=D("7"))
    assert lines[0]["tax_rate"] == D("7") and lines[0]["tax_included"] is True
    assert_reconciled(order)


def test_brazil_has_no_single_vat_rate():
    builder = OrderBuilder(marketplace="BR")
    builder.item(item="299.90")
    order, lines = run_one(builder.build(), marketplace="BR")
    assert (lines[0]["tax_rate"], lines[0]["tax_included"]) == (None, False)
    assert_reconciled(order)


def test_uk_order_with_itemised_tax_is_tax_on_top():
    builder = OrderBuilder(marketplace="UK")
    builder.item(item="89.97", quantity=3).with_charge("SHIPPING", "10.00").with_tax(item="3.00", shipping="1.00")
    order, lines = run_one(builder.build(), marketplace="UK")
    assert_reconciled(order)
    assert order["amazon_total"] == D("103.97")
    assert [(line["tax_rate"], line["tax_included"]) for line in lines] == [(D("3.33"), False), (D("10"), False)]


def test_delivery_tip_is_left_out_of_the_reconciled_total():
    builder = OrderBuilder(tip="5.00")
    builder.item(item="99.98", quantity=2).with_tax(item="0.02")
    order, _ = run_one(builder.build())
    assert order["amazon_total"] == D("100.00")
    assert_reconciled(order)


# -- charge lines ----------------------------------------------------------------------------------------------


def test_shipping_line_nets_the_shipping_discount_and_disappears_when_free():
    builder = OrderBuilder()
    builder.item(item="10.00").with_charge("SHIPPING", "7.99").with_discount("SHIPPING", "-2.00")
    builder.item(item="10.00").with_charge("SHIPPING", "5.00").with_discount("SHIPPING", "-5.00")
    order, lines = run_one(builder.build())
    assert_reconciled(order)
    shipping = by_key(lines)["shipping:10000000000001"]
    assert (shipping["kind"], shipping["product_ref"], shipping["quantity"], shipping["price_unit"]) == (
        "shipping",
        "AMZ-SHIPPING",
        1,
        D("5.99"),
    )
    assert "shipping:10000000000002" not in by_key(lines)


def test_shipping_discount_with_tax_reconciles():
    builder = OrderBuilder()
    (
        builder.item(item="25.00")
        .with_charge("SHIPPING", "6.99")
        .with_discount("SHIPPING", "-6.99")
        .with_discount("ITEM", "-2.50")
        .with_tax(item="2.22", shipping="0.62", discount="-0.84")
    )
    order, lines = run_one(builder.build())
    assert_reconciled(order)
    assert [line["kind"] for line in lines] == ["product", "promotion"]


def test_item_tax_net_of_the_promotion_is_split_so_both_lines_share_one_rate():
    builder = OrderBuilder()
    # 8.875 % charged on 36.00 (40.00 less the promotion), no tax of its own on the promotion.
    builder.item(item="40.00", quantity=2).with_discount("ITEM", "-4.00").with_tax(item="3.20")
    order, lines = run_one(builder.build())
    assert_reconciled(order)
    product, promo = lines
    assert product["tax_rate"] == promo["tax_rate"]
    taxes = [odoo_line_amounts(line["price_unit"], line["quantity"], line["tax_rate"], False)[1] for line in lines]
    assert sum(taxes) == D("3.20")


def test_business_order_in_a_gross_marketplace_is_tax_on_top_in_the_report_too():
    builder = OrderBuilder(marketplace="DE", programs=["AMAZON_BUSINESS"])
    builder.item(sku="MUG", title="Mug", item="100.00").with_tax(item="19.00")
    api_order, api_lines = run_one(builder.build(), marketplace="DE")
    row = report_row(
        sku="MUG",
        **{"product-name": "Mug", "currency": "EUR", "item-price": "100.00", "item-tax": "19.00"},
        **{"is-business-order": "true"},
    )
    report_order, report_lines = run_one({"rows": [row]}, marketplace="DE", source="report")
    assert api_order["amazon_total"] == report_order["amazon_total"] == D("119.00")
    assert (
        _comparable(api_lines)
        == _comparable(report_lines)
        == [("product", "MUG", "MUG", "[MUG] Mug", 1, D("100.00"), D("19"), False)]
    )


def test_gift_wrap_with_tax_and_promotion_lines():
    builder = OrderBuilder()
    (
        builder.item(item="40.00", quantity=2)
        .with_charge("GIFT_WRAP", "3.99")
        .with_discount("ITEM", "-4.00")
        .with_tax(item="3.55", gift_wrap="0.35", discount="-0.36")
        .promotions("PROMO-1")
    )
    order, lines = run_one(builder.build())
    assert_reconciled(order)
    lines = by_key(lines)
    wrap, promo = lines["gift_wrap:10000000000001"], lines["promotion:10000000000001"]
    assert (wrap["kind"], wrap["product_ref"], wrap["price_unit"]) == ("gift_wrap", "AMZ-GIFTWRAP", D("3.99"))
    assert odoo_line_amounts(wrap["price_unit"], 1, wrap["tax_rate"], False)[1] == D("0.35")
    assert (promo["kind"], promo["product_ref"], promo["price_unit"]) == ("promotion", "AMZ-PROMOTION", D("-4.00"))
    assert promo["tax_rate"] > 0 and "PROMO-1" in promo["name"]
    assert odoo_line_amounts(promo["price_unit"], 1, promo["tax_rate"], False)[1] == D("-0.36")


def test_cod_fee_goes_on_the_generic_sale_product():
    builder = OrderBuilder(marketplace="JP")
    builder.item(item="5980").with_charge("COD_FEE", "330")
    order, lines = run_one(builder.build(), marketplace="JP")
    assert_reconciled(order)
    fee = by_key(lines)["cod_fee:10000000000001"]
    assert (fee["kind"], fee["product_ref"], fee["price_unit"], fee["amazon_item_id"]) == (
        "product",
        "AMZ-SALE",
        330,
        None,
    )


def test_gift_messages_become_one_note_line_and_an_order_value():
    builder = OrderBuilder()
    builder.item().gift("Happy birthday!")
    builder.item().gift("Happy birthday!")
    builder.item().gift("Love, Mum")
    order, lines = run_one(builder.build())
    note = lines[-1]
    assert (note["line_key"], note["kind"], note["quantity"], note["price_unit"], note["product_ref"]) == (
        "note:gift",
        "note",
        0,
        D(0),
        None,
    )
    assert note["name"] == "Gift message: Happy birthday!\nGift message: Love, Mum"
    assert order["order_values"]["gift_message"] == "Happy birthday!\nLove, Mum"
    assert_reconciled(order)


def test_product_lines_map_skus_and_keep_unknown_ones():
    builder = OrderBuilder()
    builder.item(sku="AMZ-RED", title="Red mug", item="12.00", quantity=4)
    builder.item(sku="UNMAPPED", title="Blue mug")
    _, lines = run_one(builder.build(), odoo=OdooSettings(sku_map={"AMZ-RED": "MUG-R"}))
    red, blue = lines
    assert (red["line_key"], red["kind"], red["sku"], red["product_ref"], red["name"]) == (
        "item:10000000000001",
        "product",
        "AMZ-RED",
        "MUG-R",
        "[AMZ-RED] Red mug",
    )
    assert (red["quantity"], red["price_unit"], red["amazon_item_id"]) == (4, D("3.00"), "10000000000001")
    assert blue["product_ref"] == "UNMAPPED"


def test_sequences_ascend_and_keys_are_unique_and_stable():
    builder = OrderBuilder()
    builder.item().with_charge("SHIPPING", "1.00").gift("Hi")
    builder.item().with_charge("SHIPPING", "1.00").with_discount("ITEM", "-1.00")
    payload = builder.build()
    _, first = run_one(payload)
    _, second = run_one(json.loads(json.dumps(payload)))
    assert first == second
    keys = [line["line_key"] for line in first]
    assert len(set(keys)) == len(keys)
    sequences = [line["sequence"] for line in first]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    assert [line["kind"] for line in first] == ["product", "product", "shipping", "shipping", "promotion", "note"]


def test_unreproducible_unit_price_is_flagged_not_fudged():
    builder = OrderBuilder()
    builder.item(item="1000.00", quantity=300).with_tax(item="88.75")
    order, lines = run_one(builder.build())
    assert order["total_mismatch"] is True and order["state"] == "pending"
    assert order["message"] == (
        "Odoo total 1088.74 differs from Amazon total 1088.75 (unit price 3.3333 x 300 does not reproduce item 1000.00)"
    )
    assert len(lines) == 1


def test_tax_without_a_reproducing_rate_is_flagged():
    builder = OrderBuilder()
    builder.item(item="10.00").with_charge("SHIPPING", "0.00").with_tax(item="0.80", shipping="0.10")
    order, _ = run_one(builder.build())
    assert order["total_mismatch"] is True
    assert "no tax rate reproduces shipping tax 0.10 on 0.00" in order["message"]


def test_amazon_grand_total_inconsistent_with_its_items_is_flagged():
    builder = OrderBuilder()
    builder.item(item="10.00")
    payload = builder.build()
    payload["proceeds"]["grandTotal"]["amount"] = "10.01"
    order, _ = run_one(payload)
    assert order["message"] == "Odoo total 10.00 differs from Amazon total 10.01 (Amazon's items add up to 10.00)"


# -- report rows -----------------------------------------------------------------------------------------------


def _comparable(lines: list[dict]) -> list[tuple]:
    return [
        (
            line["kind"],
            line["sku"],
            line["product_ref"],
            line["name"],
            line["quantity"],
            line["price_unit"],
            line["tax_rate"],
            line["tax_included"],
        )
        for line in lines
    ]


@pytest.mark.parametrize("marketplace", ["US", "DE"])
def test_report_rows_give_the_same_lines_and_totals_as_the_api_order(marketplace):
    us = marketplace == "US"
    builder = OrderBuilder(marketplace=marketplace)
    first = builder.item(sku="MUG", title="Mug", item="29.97", quantity=3).with_charge("SHIPPING", "5.99")
    first.with_discount("SHIPPING", "-1.00").with_discount("ITEM", "-3.00").promotions("P1")
    second = builder.item(sku="CUP", title="Cup", item="9.99").with_charge("GIFT_WRAP", "2.00")
    if us:
        first.with_tax(item="2.66", shipping="0.53")
        second.with_tax(item="0.89", gift_wrap="0.18")
    api_order, api_lines = run_one(builder.build(), marketplace=marketplace)

    currency = "USD" if us else "EUR"
    rows = [
        report_row(
            sku="MUG",
            **{
                "product-name": "Mug",
                "quantity": "3",
                "currency": currency,
                "item-price": "29.97",
                # Germany: the VAT inside the gross prices, not to be added.
                "item-tax": "2.66" if us else "4.31",
                "shipping-price": "5.99",
                "shipping-tax": "0.53" if us else "0.80",
                "ship-promotion-discount": "-1.00",
                "item-promotion-discount": "-3.00",
                "promotion-ids": "P1",
            },
        ),
        report_row(
            sku="CUP",
            **{
                "product-name": "Cup",
                "currency": currency,
                "item-price": "9.99",
                "item-tax": "0.89" if us else "0.00",
                "gift-wrap-price": "2.00",
                "gift-wrap-tax": "0.18" if us else "0.00",
            },
        ),
    ]
    report_order, report_lines = run_one({"rows": rows}, marketplace=marketplace, source="report")
    assert_reconciled(api_order)
    assert_reconciled(report_order)
    assert report_order["amazon_total"] == api_order["amazon_total"]
    assert _comparable(report_lines) == _comparable(api_lines)
    assert [line["line_key"] for line in report_lines][:2] == ["item:MUG#0", "item:CUP#1"]
    assert all(line["amazon_item_id"] is None for line in report_lines)


def test_report_partner_has_no_name_but_the_ship_to_place():
    order, _ = run_one({"rows": [report_row(order_id="111-0000000-0000009")]}, source="report")
    partner = order["partner"]
    assert partner["name"] == "Amazon Customer 111-0000000-0000009"
    # The region as Amazon sent it: the load resolves it against Odoo's states (tests/unit/transform/test_regions.py).
    assert (partner["city"], partner["state_code"], partner["zip"], partner["country_code"]) == (
        "Springfield",
        "California",
        "90001",
        "US",
    )
    assert partner["street"] is None and partner["email"] is None and partner["amazon_buyer_key"] is None
    # A report gives no street: no delivery address to create even for FBM.
    assert order["shipping_partner"] is None


# -- state policy ----------------------------------------------------------------------------------------------

POLICY = {
    # status: (AFN, MFN)
    "PENDING": ("waiting", "waiting"),
    "UNSHIPPED": ("waiting", "pending"),
    "PARTIALLY_SHIPPED": ("pending", "pending"),
    "SHIPPED": ("pending", "pending"),
    "CANCELLED": ("pending", "pending"),
    "UNFULFILLABLE": ("waiting", "waiting"),
}


@pytest.mark.parametrize("status", sorted(POLICY))
@pytest.mark.parametrize("channel", ["AFN", "MFN"])
def test_status_policy(status, channel):
    expected = POLICY[status][0 if channel == "AFN" else 1]
    assert load_state(status, channel) == expected
    builder = OrderBuilder(status=status, fulfilled_by="AMAZON" if channel == "AFN" else "MERCHANT")
    builder.item()
    order, _ = run_one(builder.build())
    assert (order["state"], order["amazon_status"], order["fulfillment_channel"]) == (expected, status, channel)
    assert (order["message"] is not None) == (expected == "waiting")


# -- customers -------------------------------------------------------------------------------------------------


def test_fbm_partner_and_delivery_address():
    builder = OrderBuilder(marketplace="US")
    builder.item()
    builder.buyer = {"buyerName": "Jane Doe", "buyerEmail": "abc@marketplace.amazon.com", "buyerCompanyName": "Doe Inc"}
    builder.recipient["name"] = "John Roe"
    order, _ = run_one(builder.build())
    partner, shipping = order["partner"], order["shipping_partner"]
    assert partner == {
        "name": "Jane Doe",
        "email": "abc@marketplace.amazon.com",
        "street": "1 Main St",
        "street2": "Apt 2, Rear",
        "city": "Springfield",
        "zip": "90001",
        "state_code": "California",
        "country_code": "US",
        "phone": "+1 555 0100",
        "lang": "en_US",
        "is_company": False,
        "company_name": "Doe Inc",
        "amazon_buyer_key": partner["amazon_buyer_key"],
        "company": partner["company"],
    }
    assert len(partner["amazon_buyer_key"]) == 64
    assert shipping["type"] == "delivery" and shipping["name"] == "John Roe" and shipping["state_code"] == "California"


def test_buyer_key_is_stable_and_changes_with_name_or_email():
    def key(name, email):
        builder = OrderBuilder(buyer={"buyerName": name, "buyerEmail": email})
        builder.item()
        return run_one(builder.build())[0]["partner"]["amazon_buyer_key"]

    assert key("Jane Doe", "a@marketplace.amazon.com") == key("jane doe ", "A@marketplace.amazon.com")
    assert key("Jane Doe", "a@marketplace.amazon.com") != key("John Doe", "a@marketplace.amazon.com")
    assert key("Jane Doe", "a@marketplace.amazon.com") != key("Jane Doe", "b@marketplace.amazon.com")


def test_north_american_fba_order_without_buyer_name():
    builder = OrderBuilder(order_id="113-1234567-7654321", fulfilled_by="AMAZON", buyer=None, recipient=None)
    builder.item()
    order, _ = run_one(builder.build())
    assert order["partner"]["name"] == "Amazon Customer 113-1234567-7654321"
    assert order["partner"]["amazon_buyer_key"] is None
    assert order["shipping_partner"] is None
    assert order["order_values"]["fulfillment"] == "FBA"


def test_fba_order_keeps_the_address_on_the_partner_only():
    builder = OrderBuilder(fulfilled_by="AMAZON")
    builder.item()
    order, _ = run_one(builder.build())
    assert order["shipping_partner"] is None and order["partner"]["city"] == "Springfield"


def test_unicode_names_and_state_names_survive():
    builder = OrderBuilder(
        marketplace="CA", buyer={"buyerName": "Zoë Ñúñez-山田", "buyerEmail": "z@marketplace.amazon.ca"}
    )
    builder.recipient.update(
        {"name": "Zoë Ñúñez-山田", "stateOrRegion": "Québec", "countryCode": "CA", "city": "Montréal"}
    )
    builder.item(title="Tasse à café ☕")
    order, lines = run_one(builder.build(), marketplace="CA")
    assert order["partner"]["name"] == "Zoë Ñúñez-山田"
    assert (order["partner"]["state_code"], order["partner"]["city"]) == ("Québec", "Montréal")
    assert lines[0]["name"] == "[SKU-1] Tasse à café ☕"


@pytest.mark.parametrize(
    ("state", "country", "code"), [("England", "GB", "England"), ("WA", "US", "WA"), ("Nowhere", "US", "Nowhere")]
)
def test_state_codes_are_kept_when_not_mappable(state, country, code):
    builder = OrderBuilder(marketplace="UK" if country == "GB" else "US")
    builder.recipient.update({"stateOrRegion": state, "countryCode": country})
    builder.item()
    order, _ = run_one(builder.build(), marketplace=builder.marketplace)
    assert order["partner"]["state_code"] == code


# -- order values ----------------------------------------------------------------------------------------------


def test_order_values():
    builder = OrderBuilder(
        order_id="111-2222222-3333333", created="2026-03-01T22:30:15-05:00", programs=["AMAZON_BUSINESS"]
    )
    builder.buyer["buyerPurchaseOrderNumber"] = "PO-42"
    builder.item()
    odoo = OdooSettings(company="Acme GmbH", warehouse="WH2", sales_team="Amazon US", salesperson="bot@acme.test")
    order, _ = run_one(builder.build(), odoo=odoo, run_id="scheduled__2026-03-02")
    assert order["order_values"] == {
        "client_order_ref": "PO-42",
        "origin": "Amazon US 111-2222222-3333333",
        "date_order": "2026-03-02 03:30:15",
        "currency": "USD",
        "team": "Amazon US",
        "salesperson": "bot@acme.test",
        "company": "Acme GmbH",
        "warehouse": "WH2",
        "fulfillment": "FBM",
        "gift_message": None,
        "is_business": True,
        "purchase_order_number": "PO-42",
        "amazon_shipped": {"item:10000000000001": 1},
    }
    assert order["run_id"] == "scheduled__2026-03-02"


# -- bad input -------------------------------------------------------------------------------------------------


def _good(order_id: str) -> dict:
    builder = OrderBuilder(order_id=order_id)
    builder.item()
    return builder.build()


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        (
            lambda o: o["orderItems"][0].update(quantityOrdered=0),
            "orderItems[0].quantityOrdered: must be a positive integer",
        ),
        (
            lambda o: o["orderItems"][0].update(quantityOrdered=50_000),
            "orderItems[0].quantityOrdered: must be at most 10000",
        ),
        (
            lambda o: o["orderItems"][0]["proceeds"]["breakdowns"][0]["subtotal"].update(amount="-5.00"),
            "item amount must not be negative",
        ),
        (
            lambda o: o["orderItems"][0]["proceeds"]["breakdowns"][0]["subtotal"].update(currencyCode="EUR"),
            "must be the marketplace currency USD, got EUR",
        ),
        (
            lambda o: o["fulfillment"].update(fulfillmentStatus="WHATEVER"),
            "fulfillment.fulfillmentStatus: unknown status",
        ),
        (lambda o: o.update(orderItems=[]), "orderItems: missing"),
        (
            lambda o: o["orderItems"][0]["proceeds"]["breakdowns"][0]["subtotal"].update(amount="abc"),
            "subtotal.amount: must be a decimal number",
        ),
    ],
)
def test_a_bad_order_is_an_error_row_and_the_others_go_on(spoil, field):
    bad = _good("111-0000000-0000002")
    spoil(bad)
    orders, lines = run(_good("111-0000000-0000001"), bad, _good("111-0000000-0000003"))
    assert [o["state"] for o in orders] == ["pending", "error", "pending"]
    error = orders[1]
    assert error["message"].startswith("account acme, marketplace US, order 111-0000000-0000002: ")
    assert field in error["message"]
    assert error["order_values"] is None and error["partner"] is None and error["payload_hash"] == "0" * 64
    assert error["amazon_status"] == "Shipped" and isinstance(error["last_updated"], datetime)
    assert {line["amazon_order_id"] for line in lines} == {"111-0000000-0000001", "111-0000000-0000003"}


def test_unexpected_payload_shapes_never_raise_nor_leak():
    frame = raw_frame(
        raw_row({"orderId": "111-0000000-0000001"}),
        {**raw_row(_good("111-0000000-0000002")), "payload": ["Secret Person"]},
        {**raw_row(_good("111-0000000-0000003")), "payload": "{not json Secret Person"},
        {**raw_row(_good("111-0000000-0000004")), "source": "scraper"},
        {**raw_row(_good("111-0000000-0000005")), "marketplace": "CA"},
        {**raw_row(_good("111-0000000-0000006")), "amazon_order_id": "111-0000000-0000099"},
        {
            **raw_row({"rows": [report_row(order_id="111-0000000-0000007")]}, source="report"),
            "payload": {"rows": "Secret"},
        },
    )
    orders = transform_orders(frame, context()).order_records()
    assert [o["state"] for o in orders] == ["error"] * 7
    assert all("Secret" not in o["message"] for o in orders)
    messages = [o["message"].split(": ", 1)[1] for o in orders]
    assert messages == [
        "fulfillment.fulfillmentStatus: missing (request includedData FULFILLMENT)",
        "order: must be an object",
        "payload: unexpected shape (JSONDecodeError)",
        "source: unknown source 'scraper'",
        "marketplace: row of marketplace CA in a run for US",
        "orderId: differs from the raw row's amazon_order_id",
        "rows: missing",
    ]


def test_payload_may_arrive_as_json_text():
    frame = raw_frame({**raw_row(_good("111-0000000-0000001")), "payload": json.dumps(_good("111-0000000-0000001"))})
    assert transform_orders(frame, context()).order_records()[0]["state"] == "pending"


# -- result shape ----------------------------------------------------------------------------------------------


def test_records_are_plain_python_values_with_exactly_the_staging_columns():
    builder = OrderBuilder()
    builder.item(item="19.99", quantity=2).with_tax(item="1.77").gift("Hi")
    bad = _good("111-0000000-0000002")
    bad["orderItems"][0]["quantityOrdered"] = 0
    result = transform_orders(raw_frame(raw_row(builder.build()), raw_row(bad)), context(run_id="r1"))
    assert tuple(result.orders.columns) == ORDER_COLUMNS and tuple(result.lines.columns) == LINE_COLUMNS
    for record in result.order_records() + result.line_records():
        for value in record.values():
            assert type(value).__module__ in ("builtins", "decimal", "datetime"), (type(value), value)
    good = result.order_records()[0]
    assert good["last_updated"].utcoffset().total_seconds() == 0
    assert isinstance(good["amazon_total"], D) and isinstance(good["partner"], dict)
    json.dumps([good["partner"], good["shipping_partner"], good["order_values"]])  # JSON columns stay JSON


def test_empty_input_gives_empty_frames_with_the_columns():
    result = transform_orders(pd.DataFrame(columns=["account", "marketplace", "amazon_order_id"]), context())
    assert result.order_records() == [] and result.line_records() == []
    assert tuple(result.orders.columns) == ORDER_COLUMNS
