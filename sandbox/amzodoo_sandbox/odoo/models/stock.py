"""Warehouses, locations, operation types, pickings, moves and move lines.

Reservation is tracked on stock.move.line (each line remembers the quant it reserved), as in Odoo 17+ where a
move's `quantity` is the sum of its lines. Validation follows Odoo 19's button_validate: done when everything
asked for is picked, a backorder wizard action when only part is, an error when nothing is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..exceptions import UserError, ValidationError
from ..orm import fields as f
from ..orm.model import Model, now_string, rpc_records
from . import reservation

LOCATION_USAGES = [("supplier", "Vendor"), ("view", "Virtual"), ("internal", "Internal"), ("customer", "Customer"),
                   ("inventory", "Inventory Loss"), ("production", "Production"), ("transit", "Transit")]
PICKING_STATES = [("draft", "Draft"), ("waiting", "Waiting Another Operation"), ("confirmed", "Waiting"),
                  ("assigned", "Ready"), ("done", "Done"), ("cancel", "Cancelled")]
MOVE_STATES = [("draft", "New"), ("waiting", "Waiting Another Move"), ("confirmed", "Waiting Availability"),
               ("partially_available", "Partially Available"), ("assigned", "Available"), ("done", "Done"),
               ("cancel", "Cancelled")]
ZERO_QUANTITY = ("Transfer trouble alert! Validating a zero quantity transfer? You're not moving invisible goods "
                 "around are you?\nSet some quantities and let's get moving!")


def main_company(env: Any) -> int:
    return env.ref("base.main_company")


class StockWarehouse(Model):
    _name = "stock.warehouse"
    _description = "Warehouse"
    _order = "sequence, id"

    name = f.Char("Warehouse", required=True)
    code = f.Char("Short Name", required=True)
    sequence = f.Integer(default=10)
    active = f.Boolean(default=True)
    company_id = f.Many2one("res.company", "Company", required=True, default=main_company)
    partner_id = f.Many2one("res.partner", "Address")
    view_location_id = f.Many2one("stock.location", "View Location", required=True)
    lot_stock_id = f.Many2one("stock.location", "Location Stock", required=True)
    in_type_id = f.Many2one("stock.picking.type", "In Type")
    out_type_id = f.Many2one("stock.picking.type", "Out Type")

    def _create(self, vals_list: list[dict]) -> list[int]:
        """As Odoo: a new warehouse gets its view location (named by its code), a Stock location under it, and
        receipt and delivery operation types (one step each) whose pickings are named CODE/IN/…, CODE/OUT/…."""
        locations, types = self.env["stock.location"], self.env["stock.picking.type"]
        prepared, built = [], []
        for vals in vals_list:
            vals = {"company_id": main_company(self.env), **vals}
            built.append(not vals.get("view_location_id"))
            if self._search([("code", "=", vals.get("code")), ("company_id", "=", vals["company_id"])]):
                raise ValidationError("The short name of the warehouse must be unique per company!")
            if not vals.get("view_location_id"):
                vals["view_location_id"] = locations._create([{
                    "name": vals["code"], "usage": "view", "company_id": vals["company_id"],
                    "location_id": self.env.ref("stock.stock_location_locations")}])[0]
                vals["lot_stock_id"] = locations._create([{
                    "name": "Stock", "usage": "internal", "company_id": vals["company_id"],
                    "location_id": vals["view_location_id"]}])[0]
            prepared.append(vals)
        ids = super()._create(prepared)
        for warehouse_id, vals, new_locations in zip(ids, prepared, built, strict=True):
            if not new_locations:  # a warehouse given its locations (the seed) also brings its operation types
                continue
            common = {"warehouse_id": warehouse_id, "company_id": vals["company_id"]}
            incoming = types._create([{**common, "name": "Receipts", "code": "incoming", "sequence_code": "IN",
                                       "default_location_src_id": self.env.ref("stock.stock_location_suppliers"),
                                       "default_location_dest_id": vals["lot_stock_id"]}])[0]
            outgoing = types._create([{**common, "name": "Delivery Orders", "code": "outgoing", "sequence_code": "OUT",
                                       "default_location_src_id": vals["lot_stock_id"],
                                       "default_location_dest_id": self.env.ref("stock.stock_location_customers")}])[0]
            self._update_rows([warehouse_id], {"in_type_id": incoming, "out_type_id": outgoing})
        return ids


class StockLocation(Model):
    _name = "stock.location"
    _description = "Inventory Locations"
    _order = "complete_name, id"
    _rec_name = "complete_name"
    _parent_name = "location_id"

    name = f.Char("Location Name", required=True)
    complete_name = f.Char("Full Location Name", index=True)
    location_id = f.Many2one("stock.location", "Parent Location", ondelete="cascade")
    child_ids = f.One2many("stock.location", "location_id", "Contains")
    usage = f.Selection(LOCATION_USAGES, "Location Type", required=True, default="internal")
    active = f.Boolean(default=True)
    barcode = f.Char("Barcode")
    company_id = f.Many2one("res.company", "Company")
    warehouse_id = f.Many2one("stock.warehouse", "Warehouse", compute="_compute_warehouse_id")

    def _create(self, vals_list: list[dict]) -> list[int]:
        ids = super()._create(vals_list)
        self._recompute_complete_names(ids)
        return ids

    def _write(self, ids: list[int], vals: dict) -> None:
        super()._write(ids, vals)
        if {"name", "location_id"} & set(vals):
            self._recompute_complete_names(self._search([("id", "child_of", ids)], active_test=False))

    def _recompute_complete_names(self, ids: list[int]) -> None:
        for row in self._raw(ids, ["name", "location_id", "usage"]):
            parent = self._raw([row["location_id"]], ["complete_name"]) if row["location_id"] else []
            prefix = parent[0]["complete_name"] if parent else ""
            name = f"{prefix}/{row['name']}" if prefix and row["usage"] != "view" else row["name"]
            self._update_rows([row["id"]], {"complete_name": name})

    def _compute_warehouse_id(self, ids: Sequence[int]) -> dict[int, Any]:
        warehouses = self.env["stock.warehouse"]
        views = {r["view_location_id"]: r["id"] for r in warehouses._raw(warehouses._search([]), ["view_location_id"])}
        out: dict[int, Any] = {}
        for location_id in ids:
            current, seen = location_id, set()
            while current and current not in views and current not in seen:
                seen.add(current)
                current = self._raw([current], ["location_id"])[0]["location_id"]
            out[location_id] = views.get(current)
        return out


class StockPickingType(Model):
    _name = "stock.picking.type"
    _description = "Picking Type"
    _order = "sequence, id"

    name = f.Char("Operation Type", required=True)
    code = f.Selection([("incoming", "Receipt"), ("outgoing", "Delivery"), ("internal", "Internal Transfer")],
                       "Type of Operation", required=True)
    sequence = f.Integer(default=10)
    sequence_code = f.Char("Sequence Prefix", required=True)
    active = f.Boolean(default=True)
    warehouse_id = f.Many2one("stock.warehouse", "Warehouse", ondelete="cascade")
    company_id = f.Many2one("res.company", "Company", required=True, default=main_company)
    default_location_src_id = f.Many2one("stock.location", "Default Source Location", required=True)
    default_location_dest_id = f.Many2one("stock.location", "Default Destination Location", required=True)
    create_backorder = f.Selection([("ask", "Ask"), ("always", "Always"), ("never", "Never")],
                                   "Create Backorder", default="ask", required=True)

    def _compute_display_name(self, ids: Sequence[int]) -> dict[int, str]:
        rows = self._read(ids, ["name", "warehouse_id"])
        warehouses = [r["warehouse_id"] for r in rows if r["warehouse_id"]]
        names = self.env["stock.warehouse"]._compute_display_name(warehouses)
        return {r["id"]: f"{names[r['warehouse_id']]}: {r['name']}" if r["warehouse_id"] else r["name"] for r in rows}


class StockPicking(Model):
    _name = "stock.picking"
    _description = "Transfer"
    _order = "priority desc, scheduled_date asc, id desc"

    name = f.Char("Reference", default="/", index=True)
    origin = f.Char("Source Document", index=True)
    note = f.Html("Notes")
    backorder_id = f.Many2one("stock.picking", "Back Order of")
    backorder_ids = f.One2many("stock.picking", "backorder_id", "Back Orders")
    move_type = f.Selection([("direct", "As soon as possible"), ("one", "When all products are ready")],
                            "Shipping Policy", default="direct", required=True)
    state = f.Selection(PICKING_STATES, "Status", default="draft", readonly=True, index=True)
    priority = f.Selection([("0", "Normal"), ("1", "Urgent")], "Priority", default="0")
    scheduled_date = f.Datetime("Scheduled Date", default=lambda env: now_string())
    date_deadline = f.Datetime("Deadline")
    date_done = f.Datetime("Date of Transfer", readonly=True)
    location_id = f.Many2one("stock.location", "Source Location", required=True)
    location_dest_id = f.Many2one("stock.location", "Destination Location", required=True)
    move_ids = f.One2many("stock.move", "picking_id", "Stock Moves")
    move_ids_without_package = f.One2many("stock.move", "picking_id", "Stock moves not in package", until=18)
    move_line_ids = f.One2many("stock.move.line", "picking_id", "Operations")
    picking_type_id = f.Many2one("stock.picking.type", "Operation Type", required=True)
    picking_type_code = f.Selection([("incoming", "Receipt"), ("outgoing", "Delivery"),
                                     ("internal", "Internal Transfer")], "Type of Operation",
                                    compute="_compute_picking_type_code", search="_search_picking_type_code")
    partner_id = f.Many2one("res.partner", "Contact")
    company_id = f.Many2one("res.company", "Company", default=main_company)
    user_id = f.Many2one("res.users", "Responsible", default=lambda env: env.uid)
    sale_id = f.Many2one("sale.order", "Sales Order", index=True)
    carrier_id = f.Many2one("delivery.carrier", "Carrier")
    carrier_tracking_ref = f.Char("Tracking Reference")
    is_locked = f.Boolean(default=True)

    def _compute_picking_type_code(self, ids: Sequence[int]) -> dict[int, Any]:
        rows = self._raw(ids, ["picking_type_id"])
        codes = {r["id"]: r["code"] for r in self.env["stock.picking.type"]._raw(
            list({r["picking_type_id"] for r in rows}), ["code"])}
        return {r["id"]: codes.get(r["picking_type_id"]) for r in rows}

    def _search_picking_type_code(self, operator: str, value: Any) -> list:
        return [("picking_type_id.code", operator, value)]

    def _create(self, vals_list: list[dict]) -> list[int]:
        types = self.env["stock.picking.type"]
        prepared = []
        for vals in vals_list:
            vals = dict(vals)
            if vals.get("picking_type_id"):
                picking_type = types._read([vals["picking_type_id"]], ["default_location_src_id",
                                                                       "default_location_dest_id"], strict=True)[0]
                vals.setdefault("location_id", picking_type["default_location_src_id"])
                vals.setdefault("location_dest_id", picking_type["default_location_dest_id"])
                if vals.get("name", "/") in ("/", False, None):
                    vals["name"] = self._next_name(vals["picking_type_id"])
            prepared.append(vals)
        ids = super()._create(prepared)
        for picking in self._raw(ids, ["location_id", "location_dest_id"]):
            moves = self.env["stock.move"]
            # Moves created with the picking follow its locations unless they name their own.
            for move in moves._raw(moves._search([("picking_id", "=", picking["id"])]), ["location_id",
                                                                                          "location_dest_id"]):
                moves._update_rows([move["id"]], {
                    "location_id": move["location_id"] or picking["location_id"],
                    "location_dest_id": move["location_dest_id"] or picking["location_dest_id"]})
        self._update_states(ids)
        return ids

    def _next_name(self, picking_type_id: int) -> str:
        picking_type = self.env["stock.picking.type"]._raw([picking_type_id], ["sequence_code", "warehouse_id"])[0]
        code = ""
        if picking_type["warehouse_id"]:
            code = self.env["stock.warehouse"]._raw([picking_type["warehouse_id"]], ["code"])[0]["code"] + "/"
        number = self.env.next_sequence(f"stock.picking.type.{picking_type_id}")
        return f"{code}{picking_type['sequence_code']}/{number:05d}"

    def _write(self, ids: list[int], vals: dict) -> None:
        moved = {k: vals[k] for k in ("location_id", "location_dest_id") if vals.get(k)}
        if moved:
            for row in self._raw(ids, ["state", "name"]):
                if row["state"] in ("done", "cancel"):
                    raise UserError(f"You cannot change the locations of {row['name']}: it is {row['state']}.")
        super()._write(ids, vals)
        if moved:
            moves = self.env["stock.move"]
            open_moves = moves._search([("picking_id", "in", ids), ("state", "not in", ["done", "cancel"])])
            had_reservation = reservation.unreserve(self.env, open_moves)
            moves._update_rows(open_moves, moved)
            if had_reservation or "location_id" in moved:
                self._reserve(ids)
        if "move_ids" in vals or "move_ids_without_package" in vals:
            self._update_states(ids)

    def _pickings_to_warn_by_sms(self, ids: Sequence[int]) -> list[int]:
        """Deliveries to a partner with a phone, while the company still asks about confirmation SMS."""
        companies = self.env["res.company"]
        warn = []
        for picking in self._read(list(ids), ["company_id", "partner_id", "picking_type_code"]):
            if picking["picking_type_code"] != "outgoing" or not picking["partner_id"] or not picking["company_id"]:
                continue
            company = companies._raw([picking["company_id"]], ["stock_text_confirmation", "stock_confirmation_type",
                                                               "has_received_warning_stock_sms"])[0]
            asks = company["stock_text_confirmation"] and company["stock_confirmation_type"] == "sms" \
                and not company["has_received_warning_stock_sms"]
            if asks and self.env["res.partner"]._raw([picking["partner_id"]], ["phone"])[0]["phone"]:
                warn.append(picking["id"])
        return warn

    def _unlink(self, ids: list[int]) -> None:
        moves = self.env["stock.move"]
        move_ids = moves._search([("picking_id", "in", ids)])
        if any(m["state"] == "done" for m in moves._raw(move_ids, ["state"])):
            raise UserError("You cannot cancel a stock move that has been set to 'Done'. Create a return in order "
                            "to reverse the moves which took place.")
        reservation.unreserve(self.env, move_ids)
        moves._unlink(move_ids)
        super()._unlink(ids)

    def _update_states(self, ids: Sequence[int]) -> None:
        moves = self.env["stock.move"]
        for picking in self._raw(ids, ["move_type", "state"]):
            states = [m["state"] for m in moves._raw(moves._search([("picking_id", "=", picking["id"])]), ["state"])]
            self._update_rows([picking["id"]], {"state": picking_state(states, picking["move_type"])})

    def _reserve(self, ids: Sequence[int]) -> None:
        moves = self.env["stock.move"]
        reservation.reserve(self.env, moves._search([("picking_id", "in", list(ids)),
                                                     ("state", "in", list(reservation.RESERVABLE))]))
        self._update_states(ids)

    @rpc_records
    def action_confirm(self, ids: Sequence[int]) -> bool:
        moves = self.env["stock.move"]
        drafts = moves._search([("picking_id", "in", list(ids)), ("state", "=", "draft")])
        moves._update_rows(drafts, {"state": "confirmed"})
        self._reserve(list(ids))
        return True

    @rpc_records
    def action_assign(self, ids: Sequence[int]) -> bool:
        self._read(list(ids), ["state"], strict=True)
        return self.action_confirm(ids)

    @rpc_records
    def do_unreserve(self, ids: Sequence[int]) -> bool:
        moves = self.env["stock.move"]
        reservation.unreserve(self.env, moves._search([("picking_id", "in", list(ids)),
                                                       ("state", "not in", ["done", "cancel"])]))
        self._update_states(ids)
        return True

    @rpc_records
    def action_cancel(self, ids: Sequence[int]) -> bool:
        moves = self.env["stock.move"]
        move_ids = moves._search([("picking_id", "in", list(ids))])
        if any(m["state"] == "done" for m in moves._raw(move_ids, ["state"])):
            raise UserError("You cannot cancel a stock move that has been set to 'Done'. Create a return in order "
                            "to reverse the moves which took place.")
        reservation.unreserve(self.env, move_ids)
        moves._update_rows(move_ids, {"state": "cancel"})
        self._update_states(ids)
        return True

    @rpc_records
    def button_validate(self, ids: Sequence[int]) -> Any:
        rows = self._read(list(ids), ["state", "name"], strict=True)
        # Validating a done picking again is a no-op that answers True, as on a real server.
        ids = [r["id"] for r in rows if r["state"] not in ("done", "cancel")]
        drafts = [r["id"] for r in rows if r["state"] == "draft"]
        if drafts:
            self.action_confirm(drafts)
        moves = self.env["stock.move"]
        for picking_id in ids:
            move_rows = moves._raw(moves._search([("picking_id", "=", picking_id),
                                                  ("state", "not in", ["done", "cancel"])]), ["quantity", "picked"])
            if not any(m["picked"] for m in move_rows):
                moves._update_rows([m["id"] for m in move_rows if (m["quantity"] or 0) > 0], {"picked": True})
            if not any((m["quantity"] or 0) > 0 for m in move_rows):
                raise UserError(ZERO_QUANTITY)
        context = {**self.env.context, "button_validate_picking_ids": ids}
        no_backorder = set(context.get("picking_ids_not_to_backorder") or [])
        if not context.get("skip_backorder"):
            partial = [p for p in ids if reservation.needs_backorder(self.env, p)]
            if partial:
                return backorder_wizard_action(context, ids, partial)
        if not context.get("skip_sms"):
            warn = self._pickings_to_warn_by_sms(ids)
            if warn:
                return sms_wizard_action(self.env, context, warn)
        for picking_id in ids:
            reservation.action_done(self.env, picking_id, create_backorder=picking_id not in no_backorder)
        return True


def picking_state(move_states: list[str], move_type: str) -> str:
    if not move_states:
        return "draft"
    if all(s == "cancel" for s in move_states):
        return "cancel"
    if all(s in ("done", "cancel") for s in move_states):
        return "done"
    active = [s for s in move_states if s not in ("done", "cancel")]
    if any(s == "draft" for s in active):
        return "draft"
    if move_type == "one":
        return "assigned" if all(s == "assigned" for s in active) else "confirmed"
    return "assigned" if any(s in ("assigned", "partially_available") for s in active) else "confirmed"


def sms_wizard_action(env: Any, context: dict, picking_ids: list[int]) -> dict:
    """What stock_sms answers instead of validating (the pickings stay ready, their moves picked)."""
    wizard = env["confirm.stock.sms"]._create([{"pick_ids": [(6, 0, picking_ids)]}])[0]
    return {"name": "SMS", "type": "ir.actions.act_window", "view_mode": "form", "res_model": "confirm.stock.sms",
            "views": [[False, "form"]], "view_id": False, "target": "new", "res_id": wizard, "context": context}


def backorder_wizard_action(context: dict, picking_ids: list[int], partial: list[int]) -> dict:
    """The action Odoo 19 returns instead of validating when some picking is only partly done."""
    return {
        "name": "Create Backorder?",
        "type": "ir.actions.act_window",
        "view_mode": "form",
        "res_model": "stock.backorder.confirmation",
        "views": [[False, "form"]],
        "view_id": False,
        "target": "new",
        "context": {**context, "default_show_transfers": False, "default_pick_ids": [[4, p] for p in partial]},
    }


class StockMove(Model):
    _name = "stock.move"
    _description = "Stock Move"
    _order = "sequence, id"

    name = f.Char("Description", until=18, required=True)
    sequence = f.Integer(default=10)
    reference = f.Char("Reference", compute="_compute_reference")
    origin = f.Char("Source Document")
    product_id = f.Many2one("product.product", "Product", required=True, index=True)
    product_uom_qty = f.Float("Demand", required=True, default=0.0)
    product_uom = f.Many2one("uom.uom", "Unit", required=True, default=lambda env: env.ref("uom.product_uom_unit"))
    quantity = f.Float("Quantity", default=0.0)
    picked = f.Boolean("Picked", default=False)
    location_id = f.Many2one("stock.location", "Source Location", index=True, required=True)
    location_dest_id = f.Many2one("stock.location", "Destination Location", index=True, required=True)
    picking_id = f.Many2one("stock.picking", "Transfer", index=True)
    picking_type_id = f.Many2one("stock.picking.type", "Operation Type")
    state = f.Selection(MOVE_STATES, "Status", default="draft", readonly=True, index=True)
    date = f.Datetime("Date Scheduled", default=lambda env: now_string(), required=True)
    company_id = f.Many2one("res.company", "Company", default=main_company, required=True)
    partner_id = f.Many2one("res.partner", "Destination Address")
    sale_line_id = f.Many2one("sale.order.line", "Sale Line", index=True)
    move_line_ids = f.One2many("stock.move.line", "move_id", "Move Lines")
    is_inventory = f.Boolean("Inventory")

    def _compute_reference(self, ids: Sequence[int]) -> dict[int, Any]:
        rows = self._raw(ids, ["picking_id"])
        names = {r["id"]: r["name"] for r in self.env["stock.picking"]._raw(
            list({r["picking_id"] for r in rows if r["picking_id"]}), ["name"])}
        return {r["id"]: names.get(r["picking_id"], False) for r in rows}

    def _create(self, vals_list: list[dict]) -> list[int]:
        pickings = self.env["stock.picking"]
        prepared = []
        for vals in vals_list:
            vals = dict(vals)
            if vals.get("picking_id"):
                picking = pickings._raw([vals["picking_id"]], ["location_id", "location_dest_id",
                                                               "picking_type_id", "state"])
                if picking:
                    vals.setdefault("location_id", picking[0]["location_id"])
                    vals.setdefault("location_dest_id", picking[0]["location_dest_id"])
                    vals.setdefault("picking_type_id", picking[0]["picking_type_id"])
                    if picking[0]["state"] not in ("draft", "cancel", "done"):
                        vals.setdefault("state", "confirmed")
            prepared.append(vals)
        ids = super()._create(prepared)
        picking_ids = list({r["picking_id"] for r in self._raw(ids, ["picking_id"]) if r["picking_id"]})
        if picking_ids:
            pickings._update_states(picking_ids)
        return ids

    def _write(self, ids: list[int], vals: dict) -> None:
        quantity = vals.get("quantity")
        super()._write(ids, {k: v for k, v in vals.items() if k != "quantity"})
        if quantity is not None:
            reservation.set_quantity(self.env, ids, float(quantity or 0.0))
        picking_ids = list({r["picking_id"] for r in self._raw(ids, ["picking_id"]) if r["picking_id"]})
        if picking_ids and ({"quantity", "state"} & set(vals)):
            self.env["stock.picking"]._update_states(picking_ids)


class StockMoveLine(Model):
    _name = "stock.move.line"
    _description = "Product Moves (Stock Move Line)"
    _order = "id"
    _rec_name = "reference"

    move_id = f.Many2one("stock.move", "Stock Operation", index=True, ondelete="cascade")
    picking_id = f.Many2one("stock.picking", "Transfer", index=True)
    product_id = f.Many2one("product.product", "Product", index=True)
    product_uom_id = f.Many2one("uom.uom", "Unit", required=True)
    quantity = f.Float("Quantity", default=0.0)
    picked = f.Boolean("Picked", default=False)
    location_id = f.Many2one("stock.location", "From", index=True, required=True)
    location_dest_id = f.Many2one("stock.location", "To", required=True)
    quant_id = f.Many2one("stock.quant", "Pick From", ondelete="set null")
    reference = f.Char("Reference")
    state = f.Selection(MOVE_STATES, "Status", compute="_compute_state", search="_search_state")

    def _compute_state(self, ids: Sequence[int]) -> dict[int, Any]:
        """A move line has its move's state (a related field in Odoo)."""
        rows = self._raw(ids, ["move_id"])
        states = {r["id"]: r["state"] for r in self.env["stock.move"]._raw(
            list({r["move_id"] for r in rows if r["move_id"]}), ["state"])}
        return {r["id"]: states.get(r["move_id"], False) for r in rows}

    def _search_state(self, operator: str, value: Any) -> list:
        return [("move_id.state", operator, value)]
