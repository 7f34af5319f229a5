"""The FBA Amazon Fulfilled Shipments report (GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL): one row per shipped
item of an Amazon-fulfilled order, with the buyer's and the recipient's data.

Columns as Amazon documents them (Seller Central help "Amazon Fulfilled Shipments report"; the same header is in
public recordings of the real report). The buyer and recipient fields are the very ones searchOrders serves for
the order (BUYER, RECIPIENT), so both read paths see the same person; the report has no company name and no
purchase-order number. Rows fall in the requested range by shipment time; only shipments already made appear.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta
from decimal import Decimal

from .models import OrderLine, OrderRecord, Shipment
from .money import ZERO, q
from .timefmt import iso_offset

FBA_SHIPMENTS_REPORT = "GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL"
FBA_SHIPMENTS_COLUMNS = (
    "amazon-order-id",
    "merchant-order-id",
    "shipment-id",
    "shipment-item-id",
    "amazon-order-item-id",
    "merchant-order-item-id",
    "purchase-date",
    "payments-date",
    "shipment-date",
    "reporting-date",
    "buyer-email",
    "buyer-name",
    "buyer-phone-number",
    "sku",
    "product-name",
    "quantity-shipped",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "ship-service-level",
    "recipient-name",
    "ship-address-1",
    "ship-address-2",
    "ship-address-3",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "ship-phone-number",
    "bill-address-1",
    "bill-address-2",
    "bill-address-3",
    "bill-city",
    "bill-state",
    "bill-postal-code",
    "bill-country",
    "item-promotion-discount",
    "ship-promotion-discount",
    "carrier",
    "tracking-number",
    "estimated-arrival-date",
    "fulfillment-center-id",
    "fulfillment-channel",
    "sales-channel",
)
FULFILLMENT_CENTERS = {"NA": ("SEA8", "PHX6", "ONT8"), "EU": ("LEJ1", "MAD4", "BHX4"), "FE": ("NRT5", "SYD8")}


def _share(amount: Decimal, shipped: int, ordered: int) -> Decimal:
    """The part of a line total that belongs to the units of this shipment."""
    return amount if shipped == ordered else q(amount * shipped / ordered)


def _discount(amount: Decimal, shipped: int, ordered: int) -> Decimal:
    """Discounts are negative in Amazon's flat files (and 0.00, not -0.00, when there is none)."""
    return -_share(amount, shipped, ordered) if amount else ZERO


def _row(order: OrderRecord, shipment: Shipment, line: OrderLine, shipped: int) -> dict:
    a = order.address
    mp = order.marketplace
    shipment_id = f"D{zlib.crc32(f'{order.order_id}:{shipment.package_reference_id}'.encode()):09d}"
    return {
        "amazon-order-id": order.order_id,
        "merchant-order-id": order.seller_order_id or "",
        "shipment-id": shipment_id,
        "shipment-item-id": f"{shipment_id}{line.order_item_id[-6:]}",
        "amazon-order-item-id": line.order_item_id,
        "purchase-date": iso_offset(order.created),
        "payments-date": iso_offset(order.unshipped_at or order.created),
        "shipment-date": iso_offset(shipment.at),
        "reporting-date": iso_offset(shipment.at),
        "buyer-email": order.buyer_email,
        "buyer-name": order.buyer_name or "",
        "buyer-phone-number": a.phone or "",
        "sku": line.sku,
        "product-name": line.title,
        "quantity-shipped": shipped,
        "currency": order.currency,
        "item-price": _share(line.item_price, shipped, line.quantity),
        "item-tax": _share(line.item_tax, shipped, line.quantity),
        "shipping-price": _share(line.shipping_price, shipped, line.quantity),
        "shipping-tax": _share(line.shipping_tax, shipped, line.quantity),
        "gift-wrap-price": _share(line.gift_wrap_price, shipped, line.quantity),
        "gift-wrap-tax": _share(line.gift_wrap_tax, shipped, line.quantity),
        "ship-service-level": "Standard" if order.ship_service_level == "Std" else order.ship_service_level,
        "recipient-name": a.name or "",
        "ship-address-1": a.line1 or "",
        "ship-address-2": a.line2 or "",
        "ship-city": a.city,
        "ship-state": a.state or "",
        "ship-postal-code": a.postal_code,
        "ship-country": a.country_code,
        "ship-phone-number": a.phone or "",
        "item-promotion-discount": _discount(line.promotion_discount, shipped, line.quantity),
        "ship-promotion-discount": _discount(line.shipping_discount, shipped, line.quantity),
        "carrier": shipment.carrier_name or shipment.carrier_code,
        "tracking-number": shipment.tracking_number,
        "estimated-arrival-date": iso_offset(shipment.at + timedelta(days=2)),
        "fulfillment-center-id": FULFILLMENT_CENTERS.get(mp.region, ("XXX1",))[zlib.crc32(order.order_id.encode()) % 2],
        "fulfillment-channel": "AFN",
        "sales-channel": mp.sales_channel,
    }


def fba_shipment_rows(orders: list[OrderRecord], start: datetime, end: datetime, at: datetime) -> list[dict]:
    """Rows of every item Amazon shipped for an FBA order between ``start`` and ``end`` (and by ``at``)."""
    rows = []
    for order in sorted(orders, key=lambda o: (o.created, o.order_id)):
        if order.channel != "AFN":
            continue
        for shipment in order.shipments:
            if not (start <= shipment.at <= end and shipment.at <= at):
                continue
            for item_id, shipped in shipment.items.items():
                line = order.line(item_id)
                if line is not None and shipped > 0:
                    rows.append(_row(order, shipment, line, shipped))
    return rows
