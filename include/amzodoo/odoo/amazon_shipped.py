"""FBM orders that Amazon shows (partly) shipped: record those units in Odoo as delivered.

A merchant-fulfilled order can reach Odoo after some of it already left: a first sync of older orders, units
shipped from Seller Central or another tool (the transform stages ``amazon_shipped`` per line: what Amazon shows
as shipped). Odoo's delivery would otherwise ask the warehouse for every unit again. So, per order line, what
Amazon shipped beyond what Odoo already delivered is validated on the open delivery, as a warehouse user would:
``quantity`` and ``picked`` on those moves, the other moves of the picking left unpicked, ``button_validate``,
and "create a backorder" when Odoo asks. Odoo then holds a done delivery with the units Amazon shipped and a
backorder with what Amazon still shows unfulfilled (or one done delivery when Amazon shipped it all).

Comparing with Odoo's ``qty_delivered`` (not with what the order had when it was created) makes the step
idempotent and covers an order already in Odoo that someone later ships partly from another tool: only the
difference is validated, and it can never exceed what Amazon counts as shipped. Such deliveries are handed to
``before_validate`` first, so that staging marks them (``on_amazon``) before they are done and the reverse flow
never confirms them to Amazon again, even if the run dies right after Odoo validated them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.errors import OdooError

STEP = "FBM shipped on Amazon"
VALIDATE_CONTEXT = {"skip_sms": True}  # the stock_sms module would otherwise answer with an SMS wizard
OPEN_DELIVERY_MOVES = [("state", "not in", ["done", "cancel"]), ("location_dest_id.usage", "=", "customer")]
EPSILON = 1e-6


@dataclass
class ShippedDelivery:
    """An open Odoo delivery to validate because Amazon shipped (some of) it already."""

    picking_id: int
    picking_name: str
    odoo_order_id: int
    amazon_order_id: str
    moves: dict[int, float] = field(default_factory=dict)  # stock.move id -> units to mark delivered
    others: list[int] = field(default_factory=list)  # moves of the picking that stay for the warehouse
    items: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # Amazon item id -> units


def plan(client: OdooClient, orders: dict[str, int], shipped: dict[str, dict[str, int]],
         lines: dict[str, list[dict[str, Any]]]) -> list[ShippedDelivery]:
    """The deliveries to validate, and what on each.

    ``orders``: Amazon order id -> Odoo order id; ``shipped``: Amazon order id -> {line key: units Amazon
    shipped}; ``lines``: the staged lines of each order (their ``sequence`` finds the Odoo line, as the loader
    binds lines, and their ``amazon_item_id`` names the item to Amazon).
    """
    wanted = {oid: odoo_id for oid, odoo_id in orders.items() if any(shipped.get(oid, {}).values())}
    if not wanted:
        return []
    by_odoo = {odoo_id: oid for oid, odoo_id in wanted.items()}
    todo: dict[int, tuple[str, float, str | None]] = {}  # sale line id -> (order id, units to deliver, item)
    for row in client.search_read_in("sale.order.line", "order_id", list(wanted.values()),
                                     ["order_id", "sequence", "qty_delivered"]):
        oid = by_odoo[row["order_id"][0]]
        staged = next((li for li in lines.get(oid, []) if li["sequence"] == row["sequence"]), None)
        if staged is None:
            continue  # a line someone added in Odoo: Amazon knows nothing of it
        missing = shipped[oid].get(staged["line_key"], 0) - (row["qty_delivered"] or 0.0)
        if missing > EPSILON:
            todo[row["id"]] = (oid, missing, staged.get("amazon_item_id"))
    if not todo:
        return []
    moves = client.search_read_in("stock.move", "picking_id.sale_id", list(wanted.values()),
                                  ["picking_id", "sale_line_id", "product_uom_qty", "picked"],
                                  extra_domain=OPEN_DELIVERY_MOVES)
    remaining = {line_id: units for line_id, (_oid, units, _item) in todo.items()}
    deliveries: dict[int, ShippedDelivery] = {}
    for move in sorted(moves, key=lambda m: m["id"]):
        line_id = move["sale_line_id"][0] if move["sale_line_id"] else None
        units = min(remaining.get(line_id, 0.0), move["product_uom_qty"])
        if units <= EPSILON:
            continue
        oid, _missing, item = todo[line_id]
        picking_id, picking_name = move["picking_id"]
        delivery = deliveries.setdefault(picking_id, ShippedDelivery(picking_id, picking_name, wanted[oid], oid))
        delivery.moves[move["id"]] = units
        if item:
            delivery.items[item] += round(units)
        remaining[line_id] -= units
    for move in moves:
        delivery = deliveries.get(move["picking_id"][0])
        if delivery and move["id"] not in delivery.moves and move["picked"]:
            delivery.others.append(move["id"])
    return list(deliveries.values())


def pick(client: OdooClient, deliveries: Iterable[ShippedDelivery]) -> None:
    """Set what Amazon shipped as the picked quantity; unpick the rest (it stays for the warehouse)."""
    by_units: dict[float, list[int]] = defaultdict(list)
    others: list[int] = []
    for delivery in deliveries:
        for move_id, units in delivery.moves.items():
            by_units[units].append(move_id)
        others.extend(delivery.others)
    if others:
        client.write("stock.move", others, {"picked": False})
    for units, move_ids in sorted(by_units.items()):
        client.write("stock.move", move_ids, {"quantity": units, "picked": True})


def validate(client: OdooClient, picking_ids: list[int]) -> None:
    """button_validate; when Odoo offers a backorder for the units still to ship, accept it."""
    result = client.execute("stock.picking", "button_validate", picking_ids, context=VALIDATE_CONTEXT)
    if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
        # The wizard acts on the pickings named in the context of Odoo's action: pass it along.
        context = {**result.get("context", {}), **VALIDATE_CONTEXT}
        wizard = client.create("stock.backorder.confirmation", [{}], context=context)
        result = client.execute("stock.backorder.confirmation", "process", wizard, context=context)
    if isinstance(result, dict) and result.get("res_model"):
        raise OdooError("stock.picking", "button_validate", f"Odoo asked for the {result['res_model']} wizard",
                        kind="user")
