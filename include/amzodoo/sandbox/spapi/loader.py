"""Turning Orders 2026-01-01 ``Order`` objects (e.g. from a JSON file) into sandbox records.

The loaded order then appears consistently in every API and report. Its timeline is reconstructed from its
fulfillment status at ``lastUpdatedTime``; fields the sandbox does not model are dropped.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from amzodoo.config.marketplaces import BY_MARKETPLACE_ID

from .models import Address, OrderLine, OrderRecord, Shipment
from .money import ZERO, q, tax_in_gross, tax_rate
from .timefmt import parse_iso

REQUIRED = ("orderId", "createdTime", "lastUpdatedTime", "salesChannel", "orderItems")


def _amount(money: dict | None) -> Decimal:
    return q(money["amount"]) if money else ZERO


def _breakdowns(item: dict) -> dict[str, dict]:
    return {b["type"]: b for b in (item.get("proceeds") or {}).get("breakdowns", [])}


def _detail(breakdown: dict | None, subtype: str) -> Decimal:
    if not breakdown:
        return ZERO
    for row in breakdown.get("detailedBreakdowns", []):
        if row.get("subtype") == subtype:
            return _amount(row.get("value"))
    return _amount(breakdown["subtotal"]) if subtype == "ITEM" and not breakdown.get("detailedBreakdowns") else ZERO


def order_from_2026(account: str, allowed_marketplaces: tuple[str, ...], data: dict) -> OrderRecord:
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise ValueError(f"order {data.get('orderId', '?')}: missing required fields {missing}")
    marketplace_id = data["salesChannel"].get("marketplaceId")
    mp = BY_MARKETPLACE_ID.get(marketplace_id or "")
    if mp is None or mp.code not in allowed_marketplaces:
        raise ValueError(f"order {data['orderId']}: marketplace {marketplace_id} is not one of {account}'s")
    fulfillment = data.get("fulfillment") or {}
    channel = "AFN" if fulfillment.get("fulfilledBy") == "AMAZON" else "MFN"
    address_data = (data.get("recipient") or {}).get("deliveryAddress") or {}
    buyer = data.get("buyer") or {}
    has_tax = any("TAX" in _breakdowns(i) for i in data["orderItems"])
    prices_include_tax = mp.prices_include_tax and not has_tax
    rate = tax_rate(mp.code, address_data.get("stateOrRegion"))
    lines = [_line(item, prices_include_tax, rate) for item in data["orderItems"]]
    created = parse_iso(data["createdTime"])
    updated = max(parse_iso(data["lastUpdatedTime"]), created)
    order = OrderRecord(
        order_id=data["orderId"],
        account=account,
        marketplace_code=mp.code,
        created=created,
        channel=channel,
        lines=lines,
        address=Address(
            name=address_data.get("name"),
            line1=address_data.get("addressLine1"),
            line2=address_data.get("addressLine2") or None,
            city=address_data.get("city", ""),
            state=address_data.get("stateOrRegion") or None,
            postal_code=address_data.get("postalCode", ""),
            country_code=address_data.get("countryCode", mp.country_code),
            phone=address_data.get("phone"),
            company=address_data.get("companyName"),
            address_type=(address_data.get("addressType") or "RESIDENTIAL").capitalize(),
        ),
        buyer_email=buyer.get("buyerEmail", ""),
        buyer_name=buyer.get("buyerName"),
        buyer_company=buyer.get("buyerCompanyName"),
        purchase_order_number=buyer.get("buyerPurchaseOrderNumber"),
        business="AMAZON_BUSINESS" in (data.get("programs") or []) or bool(buyer.get("buyerCompanyName")),
        prices_include_tax=prices_include_tax,
        prime="PRIME" in (data.get("programs") or []),
        seller_order_id=next(
            (a["aliasId"] for a in data.get("orderAliases", []) if a.get("aliasType") == "SELLER_ORDER_ID"), None
        ),
    )
    _timeline(order, data, fulfillment.get("fulfillmentStatus", "UNSHIPPED"), updated)
    return order


def _line(item: dict, prices_include_tax: bool, rate: Decimal) -> OrderLine:
    product = item.get("product") or {}
    quantity = int(item["quantityOrdered"])
    parts = _breakdowns(item)
    unit = _amount((product.get("price") or {}).get("unitPrice"))
    item_price = _amount(parts["ITEM"]["subtotal"]) if "ITEM" in parts else unit * quantity
    shipping = _amount(parts["SHIPPING"]["subtotal"]) if "SHIPPING" in parts else ZERO
    gift_wrap = _amount(parts["GIFT_WRAP"]["subtotal"]) if "GIFT_WRAP" in parts else ZERO
    discount = parts.get("DISCOUNT")
    promotion = -_detail(discount, "ITEM")
    shipping_discount = -_detail(discount, "SHIPPING")
    tax = parts.get("TAX")
    if prices_include_tax:
        item_tax = tax_in_gross(item_price - promotion, rate)
        shipping_tax = tax_in_gross(shipping - shipping_discount, rate)
        gift_wrap_tax = tax_in_gross(gift_wrap, rate)
    else:
        item_tax, shipping_tax, gift_wrap_tax = (_detail(tax, s) for s in ("ITEM", "SHIPPING", "GIFT_WRAP"))
    gift = ((item.get("fulfillment") or {}).get("packing") or {}).get("giftOption") or {}
    return OrderLine(
        order_item_id=item["orderItemId"],
        sku=product.get("sellerSku", ""),
        asin=product.get("asin", ""),
        title=product.get("title", ""),
        quantity=quantity,
        unit_price=unit if unit else q(item_price / quantity),
        item_price=item_price,
        item_tax=item_tax,
        shipping_price=shipping,
        shipping_tax=shipping_tax,
        shipping_discount=shipping_discount,
        promotion_discount=promotion,
        gift_wrap_price=gift_wrap,
        gift_wrap_tax=gift_wrap_tax,
        gift_message=gift.get("giftMessage"),
        gift_wrap_level=gift.get("giftWrapLevel") or (gift and "Classic") or None,
        promotion_ids=tuple(
            b["promotionId"] for b in (item.get("promotion") or {}).get("breakdowns", []) if "promotionId" in b
        ),
        condition=((product.get("condition") or {}).get("conditionType") or "New").capitalize(),
    )


def _timeline(order: OrderRecord, data: dict, status: str, updated: datetime) -> None:
    order.touched_at = updated
    if status in ("PENDING", "PENDING_AVAILABILITY"):
        return
    order.unshipped_at = order.created if status != "UNSHIPPED" else updated
    if status == "CANCELLED":
        order.cancelled_at = updated
        return
    packages = data.get("packages") or []
    for index, package in enumerate(packages):
        at = parse_iso(package.get("shipTime") or data["lastUpdatedTime"])
        order.shipments.append(
            Shipment(
                at=min(at, updated),
                package_reference_id=package.get("packageReferenceId", str(index + 1)),
                carrier_code=package.get("carrier", "Other"),
                tracking_number=package.get("trackingNumber", ""),
                ship_date=at,
                items={p["orderItemId"]: int(p["quantity"]) for p in package.get("packageItems", [])},
            )
        )
    if packages or status not in ("SHIPPED", "PARTIALLY_SHIPPED"):
        return
    items = {}
    for item in data["orderItems"]:
        done = (item.get("fulfillment") or {}).get("quantityFulfilled")
        items[item["orderItemId"]] = int(item["quantityOrdered"] if done is None and status == "SHIPPED" else done or 0)
    order.shipments.append(
        Shipment(
            at=updated,
            package_reference_id="1",
            carrier_code="Other",
            tracking_number="",
            ship_date=updated,
            items=items,
        )
    )
