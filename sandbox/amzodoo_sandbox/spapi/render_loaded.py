"""Orders 2026-01-01 views of a loaded order: the document it was loaded with, filtered by ``includedData``.

A loaded order is served back exactly as given (every field of the model, whatever the generator makes),
except where the sandbox's own simulation moved it on since (a confirmShipment): then its status, its
``lastUpdatedTime``, its items' fulfilled / unfulfilled quantities and its packages say so.
"""

from __future__ import annotations

import copy
from datetime import datetime

from .models import FULFILLMENT_STATUS_2026, OrderRecord, Shipment
from .timefmt import iso

# Order sections and the includedData value that brings each; every other field is always there.
ORDER_SECTIONS = {
    "buyer": "BUYER",
    "recipient": "RECIPIENT",
    "proceeds": "PROCEEDS",
    "payment": "PAYMENT",
    "tax": "TAX",
    "fulfillment": "FULFILLMENT",
    "packages": "PACKAGES",
    "fulfillmentOrders": "FULFILLMENT_ORDERS",
}
ITEM_SECTIONS = {
    "proceeds": "PROCEEDS",
    "expense": "EXPENSE",
    "promotion": "PROMOTION",
    "cancellation": "CANCELLATION",
    "fulfillment": "FULFILLMENT",
    "tax": "TAX",
}


def order_view(document: dict, included: set[str]) -> dict:
    """``document`` without the sections ``included`` does not ask for (a new object; the input is untouched)."""
    view = {k: copy.deepcopy(v) for k, v in document.items() if ORDER_SECTIONS.get(k, "") in included or
            k not in ORDER_SECTIONS}
    view["orderItems"] = [
        {k: copy.deepcopy(v) for k, v in item.items() if k not in ITEM_SECTIONS or ITEM_SECTIONS[k] in included}
        for item in document.get("orderItems") or []
    ]
    return view


def package_view(shipment: Shipment) -> dict:
    """A shipment as an Orders 2026-01-01 ``OrderPackage``."""
    values = {
        "packageReferenceId": shipment.package_reference_id,
        "createdTime": iso(shipment.at),
        "packageStatus": {"status": "SHIPPED"},
        "carrier": shipment.carrier_name or shipment.carrier_code,
        "shipTime": iso(shipment.ship_date),
        "shippingService": shipment.shipping_method,
        "trackingNumber": shipment.tracking_number,
        "packageItems": [{"orderItemId": k, "quantity": v} for k, v in shipment.items.items()],
    }
    return {k: v for k, v in values.items() if v is not None}


def current_document(order: OrderRecord, at: datetime) -> dict:
    """The loaded document as of ``at``: as loaded, or moved on by the simulation."""
    assert order.document is not None
    if order.state_at(at) == order.loaded_state:
        return order.document
    document = copy.deepcopy(order.document)
    status = order.status_at(at)
    document["lastUpdatedTime"] = iso(order.last_updated_at(at))
    fulfillment = document.get("fulfillment") or {}
    document["fulfillment"] = fulfillment | {"fulfillmentStatus": FULFILLMENT_STATUS_2026[status]}
    shipped = order.shipped_quantities(at)
    for item in document["orderItems"]:
        done = shipped.get(item["orderItemId"], 0)
        item["fulfillment"] = (item.get("fulfillment") or {}) | {
            "quantityFulfilled": done,
            "quantityUnfulfilled": 0 if status == "Canceled" else int(item["quantityOrdered"]) - done,
        }
    accepted = [s for s in order.shipments if s.payload is not None and s.at <= at]
    if accepted:
        document["packages"] = list(document.get("packages") or []) + [package_view(s) for s in accepted]
    return document
