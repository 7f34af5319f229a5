"""``sale.order.amount_total`` as Odoo 19 computes it, under both of its tax rounding methods.

The connector must know Odoo's total before it loads an order, to add the rounding line that makes it Amazon's.
Odoo works in binary floats and rounds with ``float_round`` (half-up, nudged by a few ulps so that 2.675 rounds
to 2.68); this module does the same float operations in the same order, so its result is Odoo's to the cent.
Read from Odoo 19's ``account.tax`` (``_get_tax_details``, ``_add_tax_details_in_base_line``,
``_round_base_lines_tax_details`` and its two helpers, ``_get_tax_totals_summary``):

- ``round_per_line``: each line's base ``quantity * price_unit`` is rounded, then its tax (a price-included tax is
  carved out of the rounded gross); the total is the sum of the rounded line amounts.
- ``round_globally`` (a fresh Odoo 19 company's default): nothing is rounded per line. Each tax's amount is
  rounded once over the order. The untaxed amount is rounded once over the order: the sum of the bases when some
  line has a price-excluded tax, otherwise the sum of the gross amounts less the rounded taxes, so a document of
  price-included (or no) taxes totals exactly what was paid. Odoo spreads the rounding back onto the lines; the
  total does not depend on how.

One percent tax per line at most (the connector never puts two), identified by (rate, included).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal

ROUND_PER_LINE = "round_per_line"
ROUND_GLOBALLY = "round_globally"


def odoo_round(value: float, digits: int) -> float:
    """Odoo's ``float_round`` (HALF-UP) to ``digits`` decimals: a few ulps of tolerance break ties upwards."""
    if value == 0:
        return 0.0
    scale = 10.0**digits
    scaled = value * scale
    nudge = 2 ** (math.log2(abs(scaled)) - 50)
    return round(scaled + math.copysign(nudge, scaled)) / scale


def _tax_key(line: Mapping) -> tuple[float, bool] | None:
    rate = line.get("tax_rate")
    if rate is None or Decimal(str(rate)) == 0:
        return None
    return float(Decimal(str(rate))), bool(line.get("tax_included"))


def _raw(line: Mapping) -> tuple[float, float, tuple[float, bool] | None]:
    """(untaxed amount, tax amount, tax key) of one line, unrounded, as Odoo's float arithmetic gives them."""
    base = float(line["quantity"]) * float(line["price_unit"])
    key = _tax_key(line)
    if key is None:
        return base, 0.0, None
    rate, included = key
    if included:
        tax = base * (1 / (1 + rate / 100.0)) * rate / 100.0
        return base - tax, tax, key
    return base, base * rate / 100.0, key


def _per_line(lines: list[Mapping], digits: int) -> float:
    untaxed = tax_total = 0.0
    for line in lines:
        gross = odoo_round(float(line["quantity"]) * float(line["price_unit"]), digits)
        key = _tax_key(line)
        tax = 0.0
        if key is not None:
            rate, included = key
            if included:
                tax = odoo_round(gross * (1 / (1 + rate / 100.0)) * rate / 100.0, digits)
            else:
                tax = odoo_round(gross * rate / 100.0, digits)
        untaxed += odoo_round(gross - tax if key is not None and key[1] else gross, digits)
        tax_total += tax
    return odoo_round(untaxed + tax_total, digits)


def _global(lines: list[Mapping], digits: int) -> float:
    untaxed_raw = tax_raw_total = 0.0
    per_tax: dict[tuple[float, bool], float] = {}
    excluded_mode = False
    for line in lines:
        untaxed, tax, key = _raw(line)
        untaxed_raw += untaxed
        tax_raw_total += tax
        if key is not None:
            per_tax[key] = per_tax.get(key, 0.0) + tax
            excluded_mode |= not key[1]
    taxes = sum(odoo_round(amount, digits) for amount in per_tax.values())
    if excluded_mode:
        untaxed_total = odoo_round(untaxed_raw, digits)
    else:
        untaxed_total = odoo_round(untaxed_raw + tax_raw_total, digits) - taxes
    return odoo_round(untaxed_total + taxes, digits)


def odoo_amount_total(lines: Iterable[Mapping], digits: int, method: str = ROUND_PER_LINE) -> Decimal:
    """``amount_total`` of an order with these lines (price_unit, quantity, tax_rate, tax_included; notes are
    left out by the caller), in the company's ``tax_calculation_rounding_method``."""
    ordered = list(lines)
    total = _global(ordered, digits) if method == ROUND_GLOBALLY else _per_line(ordered, digits)
    return Decimal(repr(total)).quantize(Decimal(1).scaleb(-digits))
