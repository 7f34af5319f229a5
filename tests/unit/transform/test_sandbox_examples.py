"""Amazon's own example orders (the 200 responses of the Orders 2026-01-01 model) through the whole transform."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from amzodoo.config.marketplaces import BY_MARKETPLACE_ID
from amzodoo.config.model import OdooSettings
from amzodoo.transform import TransformContext, canonical_from_api, transform_orders
from tests.unit.transform.builders import raw_frame, raw_row, sandbox_orders


def _examples() -> dict[str, dict]:
    return {order["orderId"]: order for order in sandbox_orders()}


EXAMPLES = _examples()
# Amazon's examples invent their tax amounts: 0.02 on 99.98, 10.00 on 39.99 in the US, 3.00 on 89.97 and 1.00 on
# 10.00 in the UK. No jurisdiction charges those rates, so the connector puts no invented rate on them and flags
# the orders; the other examples reconcile to the cent.
UNREAL_TAX = {"123-4567890-1234567", "114-9876543-1234567", "202-1234567-8901234"}


def _transform(order: dict):
    marketplace = BY_MARKETPLACE_ID[order["salesChannel"]["marketplaceId"]]
    ctx = TransformContext(account="acme", marketplace=marketplace, odoo=OdooSettings())
    result = transform_orders(raw_frame(raw_row(order, marketplace=marketplace.code)), ctx)
    return result.order_records()[0], result.line_records()


@pytest.mark.parametrize("order_id", sorted(set(EXAMPLES) - UNREAL_TAX))
def test_every_example_with_real_taxes_reconciles(order_id):
    order, lines = _transform(EXAMPLES[order_id])
    assert order["state"] == "pending", order["message"]
    assert order["total_mismatch"] is False, order["message"]
    assert order["partner"]["name"]
    assert lines and lines[0]["kind"] == "product"


@pytest.mark.parametrize("order_id", sorted(UNREAL_TAX))
def test_examples_with_invented_taxes_are_flagged_without_invented_rates(order_id):
    order, lines = _transform(EXAMPLES[order_id])
    assert order["state"] == "pending" and order["total_mismatch"] is True
    assert "no US sales tax rate" in order["message"] or "matches no published rate of GB" in order["message"]
    assert all(line["tax_rate"] is None for line in lines)


def test_us_example_tax_on_top_and_delivery_tip():
    order, lines = _transform(EXAMPLES["123-4567890-1234567"])
    assert order["amazon_total"] == D("149.99")  # 154.99 less the 5.00 delivery tip
    assert order["odoo_total"] == D("149.97")  # the 0.02 "tax" (0.02 %) has no rate and is not rounded away
    assert [(line["line_key"], line["tax_rate"], line["tax_included"]) for line in lines] == [
        ("item:12345678901234", None, False),
        ("item:12345678901235", None, False),
        ("note:gift", None, False),
    ]
    assert lines[-1]["name"] == "Gift message: Happy Holidays! Enjoy your new smart speakers."
    assert order["order_values"]["is_business"] is True
    assert order["order_values"]["purchase_order_number"] == "PO-2024-12345"


def test_uk_example_with_itemised_tax():
    order, lines = _transform(EXAMPLES["202-1234567-8901234"])
    assert order["amazon_total"] == D("103.97")
    assert [(line["kind"], line["price_unit"], line["tax_rate"]) for line in lines[:2]] == [
        ("product", D("29.99"), None),
        ("shipping", D("10.00"), None),
    ]
    assert "item tax 3.00 on 89.97 (3.334 %) matches no published rate of GB (published: 20 %, 5 %)" in (
        order["message"])


def test_jp_example_in_yen_with_included_consumption_tax():
    order, lines = _transform(EXAMPLES["250-1234567-8901234"])
    assert order["amazon_total"] == D("19940") and order["currency"] == "JPY"
    assert {(line["tax_rate"], line["tax_included"]) for line in lines} == {(D("10"), True)}
    assert order["partner"]["lang"] == "ja_JP"


def test_brazil_business_example():
    order, _ = _transform(EXAMPLES["171-2345678-9012345"])
    canonical = canonical_from_api(EXAMPLES["171-2345678-9012345"], BY_MARKETPLACE_ID["A2Q3Y263D00KWC"])
    assert canonical.buyer.company == "Oliveira Tecnologia Ltda"
    assert order["shipping_partner"]["state_code"] == "SP"
    assert order["order_values"]["purchase_order_number"] == "PO-BR-2024-5678"


def test_in_store_pickup_example_without_buyer():
    order, lines = _transform(EXAMPLES["114-9876543-1234567"])
    assert order["partner"]["name"] == "Test Store #1234"  # recipient name when the buyer is not included
    assert order["partner"]["amazon_buyer_key"] is None
    assert lines[0]["tax_rate"] is None  # 10.00 on 39.99 is 25 %: no US rate
