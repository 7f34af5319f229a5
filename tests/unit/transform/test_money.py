from __future__ import annotations

import math
import random
from decimal import Decimal as D

import pytest

from amzodoo.config.marketplaces import MARKETPLACES
from amzodoo.transform.money import (
    STANDARD_VAT_RATES,
    currency_digits,
    odoo_line_amounts,
    round_money,
)
from amzodoo.transform.odoo_totals import odoo_amount_total


@pytest.mark.parametrize(
    ("price", "qty", "rate", "included", "digits", "expected"),
    [
        ("19.99", 3, "8.875", False, 2, ("59.97", "5.32", "65.29")),  # 5.3223 -> 5.32
        ("10.00", 1, "7.25", False, 2, ("10.00", "0.73", "10.73")),  # 0.725 rounds half up
        ("-10.00", 1, "7.25", False, 2, ("-10.00", "-0.73", "-10.73")),  # and away from zero below it
        ("19.99", 3, "19", True, 2, ("50.39", "9.58", "59.97")),  # gross stays the total
        ("5980", 1, "10", True, 0, ("5436", "544", "5980")),  # JPY: no decimals
        ("3.3333", 3, None, False, 2, ("10.00", "0.00", "10.00")),  # base rounded before tax
        ("12.50", 2, "0", False, 2, ("25.00", "0.00", "25.00")),
    ],
)
def test_odoo_line_amounts(price, qty, rate, included, digits, expected):
    assert odoo_line_amounts(D(price), qty, D(rate) if rate else None, included, digits) == tuple(map(D, expected))


def test_line_amounts_take_float_quantities_without_binary_noise():
    assert odoo_line_amounts(D("0.10"), 3.0, None, False) == (D("0.30"), D("0.00"), D("0.30"))


def test_order_total_sums_rounded_lines():
    lines = [
        {"price_unit": D("0.125"), "quantity": 1, "tax_rate": None, "tax_included": False},
        {"price_unit": D("0.125"), "quantity": 1, "tax_rate": None, "tax_included": False},
        {"price_unit": D("10"), "quantity": 1, "tax_rate": D("8.875"), "tax_included": False},
    ]
    # Per line: 0.13 + 0.13 + 10.89; rounding the sum instead would give 11.14.
    assert odoo_amount_total(lines, 2) == D("11.15")
    assert odoo_amount_total([], 2) == D("0.00")


def test_currency_digits():
    assert currency_digits("JPY") == 0
    assert currency_digits("usd") == 2
    assert round_money(D("2.5"), 0) == D("3")


def test_every_tax_included_marketplace_has_a_vat_rate_except_brazil():
    missing = {
        m.code for m in MARKETPLACES.values() if m.prices_include_tax and m.country_code not in STANDARD_VAT_RATES
    }
    assert missing == {"BR"}
    assert STANDARD_VAT_RATES["DE"] == D("19")
    assert STANDARD_VAT_RATES["GB"] == STANDARD_VAT_RATES["UK"] == D("20")
    assert STANDARD_VAT_RATES["SG"] == D("9")


def _odoo_float_round(value: float, digits: int) -> float:
    """Odoo 17+ ``float_round`` HALF-UP as its source describes it: scale by the inverted precision, add an
    epsilon of 2**(log2|x| - 50) away from zero, round."""
    if value == 0:
        return 0.0
    scaled = value * 10.0**digits
    epsilon = 2 ** (math.log2(abs(scaled)) - 50)
    return round(scaled + math.copysign(epsilon, scaled)) / 10.0**digits


def _odoo_float_line(price: float, qty: int, rate: float, included: bool, digits: int) -> tuple[float, float, float]:
    """Odoo's round_per_line line in floats: rounded base, tax = base * rate / 100 (excluded) or
    base * 1 / (1 + rate / 100) * rate / 100 (included, the gross kept as total)."""
    base = _odoo_float_round(price * qty, digits)
    if included:
        tax = _odoo_float_round(base * (1 / (1 + rate / 100)) * rate / 100, digits)
        return _odoo_float_round(base - tax, digits), tax, base
    tax = _odoo_float_round(base * rate / 100, digits)
    return base, tax, _odoo_float_round(base + tax, digits)


def test_exact_decimals_match_odoos_float_arithmetic_including_half_cent_ties():
    rng = random.Random(7)
    rates = ["8.875", "7.25", "6.35", "19", "20", "21", "10", "25", "5", "4.712", "0.02"]
    for _ in range(20_000):
        digits = rng.choice([0, 2])
        price = D(rng.randint(1, 100_000)).scaleb(-digits)
        qty, rate, included = rng.randint(1, 20), D(rng.choice(rates)), rng.random() < 0.5
        exact = odoo_line_amounts(price, qty, rate, included, digits)
        floats = _odoo_float_line(float(price), qty, float(rate), included, digits)
        assert [float(value) for value in exact] == pytest.approx(floats, abs=10**-digits / 10), (price, qty, rate)
