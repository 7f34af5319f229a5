"""Random orders (fixed seed), amounts up to five figures: Odoo's total equals Amazon's under both of Odoo's
rounding methods, every rate a published one (US: a combined rate of at most 3 decimals)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal as D

import pytest

from amzodoo.config.marketplaces import MARKETPLACES
from amzodoo.transform import transform_orders
from amzodoo.transform.money import round_money
from amzodoo.transform.rates import is_published
from tests.unit.transform.builders import OrderBuilder, context, raw_frame, raw_row

US_RATES = [D(r) for r in ("0", "4", "6.25", "6.35", "7.25", "8.875", "9.5", "10.25", "4.712")]


def _cents(rng: random.Random, low: int, high: int, digits: int) -> D:
    return D(rng.randint(low, high)).scaleb(-digits)


def _random_order(rng: random.Random, number: int, marketplace: str) -> dict:
    digits = 0 if marketplace == "JP" else 2
    scale = 100 if digits == 0 else 1  # yen amounts are a hundred times larger
    on_top = marketplace == "US"
    builder = OrderBuilder(order_id=f"111-0000000-{number:07d}", marketplace=marketplace)
    rate = rng.choice(US_RATES)

    def tax(amount: D) -> str:
        return str(round_money(amount * rate / 100, digits))

    for _ in range(rng.randint(1, 5)):
        quantity = rng.randint(1, 99)
        unit = _cents(rng, 0, 50_000 * scale, digits) if rng.random() > 0.05 else D(0)
        item = builder.item(item=str(unit * quantity), quantity=quantity, title="Ärger & Co ✓")
        taxes = {"item": tax(unit * quantity)}
        if rng.random() < 0.5:
            shipping = _cents(rng, 1, 2_000 * scale, digits)
            item.with_charge("SHIPPING", str(shipping))
            taxes["shipping"] = tax(shipping)
            if rng.random() < 0.3:
                item.with_discount("SHIPPING", str(-shipping))
                taxes["discount"] = str(-D(tax(shipping)))
        if rng.random() < 0.2:
            wrap = _cents(rng, 1, 500 * scale, digits)
            item.with_charge("GIFT_WRAP", str(wrap))
            taxes["gift_wrap"] = tax(wrap)
        if rng.random() < 0.3 and "discount" not in taxes:
            discount = min(_cents(rng, 1, 1_000 * scale, digits), unit * quantity)
            item.with_discount("ITEM", str(-discount))
            if rng.random() < 0.5:
                taxes["discount"] = str(-D(tax(discount)))
            else:  # tax charged on the price after the promotion, as one item tax
                taxes["item"] = tax(unit * quantity - discount)
        if rng.random() < 0.2:
            item.gift("Für dich 🎁")
        if on_top:
            item.with_tax(**taxes)
    return builder.build()


@pytest.mark.parametrize("method", ["round_per_line", "round_globally"])
@pytest.mark.parametrize("marketplace", ["US", "DE", "UK", "JP"])
def test_random_orders_reconcile(marketplace, method):
    rng = random.Random(f"amzodoo-{marketplace}")
    payloads = [_random_order(rng, number, marketplace) for number in range(300)]
    result = transform_orders(raw_frame(*(raw_row(p, marketplace=marketplace) for p in payloads)),
                              context(marketplace, tax_rounding=method))
    orders = result.order_records()
    assert len(orders) == 300
    for order in orders:
        assert order["state"] == "pending", order["message"]
        assert order["total_mismatch"] is False, order["message"]
        assert order["odoo_total"] == order["amazon_total"]
    country = MARKETPLACES[marketplace].country_code
    for line in result.line_records():
        if line["tax_rate"] is not None:
            assert is_published(line["tax_rate"], country, date(2026, 3, 1)), line
    keys = [(line["amazon_order_id"], line["line_key"]) for line in result.line_records()]
    assert len(keys) == len(set(keys))
