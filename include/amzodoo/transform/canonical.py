"""One canonical order from either raw shape Amazon gives: an Orders 2026-01-01 ``Order`` or All Orders report rows.

Everything after this module works on ``CanonicalOrder`` only, so the two extract paths produce the same Odoo
order. Money stays ``Decimal`` exactly as Amazon sent it; amounts are per item line for its whole quantity.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from amzodoo.config.marketplaces import Marketplace
from amzodoo.transform import fields
from amzodoo.transform.errors import TransformError
from amzodoo.transform.money import currency_digits, round_money

Status = Literal["PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED", "UNFULFILLABLE"]
Channel = Literal["AFN", "MFN"]

_API_STATUSES: dict[str, Status] = {
    "PENDING_AVAILABILITY": "PENDING",  # pre-order, not payable yet
    "PENDING": "PENDING",
    "UNSHIPPED": "UNSHIPPED",
    "PARTIALLY_SHIPPED": "PARTIALLY_SHIPPED",
    "SHIPPED": "SHIPPED",
    "CANCELLED": "CANCELLED",
    "UNFULFILLABLE": "UNFULFILLABLE",
}

# Report / Orders v0 spellings, compared without case, blanks, '-' and '_'.
_REPORT_STATUSES: dict[str, Status] = {
    "pending": "PENDING",
    "pendingavailability": "PENDING",
    "unshipped": "UNSHIPPED",
    # The flat file's word for an order of which some items have shipped.
    "shipping": "PARTIALLY_SHIPPED",
    "partiallyshipped": "PARTIALLY_SHIPPED",
    "shipped": "SHIPPED",
    # Orders v0: every item shipped, only the invoice confirmation is missing.
    "invoiceunconfirmed": "SHIPPED",
    "cancelled": "CANCELLED",
    "canceled": "CANCELLED",
    "unfulfillable": "UNFULFILLABLE",
}

_CHANNELS: dict[str, Channel] = {"amazon": "AFN", "afn": "AFN", "merchant": "MFN", "mfn": "MFN"}


@dataclass(frozen=True)
class Buyer:
    name: str | None
    email: str | None  # Amazon's anonymised relay address
    company: str | None


@dataclass(frozen=True)
class Recipient:
    name: str | None
    company: str | None
    street: str | None
    street2: str | None  # address lines 2 and 3
    city: str | None
    state: str | None  # as Amazon gives it: a code or a name
    zip: str | None
    country_code: str | None
    phone: str | None


@dataclass(frozen=True)
class CanonicalItem:
    item_key: str  # orderItemId, or "<sku>#<row index>" for report rows (the report has no item id)
    sku: str
    asin: str | None
    title: str
    quantity: int
    item: Decimal  # goods for the whole quantity, as presented (gross where the marketplace shows gross)
    item_tax: Decimal
    shipping: Decimal
    shipping_tax: Decimal
    shipping_discount: Decimal  # <= 0
    shipping_discount_tax: Decimal
    promotion_discount: Decimal  # <= 0
    promotion_discount_tax: Decimal
    gift_wrap: Decimal
    gift_wrap_tax: Decimal
    gift_message: str | None
    promotion_ids: tuple[str, ...]
    cod_fee: Decimal
    other: Decimal
    cod_fee_tax: Decimal = Decimal(0)
    other_tax: Decimal = Decimal(0)
    tax_itemised: bool = False  # Amazon listed tax separately (on top of the amounts above)
    quantity_shipped: int | None = None  # units Amazon shows as shipped; None = Amazon did not say

    @property
    def total(self) -> Decimal:
        return (
            self.item
            + self.item_tax
            + self.shipping
            + self.shipping_tax
            + self.shipping_discount
            + self.shipping_discount_tax
            + self.promotion_discount
            + self.promotion_discount_tax
            + self.gift_wrap
            + self.gift_wrap_tax
            + self.cod_fee
            + self.cod_fee_tax
            + self.other
            + self.other_tax
        )


@dataclass(frozen=True)
class CanonicalOrder:
    amazon_order_id: str
    marketplace_code: str
    status: Status
    channel: Channel
    purchase_date: datetime
    last_updated: datetime
    currency: str
    is_business: bool
    buyer: Buyer | None
    recipient: Recipient | None
    items: tuple[CanonicalItem, ...]
    grand_total: Decimal  # goods the buyer paid: proceeds less any delivery tip
    delivery_tip: Decimal
    purchase_order_number: str | None = None
    source: Literal["api", "report"] = "api"

    @property
    def digits(self) -> int:
        return currency_digits(self.currency)

    @property
    def gift_messages(self) -> list[str]:
        """Distinct gift messages in item order (one message is often repeated on every item)."""
        return list(dict.fromkeys(item.gift_message for item in self.items if item.gift_message))


def _channel(value: object, field: str) -> Channel:
    channel = _CHANNELS.get((fields.text(value) or "").lower())
    if channel is None:
        raise TransformError(field, f"unknown fulfillment channel {fields.text(value)!r}")
    return channel


def _dict(value: object, field: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TransformError(field, "must be an object")
    return value


def _list(value: object, field: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TransformError(field, "must be a list")
    return value


# ---------------------------------------------------------------------------------------------------------------
# Orders 2026-01-01


def canonical_from_api(order: dict, marketplace: Marketplace) -> CanonicalOrder:
    """The canonical order of an Orders 2026-01-01 ``Order`` (searchOrders / getOrder, with includedData)."""
    if not isinstance(order, dict):
        raise TransformError("order", "must be an object")
    order_id = fields.text(order.get("orderId"))
    if order_id is None:
        raise TransformError("orderId", "missing")
    currency = marketplace.currency
    channel_info = _dict(order.get("salesChannel"), "salesChannel")
    marketplace_id = fields.text(channel_info.get("marketplaceId"))
    if marketplace_id is not None and marketplace_id != marketplace.marketplace_id:
        raise TransformError("salesChannel.marketplaceId", f"{marketplace_id} is not marketplace {marketplace.code}")
    fulfillment = _dict(order.get("fulfillment"), "fulfillment")
    raw_status = fields.text(fulfillment.get("fulfillmentStatus"))
    if raw_status is None:
        raise TransformError("fulfillment.fulfillmentStatus", "missing (request includedData FULFILLMENT)")
    status = _API_STATUSES.get(raw_status.upper())
    if status is None:
        raise TransformError("fulfillment.fulfillmentStatus", f"unknown status {raw_status!r}")
    channel = _channel(fulfillment.get("fulfilledBy"), "fulfillment.fulfilledBy")

    raw_items = _list(order.get("orderItems"), "orderItems")
    if not raw_items:
        raise TransformError("orderItems", "missing")
    # A cancelled order is only cancelled in Odoo: its money may be gone from the payload.
    zero_if_missing = status == "CANCELLED"
    items = tuple(
        _api_item(raw, f"orderItems[{index}]", currency, zero_if_missing) for index, raw in enumerate(raw_items)
    )
    keys = [item.item_key for item in items]
    if len(set(keys)) != len(keys):
        raise TransformError("orderItems", "duplicate orderItemId")

    proceeds = _dict(order.get("proceeds"), "proceeds")
    tip = Decimal(0)
    for index, part in enumerate(_list(proceeds.get("breakdowns"), "proceeds.breakdowns")):
        part = _dict(part, f"proceeds.breakdowns[{index}]")
        if fields.text(part.get("type")) == "DELIVERY_TIP":
            tip += fields.money(part.get("subtotal"), f"proceeds.breakdowns[{index}].subtotal", currency)
    if proceeds.get("grandTotal") is None:
        if not zero_if_missing:
            raise TransformError("proceeds.grandTotal", "missing (request includedData PROCEEDS)")
        grand_total = sum((item.total for item in items), Decimal(0))
    else:
        grand_total = fields.money(proceeds.get("grandTotal"), "proceeds.grandTotal", currency) - tip

    buyer = _dict(order.get("buyer"), "buyer")
    return CanonicalOrder(
        amazon_order_id=order_id,
        marketplace_code=marketplace.code,
        status=status,
        channel=channel,
        purchase_date=fields.timestamp(order.get("createdTime"), "createdTime"),
        last_updated=fields.timestamp(order.get("lastUpdatedTime"), "lastUpdatedTime"),
        currency=currency,
        is_business="AMAZON_BUSINESS" in _list(order.get("programs"), "programs"),
        buyer=_buyer(buyer),
        recipient=_api_recipient(_dict(order.get("recipient"), "recipient")),
        items=items,
        grand_total=grand_total,
        delivery_tip=tip,
        purchase_order_number=fields.text(buyer.get("buyerPurchaseOrderNumber")),
        source="api",
    )


def _buyer(buyer: dict) -> Buyer | None:
    result = Buyer(
        name=fields.text(buyer.get("buyerName")),
        email=fields.text(buyer.get("buyerEmail")),
        company=fields.text(buyer.get("buyerCompanyName")),
    )
    return result if any((result.name, result.email, result.company)) else None


def _api_recipient(recipient: dict) -> Recipient | None:
    address = _dict(recipient.get("deliveryAddress"), "recipient.deliveryAddress")
    if not address:
        return None
    street2 = ", ".join(
        line for line in (fields.text(address.get("addressLine2")), fields.text(address.get("addressLine3"))) if line
    )
    return Recipient(
        name=fields.text(address.get("name")),
        company=fields.text(address.get("companyName")),
        street=fields.text(address.get("addressLine1")),
        street2=street2 or None,
        city=fields.text(address.get("city")),
        state=fields.text(address.get("stateOrRegion")),
        zip=fields.text(address.get("postalCode")),
        country_code=(fields.text(address.get("countryCode")) or "").upper() or None,
        phone=fields.text(address.get("phone")),
    )


def _api_item(raw: object, path: str, currency: str, zero_if_missing: bool) -> CanonicalItem:
    raw = _dict(raw, path)
    item_id = fields.text(raw.get("orderItemId"))
    if item_id is None:
        raise TransformError(f"{path}.orderItemId", "missing")
    product = _dict(raw.get("product"), f"{path}.product")
    sku = fields.text(product.get("sellerSku"))
    if sku is None:
        raise TransformError(f"{path}.product.sellerSku", "missing")
    quantity = fields.quantity(raw.get("quantityOrdered"), f"{path}.quantityOrdered")

    proceeds = _dict(raw.get("proceeds"), f"{path}.proceeds")
    breakdowns = _list(proceeds.get("breakdowns"), f"{path}.proceeds.breakdowns")
    if not breakdowns and not zero_if_missing:
        raise TransformError(f"{path}.proceeds.breakdowns", "missing (request includedData PROCEEDS)")
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    tax_itemised = False
    for index, part in enumerate(breakdowns):
        part_path = f"{path}.proceeds.breakdowns[{index}]"
        part = _dict(part, part_path)
        kind = (fields.text(part.get("type")) or "").upper()
        subtotal = fields.money(part.get("subtotal"), f"{part_path}.subtotal", currency)
        if kind in ("ITEM", "SHIPPING", "GIFT_WRAP", "COD_FEE", "OTHER"):
            amounts[kind] += subtotal
        elif kind in ("TAX", "DISCOUNT"):
            tax_itemised |= kind == "TAX"
            _split_by_subtype(amounts, kind, subtotal, part.get("detailedBreakdowns"), part_path, currency)
        else:
            raise TransformError(f"{part_path}.type", f"unknown proceeds type {kind!r}")
    if amounts["ITEM"] < 0:
        raise TransformError(f"{path}.proceeds", "item amount must not be negative")

    fulfillment = _dict(raw.get("fulfillment"), f"{path}.fulfillment")
    packing = _dict(fulfillment.get("packing"), f"{path}.fulfillment.packing")
    gift = _dict(packing.get("giftOption"), f"{path}.fulfillment.packing.giftOption")
    shipping_discount_tax, promotion_discount_tax = _split_discount_tax(
        amounts["DISCOUNT_TAX"], amounts["DISCOUNT:SHIPPING"], amounts["DISCOUNT:ITEM"], currency
    )
    return CanonicalItem(
        item_key=item_id,
        sku=sku,
        asin=fields.text(product.get("asin")),
        title=fields.text(product.get("title")) or sku,
        quantity=quantity,
        item=amounts["ITEM"],
        item_tax=amounts["TAX:ITEM"],
        shipping=amounts["SHIPPING"],
        shipping_tax=amounts["TAX:SHIPPING"],
        shipping_discount=amounts["DISCOUNT:SHIPPING"],
        shipping_discount_tax=shipping_discount_tax,
        promotion_discount=amounts["DISCOUNT:ITEM"],
        promotion_discount_tax=promotion_discount_tax,
        gift_wrap=amounts["GIFT_WRAP"],
        gift_wrap_tax=amounts["TAX:GIFT_WRAP"],
        gift_message=fields.text(gift.get("giftMessage")),
        promotion_ids=_promotion_ids(raw, path),
        cod_fee=amounts["COD_FEE"],
        other=amounts["OTHER"],
        cod_fee_tax=amounts["TAX:COD_FEE"],
        other_tax=amounts["TAX:OTHER"],
        tax_itemised=tax_itemised,
        quantity_shipped=_quantity_shipped(fulfillment, quantity, f"{path}.fulfillment"),
    )


def _quantity_shipped(fulfillment: dict, ordered: int, path: str) -> int | None:
    """Units of the item Amazon shows as shipped: ``quantityFulfilled``, else ordered less ``quantityUnfulfilled``."""
    for key in ("quantityFulfilled", "quantityUnfulfilled"):
        value = fulfillment.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= ordered:
            raise TransformError(f"{path}.{key}", f"must be a whole number from 0 to {ordered}, got {value!r}")
        return value if key == "quantityFulfilled" else ordered - value
    return None


def _promotion_ids(raw: dict, path: str) -> tuple[str, ...]:
    breakdowns = _dict(raw.get("promotion"), f"{path}.promotion").get("breakdowns")
    ids = []
    for index, promotion in enumerate(_list(breakdowns, f"{path}.promotion.breakdowns")):
        promotion_id = fields.text(_dict(promotion, f"{path}.promotion.breakdowns[{index}]").get("promotionId"))
        if promotion_id:
            ids.append(promotion_id)
    return tuple(ids)


# Where a TAX or DISCOUNT subtype lands. Tax on discounts is split between the two discounts afterwards;
# a gift-wrap discount has no line of its own and counts as a promotion.
_SUBTYPE_KEYS = {
    ("TAX", "ITEM"): "TAX:ITEM",
    ("TAX", "SHIPPING"): "TAX:SHIPPING",
    ("TAX", "GIFT_WRAP"): "TAX:GIFT_WRAP",
    ("TAX", "COD_FEE"): "TAX:COD_FEE",
    ("TAX", "OTHER"): "TAX:OTHER",
    ("TAX", "DISCOUNT"): "DISCOUNT_TAX",
    ("DISCOUNT", "SHIPPING"): "DISCOUNT:SHIPPING",
}


def _split_by_subtype(
    amounts: dict[str, Decimal], kind: str, subtotal: Decimal, details: object, path: str, currency: str
) -> None:
    """Spread a TAX or DISCOUNT subtotal over its subtypes; what the details leave over is item tax/discount.

    Discounts are read as negative (Amazon's model gives no sign; totals must stay sums), whatever sign comes.
    """
    remaining = -abs(subtotal) if kind == "DISCOUNT" else subtotal
    for index, detail in enumerate(_list(details, f"{path}.detailedBreakdowns")):
        detail_path = f"{path}.detailedBreakdowns[{index}]"
        detail = _dict(detail, detail_path)
        subtype = (fields.text(detail.get("subtype")) or "").upper()
        value = fields.money(detail.get("value"), f"{detail_path}.value", currency)
        if kind == "DISCOUNT" or subtype == "DISCOUNT":
            value = -abs(value)
        amounts[_SUBTYPE_KEYS.get((kind, subtype), f"{kind}:ITEM")] += value
        remaining -= value
    amounts[f"{kind}:ITEM"] += remaining


def _split_discount_tax(
    tax: Decimal, shipping_discount: Decimal, promotion_discount: Decimal, currency: str
) -> tuple[Decimal, Decimal]:
    """Amazon gives one tax for all discounts of an item: split it in proportion to the two discounts."""
    if tax == 0 or shipping_discount == 0:
        return Decimal(0), tax
    if promotion_discount == 0:
        return tax, Decimal(0)
    shipping_part = round_money(
        tax * shipping_discount / (shipping_discount + promotion_discount), currency_digits(currency)
    )
    return shipping_part, tax - shipping_part


# ---------------------------------------------------------------------------------------------------------------
# All Orders report


_REPORT_MONEY = (
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
)
_REPORT_TAXES = ("item-tax", "shipping-tax", "gift-wrap-tax")


def canonical_from_report(rows: list[dict], marketplace: Marketplace) -> CanonicalOrder:
    """The canonical order of one order's All Orders report rows (one row per item, Amazon's column names)."""
    if not isinstance(rows, list) or not rows:
        raise TransformError("rows", "missing")
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise TransformError(f"rows[{index}]", "must be an object")
    first = rows[0]
    order_id = fields.text(first.get("amazon-order-id"))
    if order_id is None:
        raise TransformError("rows[0].amazon-order-id", "missing")
    for index, row in enumerate(rows):
        if fields.text(row.get("amazon-order-id")) != order_id:
            raise TransformError(f"rows[{index}].amazon-order-id", "rows of several orders")
    raw_status = fields.text(first.get("order-status")) or ""
    status = _REPORT_STATUSES.get(raw_status.lower().replace(" ", "").replace("-", "").replace("_", ""))
    if status is None:
        raise TransformError("rows[0].order-status", f"unknown status {raw_status!r}")

    is_business = (fields.text(first.get("is-business-order")) or "").lower() == "true"
    # Where consumers see gross prices the tax columns hold the VAT inside them (Amazon Business buyers see
    # net prices with VAT on top): adding it would count it twice.
    taxes_inside = marketplace.prices_include_tax and not is_business
    items = []
    for index, row in enumerate(rows):
        item = _report_item(row, index, marketplace.currency, status, taxes_inside)
        if item is not None:
            items.append(item)
    if not items and status != "CANCELLED":
        raise TransformError("rows", "no items")

    purchase_date = fields.timestamp(first.get("purchase-date"), "rows[0].purchase-date")
    last_updated = max(
        fields.timestamp(row.get("last-updated-date"), f"rows[{index}].last-updated-date")
        for index, row in enumerate(rows)
    )
    return CanonicalOrder(
        amazon_order_id=order_id,
        marketplace_code=marketplace.code,
        status=status,
        channel=_channel(first.get("fulfillment-channel"), "rows[0].fulfillment-channel"),
        purchase_date=purchase_date,
        last_updated=last_updated,
        currency=marketplace.currency,
        is_business=is_business,
        buyer=None,
        recipient=_report_recipient(first),
        items=tuple(items),
        grand_total=sum((item.total for item in items), Decimal(0)),
        delivery_tip=Decimal(0),
        purchase_order_number=fields.text(first.get("purchase-order-number")),
        source="report",
    )


def _report_item(row: dict, index: int, currency: str, status: Status, taxes_inside: bool) -> CanonicalItem | None:
    path = f"rows[{index}]"
    sku = fields.text(row.get("sku"))
    if sku is None:
        raise TransformError(f"{path}.sku", "missing")
    item_status = (fields.text(row.get("item-status")) or "").lower()
    item_cancelled = item_status in ("cancelled", "canceled")
    raw_quantity = fields.text(row.get("quantity"))
    # Cancelled lines come with quantity 0 and no prices: nothing to put on an Odoo order.
    if raw_quantity in (None, "0") and (item_cancelled or status == "CANCELLED"):
        return None
    quantity = fields.quantity(raw_quantity, f"{path}.quantity")
    row_currency = fields.text(row.get("currency"))
    if row_currency is not None and row_currency.upper() != currency:
        raise TransformError(f"{path}.currency", f"must be the marketplace currency {currency}, got {row_currency}")
    # Pending orders carry no prices in the report yet: blank money is zero.
    values = {column: fields.amount(row.get(column), f"{path}.{column}", allow_blank=True) for column in _REPORT_MONEY}
    if values["item-price"] < 0:
        raise TransformError(f"{path}.item-price", "must not be negative")
    if taxes_inside:
        values |= dict.fromkeys(_REPORT_TAXES, Decimal(0))
    promotion_ids = tuple(
        part.strip() for part in (fields.text(row.get("promotion-ids")) or "").split(",") if part.strip()
    )
    return CanonicalItem(
        item_key=f"{sku}#{index}",
        sku=sku,
        asin=fields.text(row.get("asin")),
        title=fields.text(row.get("product-name")) or sku,
        quantity=quantity,
        item=values["item-price"],
        item_tax=values["item-tax"],
        shipping=values["shipping-price"],
        shipping_tax=values["shipping-tax"],
        shipping_discount=-abs(values["ship-promotion-discount"]),
        shipping_discount_tax=Decimal(0),
        promotion_discount=-abs(values["item-promotion-discount"]),
        promotion_discount_tax=Decimal(0),
        gift_wrap=values["gift-wrap-price"],
        gift_wrap_tax=values["gift-wrap-tax"],
        gift_message=None,
        promotion_ids=promotion_ids,
        cod_fee=Decimal(0),
        other=Decimal(0),
        tax_itemised=any(values[column] != 0 for column in _REPORT_TAXES),
        # The report has no shipped quantity, only the row's status.
        quantity_shipped=quantity if status == "SHIPPED" or item_status == "shipped" else 0,
    )


def _report_recipient(row: dict) -> Recipient | None:
    city, state = fields.text(row.get("ship-city")), fields.text(row.get("ship-state"))
    zip_code, country = fields.text(row.get("ship-postal-code")), fields.text(row.get("ship-country"))
    if not any((city, state, zip_code, country)):
        return None
    return Recipient(
        name=None,
        company=None,
        street=None,
        street2=None,
        city=city,
        state=state,
        zip=zip_code,
        country_code=country.upper() if country else None,
        phone=None,
    )
