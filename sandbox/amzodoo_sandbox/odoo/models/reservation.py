"""Reserving quants for moves, releasing them, and doing moves (quants decrease, backorders appear)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..orm.model import now_string

RESERVABLE = ("confirmed", "partially_available", "waiting", "assigned")
EPSILON = 1e-9


def _storable(env: Any, product_ids: Sequence[int]) -> dict[int, bool]:
    products = env["product.product"]
    if env.profile.major <= 17:
        return {r["id"]: r["type"] == "product" for r in products._read(list(product_ids), ["type"])}
    return {r["id"]: r["type"] == "consu" and bool(r["is_storable"])
            for r in products._read(list(product_ids), ["type", "is_storable"])}


def _move_state(quantity: float, demand: float) -> str:
    if quantity >= demand - EPSILON:
        return "assigned"
    return "partially_available" if quantity > EPSILON else "confirmed"


def reserve(env: Any, move_ids: Sequence[int]) -> None:
    moves, lines, quants = env["stock.move"], env["stock.move.line"], env["stock.quant"]
    rows = moves._raw(list(move_ids), ["product_id", "product_uom_qty", "quantity", "location_id",
                                       "location_dest_id", "picking_id", "product_uom", "state"])
    storable = _storable(env, {r["product_id"] for r in rows})
    locations = env["stock.location"]
    for move in sorted(rows, key=lambda r: r["id"]):
        demand, reserved = move["product_uom_qty"] or 0.0, move["quantity"] or 0.0
        line_base = {"move_id": move["id"], "picking_id": move["picking_id"], "product_id": move["product_id"],
                     "product_uom_id": move["product_uom"], "location_dest_id": move["location_dest_id"]}
        if not storable[move["product_id"]]:
            if demand - reserved > EPSILON:
                lines._create([{**line_base, "location_id": move["location_id"], "quantity": demand - reserved}])
            moves._update_rows([move["id"]], {"quantity": demand, "state": "assigned"})
            continue
        needed = demand - reserved
        if needed > EPSILON:
            inside = env.memo(("locations_under", move["location_id"]),
                              lambda loc=move["location_id"]: locations._search([("id", "child_of", [loc])]))
            candidates = quants._raw(quants._search(
                [("product_id", "=", move["product_id"]), ("location_id", "in", inside)], order="in_date, id"),
                ["quantity", "reserved_quantity", "location_id"])
            for quant in sorted(candidates, key=lambda q: q["id"]):
                free = (quant["quantity"] or 0.0) - (quant["reserved_quantity"] or 0.0)
                if free <= EPSILON:
                    continue
                take = min(free, needed)
                quants._update_rows([quant["id"]], {"reserved_quantity": (quant["reserved_quantity"] or 0) + take})
                lines._create([{**line_base, "location_id": quant["location_id"], "quant_id": quant["id"],
                                "quantity": take}])
                needed -= take
                reserved += take
                if needed <= EPSILON:
                    break
        moves._update_rows([move["id"]], {"quantity": reserved, "state": _move_state(reserved, demand)})


def unreserve(env: Any, move_ids: Sequence[int]) -> bool:
    """Give reserved quantities back to their quants; True if anything was reserved."""
    lines, quants = env["stock.move.line"], env["stock.quant"]
    line_ids = lines._search([("move_id", "in", list(move_ids))])
    rows = lines._raw(line_ids, ["quant_id", "quantity"])
    for row in rows:
        if row["quant_id"]:
            quant = quants._raw([row["quant_id"]], ["reserved_quantity"])
            if quant:
                quants._update_rows([row["quant_id"]], {
                    "reserved_quantity": max(0.0, (quant[0]["reserved_quantity"] or 0) - (row["quantity"] or 0))})
    lines._unlink(line_ids)
    moves = env["stock.move"]
    open_moves = moves._search([("id", "in", list(move_ids)), ("state", "not in", ["done", "cancel"])])
    moves._update_rows(open_moves, {"quantity": 0.0, "state": "confirmed"})
    return bool(rows)


def set_quantity(env: Any, move_ids: Sequence[int], quantity: float) -> None:
    """A client setting `quantity` by hand: the lines now say that quantity, reserved or not (as in Odoo)."""
    moves, lines = env["stock.move"], env["stock.move.line"]
    unreserve(env, move_ids)
    for move in moves._raw(list(move_ids), ["product_id", "product_uom_qty", "location_id", "location_dest_id",
                                             "picking_id", "product_uom", "picked"]):
        if quantity > EPSILON:
            lines._create([{"move_id": move["id"], "picking_id": move["picking_id"], "product_id": move["product_id"],
                            "product_uom_id": move["product_uom"], "location_id": move["location_id"],
                            "location_dest_id": move["location_dest_id"], "quantity": quantity,
                            "picked": bool(move["picked"])}])
        moves._update_rows([move["id"]], {"quantity": quantity,
                                          "state": _move_state(quantity, move["product_uom_qty"] or 0.0)})


def _done_quantity(move: dict) -> float:
    return (move["quantity"] or 0.0) if move["picked"] else 0.0


def needs_backorder(env: Any, picking_id: int) -> bool:
    moves = env["stock.move"]
    rows = moves._raw(moves._search([("picking_id", "=", picking_id), ("state", "not in", ["done", "cancel"])]),
                      ["quantity", "picked", "product_uom_qty"])
    return any(_done_quantity(m) < (m["product_uom_qty"] or 0.0) - EPSILON for m in rows)


def _consume(env: Any, move: dict, done: float) -> None:
    """Take `done` units out of the source location: reserved quants first, then any quant there."""
    quants, lines, locations = env["stock.quant"], env["stock.move.line"], env["stock.location"]
    remaining = done
    for line in lines._raw(lines._search([("move_id", "=", move["id"])]), ["quant_id", "quantity"]):
        if not line["quant_id"] or remaining <= EPSILON:
            continue
        quant = quants._raw([line["quant_id"]], ["quantity", "reserved_quantity"])
        if not quant:
            continue
        used = min(line["quantity"] or 0.0, remaining)
        quants._update_rows([line["quant_id"]], {
            "quantity": (quant[0]["quantity"] or 0.0) - used,
            "reserved_quantity": max(0.0, (quant[0]["reserved_quantity"] or 0.0) - (line["quantity"] or 0.0))})
        remaining -= used
    source = locations._raw([move["location_id"]], ["usage"])[0]
    if remaining > EPSILON and source["usage"] == "internal":
        inside = locations._search([("id", "child_of", [move["location_id"]])])
        for quant in quants._raw(quants._search([("product_id", "=", move["product_id"]),
                                                 ("location_id", "in", inside)], order="in_date, id"),
                                 ["quantity", "reserved_quantity"]):
            free = (quant["quantity"] or 0.0) - (quant["reserved_quantity"] or 0.0)
            if free <= EPSILON:
                continue
            used = min(free, remaining)
            quants._update_rows([quant["id"]], {"quantity": (quant["quantity"] or 0.0) - used})
            remaining -= used
            if remaining <= EPSILON:
                break
        if remaining > EPSILON:
            # Odoo lets stock go negative rather than refuse a delivery that physically happened.
            _add_quantity(env, move["product_id"], move["location_id"], -remaining)


def _add_quantity(env: Any, product_id: int, location_id: int, quantity: float) -> None:
    quants = env["stock.quant"]
    existing = quants._search([("product_id", "=", product_id), ("location_id", "=", location_id)], limit=1)
    if existing:
        current = quants._raw(existing, ["quantity"])[0]["quantity"] or 0.0
        quants._update_rows(existing, {"quantity": current + quantity})
    else:
        quants._create_raw(product_id, location_id, quantity)


def action_done(env: Any, picking_id: int, create_backorder: bool) -> None:
    moves, pickings, locations = env["stock.move"], env["stock.picking"], env["stock.location"]
    rows = moves._raw(moves._search([("picking_id", "=", picking_id), ("state", "not in", ["done", "cancel"])]),
                      ["product_id", "product_uom_qty", "quantity", "picked", "location_id", "location_dest_id",
                       "sale_line_id", "product_uom", "origin"])
    storable = _storable(env, {r["product_id"] for r in rows})
    leftovers: list[tuple[dict, float]] = []
    stamp = now_string()
    for move in rows:
        done = _done_quantity(move)
        demand = move["product_uom_qty"] or 0.0
        if demand - done > EPSILON:
            leftovers.append((move, demand - done))
        if done <= EPSILON:
            unreserve(env, [move["id"]])
            continue
        if storable[move["product_id"]]:
            _consume(env, move, done)
            destination = locations._raw([move["location_dest_id"]], ["usage"])[0]
            if destination["usage"] == "internal":
                _add_quantity(env, move["product_id"], move["location_dest_id"], done)
        lines = env["stock.move.line"]
        lines._update_rows(lines._search([("move_id", "=", move["id"])]), {"picked": True})
        moves._update_rows([move["id"]], {"state": "done", "product_uom_qty": done, "quantity": done,
                                          "date": stamp})
        if move["sale_line_id"]:
            destination_usage = locations._raw([move["location_dest_id"]], ["usage"])[0]["usage"]
            if destination_usage == "customer":
                sale_lines = env["sale.order.line"]
                current = sale_lines._raw([move["sale_line_id"]], ["qty_delivered"])[0]["qty_delivered"] or 0.0
                sale_lines._update_rows([move["sale_line_id"]], {"qty_delivered": current + done})
    pickings._update_rows([picking_id], {"date_done": stamp})
    if leftovers:
        _settle_leftovers(env, picking_id, leftovers, create_backorder)
    pickings._update_states([picking_id])


def _settle_leftovers(env: Any, picking_id: int, leftovers: list[tuple[dict, float]], create_backorder: bool) -> None:
    moves, pickings = env["stock.move"], env["stock.picking"]
    untouched = [m["id"] for m, _ in leftovers if _done_quantity(m) <= EPSILON]
    split = [(m, qty) for m, qty in leftovers if _done_quantity(m) > EPSILON]
    if not create_backorder:
        moves._update_rows(untouched, {"state": "cancel"})
        for move, qty in split:
            moves._create([_leftover_vals(env, move, qty, picking_id, "cancel")])
        return
    picking = pickings._raw([picking_id], ["name", "origin", "sale_id", "partner_id", "carrier_id", "location_id",
                                           "location_dest_id", "picking_type_id", "company_id", "move_type",
                                           "scheduled_date"])[0]
    backorder_id = pickings._create([{
        "backorder_id": picking_id, "origin": picking["origin"], "sale_id": picking["sale_id"],
        "partner_id": picking["partner_id"], "carrier_id": picking["carrier_id"],
        "location_id": picking["location_id"], "location_dest_id": picking["location_dest_id"],
        "picking_type_id": picking["picking_type_id"], "company_id": picking["company_id"],
        "move_type": picking["move_type"], "scheduled_date": picking["scheduled_date"]}])[0]
    moves._update_rows(untouched, {"picking_id": backorder_id, "state": "confirmed", "picked": False})
    if untouched:
        lines = env["stock.move.line"]
        lines._update_rows(lines._search([("move_id", "in", untouched)]), {"picking_id": backorder_id})
    for move, qty in split:
        moves._create([_leftover_vals(env, move, qty, backorder_id, "confirmed")])
    pickings._reserve([backorder_id])


def _leftover_vals(env: Any, move: dict, quantity: float, picking_id: int, state: str) -> dict:
    vals = {"picking_id": picking_id, "product_id": move["product_id"], "product_uom_qty": quantity,
            "product_uom": move["product_uom"], "location_id": move["location_id"],
            "location_dest_id": move["location_dest_id"], "sale_line_id": move["sale_line_id"],
            "origin": move["origin"], "state": state}
    if "name" in env["stock.move"]._fields:
        vals["name"] = move.get("origin") or "/"
    return vals


def apply_inventory(env: Any, quant_ids: list[int]) -> None:
    quants, moves = env["stock.quant"], env["stock.move"]
    adjustment = env.ref("stock.stock_location_inventory")
    stamp = now_string()
    arrived: list[tuple[int, int]] = []
    for quant in quants._read(quant_ids, ["product_id", "location_id", "quantity", "inventory_quantity",
                                          "inventory_quantity_set"], strict=True):
        counted = quant["inventory_quantity"] or 0.0
        difference = counted - (quant["quantity"] or 0.0)
        quants._update_rows([quant["id"]], {"quantity": counted, "inventory_quantity": 0.0,
                                            "inventory_quantity_set": False, "in_date": stamp})
        if abs(difference) > EPSILON:
            inbound = difference > 0
            vals = {"product_id": quant["product_id"], "product_uom_qty": abs(difference),
                    "quantity": abs(difference), "picked": True, "state": "done", "is_inventory": True,
                    "location_id": adjustment if inbound else quant["location_id"],
                    "location_dest_id": quant["location_id"] if inbound else adjustment, "date": stamp,
                    "origin": "Product Quantity Updated"}
            if "name" in moves._fields:
                vals["name"] = "Product Quantity Updated"
            moves._create([vals])
            if inbound:
                arrived.append((quant["product_id"], quant["location_id"]))
    trigger_assign(env, arrived)


def trigger_assign(env: Any, arrived: list[tuple[int, int]]) -> None:
    """Stock that arrives is reserved at once for the moves waiting for it at that very location, oldest first,
    as Odoo 19's `stock.move._trigger_assign` does after an inventory adjustment is applied."""
    moves = env["stock.move"]
    waiting = sorted({m for product_id, location_id in arrived for m in moves._search([
        ("product_id", "=", product_id), ("location_id", "=", location_id),
        ("state", "in", ["confirmed", "partially_available"])])})
    if waiting:
        reserve(env, waiting)
        pickings = {r["picking_id"] for r in moves._raw(waiting, ["picking_id"]) if r["picking_id"]}
        env["stock.picking"]._update_states(sorted(pickings))
