"""What sale_stock does on confirmation: a delivery from the warehouse for every line of goods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..exceptions import UserError
from . import reservation


def is_goods(env: Any, product_type: str) -> bool:
    """Goods get delivery moves (storable or not); Odoo 17 spells storable goods as type 'product'."""
    return product_type in (("consu", "product") if env.profile.major <= 17 else ("consu",))


def launch_for_orders(env: Any, order_ids: Sequence[int]) -> None:
    lines = env["sale.order.line"]
    launch_for_lines(env, lines._search([("order_id", "in", list(order_ids)), ("display_type", "=", False),
                                         ("product_id", "!=", False)]))


def launch_for_lines(env: Any, line_ids: Sequence[int], quantities: dict[int, float] | None = None) -> None:
    """Create delivery moves for `line_ids`, for their ordered quantity or the one given per line."""
    lines = env["sale.order.line"]
    uom_field = env.profile.sale_line_uom
    rows = lines._read(line_ids, ["order_id", "product_id", "product_uom_qty", uom_field, "name", "display_type"])
    products = env["product.product"]
    types = {r["id"]: r["type"] for r in products._read(list({r["product_id"] for r in rows if r["product_id"]}),
                                                          ["type"])}
    by_order: dict[int, list[dict]] = {}
    for row in rows:
        if quantities and row["id"] in quantities:
            row["product_uom_qty"] = quantities[row["id"]]
        if row["product_id"] and not row["display_type"] and is_goods(env, types[row["product_id"]]) \
                and (row["product_uom_qty"] or 0) > 0:
            by_order.setdefault(row["order_id"], []).append(row)
    pickings = env["stock.picking"]
    moves = env["stock.move"]
    touched: list[int] = []
    for order_id, order_lines in by_order.items():
        order = env["sale.order"]._raw([order_id], ["name", "partner_shipping_id", "warehouse_id", "carrier_id",
                                                    "company_id"])[0]
        warehouse = env["stock.warehouse"]._raw([order["warehouse_id"] or env.ref("stock.warehouse0")],
                                                ["out_type_id"])[0]
        picking_type = env["stock.picking.type"]._raw(
            [warehouse["out_type_id"]], ["default_location_src_id", "default_location_dest_id"])[0]
        open_ids = pickings._search([("sale_id", "=", order_id), ("picking_type_id", "=", warehouse["out_type_id"]),
                                     ("state", "not in", ["done", "cancel"])], limit=1)
        if open_ids:
            picking_id = open_ids[0]
            source = pickings._raw([picking_id], ["location_id"])[0]["location_id"]
        else:
            source = picking_type["default_location_src_id"]
            picking_id = pickings._create([{
                "picking_type_id": warehouse["out_type_id"], "origin": order["name"], "sale_id": order_id,
                "partner_id": order["partner_shipping_id"], "carrier_id": order["carrier_id"] or False,
                "location_id": source, "location_dest_id": picking_type["default_location_dest_id"],
                "company_id": order["company_id"],
            }])[0]
        move_vals = [{
            "picking_id": picking_id, "product_id": line["product_id"], "product_uom_qty": line["product_uom_qty"],
            "product_uom": line[uom_field], "location_id": source, "sale_line_id": line["id"],
            "location_dest_id": picking_type["default_location_dest_id"], "origin": order["name"],
            "name": (line["name"] or "").split("\n")[0], "state": "confirmed",
        } for line in order_lines]
        if "name" not in moves._fields:  # Odoo 19 dropped stock.move.name
            for vals in move_vals:
                del vals["name"]
        moves._create(move_vals)
        touched.append(picking_id)
    if touched:
        pickings._reserve(touched)


def update_quantities(env: Any, previous: dict[int, float]) -> None:
    """A confirmed line's new quantity flows into its open delivery move, as sale_stock does."""
    lines, moves = env["sale.order.line"], env["stock.move"]
    grown: dict[int, float] = {}
    for line in lines._read(list(previous), ["product_uom_qty", "state", "qty_delivered"]):
        if line["state"] != "sale":
            continue
        wanted = line["product_uom_qty"] or 0.0
        if wanted < (line["qty_delivered"] or 0.0):
            raise UserError("The ordered quantity of a sale order line cannot be decreased below the amount already "
                            "delivered. Instead, create a return in your inventory.")
        open_moves = moves._search([("sale_line_id", "=", line["id"]), ("state", "not in", ["done", "cancel"])])
        if not open_moves:
            if wanted > previous[line["id"]]:
                grown[line["id"]] = wanted - (line["qty_delivered"] or 0.0)
            continue
        demand = wanted - (line["qty_delivered"] or 0.0)
        move = moves._raw(open_moves[:1], ["picking_id", "quantity"])[0]
        if demand <= 0:
            # Nothing left to deliver: the move goes away, as Odoo cancels it.
            reservation.unreserve(env, [move["id"]])
            moves._update_rows([move["id"]], {"product_uom_qty": 0.0, "state": "cancel"})
            env["stock.picking"]._update_states([move["picking_id"]])
            continue
        moves._update_rows([move["id"]], {"product_uom_qty": demand})
        if (move["quantity"] or 0.0) > demand:
            reservation.unreserve(env, [move["id"]])
        env["stock.picking"]._reserve([move["picking_id"]])
    if grown:
        launch_for_lines(env, list(grown), grown)
