"""Line and order amounts from price, quantity, discount and taxes, rounded like Odoo 19 (half-up).

Included taxes are peeled off the gross amount first; with per-line rounding the untaxed amount is the rounded
gross less the rounded included taxes, so a tax-included line total stays exactly what the customer paid.

With global rounding (``round_globally``) Odoo 19 computes every line unrounded, rounds each line, and then gives
the rounding differences back to the lines (``account.tax._round_base_lines_tax_details``): per tax, the rounded
sum of its unrounded amounts minus the sum of the rounded ones; for the untaxed amount, over the whole order, the
rounded sum of the unrounded bases (when some tax is price-excluded) or of the unrounded gross amounts less the
taxes (when every tax is price-included, or there is none). A difference of n cents goes a cent at a time to the
lines with the largest amounts. The order's totals are the sums of the lines after that.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TaxSpec:
    amount_type: str
    amount: float
    price_include: bool
    key: object = None  # the account.tax id: global rounding rounds per tax


@dataclass(frozen=True)
class LineAmounts:
    subtotal: float
    tax: float
    total: float
    # (tax key, price included, amount) per tax, rounded or not like the rest
    parts: tuple[tuple[object, bool, float], ...] = field(default=(), compare=False)


def round_money(value: float, rounding: float) -> float:
    """Odoo's float_round, half-up: a few ulps of tolerance push a sum of floats that lands just below a half
    (2.0149999999999997 for 1.005 + 1.005 + 0.005) up, as the decimal amount it stands for would go."""
    step = rounding or 0.01
    if value == 0:
        return 0.0
    inverse = round(1 / step) if step < 1 else None
    scaled = value * inverse if inverse else value / step
    units = round(scaled + math.copysign(2 ** (math.log2(abs(scaled)) - 50), scaled))
    return units / inverse if inverse else units * step


def _tax_amounts(gross: float, quantity: float, taxes: Sequence[TaxSpec]) -> tuple[float, list[float]]:
    """(untaxed amount, tax amounts) of a line whose quantity x price is ``gross``."""
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
    if not round_per_line:
        base, amounts = _tax_amounts(base_price * quantity, quantity, taxes)
        parts = tuple((_key(t, i), t.price_include, a) for i, (t, a) in enumerate(zip(taxes, amounts, strict=True)))
        return LineAmounts(base, sum(amounts), base + sum(amounts), parts)
    # Per line, Odoo rounds the gross first and computes the taxes on that rounded amount.
    gross = round_money(base_price * quantity, rounding)
    base, amounts = _tax_amounts(gross, quantity, taxes)
    rounded = [round_money(a, rounding) for a in amounts]
    if any(t.price_include for t in taxes):
        included = sum(r for r, t in zip(rounded, taxes, strict=True) if t.price_include)
        subtotal = round_money(gross - included, rounding)
    else:
        subtotal = round_money(base, rounding)
    tax = round_money(sum(rounded), rounding)
    parts = tuple((_key(t, i), t.price_include, r) for i, (t, r) in enumerate(zip(taxes, rounded, strict=True)))
    return LineAmounts(subtotal, tax, round_money(subtotal + tax, rounding), parts)


def _key(tax: TaxSpec, index: int) -> object:
    return tax.key if tax.key is not None else index


def single_line_amounts(amounts: LineAmounts, rounding: float) -> LineAmounts:
    """What Odoo shows on one globally rounded line: its own amounts rounded, before any order-wide delta."""
    subtotal = round_money(amounts.subtotal, rounding)
    tax = round_money(sum(round_money(a, rounding) for _, _, a in amounts.parts), rounding)
    return LineAmounts(subtotal, tax, round_money(subtotal + tax, rounding))


def _spread(delta: float, factors: list[float], rounding: float) -> list[float]:
    """A rounding difference of n cents handed out a cent at a time, largest factor first, in proportion."""
    shares = [0.0] * len(factors)
    units = round(abs(delta) / rounding)
    total = sum(abs(f) for f in factors)
    if not units or not total:
        return shares
    left = units
    for index in sorted(range(len(factors)), key=lambda i: abs(factors[i]), reverse=True):
        if not left:
            break
        take = min(math.ceil(abs(factors[index]) / total * units), left)
        left -= take
        shares[index] = math.copysign(take * rounding, delta)
    return shares


def order_totals(lines: Sequence[LineAmounts], rounding: float, round_per_line: bool) -> tuple[float, float, float]:
    """(untaxed, tax, total) of an order from its lines' amounts (rounded per line, or unrounded)."""
    if round_per_line:
        untaxed = round_money(sum(a.subtotal for a in lines), rounding)
        tax = round_money(sum(a.tax for a in lines), rounding)
        return untaxed, tax, round_money(untaxed + tax, rounding)
    bases = [round_money(a.subtotal, rounding) for a in lines]
    taxes = [[round_money(amount, rounding) for _, _, amount in a.parts] for a in lines]
    for key in dict.fromkeys(k for a in lines for k, _, _ in a.parts):
        members = [(i, j) for i, a in enumerate(lines) for j, part in enumerate(a.parts) if part[0] == key]
        raw = [lines[i].parts[j][2] for i, j in members]
        delta = round_money(sum(raw), rounding) - sum(taxes[i][j] for i, j in members)
        for (i, j), share in zip(members, _spread(delta, raw, rounding), strict=True):
            taxes[i][j] += share
    excluded = any(not included for a in lines for _, included, _ in a.parts)
    if excluded:
        delta = round_money(sum(a.subtotal for a in lines), rounding) - sum(bases)
        factors = [a.subtotal for a in lines]
    else:
        raw_total = sum(a.subtotal for a in lines) + sum(a.tax for a in lines)
        delta = round_money(raw_total, rounding) - (sum(bases) + sum(sum(t) for t in taxes))
        factors = [a.total for a in lines]
    bases = [b + share for b, share in zip(bases, _spread(delta, factors, rounding), strict=True)]
    untaxed = round_money(sum(bases), rounding)
    tax = round_money(sum(sum(t) for t in taxes), rounding)
    return untaxed, tax, round_money(untaxed + tax, rounding)
