"""Inventory counts: set on-hand quantities in Odoo the way a stock count does (Odoo 17-19)."""

from __future__ import annotations

from collections.abc import Iterable

from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.errors import OdooError

INVENTORY_MODE = {"inventory_mode": True}


def count_stock(client: OdooClient, counts: Iterable[tuple[int, int, float]]) -> None:
    """Count ``(product id, location id, quantity)``: one batched inventory-mode ``stock.quant.create`` (Odoo reuses
    the quant of the product and location) and one ``action_apply_inventory``."""
    values = [{"product_id": product, "location_id": location, "inventory_quantity": quantity}
              for product, location, quantity in counts]
    if not values:
        return
    quant_ids = client.create("stock.quant", values, context=INVENTORY_MODE)
    try:
        client.call("stock.quant", "action_apply_inventory", quant_ids)
    except OdooError as exc:
        # XML-RPC cannot marshal the None this method returns; Odoo has applied the count by then.
        if "cannot marshal None" not in exc.server_message:
            raise
