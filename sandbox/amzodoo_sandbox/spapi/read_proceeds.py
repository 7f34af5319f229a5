"""Reading an Orders 2026-01-01 item's ``proceeds`` into the amounts the v0 views and the All Orders report use.

Every breakdown type (ITEM, SHIPPING, GIFT_WRAP, COD_FEE, OTHER, TAX, DISCOUNT) and every subtype of TAX and
DISCOUNT lands somewhere, so that the amounts of a line add up to the item's ``proceedsTotal``:

- TAX and DISCOUNT are spread over their ``detailedBreakdowns``; what the details leave over (or the whole
  subtotal when there are none) is item tax, respectively item (promotion) discount.
- Discounts are kept as positive magnitudes whatever sign arrives (Amazon's model gives none; the generator's
  orders and Amazon's reports show them negative). A TAX detail of subtype DISCOUNT is the tax taken off with
  the item's discounts (e.g. a coupon): one figure for all of them, split in proportion to the shipping and the
  other discounts, as v0 shows it in ``ShippingDiscountTax`` and ``PromotionDiscountTax``.
- A gift-wrap discount, or a DISCOUNT detail of subtype DISCOUNT, has no place of its own in v0 or the report:
  it counts as promotion discount.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from .money import ZERO, q, tax_in_gross

# Discount subtypes that have a field of their own; the others count as promotion (item) discount.
_OWN_DISCOUNTS = ("SHIPPING", "COD_FEE", "OTHER")


def amount(money: dict | None) -> Decimal:
    return q(str(money["amount"])) if money else ZERO


def breakdown_amounts(item: dict) -> dict[str, Decimal]:
    """``{"ITEM": .., "TAX:SHIPPING": .., "DISCOUNT:ITEM": .., ...}`` with discounts as positive magnitudes."""
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for part in (item.get("proceeds") or {}).get("breakdowns") or []:
        kind = str(part.get("type", "")).upper()
        subtotal = amount(part.get("subtotal"))
        if kind not in ("TAX", "DISCOUNT"):
            amounts[kind] += subtotal
            continue
        signed_total = -abs(subtotal) if kind == "DISCOUNT" else subtotal
        remaining = signed_total
        for detail in part.get("detailedBreakdowns") or []:
            subtype = str(detail.get("subtype", "")).upper()
            value = amount(detail.get("value"))
            if kind == "DISCOUNT" or subtype == "DISCOUNT":
                value = -abs(value)
            amounts[f"{kind}:{subtype}"] += value
            remaining -= value
        amounts[f"{kind}:ITEM"] += remaining
    for key in [k for k in amounts if k.startswith("DISCOUNT:")]:
        amounts[key] = -amounts[key]
    amounts["TAX:DISCOUNT"] = -amounts["TAX:DISCOUNT"]
    return amounts


def _split_discount_tax(tax: Decimal, shipping_discount: Decimal, other_discounts: Decimal) -> tuple[Decimal, Decimal]:
    """(shipping share, promotion share) of the tax taken off with an item's discounts."""
    if not tax or not shipping_discount:
        return ZERO, tax
    if not other_discounts:
        return tax, ZERO
    shipping_share = q(tax * shipping_discount / (shipping_discount + other_discounts))
    return shipping_share, tax - shipping_share


def line_money(item: dict, tax_on_top: bool, vat_rate: Decimal, unit_total: Decimal) -> dict[str, Decimal]:
    """OrderLine money fields of one item. ``tax_on_top``: the amounts are net and any tax is itemised (TAX
    breakdowns, or none at all where the marketplace shows net prices); otherwise they are gross and ``*_tax``
    is the VAT inside them at ``vat_rate``. ``unit_total`` (unit price x quantity) stands in for a missing ITEM
    breakdown."""
    has_item = any(
        str(part.get("type", "")).upper() == "ITEM" for part in (item.get("proceeds") or {}).get("breakdowns") or []
    )
    parts = breakdown_amounts(item)
    item_price = parts["ITEM"] if has_item else unit_total
    promotion = sum(
        (v for k, v in parts.items() if k.startswith("DISCOUNT:") and k[9:] not in _OWN_DISCOUNTS), ZERO
    )
    values = {
        "item_price": item_price,
        "shipping_price": parts["SHIPPING"],
        "gift_wrap_price": parts["GIFT_WRAP"],
        "cod_fee": parts["COD_FEE"],
        "other": parts["OTHER"],
        "promotion_discount": promotion,
        "shipping_discount": parts["DISCOUNT:SHIPPING"],
        "cod_fee_discount": parts["DISCOUNT:COD_FEE"],
        "other_discount": parts["DISCOUNT:OTHER"],
    }
    if not tax_on_top:
        return values | {
            "item_tax": tax_in_gross(item_price - promotion, vat_rate),
            "shipping_tax": tax_in_gross(parts["SHIPPING"] - parts["DISCOUNT:SHIPPING"], vat_rate),
            "gift_wrap_tax": tax_in_gross(parts["GIFT_WRAP"], vat_rate),
        }
    shipping_share, promotion_share = _split_discount_tax(parts["TAX:DISCOUNT"], parts["DISCOUNT:SHIPPING"], promotion)
    return values | {
        "item_tax": parts["TAX:ITEM"],
        "shipping_tax": parts["TAX:SHIPPING"],
        "gift_wrap_tax": parts["TAX:GIFT_WRAP"],
        "cod_fee_tax": parts["TAX:COD_FEE"],
        "other_tax": parts["TAX:OTHER"],
        "shipping_discount_tax": shipping_share,
        "promotion_discount_tax": promotion_share,
    }
