"""Flat-file report bodies: tab-separated, header row of Amazon's column names, one row per line/listing."""

from __future__ import annotations

import zlib
from datetime import datetime

from .catalog import Listing
from .models import OrderRecord
from .money_views import all_orders_money
from .timefmt import iso_offset

ALL_ORDERS_COLUMNS = (
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "url",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
)
MERCHANT_LISTINGS_COLUMNS = (
    "item-name",
    "item-description",
    "listing-id",
    "seller-sku",
    "price",
    "quantity",
    "open-date",
    "image-url",
    "item-is-marketplace",
    "product-id-type",
    "zshop-shipping-fee",
    "item-note",
    "item-condition",
    "zshop-category1",
    "zshop-browse-path",
    "zshop-storefront-feature",
    "asin1",
    "asin2",
    "asin3",
    "will-ship-internationally",
    "expedited-shipping",
    "zshop-boldface",
    "product-id",
    "bid-for-featured-placement",
    "add-delete",
    "pending-quantity",
    "fulfillment-channel",
    "merchant-shipping-group",
    "status",
)
FBA_MYI_COLUMNS = (
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "your-price",
    "mfn-listing-exists",
    "mfn-fulfillable-quantity",
    "afn-listing-exists",
    "afn-warehouse-quantity",
    "afn-fulfillable-quantity",
    "afn-unsellable-quantity",
    "afn-reserved-quantity",
    "afn-total-quantity",
    "per-unit-volume",
    "afn-inbound-working-quantity",
    "afn-inbound-shipped-quantity",
    "afn-inbound-receiving-quantity",
    "afn-researching-quantity",
    "afn-reserved-future-supply",
    "afn-future-supply-buyable",
)
# The flat file spells the cancelled status the British way, unlike the APIs.
REPORT_STATUS = {"Canceled": "Cancelled", "PartiallyShipped": "Shipping"}


def _clean(value: object) -> str:
    # Tabs and newlines inside a value would break the flat file; Amazon replaces them with spaces.
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def tsv(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    lines = ["\t".join(columns)]
    lines += ["\t".join(_clean(row.get(c, "")) for c in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def all_orders_rows(orders: list[OrderRecord], at: datetime) -> list[dict]:
    rows = []
    for order in sorted(orders, key=lambda o: (o.created, o.order_id)):
        status = order.status_at(at)
        shipped = order.shipped_quantities(at)
        cancelled = status == "Canceled"
        mp = order.marketplace
        for line in order.lines:
            item_status = (
                "Cancelled"
                if cancelled
                else ("Shipped" if shipped[line.order_item_id] >= line.quantity else "Unshipped")
            )
            row = {
                "amazon-order-id": order.order_id,
                "merchant-order-id": order.seller_order_id or "",
                "purchase-date": iso_offset(order.created),
                "last-updated-date": iso_offset(order.last_updated_at(at)),
                "order-status": REPORT_STATUS.get(status, status),
                "fulfillment-channel": "Amazon" if order.channel == "AFN" else "Merchant",
                "sales-channel": mp.sales_channel,
                "order-channel": "",
                "url": "",
                "ship-service-level": "Standard" if order.ship_service_level == "Std" else order.ship_service_level,
                "product-name": line.title,
                "sku": line.sku,
                "asin": line.asin,
                "item-status": item_status,
                "quantity": 0 if cancelled else line.quantity,
                "currency": "" if cancelled else order.currency,
                "ship-city": order.address.city,
                "ship-state": order.address.state or "",
                "ship-postal-code": order.address.postal_code,
                "ship-country": order.address.country_code,
                "promotion-ids": ",".join(line.promotion_ids),
                "is-business-order": "true" if order.business else "false",
                "purchase-order-number": order.purchase_order_number or "",
                "price-designation": "BusinessPrice" if order.price_designation(line) == "BUSINESS_PRICE" else "",
            }
            if not cancelled:
                row |= all_orders_money(order, line)
            rows.append(row)
    return rows


def merchant_listings_rows(listings: list[Listing], currency: str, region: str) -> list[dict]:
    rows = []
    for ls in sorted(listings, key=lambda x: x.sku):
        merchant = ls.merchant_fulfilled
        rows.append(
            {
                "item-name": ls.title,
                "listing-id": f"{zlib.crc32(ls.sku.encode()):010d}",
                "seller-sku": ls.sku,
                "price": ls.price(currency),
                # The merchant quantity is blank for Amazon-fulfilled offers.
                "quantity": ls.merchant_quantity if merchant else "",
                "open-date": ls.created.strftime("%Y-%m-%d %H:%M:%S UTC"),
                "item-is-marketplace": "y",
                "product-id-type": "1",
                "item-condition": "11",
                "asin1": ls.asin,
                "will-ship-internationally": "1",
                "product-id": ls.asin,
                "fulfillment-channel": "DEFAULT" if merchant else f"AMAZON_{region}",
                "merchant-shipping-group": "Migrated Template" if merchant else "",
                "status": "Active" if (not merchant or (ls.merchant_quantity or 0) > 0) else "Inactive",
            }
        )
    return rows


def fba_inventory_rows(listings: dict[str, Listing], fba: dict[str, int], currency: str) -> list[dict]:
    rows = []
    for sku in sorted(fba):
        ls = listings.get(sku)
        qty = fba[sku]
        rows.append(
            {
                "sku": sku,
                "fnsku": (ls.fnsku if ls else None) or "",
                "asin": ls.asin if ls else "",
                "product-name": ls.title if ls else "",
                "condition": "New",
                "your-price": ls.price(currency) if ls else "",
                "mfn-listing-exists": "Yes" if ls and ls.merchant_fulfilled else "No",
                "mfn-fulfillable-quantity": (ls.merchant_quantity if ls and ls.merchant_fulfilled else ""),
                "afn-listing-exists": "Yes",
                "afn-warehouse-quantity": qty,
                "afn-fulfillable-quantity": qty,
                "afn-unsellable-quantity": 0,
                "afn-reserved-quantity": 0,
                "afn-total-quantity": qty,
                "per-unit-volume": "0.05",
                "afn-inbound-working-quantity": 0,
                "afn-inbound-shipped-quantity": 0,
                "afn-inbound-receiving-quantity": 0,
                "afn-researching-quantity": 0,
                "afn-reserved-future-supply": 0,
                "afn-future-supply-buyable": 0,
            }
        )
    return rows
