"""Which published rate each tax-excluded line carries: Amazon's tax divided by its base, snapped to a real rate.

Amazon computes tax per component (an item, its shipping, its gift wrap, a promotion that carries its own tax).
Each such computation is a *unit* here; usually one Odoo line, but an item whose tax Amazon charged on the price
after a promotion (the promotion carrying no tax of its own) is one unit of two lines (product and promotion).

- Countries with a rate table (VAT, GST, HST, IVA; ``rates.RATE_TABLES``): each unit takes the table rate that
  reproduces its tax (within one minor unit), preferring a rate the order already uses, then the one closest to
  tax / base. Tables of the delivery country and of the marketplace's country both count (EU sales to another
  member state carry the destination's VAT).
- United States: no table. Units are grouped, largest first, while one rate reproduces all of them exactly (the
  intersection of the rate intervals each unit's rounding allows); a group takes the simplest US rate of its
  interval (``rates.US_RATE_TIERS``), the one closest to its tax / base. A group whose units all come within one
  minor unit at a larger group's rate joins it (a coupon's tax rounded on its own is no new jurisdiction).
- A unit whose tax fits no published rate (or no US rate in 0.1-15 %) gets no tax and a message: the order is
  flagged unless the difference is a cent or two that the rounding line may take.

The result also says how far Odoo's total may legitimately drift from Amazon's (``allowance``): per matched unit
one minor unit (more for large US bases, where 0.001 % steps exceed a cent), plus one per taxed line for Odoo's
rounding. The caller absorbs a difference within it with a rounding line and flags anything larger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from amzodoo.transform.rates import (
    US_MAX_RATE,
    US_MIN_RATE,
    US_RATE_DIGITS,
    plain,
    published_rates,
    us_rates_between,
)


@dataclass(frozen=True)
class TaxedLine:
    """One Odoo line as the tax choice sees it."""

    net: Decimal  # Odoo's untaxed amount of the line (what the rate applies to)
    tax: Decimal  # the tax Amazon charged on it
    unit: str  # the Amazon tax computation it belongs to
    label: str  # names the amount in messages ("item", "shipping", ...)


@dataclass(frozen=True)
class Jurisdiction:
    country: str  # ISO code of the delivery country, else the marketplace's
    marketplace_country: str
    region: str | None  # state / province as Amazon gave it
    on: date  # purchase date: the rate valid that day


@dataclass
class TaxChoice:
    rates: list[Decimal | None]  # per line, in the order given
    allowance: Decimal  # how far Odoo may drift from Amazon and still be only rounding
    problems: list[str] = field(default_factory=list)


@dataclass
class _Unit:
    key: str
    members: list[int]
    net: Decimal
    tax: Decimal
    label: str

    @property
    def ratio(self) -> Decimal:
        return abs(self.tax) * 100 / abs(self.net)


def _round(value: Decimal, digits: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _error(rate: Decimal, unit: _Unit, digits: int) -> int:
    """By how many minor units Amazon's tax misses ``rate`` applied to the unit's base."""
    return int(abs(_round(abs(unit.net) * rate / 100, digits) - abs(unit.tax)).scaleb(digits))


def _units(lines: list[TaxedLine]) -> list[_Unit]:
    units: dict[str, _Unit] = {}
    for index, line in enumerate(lines):
        unit = units.setdefault(line.unit, _Unit(line.unit, [], Decimal(0), Decimal(0), line.label))
        unit.members.append(index)
        unit.net += line.net
        unit.tax += line.tax
    # Largest first: the main goods decide the order's rate; ties by key keep the choice deterministic.
    return sorted(units.values(), key=lambda u: (-abs(u.net), u.key))


def _percent(value: Decimal) -> str:
    return f"{plain(value.quantize(Decimal('0.001'), rounding=ROUND_HALF_UP))} %"


def _describe(unit: _Unit) -> str:
    return f"{unit.label} tax {unit.tax} on {unit.net}"


def choose_rates(lines: list[TaxedLine], where: Jurisdiction, digits: int) -> TaxChoice:
    minor = Decimal(1).scaleb(-digits)
    choice = TaxChoice(rates=[None] * len(lines), allowance=Decimal(0))
    taxed: list[_Unit] = []
    for unit in _units(lines):
        if unit.tax == 0:
            continue
        if unit.net == 0 or (unit.net > 0) != (unit.tax > 0):
            # E.g. shipping discounted to zero whose two taxes were rounded apart: a cent, at most, is rounding.
            if abs(unit.tax) <= minor:
                choice.allowance += abs(unit.tax)
            choice.problems.append(f"{_describe(unit)}: no rate gives a tax there")
            continue
        taxed.append(unit)
    if _us_sales_tax(where):
        chosen = _us_rates(taxed, digits, choice.problems)
    else:
        chosen = _table_rates(taxed, where, digits, choice.problems)
    for unit in taxed:
        rate = chosen.get(unit.key)
        if rate is None:
            continue
        for index in unit.members:
            choice.rates[index] = rate
        choice.allowance += _allowed_error(unit, where, digits) * minor + len(unit.members) * minor
    return choice


def _us_sales_tax(where: Jurisdiction) -> bool:
    """Sold on Amazon.com to the US (or to a country without a table of its own); other marketplaces that ship to
    the US charge their own country's VAT or none."""
    if where.marketplace_country != "US":
        return False
    return where.country == "US" or published_rates(where.country, where.on) is None


def _allowed_error(unit: _Unit, where: Jurisdiction, digits: int) -> int:
    """Minor units by which a unit may miss its rate: one, plus half a 0.001 % step on large US bases."""
    if not _us_sales_tax(where):
        return 1
    half_step = Decimal(1).scaleb(-US_RATE_DIGITS) / 2
    return 1 + int((abs(unit.net) * half_step / 100).scaleb(digits).to_integral_value(rounding=ROUND_CEILING))


def _table_rates(units: list[_Unit], where: Jurisdiction, digits: int, problems: list[str]) -> dict[str, Decimal]:
    table: list[Decimal] = []
    for country in dict.fromkeys((where.country, where.marketplace_country)):
        region = where.region if country == where.country else None
        table += [r for r in published_rates(country, where.on, region) or () if r not in table]
    chosen: dict[str, Decimal] = {}
    used: list[Decimal] = []
    for unit in units:
        fits = [(_error(rate, unit, digits), rate not in used, abs(rate - unit.ratio), rate) for rate in table]
        fits = [fit for fit in fits if fit[0] <= 1]
        if not fits:
            known = ", ".join(f"{plain(r)} %" for r in table) or "none"
            problems.append(f"{_describe(unit)} ({_percent(unit.ratio)}) matches no published rate of "
                            f"{where.country} (published: {known})")
            continue
        rate = min(fits)[3]
        chosen[unit.key] = rate
        if rate not in used:
            used.append(rate)
    return chosen


@dataclass
class _Group:
    low: Decimal
    high: Decimal
    units: list[_Unit]
    rate: Decimal | None = None


def _us_rates(units: list[_Unit], digits: int, problems: list[str]) -> dict[str, Decimal]:
    half = Decimal(1).scaleb(-digits) / 2
    groups: list[_Group] = []
    for unit in units:
        # Amazon rounds half up: the rates that give exactly its tax form [low, high).
        low = (abs(unit.tax) - half) * 100 / abs(unit.net)
        high = (abs(unit.tax) + half) * 100 / abs(unit.net)
        if high <= US_MIN_RATE or low > US_MAX_RATE:
            problems.append(f"{_describe(unit)} ({_percent(unit.ratio)}) is no US sales tax rate "
                            f"({plain(US_MIN_RATE)}-{plain(US_MAX_RATE)} %)")
            continue
        low, high = max(low, US_MIN_RATE), min(high, US_MAX_RATE + Decimal("0.0005"))
        for group in groups:
            if max(group.low, low) < min(group.high, high):
                group.low, group.high = max(group.low, low), min(group.high, high)
                group.units.append(unit)
                break
        else:
            groups.append(_Group(low, high, [unit]))
    for group in groups:
        ratio = sum(abs(u.tax) for u in group.units) * 100 / sum(abs(u.net) for u in group.units)
        candidates = us_rates_between(group.low, group.high)
        if candidates:
            group.rate = min(candidates, key=lambda r: (abs(r - ratio), r))
        else:
            # Large bases: a 0.001 % step moves the tax by more than a cent; the nearest 3-decimal rate it is.
            step = Decimal(1).scaleb(-US_RATE_DIGITS)
            group.rate = plain(min(max(ratio.quantize(step, rounding=ROUND_HALF_UP), US_MIN_RATE), US_MAX_RATE))
    kept: list[_Group] = []
    for group in groups:
        home = next((k for k in kept if all(_error(k.rate, u, digits) <= 1 for u in group.units)), None)  # type: ignore[arg-type]
        if home is None:
            kept.append(group)
        else:
            home.units.extend(group.units)
    return {unit.key: group.rate for group in kept for unit in group.units if group.rate is not None}
