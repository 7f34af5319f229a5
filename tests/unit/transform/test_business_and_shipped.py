"""Amazon Business buyers (company, PO number) and FBM orders Amazon already shipped, as the transform stages them."""

from __future__ import annotations

import pytest

from amzodoo.odoo import binding
from amzodoo.transform import transform_orders
from amzodoo.transform.business import company_key, company_ref
from tests.unit.transform.builders import OrderBuilder, context, raw_frame, raw_row, report_row


def run(payload: dict, *, marketplace: str = "US", source: str = "getOrder") -> tuple[list[dict], list[dict]]:
    result = transform_orders(raw_frame(raw_row(payload, marketplace=marketplace, source=source)),
                              context(marketplace))
    return result.order_records(), result.line_records()


def run_one(payload: dict, **kwargs) -> tuple[dict, list[dict]]:
    (order,), lines = run(payload, **kwargs)
    return order, lines


def business_order(company: str = "Smith Industries LLC", *, marketplace: str = "US", po: str | None = "PO-77",
                   order_id: str = "111-0000000-0000001") -> OrderBuilder:
    builder = OrderBuilder(order_id=order_id, marketplace=marketplace, programs=["AMAZON_BUSINESS"])
    builder.buyer = {"buyerName": "John Smith", "buyerEmail": "x1@marketplace.amazon.com",
                     "buyerCompanyName": company, **({"buyerPurchaseOrderNumber": po} if po else {})}
    builder.recipient.update({"companyName": company, "addressType": "COMMERCIAL"})
    builder.item()
    return builder


# -- business buyers --------------------------------------------------------------------------------------------


def test_business_order_stages_the_company_with_the_delivery_address_and_the_po_as_customer_reference():
    order, _ = run_one(business_order().build())
    company = order["partner"]["company"]
    assert company == {
        "name": "Smith Industries LLC",
        "amazon_company_key": company_key("US", "Smith Industries LLC"),
        "street": "1 Main St",
        "street2": "Apt 2, Rear",
        "city": "Springfield",
        "zip": "90001",
        "state_code": "California",  # as Amazon sent it: the load resolves it against Odoo's states
        "country_code": "US",
    }
    # The buyer stays the person; the company is their parent in Odoo.
    assert order["partner"]["name"] == "John Smith" and order["partner"]["amazon_buyer_key"]
    assert order["order_values"]["client_order_ref"] == "PO-77"


def test_without_a_po_number_the_customer_reference_is_the_amazon_order_id():
    order, _ = run_one(business_order(po=None, order_id="111-2222222-3333333").build())
    assert order["order_values"]["client_order_ref"] == "111-2222222-3333333"
    assert order["partner"]["company"]["name"] == "Smith Industries LLC"


def test_consumer_order_has_no_company():
    builder = OrderBuilder()
    builder.item()
    order, _ = run_one(builder.build())
    assert order["partner"]["company"] is None


@pytest.mark.parametrize("spelling", ["Smith Industries LLC", "SMITH  industries, LLC.", " smith industries llc "])
def test_one_business_one_key_however_the_buyer_spells_it(spelling):
    first, _ = run_one(business_order().build())
    again, _ = run_one(business_order(spelling, order_id="111-0000000-0000002").build())
    assert again["partner"]["company"]["amazon_company_key"] == first["partner"]["company"]["amazon_company_key"]


def test_company_key_differs_by_name_and_marketplace_and_carries_no_name():
    key = company_key("US", "Smith Industries LLC")
    assert key != company_key("US", "Smith Industries Inc") and key != company_key("CA", "Smith Industries LLC")
    assert company_ref(key) == f"amazon-business:{key}" and "smith" not in company_ref(key).lower()


def test_report_rows_carry_no_company():
    rows = [report_row(**{"is-business-order": "true", "purchase-order-number": "PO-9"})]
    order, _ = run_one({"rows": rows}, source="report")
    assert order["partner"]["company"] is None and order["order_values"]["client_order_ref"] == "PO-9"


# -- FBM orders Amazon already shipped ----------------------------------------------------------------------------


def fbm_order(status: str, fulfilled: dict[int, int] | None = None, *, key: str = "quantityFulfilled",
              fulfilled_by: str = "MERCHANT") -> dict:
    """Two items (3 and 2 units); ``fulfilled`` gives an item index -> its fulfilment figure."""
    builder = OrderBuilder(status=status, fulfilled_by=fulfilled_by)
    builder.item(quantity=3, item="30.00")
    builder.item(quantity=2, item="20.00")
    payload = builder.build()
    for index, value in (fulfilled or {}).items():
        payload["orderItems"][index]["fulfillment"] = {key: value}
    return payload


def test_partially_shipped_order_stages_what_amazon_shipped_per_product_line():
    order, lines = run_one(fbm_order("PARTIALLY_SHIPPED", {0: 2, 1: 0}))
    assert order["order_values"]["amazon_shipped"] == {"item:10000000000001": 2}
    product_keys = {li["line_key"] for li in lines if li["kind"] == "product"}
    assert set(order["order_values"]["amazon_shipped"]) <= product_keys


def test_shipped_units_read_from_what_is_left_when_amazon_gives_only_that():
    order, _ = run_one(fbm_order("PARTIALLY_SHIPPED", {0: 1, 1: 2}, key="quantityUnfulfilled"))
    assert order["order_values"]["amazon_shipped"] == {"item:10000000000001": 2}


def test_wholly_shipped_order_is_shipped_whole_whatever_the_items_say():
    order, _ = run_one(fbm_order("SHIPPED"))
    assert order["order_values"]["amazon_shipped"] == {"item:10000000000001": 3, "item:10000000000002": 2}
    assert order["state"] == "pending"  # it still goes to Odoo


@pytest.mark.parametrize(("status", "fulfilled_by"), [("UNSHIPPED", "MERCHANT"), ("PARTIALLY_SHIPPED", "MERCHANT"),
                                                      ("SHIPPED", "AMAZON"), ("CANCELLED", "MERCHANT")])
def test_nothing_staged_as_shipped_by_amazon(status, fulfilled_by):
    # Unshipped or silent FBM items keep their units on the delivery; FBA orders have their own path.
    order, _ = run_one(fbm_order(status, fulfilled_by=fulfilled_by))
    assert order["order_values"]["amazon_shipped"] == {}


def test_a_shipped_quantity_beyond_the_order_is_an_error_naming_the_field():
    order, _ = run_one(fbm_order("PARTIALLY_SHIPPED", {1: 5}))
    assert order["state"] == "error"
    assert "orderItems[1].fulfillment.quantityFulfilled" in order["message"]


def test_report_rows_ship_by_item_status():
    rows = [report_row(sku="A", quantity="2", **{"order-status": "Shipping", "item-status": "Shipped"}),
            report_row(sku="B", quantity="1", **{"order-status": "Shipping", "item-status": "Unshipped"})]
    (order,), lines = run({"rows": rows}, source="report")
    assert order["amazon_status"] == "PARTIALLY_SHIPPED"
    assert order["order_values"]["amazon_shipped"] == {"item:A#0": 2}
    assert "item:A#0" in {li["line_key"] for li in lines}


# -- the binding of Odoo orders -----------------------------------------------------------------------------------


def test_origin_is_the_binding_and_the_transform_stages_the_same_one():
    order, _ = run_one(business_order(marketplace="UK").build(), marketplace="UK")
    origin = binding.origin("UK", "111-0000000-0000001")
    assert order["order_values"]["origin"] == origin
    assert binding.parse_origin(origin) == ("UK", "111-0000000-0000001")
    assert binding.amazon_order_id(origin) == "111-0000000-0000001"


@pytest.mark.parametrize("origin", [False, None, "S00042", "Amazon", "Amazon US", "Amazon US 1 extra", "amazon US 1"])
def test_origins_the_connector_did_not_write_bind_nothing(origin):
    assert binding.parse_origin(origin) is None
