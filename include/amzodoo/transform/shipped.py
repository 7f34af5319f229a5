"""What Amazon already shipped of a merchant-fulfilled (FBM) order, per Odoo line.

An FBM order can reach Odoo after some or all of it left the seller's warehouse: a first sync of older orders,
units shipped from Seller Central or another tool. Odoo's delivery must then ask only for what Amazon still shows
unfulfilled, and what Amazon shipped must be recorded in Odoo as delivered, never shipped a second time.
"""

from __future__ import annotations

from amzodoo.transform.canonical import CanonicalOrder


def item_line_key(item_key: str) -> str:
    """The staged line key of an Amazon item (lines.py names product lines so)."""
    return f"item:{item_key}"


def amazon_shipped(order: CanonicalOrder) -> dict[str, int]:
    """Staged line key -> units Amazon shows as shipped, for the lines with any; empty for FBA orders.

    A SHIPPED order is shipped whole whatever the items say. Otherwise each item's own figure counts
    (``quantityFulfilled``, or the report row's status); an item about which Amazon says nothing counts as
    unshipped, so its units stay on the Odoo delivery.
    """
    if order.channel != "MFN" or order.status == "CANCELLED":
        return {}
    shipped: dict[str, int] = {}
    for item in order.items:
        quantity = item.quantity if order.status == "SHIPPED" else (item.quantity_shipped or 0)
        if quantity:
            shipped[item_line_key(item.item_key)] = quantity
    return shipped
