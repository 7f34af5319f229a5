"""Odoo's sale-order arithmetic, reproduced exactly, and the tax rates that make it match Amazon's totals.

Odoo (default "round per line" tax setting) rounds each line on its own: the base ``price_unit * quantity``
to the currency's decimals, then every tax amount, and sums the rounded lines. Rounding is half-up, away from
zero (``odoo.tools.float_round`` with its epsilon correction; exact ``Decimal`` gives the intended results).
For a price-included tax the line total stays the rounded gross amount and the tax is carved out of it.
Checked against Odoo 18/19 ``account.tax._get_tax_details`` (round_per_line rounds ``quantity * price_unit``
and each tax amount) and ``_round_tax_details_base_lines`` (price-included lines keep their gross total).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

# Decimal places of the currencies Amazon marketplaces use (ISO 4217 minor units); all others use 2.
_CURRENCY_DIGITS = {"JPY": 0}

# The staging column price_unit is Numeric(14, 4): unit prices are stored with this many decimals.
PRICE_DIGITS = 4

# Derived rates are stored in Numeric(8, 4) and must be plausible for a sales tax / VAT.
RATE_DIGITS = 4
MAX_RATE = Decimal(100)

# Standard VAT / GST rates in percent for the marketplaces whose prices include tax, by ISO country code,
# valid in 2026. Sources: European Commission "VAT rates applied in the Member States of the EU" (DE, FR, IT,
# ES, NL, SE, PL, BE, IE); HMRC (GB 20); Turkish Revenue Administration (KDV 20 since July 2023); UAE Federal
# Tax Authority (5); ZATCA Saudi Arabia (15 since July 2020); Egyptian Tax Authority (14); India GST council
# (18, the standard slab kept by the 2025 reform); Japan National Tax Agency (consumption tax 10, 8 reduced
# for food); Australian Taxation Office (GST 10); IRAS Singapore (GST 9 since 1 January 2024).
# Brazil is absent on purpose: ICMS differs by state and PIS/COFINS/IPI by product, so no single rate is right;
# without a configured rate BR lines carry no tax and the gross price stays the total.
STANDARD_VAT_RATES: dict[str, Decimal] = {
    code: Decimal(rate)
    for code, rate in {
        "DE": "19",
        "FR": "20",
        "GB": "20",
        "UK": "20",
        "IT": "22",
        "ES": "21",
        "NL": "21",
        "SE": "25",
        "PL": "23",
        "BE": "21",
        "IE": "23",
        "TR": "20",
        "AE": "5",
        "SA": "15",
        "EG": "14",
        "IN": "18",
        "JP": "10",
        "AU": "10",
        "SG": "9",
    }.items()
}


def currency_digits(currency: str) -> int:
    return _CURRENCY_DIGITS.get(currency.upper(), 2)


def round_money(value: Decimal, digits: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _decimal(value: Decimal | float | int | str) -> Decimal:
    # str() first: Decimal(0.1) would carry the binary float error into the arithmetic.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def odoo_line_amounts(
    price_unit: Decimal | str,
    quantity: Decimal | float | int,
    tax_rate_percent: Decimal | str | None,
    tax_included: bool,
    digits: int = 2,
) -> tuple[Decimal, Decimal, Decimal]:
    """(untaxed, tax, total) of one sale.order.line as Odoo computes it with one percent tax (or none)."""
    base = round_money(_decimal(price_unit) * _decimal(quantity), digits)
    if tax_rate_percent is None or _decimal(tax_rate_percent) == 0:
        return base, round_money(Decimal(0), digits), base
    rate = _decimal(tax_rate_percent)
    if tax_included:
        tax = round_money(base * rate / (100 + rate), digits)
        return base - tax, tax, base
    tax = round_money(base * rate / 100, digits)
    return base, tax, base + tax


def odoo_order_total(lines: Iterable[Mapping], digits: int = 2) -> Decimal:
    """sale.order.amount_total: the sum of the rounded line totals (lines with price_unit, quantity,
    tax_rate, tax_included)."""
    total = round_money(Decimal(0), digits)
    for line in lines:
        total += odoo_line_amounts(
            line["price_unit"], line["quantity"], line.get("tax_rate"), bool(line.get("tax_included")), digits
        )[2]
    return total


def _reproduces(net: Decimal, tax: Decimal, rate: Decimal, digits: int) -> bool:
    return round_money(net * rate / 100, digits) == tax


def derive_tax_rate(
    net: Decimal, tax: Decimal, digits: int = 2, candidates: Iterable[Decimal] = (), *, exact: bool = False
) -> Decimal | None:
    """A percent rate (at most 4 decimals) with which Odoo turns ``net`` into exactly ``tax``; None if none.

    ``candidates`` (rates already used in the order) win when they reproduce the tax, so one order does not
    spread over near-identical taxes. Otherwise the rate with the fewest decimals is chosen, and among those the
    one closest to tax / net. ``exact`` asks for the 4-decimal rate closest to tax / net instead (for Odoo
    companies that round taxes globally, where the unrounded amount matters).
    """
    if tax == 0:
        return Decimal(0)
    if net == 0 or (net > 0) != (tax > 0):
        return None
    if exact:
        rate = (tax * 100 / net).quantize(Decimal(1).scaleb(-RATE_DIGITS), rounding=ROUND_HALF_UP)
        return rate if 0 < rate <= MAX_RATE and _reproduces(net, tax, rate, digits) else None
    for rate in candidates:
        if rate is not None and 0 <= rate <= MAX_RATE and _reproduces(net, tax, rate, digits):
            return rate
    half = Decimal(1).scaleb(-digits) / 2
    abs_net, abs_tax = abs(net), abs(tax)
    # Half-up rounding (symmetric around zero) maps v to abs_tax iff abs_tax - half <= v < abs_tax + half.
    low = (abs_tax - half) * 100 / abs_net
    high = (abs_tax + half) * 100 / abs_net
    exact = abs_tax * 100 / abs_net
    for places in range(RATE_DIGITS + 1):
        scale = Decimal(10) ** places
        first = _ceil(low * scale)
        last = _ceil(high * scale) - 1
        if first > last:
            continue
        closest = min(max(int((exact * scale).to_integral_value(rounding=ROUND_HALF_UP)), first), last)
        rate = Decimal(closest).scaleb(-places)
        if rate > MAX_RATE:
            return None
        if _reproduces(net, tax, rate, digits):
            return rate
    return None


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))
