"""Line amounts from price, quantity, discount and taxes, rounded like Odoo (half-up, per line by default).

Included taxes are peeled off the gross amount first; with per-line rounding the untaxed amount is the rounded
gross less the rounded included taxes, so a tax-included line total stays exactly what the customer paid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class TaxSpec:
    amount_type: str
    amount: float
    price_include: bool


@dataclass(frozen=True)
class LineAmounts:
    subtotal: float
    tax: float
    total: float


def round_money(value: float, rounding: float) -> float:
    step = Decimal(repr(rounding or 0.01))
    units = (Decimal(repr(value)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(units * step)


def _tax_amounts(base_price: float, quantity: float, taxes: Sequence[TaxSpec]) -> tuple[float, list[float]]:
    gross = base_price * quantity
    base = gross
    for tax in taxes:
        if tax.price_include and tax.amount_type == "fixed":
            base -= tax.amount * quantity
        elif tax.price_include and tax.amount_type == "division":
            base -= gross * tax.amount / 100
    included_rate = sum(t.amount for t in taxes if t.price_include and t.amount_type == "percent")
    base = base / (1 + included_rate / 100)
    amounts = []
    for tax in taxes:
        if tax.amount_type == "fixed":
            amounts.append(tax.amount * quantity)
        elif tax.amount_type == "division":
            amounts.append(gross * tax.amount / 100 if tax.price_include else base / (1 - tax.amount / 100) - base)
        else:
            amounts.append(base * tax.amount / 100)
    return base, amounts


def line_amounts(price_unit: float, quantity: float, discount: float, taxes: Sequence[TaxSpec],
                 rounding: float, round_per_line: bool = True) -> LineAmounts:
    """Amounts for one line; with round_per_line=False they stay unrounded for the order to round globally."""
    base_price = price_unit * (1 - (discount or 0.0) / 100)
    base, amounts = _tax_amounts(base_price, quantity, taxes)
    if not round_per_line:
        return LineAmounts(base, sum(amounts), base + sum(amounts))
    rounded = [round_money(a, rounding) for a in amounts]
    if any(t.price_include for t in taxes):
        included = sum(r for r, t in zip(rounded, taxes, strict=True) if t.price_include)
        subtotal = round_money(round_money(base_price * quantity, rounding) - included, rounding)
    else:
        subtotal = round_money(base, rounding)
    tax = round_money(sum(rounded), rounding)
    return LineAmounts(subtotal, tax, round_money(subtotal + tax, rounding))


def order_totals(lines: Sequence[tuple[tuple, LineAmounts]], rounding: float,
                 round_per_line: bool) -> tuple[float, float, float]:
    """(untaxed, tax, total) of an order from its lines, each keyed by (its taxes, whether one is included).

    Per line: the sum of the rounded lines. Globally: lines are summed per key and rounded once per key, and for
    price-included taxes the included total is rounded first and the base is what remains after the rounded tax,
    so a tax-included order totals exactly what the customer paid (Odoo's 'included' rounding mode).
    """
    if round_per_line:
        untaxed = round_money(sum(a.subtotal for _, a in lines), rounding)
        tax = round_money(sum(a.tax for _, a in lines), rounding)
        return untaxed, tax, round_money(untaxed + tax, rounding)
    groups: dict[tuple, list[LineAmounts]] = {}
    for key, amounts in lines:
        groups.setdefault(key, []).append(amounts)
    untaxed = tax = 0.0
    for (_taxes, included), members in groups.items():
        group_tax = round_money(sum(a.tax for a in members), rounding)
        if included:
            group_total = round_money(sum(a.total for a in members), rounding)
            untaxed += group_total - group_tax
        else:
            untaxed += round_money(sum(a.subtotal for a in members), rounding)
        tax += group_tax
    untaxed, tax = round_money(untaxed, rounding), round_money(tax, rounding)
    return untaxed, tax, round_money(untaxed + tax, rounding)
