"""Published sales tax / VAT / GST / HST / PST rates per country, and the rule for US sales tax.

Amazon itemises the tax it charged, never the rate. The connector puts the jurisdiction's real rate on the Odoo
line (what Amazon charged divided by its base, snapped to a rate published here), so an accountant finds one tax
per real rate in Odoo; cent differences are absorbed by a rounding line, never by an invented rate.

Tables are the rates valid in 2025-2026 (a rate that changed in that time carries the date it changed, so orders
of a backfill snap to the rate of their purchase date). Sources, all from the maintainer's knowledge of them and
not fetched by the project (check before relying on an exotic rate):
- EU member states: European Commission, "VAT rates applied in the Member States of the European Union"
  (Taxation and Customs Union, situation at 1 January 2025), with the 2025 changes announced by the member states
  (Estonia 24 % from 1 July 2025, Romania 21 % / 11 % from 1 August 2025, Slovakia 23 % / 19 % / 5 % from
  1 January 2025, Finland 25.5 % from 1 September 2024 and 13.5 % on food from 1 January 2026).
- United Kingdom: HMRC "VAT rates on different goods and services". Turkey: Revenue Administration (KDV 20 % and
  10 % since 10 July 2023). UAE: Federal Tax Authority. Saudi Arabia: ZATCA. Egypt: Egyptian Tax Authority.
  India: GST Council (the 5 / 18 / 40 % structure from 22 September 2025 replaced 5 / 12 / 18 / 28 %).
  Japan: National Tax Agency (10 %, 8 % reduced). Australia: ATO. Singapore: IRAS (9 % since 1 January 2024).
- Canada: Canada Revenue Agency (GST 5 %, HST 13 % ON, 15 % NB NL PE, Nova Scotia 14 % from 1 April 2025),
  Revenu Québec (QST 9.975 %), British Columbia PST 7 %, Manitoba RST 7 %, Saskatchewan PST 6 % — Amazon
  collects these provincial taxes as a marketplace facilitator, so one order line carries GST + PST as one tax.
- Mexico: SAT (IVA 16 %, 8 % in the northern and southern border regions).
- United States: no table. Sales tax is a combination of state, county, city and district rates (thousands of
  jurisdictions), so a US rate is not looked up but snapped to a 2-decimal percent or a 3-decimal combined rate
  (8.875 % in New York City) between US_MIN_RATE and US_MAX_RATE (Arab, Alabama charged 13.5 % in 2024).
- Brazil: no table (ICMS differs by state and PIS/COFINS/IPI by product): its taxes are not snapped.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal


@dataclass(frozen=True)
class PublishedRate:
    percent: Decimal
    since: date | None = None  # first day the rate applies; None = long before 2025
    until: date | None = None  # first day it no longer applies

    def valid_on(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and (self.until is None or day < self.until)


def _rates(*entries: str | tuple[str, date | None, date | None]) -> tuple[PublishedRate, ...]:
    return tuple(
        PublishedRate(Decimal(entry)) if isinstance(entry, str) else PublishedRate(Decimal(entry[0]), *entry[1:])
        for entry in entries
    )


# Standard rate first, then the reduced ones.
RATE_TABLES: dict[str, tuple[PublishedRate, ...]] = {
    "AT": _rates("20", "13", "10"),
    "BE": _rates("21", "12", "6"),
    "BG": _rates("20", "9"),
    "CY": _rates("19", "9", "5", "3"),
    "CZ": _rates("21", "12"),
    "DE": _rates("19", "7"),
    "DK": _rates("25"),
    "EE": _rates(("24", date(2025, 7, 1), None), ("22", None, date(2025, 7, 1)), "13", "9"),
    "ES": _rates("21", "10", "4"),
    "FI": _rates(("25.5", date(2024, 9, 1), None), "14", ("13.5", date(2026, 1, 1), None), "10"),
    "FR": _rates("20", "10", "5.5", "2.1"),
    "GR": _rates("24", "13", "6"),
    "HR": _rates("25", "13", "5"),
    "HU": _rates("27", "18", "5"),
    "IE": _rates("23", "13.5", "9", "4.8"),
    "IT": _rates("22", "10", "5", "4"),
    "LT": _rates("21", "12", "9", "5"),
    "LU": _rates("17", "14", "8", "3"),
    "LV": _rates("21", "12", "5"),
    "MT": _rates("18", "7", "5"),
    "NL": _rates("21", "9"),
    "PL": _rates("23", "8", "5"),
    "PT": _rates("23", "13", "6"),  # mainland; Madeira and the Azores have lower rates
    "RO": _rates(("21", date(2025, 8, 1), None), ("19", None, date(2025, 8, 1)), ("11", date(2025, 8, 1), None),
                 ("9", None, date(2025, 8, 1)), ("5", None, date(2025, 8, 1))),
    "SE": _rates("25", "12", "6"),
    "SI": _rates("22", "9.5", "5"),
    "SK": _rates(("23", date(2025, 1, 1), None), ("20", None, date(2025, 1, 1)), ("19", date(2025, 1, 1), None),
                 "5", ("10", None, date(2025, 1, 1))),
    "GB": _rates("20", "5"),
    "TR": _rates("20", "10", "1"),
    "AE": _rates("5"),
    "SA": _rates("15"),
    "EG": _rates("14"),
    "IN": _rates("18", "5", ("40", date(2025, 9, 22), None), ("12", None, date(2025, 9, 22)),
                 ("28", None, date(2025, 9, 22))),
    "JP": _rates("10", "8"),
    "AU": _rates("10"),
    "SG": _rates("9"),
    "MX": _rates("16", "8"),
    # Province unknown: every rate Amazon collects in Canada (GST alone, GST + PST, HST, GST + QST).
    "CA": _rates("13", "5", "15", ("14", date(2025, 4, 1), None), "14.975", "12", "11"),
}

# Canada by province: the combined rate Amazon collects there, and GST alone (goods exempt from the provincial
# part, e.g. children's clothing in British Columbia, or books under Ontario's point-of-sale rebate).
CA_PROVINCE_RATES: dict[str, tuple[PublishedRate, ...]] = {
    "ON": _rates("13", "5"),
    "NB": _rates("15", "5"),
    "NL": _rates("15", "5"),
    "PE": _rates("15", "5"),
    "NS": _rates(("14", date(2025, 4, 1), None), ("15", None, date(2025, 4, 1)), "5"),
    "QC": _rates("14.975", "5"),
    "BC": _rates("12", "5"),
    "MB": _rates("12", "5"),
    "SK": _rates("11", "5"),
    "AB": _rates("5"),
    "YT": _rates("5"),
    "NT": _rates("5"),
    "NU": _rates("5"),
}

_CA_PROVINCE_NAMES = {
    "alberta": "AB", "british columbia": "BC", "colombie-britannique": "BC", "manitoba": "MB",
    "new brunswick": "NB", "nouveau-brunswick": "NB", "newfoundland and labrador": "NL",
    "terre-neuve-et-labrador": "NL", "newfoundland": "NL", "nova scotia": "NS", "nouvelle-ecosse": "NS",
    "northwest territories": "NT", "territoires du nord-ouest": "NT", "nunavut": "NU", "ontario": "ON",
    "prince edward island": "PE", "ile-du-prince-edouard": "PE", "quebec": "QC", "saskatchewan": "SK",
    "yukon": "YT",
}

US_MIN_RATE = Decimal("0.1")  # a state grocery rate alone (Arkansas 0.125 %) is about the smallest
US_MAX_RATE = Decimal("15")
US_RATE_DIGITS = 3

# Steps of the US combined rates, most common first: whole and quarter percents, then eighths (New York, Texas,
# Minnesota) and twentieths (Washington, Louisiana, Utah), then any 2-decimal rate, then any 3-decimal rate.
US_RATE_TIERS: tuple[tuple[Decimal, ...], ...] = (
    (Decimal("0.25"),),
    (Decimal("0.125"), Decimal("0.05")),
    (Decimal("0.01"),),
    (Decimal("0.001"),),
)


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace(".", "").split())


def plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and without an exponent (10, not 1E+1 or 10.000)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def ca_province(state: str | None) -> str | None:
    """The two-letter province code of what Amazon gives as stateOrRegion (a code or a name), else None."""
    if not state:
        return None
    folded = _fold(state)
    code = folded.upper()
    if code in CA_PROVINCE_RATES:
        return code
    return _CA_PROVINCE_NAMES.get(folded)


def published_rates(country: str, on: date, region: str | None = None) -> tuple[Decimal, ...] | None:
    """The rates published for ``country`` (ISO code) on day ``on``, standard first; None without a table (US, BR,
    or a country not listed). ``region`` narrows Canada to a province."""
    country = "GB" if country == "UK" else country
    table = RATE_TABLES.get(country)
    if country == "CA":
        province = ca_province(region)
        if province:
            table = CA_PROVINCE_RATES[province]
    if table is None:
        return None
    return tuple(rate.percent for rate in table if rate.valid_on(on))


def is_us_rate(rate: Decimal) -> bool:
    """A combined US sales tax rate: at most 3 decimals, within the range any US jurisdiction charges."""
    return US_MIN_RATE <= rate <= US_MAX_RATE and rate == rate.quantize(Decimal(1).scaleb(-US_RATE_DIGITS))


def is_published(rate: Decimal, country: str, on: date, region: str | None = None) -> bool:
    """Whether ``rate`` is a real rate of ``country`` on day ``on`` (for the US: see ``is_us_rate``)."""
    if country == "US":
        return is_us_rate(rate)
    rates = published_rates(country, on, region)
    return rates is not None and rate in rates


def us_rates_between(low: Decimal, high: Decimal) -> list[Decimal]:
    """US rates in [low, high), simplest first (see US_RATE_TIERS), none outside the US range."""
    low, high = max(low, US_MIN_RATE), min(high, US_MAX_RATE + Decimal("0.0005"))
    seen: set[Decimal] = set()
    found: list[Decimal] = []
    for tier in US_RATE_TIERS:
        tier_rates: list[Decimal] = []
        for step in tier:
            first = (low / step).to_integral_value(rounding=ROUND_CEILING)
            last = (high / step).to_integral_value(rounding=ROUND_FLOOR)
            # Wide intervals (tiny bases) hold many rates: the simplest tier has them, deeper ones are not needed.
            for multiple in range(int(first), min(int(last), int(first) + 2000) + 1):
                rate = plain(step * multiple)
                if low <= rate < high and rate not in seen:
                    seen.add(rate)
                    tier_rates.append(rate)
        found.extend(sorted(tier_rates))
        if found:
            return found
    return found
