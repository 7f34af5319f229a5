"""Orders 2026-01-01 proceeds: per-item breakdowns that sum to ``proceedsTotal`` and an order ``grandTotal``.

Reading (PLATFORM_NOTES, Amazon's x-amzn-api-sandbox examples): ITEM / SHIPPING / GIFT_WRAP carry what the
buyer was charged; where prices are shown tax-inclusive (EU/UK consumers) tax is inside them and no TAX
breakdown appears; elsewhere TAX is added on top, detailed by subtype. DISCOUNT is negative.
"""

from __future__ import annotations

from decimal import Decimal

from .models import OrderLine, OrderRecord
from .money import ZERO, money


def line_breakdowns(line: OrderLine, prices_include_tax: bool) -> list[tuple[str, Decimal, list[tuple[str, Decimal]]]]:
    """(type, subtotal, detailed (subtype, value)) for one item, in Amazon's order."""
    rows: list[tuple[str, Decimal, list[tuple[str, Decimal]]]] = [("ITEM", line.item_price, [])]
    if line.shipping_price:
        rows.append(("SHIPPING", line.shipping_price, []))
    if line.gift_wrap_price:
        rows.append(("GIFT_WRAP", line.gift_wrap_price, []))
    if not prices_include_tax:
        detail = [("ITEM", line.item_tax)]
        if line.shipping_price:
            detail.append(("SHIPPING", line.shipping_tax))
        if line.gift_wrap_price:
            detail.append(("GIFT_WRAP", line.gift_wrap_tax))
        rows.append(("TAX", sum((v for _, v in detail), ZERO), detail))
    if line.promotion_discount or line.shipping_discount:
        detail = []
        if line.promotion_discount:
            detail.append(("ITEM", -line.promotion_discount))
        if line.shipping_discount:
            detail.append(("SHIPPING", -line.shipping_discount))
        rows.append(("DISCOUNT", sum((v for _, v in detail), ZERO), detail))
    return rows


def line_total(line: OrderLine, prices_include_tax: bool) -> Decimal:
    return sum((subtotal for _, subtotal, _ in line_breakdowns(line, prices_include_tax)), ZERO)


def grand_total(order: OrderRecord) -> Decimal:
    return sum((line_total(ln, order.prices_include_tax) for ln in order.lines), ZERO)


def item_proceeds(line: OrderLine, order: OrderRecord) -> dict:
    currency = order.currency
    breakdowns = []
    for kind, subtotal, detail in line_breakdowns(line, order.prices_include_tax):
        row: dict = {"type": kind, "subtotal": money(subtotal, currency)}
        if detail:
            row["detailedBreakdowns"] = [{"subtype": s, "value": money(v, currency)} for s, v in detail]
        breakdowns.append(row)
    return {"proceedsTotal": money(line_total(line, order.prices_include_tax), currency), "breakdowns": breakdowns}


def order_proceeds(order: OrderRecord) -> dict:
    totals: dict[str, Decimal] = {}
    for line in order.lines:
        for kind, subtotal, _ in line_breakdowns(line, order.prices_include_tax):
            totals[kind] = totals.get(kind, ZERO) + subtotal
    return {
        "grandTotal": money(grand_total(order), order.currency),
        "breakdowns": [{"type": k, "subtotal": money(v, order.currency)} for k, v in totals.items()],
    }
