"""Turning Orders 2026-01-01 ``Order`` objects (e.g. from a JSON file) into sandbox records.

The record keeps the document verbatim: Orders 2026-01-01 serves it back as given (render_loaded.py), filtered
by ``includedData`` only. What the v0 views and the All Orders report show is read from it here: every proceeds
breakdown (read_proceeds.py), points, buyer, address, programs. Its timeline is reconstructed from its
fulfillment status at ``lastUpdatedTime`` (packages, when present, become shipments), so that the sandbox's own
simulation (confirmShipment) can move it on.
"""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal

from amzodoo_sandbox.spapi.marketplaces import BY_MARKETPLACE_ID

from .models import Address, OrderLine, OrderRecord, Shipment
from .money import q, tax_rate
from .read_proceeds import amount, line_money
from .timefmt import parse_iso

REQUIRED = ("orderId", "createdTime", "lastUpdatedTime", "salesChannel", "orderItems")
# Orders 2026-01-01 service levels in the v0 spelling the sandbox keeps ("Std" is v0's standard).
SERVICE_LEVELS = {
    "STANDARD": "Std",
    "EXPEDITED": "Expedited",
    "NEXT_DAY": "NextDay",
    "SECOND_DAY": "SecondDay",
    "SAME_DAY": "SameDay",
    "PRIORITY": "Priority",
    "SCHEDULED": "Scheduled",
    "FREE_ECONOMY": "FreeEconomy",
}


# Package statuses of packages that have not left (yet).
UNSHIPPED_PACKAGES = ("PENDING", "CANCELLED")
# The reference of the shipment standing for units shipped outside the loaded packages; no seller's own
# confirmShipment is refused for reusing it.
UNPACKAGED_SHIPMENT = "sandbox-loaded-unpackaged"


def _has_tax(item: dict) -> bool:
    return any(str(b.get("type", "")).upper() == "TAX" for b in (item.get("proceeds") or {}).get("breakdowns") or [])


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
    programs = data.get("programs") or []
    prices_include_tax = mp.prices_include_tax and not any(_has_tax(i) for i in data["orderItems"])
    rate = tax_rate(mp.code, address_data.get("stateOrRegion"))
    lines = [_line(item, prices_include_tax, rate) for item in data["orderItems"]]
    created = parse_iso(data["createdTime"])
    updated = max(parse_iso(data["lastUpdatedTime"]), created)
    proceeds = data.get("proceeds") or {}
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
            line3=address_data.get("addressLine3") or None,
            county=address_data.get("districtOrCounty") or None,
            municipality=address_data.get("municipality") or None,
        ),
        buyer_email=buyer.get("buyerEmail", ""),
        buyer_name=buyer.get("buyerName"),
        buyer_company=buyer.get("buyerCompanyName"),
        purchase_order_number=buyer.get("buyerPurchaseOrderNumber"),
        # Amazon's definition of a business order (v0 IsBusinessOrder, the report's is-business-order).
        business="AMAZON_BUSINESS" in programs,
        prices_include_tax=prices_include_tax,
        ship_service_level=SERVICE_LEVELS.get(str(fulfillment.get("fulfillmentServiceLevel")), "Std"),
        prime="PRIME" in programs,
        seller_order_id=next(
            (a["aliasId"] for a in data.get("orderAliases", []) if a.get("aliasType") == "SELLER_ORDER_ID"), None
        ),
        document=copy.deepcopy(data),
        loaded_grand_total=amount(proceeds["grandTotal"]) if proceeds.get("grandTotal") else None,
    )
    _timeline(order, data, fulfillment.get("fulfillmentStatus", "UNSHIPPED"), updated)
    # Every event of the reconstructed timeline lies at or before ``updated``.
    order.loaded_state = order.state_at(updated)
    return order


def _line(item: dict, prices_include_tax: bool, rate: Decimal) -> OrderLine:
    product = item.get("product") or {}
    quantity = int(item["quantityOrdered"])
    price = product.get("price") or {}
    unit = amount(price.get("unitPrice"))
    money = line_money(item, not prices_include_tax, rate, unit * quantity)
    gift = ((item.get("fulfillment") or {}).get("packing") or {}).get("giftOption") or {}
    points = ((item.get("expense") or {}).get("pointsCost") or {}).get("pointsGranted") or {}
    return OrderLine(
        order_item_id=item["orderItemId"],
        sku=product.get("sellerSku", ""),
        asin=product.get("asin", ""),
        title=product.get("title", ""),
        quantity=quantity,
        unit_price=unit if unit else q(money["item_price"] / quantity),
        gift_message=gift.get("giftMessage"),
        gift_wrap_level=gift.get("giftWrapLevel") or (gift and "Classic") or None,
        promotion_ids=tuple(
            b["promotionId"] for b in (item.get("promotion") or {}).get("breakdowns", []) if "promotionId" in b
        ),
        condition=((product.get("condition") or {}).get("conditionType") or "New").capitalize(),
        points_number=points.get("pointsNumber"),
        points_value=amount(points["pointsMonetaryValue"]) if points.get("pointsMonetaryValue") else None,
        price_designation=price.get("priceDesignation"),
        **money,
    )


def _timeline(order: OrderRecord, data: dict, status: str, updated: datetime) -> None:
    order.touched_at = updated
    if status in ("PENDING", "PENDING_AVAILABILITY"):
        return
    order.unshipped_at = order.created if status != "UNSHIPPED" else updated
    if status == "CANCELLED":
        order.cancelled_at = updated
        return
    for index, package in enumerate(data.get("packages") or []):
        # A package still waiting for its pickup, or cancelled, has shipped nothing.
        if ((package.get("packageStatus") or {}).get("status")) in UNSHIPPED_PACKAGES:
            continue
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
    # The items' quantityFulfilled is what Amazon counts as shipped; what the packages do not show of it (FBA
    # orders have no packages) is one shipment without a package of its own.
    packaged = order.shipped_quantities(updated)
    missing = {}
    for item in data["orderItems"]:
        done = (item.get("fulfillment") or {}).get("quantityFulfilled")
        if done is None:
            done = item["quantityOrdered"] if status == "SHIPPED" else packaged.get(item["orderItemId"], 0)
        if int(done) > packaged.get(item["orderItemId"], 0):
            missing[item["orderItemId"]] = int(done) - packaged.get(item["orderItemId"], 0)
    if missing:
        order.shipments.append(
            Shipment(
                at=updated,
                package_reference_id=UNPACKAGED_SHIPMENT,
                carrier_code="Other",
                tracking_number="",
                ship_date=updated,
                items=missing,
            )
        )
