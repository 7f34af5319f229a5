"""Decimal money helpers, tax rates and price levels per marketplace.

Amounts are kept as 2-decimal ``Decimal`` everywhere so every total in every API is an exact sum.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Sales tax (NA, by state/province) or standard VAT rate (EU/UK) the generator charges.
VAT_RATES: dict[str, Decimal] = {
    "DE": Decimal("0.19"),
    "FR": Decimal("0.20"),
    "UK": Decimal("0.20"),
    "IT": Decimal("0.22"),
    "ES": Decimal("0.21"),
    "NL": Decimal("0.21"),
    "SE": Decimal("0.25"),
    "PL": Decimal("0.23"),
    "BE": Decimal("0.21"),
    "IE": Decimal("0.23"),
    "JP": Decimal("0.10"),
    "AU": Decimal("0.10"),
    "SG": Decimal("0.09"),
}
REGIONAL_TAX_RATES: dict[str, dict[str, Decimal]] = {
    "US": {
        "WA": Decimal("0.101"),
        "CA": Decimal("0.0725"),
        "NY": Decimal("0.08875"),
        "TX": Decimal("0.0825"),
        "OR": Decimal("0"),
        "FL": Decimal("0.07"),
    },
    "CA": {"ON": Decimal("0.13"), "QC": Decimal("0.14975"), "AB": Decimal("0.05"), "BC": Decimal("0.12")},
    "MX": {"CDMX": Decimal("0.16"), "JAL": Decimal("0.16"), "NL": Decimal("0.16")},
}

# Rough price level of one unit of each currency relative to USD, so prices look local.
PRICE_LEVEL: dict[str, Decimal] = {
    "USD": Decimal("1"),
    "CAD": Decimal("1.35"),
    "MXN": Decimal("17"),
    "BRL": Decimal("5"),
    "EUR": Decimal("0.95"),
    "GBP": Decimal("0.80"),
    "SEK": Decimal("10.5"),
    "PLN": Decimal("4"),
    "JPY": Decimal("150"),
    "AUD": Decimal("1.5"),
    "SGD": Decimal("1.35"),
}


def q(value: Decimal | int | str) -> Decimal:
    """Round to cents, half up (Amazon's amounts are always 2-decimal strings)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def tax_rate(country_code: str, region: str | None) -> Decimal:
    if country_code in REGIONAL_TAX_RATES:
        return REGIONAL_TAX_RATES[country_code].get(region or "", Decimal("0"))
    return VAT_RATES.get(country_code, Decimal("0"))


def tax_on_net(net: Decimal, rate: Decimal) -> Decimal:
    return q(net * rate)


def tax_in_gross(gross: Decimal, rate: Decimal) -> Decimal:
    """The VAT contained in a tax-inclusive amount."""
    return q(gross * rate / (Decimal(1) + rate))


def money(amount: Decimal, currency: str) -> dict[str, str]:
    """Orders 2026-01-01 / Listings ``Money``."""
    return {"amount": f"{q(amount)}", "currencyCode": currency}


def money_v0(amount: Decimal, currency: str) -> dict[str, str]:
    """Orders v0 ``Money`` (capitalised keys)."""
    return {"CurrencyCode": currency, "Amount": f"{q(amount)}"}
