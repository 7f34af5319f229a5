"""Orders v0 views (Order, OrderItems, OrderAddress, OrderBuyerInfo) of the same records."""

from __future__ import annotations

from datetime import datetime, timedelta

from .models import OrderRecord
from .money import money_v0
from .money_views import line_money
from .proceeds import grand_total
from .timefmt import iso

PRICE_DESIGNATION_V0 = {"BUSINESS_PRICE": "BusinessPrice"}


def _address(order: OrderRecord, with_pii: bool) -> dict:
    a = order.address
    values = {
        "City": a.city,
        "StateOrRegion": a.state,
        "PostalCode": a.postal_code,
        "CountryCode": a.country_code,
    }
    if with_pii:
        values |= {
            "Name": a.name,
            "CompanyName": a.company,
            "AddressLine1": a.line1,
            "AddressLine2": a.line2,
            "AddressLine3": a.line3,
            "County": a.county,
            "Municipality": a.municipality,
            "Phone": a.phone,
            "AddressType": a.address_type,
        }
    return {k: v for k, v in values.items() if v is not None}


def render_order_v0(order: OrderRecord, at: datetime) -> dict:
    status = order.status_at(at)
    shipped = sum(order.shipped_quantities(at).values())
    mp = order.marketplace
    result: dict = {
        "AmazonOrderId": order.order_id,
        "PurchaseDate": iso(order.created),
        "LastUpdateDate": iso(order.last_updated_at(at)),
        "OrderStatus": status,
        "FulfillmentChannel": order.channel,
        "SalesChannel": mp.sales_channel,
        "ShipServiceLevel": f"{order.ship_service_level}{mp.country_code}Dom",
        "NumberOfItemsShipped": shipped,
        "NumberOfItemsUnshipped": 0 if status == "Canceled" else order.total_quantity() - shipped,
        "PaymentMethod": "COD" if any(ln.cod_fee for ln in order.lines) else "Other",
        "PaymentMethodDetails": ["Standard"],
        "MarketplaceId": mp.marketplace_id,
        "ShipmentServiceLevelCategory": "Standard" if order.ship_service_level == "Std" else order.ship_service_level,
        "OrderType": "StandardOrder",
        "EarliestShipDate": iso(order.created),
        "LatestShipDate": iso(order.created + timedelta(days=2)),
        "IsBusinessOrder": order.business,
        "IsPrime": order.prime,
        "IsPremiumOrder": False,
        "IsGlobalExpressEnabled": False,
        "IsReplacementOrder": False,
        "IsSoldByAB": False,
        "IsISPU": False,
        "IsAccessPointOrder": False,
        "ShippingAddress": _address(order, with_pii=False),
        "BuyerInfo": {},
    }
    if status != "Canceled":
        total = grand_total(order) if order.loaded_grand_total is None else order.loaded_grand_total
        result["OrderTotal"] = money_v0(total, order.currency)
    if order.seller_order_id:
        result["SellerOrderId"] = order.seller_order_id
    return result


def render_order_items_v0(order: OrderRecord, at: datetime) -> dict:
    status = order.status_at(at)
    shipped = order.shipped_quantities(at)
    currency = order.currency
    items = []
    for line in order.lines:
        item: dict = {
            "ASIN": line.asin,
            "SellerSKU": line.sku,
            "OrderItemId": line.order_item_id,
            "Title": line.title,
            "QuantityOrdered": line.quantity,
            "QuantityShipped": shipped.get(line.order_item_id, 0),
            "ProductInfo": {"NumberOfItems": "1"},
            "IsGift": "true" if line.gift_wrap_level else "false",
            "ConditionId": line.condition,
            "ConditionSubtypeId": line.condition,
            "IsTransparency": False,
            "SerialNumberRequired": False,
        }
        designation = order.price_designation(line)
        if designation:
            item["PriceDesignation"] = PRICE_DESIGNATION_V0.get(designation, designation)
        if line.points_number is not None:
            points: dict = {"PointsNumber": line.points_number}
            if line.points_value is not None:
                points["PointsMonetaryValue"] = money_v0(line.points_value, currency)
            item["PointsGranted"] = points
        if status != "Canceled":
            money = line_money(order, line)
            item |= {
                "ItemPrice": money_v0(money.item, currency),
                "ItemTax": money_v0(money.item_tax, currency),
                "ShippingPrice": money_v0(money.shipping, currency),
                "ShippingTax": money_v0(money.shipping_tax, currency),
                "ShippingDiscount": money_v0(money.shipping_discount, currency),
                "ShippingDiscountTax": money_v0(money.shipping_discount_tax, currency),
                "PromotionDiscount": money_v0(money.promotion, currency),
                "PromotionDiscountTax": money_v0(money.promotion_tax, currency),
            }
            if line.cod_fee or line.cod_fee_discount:
                item["CODFee"] = money_v0(line.cod_fee, currency)
                item["CODFeeDiscount"] = money_v0(line.cod_fee_discount, currency)
            if line.promotion_ids:
                item["PromotionIds"] = list(line.promotion_ids)
            if order.marketplace_code == "US":
                item["TaxCollection"] = {"Model": "MarketplaceFacilitator", "ResponsibleParty": "Amazon Services, Inc."}
        # Gift wrap charged without a gift option (a loaded order may say so) still shows its price.
        if line.gift_wrap_level or line.gift_wrap_price:
            buyer_info: dict = {"GiftWrapLevel": line.gift_wrap_level} if line.gift_wrap_level else {}
            if status != "Canceled":
                money = line_money(order, line)
                buyer_info["GiftWrapPrice"] = money_v0(money.gift_wrap, currency)
                buyer_info["GiftWrapTax"] = money_v0(money.gift_wrap_tax, currency)
            if line.gift_message:
                buyer_info["GiftMessageText"] = line.gift_message
            item["BuyerInfo"] = buyer_info
        items.append(item)
    return {"AmazonOrderId": order.order_id, "OrderItems": items}


def render_order_address_v0(order: OrderRecord) -> dict:
    result: dict = {"AmazonOrderId": order.order_id, "ShippingAddress": _address(order, with_pii=True)}
    if order.buyer_company:
        result["BuyerCompanyName"] = order.buyer_company
    return result


def render_buyer_info_v0(order: OrderRecord) -> dict:
    result: dict = {"AmazonOrderId": order.order_id, "BuyerEmail": order.buyer_email}
    if order.buyer_name:
        result["BuyerName"] = order.buyer_name
    if order.purchase_order_number:
        result["PurchaseOrderNumber"] = order.purchase_order_number
    if order.buyer_company:
        result["BuyerTaxInfo"] = {"CompanyLegalName": order.buyer_company}
    return result
