"""On-hand, free and forecast quantities per product, honouring the `location` / `warehouse_id` context keys.

Odoo 19 reads `warehouse_id` (or `search_warehouse`) and `location` (or `search_location`); see
`stock/models/product.py` `_get_domain_locations`. A plain `warehouse` key is ignored there, and here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

OPEN_MOVE_STATES = ("waiting", "confirmed", "partially_available", "assigned")


def internal_location_ids(env: Any) -> list[int]:
    locations = env["stock.location"]
    context = env.context
    location = context.get("location") or context.get("search_location")
    # Without either key Odoo counts the user's default warehouse, not every internal location.
    warehouse = context.get("warehouse_id") or context.get("search_warehouse") or \
        (env["stock.warehouse"]._search([], limit=1) or [None])[0]
    if location:
        root = location
        roots = [root] if isinstance(root, int) else list(root) if isinstance(root, list) else \
            locations._search([("complete_name", "ilike", root)])
        return locations._search([("id", "child_of", roots), ("usage", "=", "internal")])
    if warehouse:
        warehouses = env["stock.warehouse"]
        ids = [warehouse] if isinstance(warehouse, int) else list(warehouse) if isinstance(warehouse, list) else \
            warehouses._search([("name", "ilike", warehouse)])
        views = [r["view_location_id"] for r in warehouses._raw(ids, ["view_location_id"]) if r["view_location_id"]]
        return locations._search([("id", "child_of", views), ("usage", "=", "internal")])
    return locations._search([("usage", "=", "internal")])  # a database without any warehouse


def product_quantities(env: Any, product_ids: Sequence[int]) -> dict[int, dict[str, float]]:
    levels = {p: {"qty_available": 0.0, "free_qty": 0.0, "virtual_available": 0.0} for p in product_ids}
    if not product_ids:
        return levels
    inside = internal_location_ids(env)
    quant = env.registry.tables["stock.quant"]
    rows = env.conn.execute(
        sa.select(quant.c.product_id, sa.func.sum(quant.c.quantity), sa.func.sum(quant.c.reserved_quantity))
        .where(quant.c.product_id.in_(list(product_ids)), quant.c.location_id.in_(inside))
        .group_by(quant.c.product_id))
    for product_id, quantity, reserved in rows:
        levels[product_id]["qty_available"] = quantity or 0.0
        levels[product_id]["free_qty"] = (quantity or 0.0) - (reserved or 0.0)
    move = env.registry.tables["stock.move"]
    open_moves = sa.select(move.c.product_id, move.c.location_id, move.c.location_dest_id,
                           move.c.product_uom_qty).where(
        move.c.product_id.in_(list(product_ids)), move.c.state.in_(OPEN_MOVE_STATES))
    inside_set = set(inside)
    for product_id, source, destination, quantity in env.conn.execute(open_moves):
        if source in inside_set and destination not in inside_set:
            levels[product_id]["virtual_available"] -= quantity or 0.0
        elif destination in inside_set and source not in inside_set:
            levels[product_id]["virtual_available"] += quantity or 0.0
    for values in levels.values():
        values["virtual_available"] += values["qty_available"]
    return levels
