"""Money helpers: currency digits, half-up rounding, Odoo's per-line arithmetic, standard VAT rates.

Odoo (default "round per line" tax setting) rounds each line on its own: the base ``price_unit * quantity``
to the currency's decimals, then every tax amount, and sums the rounded lines. Rounding is half-up, away from
zero (``odoo.tools.float_round`` with its epsilon correction; exact ``Decimal`` gives the intended results).
For a price-included tax the line total stays the rounded gross amount and the tax is carved out of it.
Checked against Odoo 18/19 ``account.tax._get_tax_details`` (round_per_line rounds ``quantity * price_unit``
and each tax amount) and ``_round_tax_details_base_lines`` (price-included lines keep their gross total).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Decimal places of the currencies Amazon marketplaces use (ISO 4217 minor units); all others use 2.
_CURRENCY_DIGITS = {"JPY": 0}

# The staging column price_unit is Numeric(14, 4): unit prices are stored with this many decimals.
PRICE_DIGITS = 4

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
