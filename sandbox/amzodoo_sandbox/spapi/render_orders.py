"""Orders 2026-01-01 ``Order`` objects rendered from the sandbox's records at a given clock time.

Generated orders are rendered from their records; loaded orders from the document they were loaded with
(render_loaded.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .models import FULFILLMENT_STATUS_2026, OrderRecord
from .proceeds import item_proceeds, order_proceeds
from .render_loaded import current_document, order_view, package_view
from .timefmt import iso

INCLUDED_DATA = (
    "BUYER",
    "RECIPIENT",
    "PROCEEDS",
    "EXPENSE",
    "PROMOTION",
    "CANCELLATION",
    "FULFILLMENT",
    "PACKAGES",
    "TAX",
    "PAYMENT",
    "FULFILLMENT_ORDERS",
)
SERVICE_LEVEL_2026 = {"Std": "STANDARD", "Expedited": "EXPEDITED", "NextDay": "NEXT_DAY"}


def _drop_none(values: dict) -> dict:
    return {k: v for k, v in values.items() if v is not None}


def render_order(order: OrderRecord, at: datetime, included: set[str]) -> dict:
    if order.document is not None:
        return order_view(current_document(order, at), included)
    status = order.status_at(at)
    mp = order.marketplace
    result: dict = {
        "orderId": order.order_id,
        "createdTime": iso(order.created),
        "lastUpdatedTime": iso(order.last_updated_at(at)),
        "salesChannel": {
            "channelName": "AMAZON",
            "marketplaceId": mp.marketplace_id,
            "marketplaceName": mp.sales_channel,
        },
    }
    if order.seller_order_id:
        result["orderAliases"] = [{"aliasId": order.seller_order_id, "aliasType": "SELLER_ORDER_ID"}]
    programs = [p for p, on in (("PRIME", order.prime), ("AMAZON_BUSINESS", order.business)) if on]
    if programs:
        result["programs"] = programs
    if "BUYER" in included:
        result["buyer"] = _drop_none(
            {
                "buyerName": order.buyer_name,
                "buyerEmail": order.buyer_email,
                "buyerCompanyName": order.buyer_company,
                "buyerPurchaseOrderNumber": order.purchase_order_number,
            }
        )
    if "RECIPIENT" in included:
        result["recipient"] = {"deliveryAddress": _address(order)}
    # Amazon drops the money of cancelled orders; nothing is charged.
    if "PROCEEDS" in included and status != "Canceled":
        result["proceeds"] = order_proceeds(order)
    if "FULFILLMENT" in included:
        result["fulfillment"] = {
            "fulfillmentStatus": FULFILLMENT_STATUS_2026[status],
            "fulfilledBy": "AMAZON" if order.channel == "AFN" else "MERCHANT",
            "fulfillmentServiceLevel": SERVICE_LEVEL_2026.get(order.ship_service_level, "STANDARD"),
            "shipByWindow": {
                "earliestDateTime": iso(order.created),
                "latestDateTime": iso(order.created + timedelta(days=2)),
            },
            "deliverByWindow": {
                "earliestDateTime": iso(order.created + timedelta(days=3)),
                "latestDateTime": iso(order.created + timedelta(days=7)),
            },
        }
    result["orderItems"] = [_item(order, line, at, status, included) for line in order.lines]
    if "PACKAGES" in included and order.channel == "MFN":
        result["packages"] = [package_view(s) for s in order.shipments if s.at <= at]
    return result


def _address(order: OrderRecord) -> dict:
    a = order.address
    return _drop_none(
        {
            "name": a.name,
            "companyName": a.company,
            "addressLine1": a.line1,
            "addressLine2": a.line2,
            "city": a.city,
            "stateOrRegion": a.state,
            "postalCode": a.postal_code,
            "countryCode": a.country_code,
            "phone": a.phone,
            "addressType": a.address_type.upper(),
        }
    )


def _item(order: OrderRecord, line, at: datetime, status: str, included: set[str]) -> dict:
    item: dict = {
        "orderItemId": line.order_item_id,
        "quantityOrdered": line.quantity,
        "product": {
            "asin": line.asin,
            "title": line.title,
            "sellerSku": line.sku,
            "condition": {"conditionType": line.condition.upper(), "conditionSubtype": line.condition.upper()},
            "price": {"unitPrice": {"amount": f"{line.unit_price}", "currencyCode": order.currency}},
        },
    }
    if order.business:
        item["product"]["price"]["priceDesignation"] = "BUSINESS_PRICE"
    if "PROCEEDS" in included and status != "Canceled":
        item["proceeds"] = item_proceeds(line, order)
    if "PROMOTION" in included and line.promotion_ids:
        item["promotion"] = {"breakdowns": [{"promotionId": p} for p in line.promotion_ids]}
    if "CANCELLATION" in included and status == "Canceled":
        item["cancellation"] = {"cancellationRequest": {"requester": "BUYER", "cancelReason": "NO_LONGER_NEEDED"}}
    if "FULFILLMENT" in included:
        shipped = order.shipped_quantities(at).get(line.order_item_id, 0)
        fulfillment: dict = {
            "quantityFulfilled": shipped,
            "quantityUnfulfilled": 0 if status == "Canceled" else line.quantity - shipped,
        }
        if line.gift_wrap_level:
            gift = _drop_none({"giftMessage": line.gift_message, "giftWrapLevel": line.gift_wrap_level})
            fulfillment["packing"] = {"giftOption": gift}
        item["fulfillment"] = fulfillment
    # US/CA/MX sales tax is collected by Amazon as marketplace facilitator; EU VAT here is the seller's.
    if "TAX" in included and order.marketplace.region == "NA":
        party = "Amazon Services, Inc."
        item["tax"] = {"taxCollections": [{"model": "MARKETPLACE_FACILITATOR", "responsibleParty": party}]}
    return item
