"""Line amounts: Odoo's half-up rounding, included and excluded taxes, fixed taxes, discounts, global rounding."""

from __future__ import annotations

import pytest

from amzodoo_sandbox.odoo.models.taxes import LineAmounts, TaxSpec, line_amounts, order_totals, round_money

VAT20 = TaxSpec("percent", 20.0, False, 1)
VAT20_INCLUDED = TaxSpec("percent", 20.0, True, 2)


@pytest.mark.parametrize(("value", "rounding", "expected"), [
    (2.675, 0.01, 2.68), (-2.675, 0.01, -2.68), (1.005, 0.01, 1.01), (149.5, 1.0, 150.0), (0.125, 0.05, 0.15),
])
def test_round_money_is_half_up(value: float, rounding: float, expected: float) -> None:
    assert round_money(value, rounding) == expected


def test_excluded_tax_with_discount() -> None:
    assert line_amounts(19.99, 3, 10.0, [VAT20], 0.01) == LineAmounts(53.97, 10.79, 64.76)


def test_included_tax_keeps_the_paid_total() -> None:
    amounts = line_amounts(19.99, 3, 0.0, [VAT20_INCLUDED], 0.01)
    assert amounts.total == 59.97
    assert amounts.subtotal + amounts.tax == amounts.total
    assert amounts == LineAmounts(49.97, 10.0, 59.97)


def test_fixed_and_percent_taxes_together() -> None:
    fixed = TaxSpec("fixed", 1.5, False)
    assert line_amounts(10.0, 2, 0.0, [fixed, VAT20], 0.01) == LineAmounts(20.0, 7.0, 27.0)


def test_included_fixed_tax_comes_off_before_the_percentage() -> None:
    fixed = TaxSpec("fixed", 2.0, True)
    assert line_amounts(26.0, 1, 0.0, [fixed, VAT20_INCLUDED], 0.01) == LineAmounts(20.0, 6.0, 26.0)


def test_division_tax() -> None:
    division = TaxSpec("division", 10.0, False)
    assert line_amounts(90.0, 1, 0.0, [division], 0.01) == LineAmounts(90.0, 10.0, 100.0)


def test_zero_decimal_currency() -> None:
    assert line_amounts(999.0, 1, 0.0, [TaxSpec("percent", 10.0, False)], 1.0) == LineAmounts(999.0, 100.0, 1099.0)


def test_global_rounding_leaves_lines_unrounded() -> None:
    unrounded = line_amounts(0.333, 3, 0.0, [VAT20], 0.01, round_per_line=False)
    assert unrounded.subtotal == pytest.approx(0.999)
    assert unrounded.tax == pytest.approx(0.1998)


def test_global_rounding_keeps_tax_included_orders_at_what_was_paid() -> None:
    """Four VAT-included lines whose separately rounded base and tax would total 131.84 instead of 131.85."""
    prices = [25.6, 25.77, 25.16, 55.32]
    lines = [line_amounts(p, 1, 0.0, [VAT20_INCLUDED], 0.01, round_per_line=False) for p in prices]
    assert order_totals(lines, 0.01, round_per_line=False) == (109.87, 21.98, 131.85)


def test_global_rounding_rounds_excluded_taxes_once_per_tax() -> None:
    lines = [line_amounts(1.11, 1, 0.0, [TaxSpec("percent", 15.0, False, 1)], 0.01, False)] * 3
    assert order_totals(lines, 0.01, round_per_line=False) == (3.33, 0.5, 3.83)
    per_line = [line_amounts(1.11, 1, 0.0, [TaxSpec("percent", 15.0, False, 1)], 0.01)] * 3
    assert order_totals(per_line, 0.01, round_per_line=True) == (3.33, 0.51, 3.84)


def test_global_rounding_rounds_the_untaxed_amount_once_over_the_order_not_per_tax() -> None:
    """Odoo 19 rounds the bases of all lines together when a tax is price-excluded: 1.004 taxed at 10 % and
    1.004 untaxed make 2.008 -> 2.01 (per tax group it would be 1.00 + 1.00)."""
    lines = [line_amounts(1.004, 1, 0.0, [TaxSpec("percent", 10.0, False, 1)], 0.01, False),
             line_amounts(1.004, 1, 0.0, [], 0.01, False)]
    assert order_totals(lines, 0.01, round_per_line=False) == (2.01, 0.1, 2.11)


def test_round_money_tolerates_float_sums_below_a_half() -> None:
    assert round_money(1.005 + 1.005 + 0.005, 0.01) == 2.02


def test_global_rounding_rounds_each_tax_on_its_own() -> None:
    """Two taxes with the same rate are two roundings: 0.005 + 0.005 under one tax is 0.01, under two 0.02."""
    low_a, low_b = TaxSpec("percent", 5.0, False, 1), TaxSpec("percent", 5.0, False, 2)
    same = [line_amounts(0.1, 1, 0.0, [low_a], 0.01, False)] * 2
    apart = [line_amounts(0.1, 1, 0.0, [low_a], 0.01, False), line_amounts(0.1, 1, 0.0, [low_b], 0.01, False)]
    assert order_totals(same, 0.01, round_per_line=False)[1] == 0.01
    assert order_totals(apart, 0.01, round_per_line=False)[1] == 0.02


def test_per_line_rounding_taxes_the_rounded_base() -> None:
    """Odoo rounds quantity x price first (3 x 3.3335 = 10.0005 -> 10.00) and taxes that: 10 % gives 1.00."""
    assert line_amounts(3.3335, 3, 0.0, [TaxSpec("percent", 10.0, False, 1)], 0.01) == LineAmounts(10.0, 1.0, 11.0)
