"""An order line's money as the v0 views and the All Orders report show it, adding up to the item's proceeds.

Both have one presentation per marketplace and buyer, not per order: where consumers see gross prices (VAT
markets, not Amazon Business) prices are gross and the tax fields hold the VAT inside them; elsewhere prices
are net and the taxes are added on top. An order whose proceeds present it the other way (a UK consumer order
itemising TAX on top of net amounts; a business order in a VAT market without a TAX breakdown) is converted,
so that either way the fields sum to what the item was charged:

- taxes inside: prices less discounts (v0 ItemPrice + ShippingPrice + GiftWrapPrice - PromotionDiscount -
  ShippingDiscount; report item-price + shipping-price + gift-wrap-price + both promotion discounts);
- taxes on top: the same plus the taxes (v0 ItemTax + ShippingTax + GiftWrapTax - PromotionDiscountTax -
  ShippingDiscountTax; report item-tax + shipping-tax + gift-wrap-tax).

The report has no column for the tax taken off with a discount (TAX of subtype DISCOUNT): it is netted into
item-tax and shipping-tax. Neither has a field for OTHER charges, nor the report for COD fees, nor v0 for the
tax on a COD fee: those stay out (docs/BEHAVIOR.md, "Loaded orders").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import OrderLine, OrderRecord
from .money import ZERO, q


@dataclass(frozen=True)
class LineMoney:
    """Amounts for the line's quantity; discounts and their taxes are positive magnitudes."""

    item: Decimal
    item_tax: Decimal
    shipping: Decimal
    shipping_tax: Decimal
    gift_wrap: Decimal
    gift_wrap_tax: Decimal
    promotion: Decimal
    promotion_tax: Decimal
    shipping_discount: Decimal
    shipping_discount_tax: Decimal


def taxes_inside(order: OrderRecord) -> bool:
    """Whether v0 and the report show this order's prices gross, with the VAT inside in the tax fields."""
    return order.marketplace.prices_include_tax and not order.business


def line_money(order: OrderRecord, line: OrderLine) -> LineMoney:
    if order.prices_include_tax:
        # The line's amounts are gross, its *_tax fields the VAT inside them, its discounts carry no tax of
        # their own (the VAT is that of the discounted amount).
        gross = LineMoney(
            line.item_price,
            line.item_tax,
            line.shipping_price,
            line.shipping_tax,
            line.gift_wrap_price,
            line.gift_wrap_tax,
            line.promotion_discount,
            ZERO,
            line.shipping_discount,
            ZERO,
        )
        if taxes_inside(order):
            return gross
        return LineMoney(
            gross.item - gross.item_tax,
            gross.item_tax,
            gross.shipping - gross.shipping_tax,
            gross.shipping_tax,
            gross.gift_wrap - gross.gift_wrap_tax,
            gross.gift_wrap_tax,
            gross.promotion,
            ZERO,
            gross.shipping_discount,
            ZERO,
        )
    net = LineMoney(
        line.item_price,
        line.item_tax,
        line.shipping_price,
        line.shipping_tax,
        line.gift_wrap_price,
        line.gift_wrap_tax,
        line.promotion_discount,
        line.promotion_discount_tax,
        line.shipping_discount,
        line.shipping_discount_tax,
    )
    if not taxes_inside(order):
        return net
    return LineMoney(
        net.item + net.item_tax,
        net.item_tax,
        net.shipping + net.shipping_tax,
        net.shipping_tax,
        net.gift_wrap + net.gift_wrap_tax,
        net.gift_wrap_tax,
        net.promotion + net.promotion_tax,
        net.promotion_tax,
        net.shipping_discount + net.shipping_discount_tax,
        net.shipping_discount_tax,
    )


def _negative(magnitude: Decimal) -> Decimal:
    return q(-magnitude) if magnitude else ZERO


def all_orders_money(order: OrderRecord, line: OrderLine) -> dict[str, Decimal]:
    """The money columns of the line's All Orders report row (discounts negative, as Amazon writes them)."""
    money = line_money(order, line)
    return {
        "item-price": q(money.item),
        "item-tax": q(money.item_tax - money.promotion_tax),
        "shipping-price": q(money.shipping),
        "shipping-tax": q(money.shipping_tax - money.shipping_discount_tax),
        "gift-wrap-price": q(money.gift_wrap),
        "gift-wrap-tax": q(money.gift_wrap_tax),
        "item-promotion-discount": _negative(money.promotion),
        "ship-promotion-discount": _negative(money.shipping_discount),
    }
