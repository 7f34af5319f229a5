"""sale.order and sale.order.line: defaults from partner and product, totals, confirm / cancel / lock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from ..exceptions import UserError, ValidationError
from ..orm import fields as f
from ..orm.model import Model, now_string, rpc_records
from . import procurement
from .taxes import LineAmounts, line_amounts, order_totals, single_line_amounts

SALE_ORDER_STATES = [("draft", "Quotation"), ("sent", "Quotation Sent"), ("sale", "Sales Order"),
                     ("cancel", "Cancelled")]


INVOICE_STATUSES = [("upselling", "Upselling Opportunity"), ("invoiced", "Fully Invoiced"),
                    ("to invoice", "To Invoice"), ("no", "Nothing to Invoice")]


def _display_types(profile: Any) -> list[tuple[str, str]]:
    subsection = [("line_subsection", "Subsection")] if profile.major >= 19 else []
    return [("line_section", "Section"), *subsection, ("line_note", "Note")]


def _in_thirty_days(env: Any) -> str:
    return (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d")


def _ref_or_none(env: Any, xmlid: str) -> int | None:
    try:
        return env.ref(xmlid)
    except ValueError:
        return None


class SaleOrder(Model):
    _name = "sale.order"
    _description = "Sales Order"
    _order = "date_order desc, id desc"

    name = f.Char("Order Reference", required=True, index=True, default="New")
    state = f.Selection(SALE_ORDER_STATES, "Status", default="draft", readonly=True, index=True)
    locked = f.Boolean("Locked", default=False)
    partner_id = f.Many2one("res.partner", "Customer", required=True)
    partner_invoice_id = f.Many2one("res.partner", "Invoice Address", required=True)
    partner_shipping_id = f.Many2one("res.partner", "Delivery Address", required=True)
    date_order = f.Datetime("Order Date", required=True, default=lambda env: now_string())
    validity_date = f.Date("Expiration", default=_in_thirty_days)
    picking_policy = f.Selection([("direct", "As soon as possible"), ("one", "When all products are ready")],
                                 "Shipping Policy", required=True, default="direct")
    delivery_status = f.Selection([("pending", "Not Delivered"), ("started", "Started"),
                                   ("partial", "Partially Delivered"), ("full", "Fully Delivered")],
                                  "Delivery Status", compute="_compute_delivery_status")
    commitment_date = f.Datetime("Delivery Date")
    client_order_ref = f.Char("Customer Reference")
    origin = f.Char("Source Document")
    note = f.Html("Terms and conditions")
    pricelist_id = f.Many2one("product.pricelist", "Pricelist")
    currency_id = f.Many2one("res.currency", "Currency")
    company_id = f.Many2one("res.company", "Company", required=True,
                            default=lambda env: env.ref("base.main_company"))
    user_id = f.Many2one("res.users", "Salesperson", default=lambda env: env.uid)
    team_id = f.Many2one("crm.team", "Sales Team",
                         default=lambda env: _ref_or_none(env, "sales_team.team_sales_department"))
    fiscal_position_id = f.Many2one("account.fiscal.position", "Fiscal Position")
    warehouse_id = f.Many2one("stock.warehouse", "Warehouse", default=lambda env: _ref_or_none(env, "stock.warehouse0"))
    carrier_id = f.Many2one("delivery.carrier", "Delivery Method")
    order_line = f.One2many("sale.order.line", "order_id", "Order Lines")
    picking_ids = f.One2many("stock.picking", "sale_id", "Transfers")
    delivery_count = f.Integer("Delivery Orders", compute="_compute_delivery_count")
    invoice_status = f.Selection(INVOICE_STATUSES, "Invoice Status", compute="_compute_invoice_status")
    amount_untaxed = f.Monetary("Untaxed Amount", readonly=True)
    amount_tax = f.Monetary("Taxes", readonly=True)
    amount_total = f.Monetary("Total", readonly=True)

    def _compute_delivery_count(self, ids: Sequence[int]) -> dict[int, int]:
        pickings = self.env["stock.picking"]
        counts = dict.fromkeys(ids, 0)
        for row in pickings._raw(pickings._search([("sale_id", "in", list(ids))]), ["sale_id"]):
            counts[row["sale_id"]] += 1
        return counts

    def _compute_invoice_status(self, ids: Sequence[int]) -> dict[int, str]:
        # Nothing is ever invoiced here, and products invoice on ordered quantities: confirmed means "to invoice".
        return {r["id"]: "to invoice" if r["state"] == "sale" else "no" for r in self._raw(ids, ["state"])}

    def _compute_delivery_status(self, ids: Sequence[int]) -> dict[int, Any]:
        pickings = self.env["stock.picking"]
        states: dict[int, list[str]] = {i: [] for i in ids}
        for row in pickings._raw(pickings._search([("sale_id", "in", list(ids))]), ["sale_id", "state"]):
            states[row["sale_id"]].append(row["state"])
        out: dict[int, Any] = {}
        for order_id, picking_states in states.items():
            live = [s for s in picking_states if s != "cancel"]
            if not live:
                out[order_id] = False
            elif all(s == "done" for s in live):
                out[order_id] = "full"
            elif "done" in live:
                out[order_id] = "partial"
            else:
                out[order_id] = "pending"
        return out

    def _partner_defaults(self, vals: dict) -> dict:
        """What Odoo's stored computes derive from the customer when the caller does not set them."""
        partner_id = vals.get("partner_id")
        if not partner_id:
            return vals
        vals = dict(vals)
        partners = self.env["res.partner"]
        commercial = partners._raw([partner_id], ["commercial_partner_id"])
        commercial_id = (commercial[0]["commercial_partner_id"] if commercial else None) or partner_id
        addresses = partners.address_get([partner_id], ["delivery", "invoice"])
        vals.setdefault("partner_shipping_id", addresses["delivery"])
        vals.setdefault("partner_invoice_id", addresses["invoice"])
        props = partners._raw([commercial_id], ["property_product_pricelist"])
        # Pricelists are off on a fresh Odoo 19 database: orders only get one the partner carries.
        if "pricelist_id" not in vals and props and props[0]["property_product_pricelist"]:
            vals["pricelist_id"] = props[0]["property_product_pricelist"]
        if "fiscal_position_id" not in vals:
            vals["fiscal_position_id"] = self.env["account.fiscal.position"]._for_partner(
                partner_id, vals.get("partner_shipping_id")) or False
        return vals

    def _currency_for(self, vals: dict) -> int:
        if vals.get("pricelist_id"):
            return self.env["product.pricelist"]._raw([vals["pricelist_id"]], ["currency_id"])[0]["currency_id"]
        company = vals.get("company_id") or self.env.ref("base.main_company")
        return self.env["res.company"]._raw([company], ["currency_id"])[0]["currency_id"]

    def _create(self, vals_list: list[dict]) -> list[int]:
        prepared = []
        for vals in vals_list:
            vals = self._partner_defaults(vals)
            if vals.get("name", "New") in ("New", "/", False, None):
                vals["name"] = f"S{self.env.next_sequence('sale.order'):05d}"
            vals.setdefault("currency_id", self._currency_for(vals))
            prepared.append(vals)
        # Lines created with the order would each recompute its totals; do it once at the end instead.
        deferred = self.env.with_context(sale_defer_totals=True)["sale.order"]
        ids = super(SaleOrder, deferred)._create(prepared)
        self._recompute_amounts(ids)
        return ids

    def _write(self, ids: list[int], vals: dict) -> None:
        vals = dict(vals)
        if "partner_id" in vals:
            vals = self._partner_defaults(vals)
        if "pricelist_id" in vals and "currency_id" not in vals:
            vals["currency_id"] = self._currency_for(vals)
        super()._write(ids, vals)
        if "order_line" in vals or "currency_id" in vals:
            self._recompute_amounts(ids)

    def _unlink(self, ids: list[int]) -> None:
        for row in self._raw(ids, ["state"]):
            if row["state"] not in ("draft", "cancel"):
                raise UserError("You can not delete a sent quotation or a confirmed sales order. "
                                "You must first cancel it.")
        super()._unlink(ids)

    def _recompute_amounts(self, ids: Sequence[int]) -> None:
        if self.env.context.get("sale_defer_totals"):
            return
        lines = self.env["sale.order.line"]
        per_line = lines._rounds_per_line()
        for order in self._raw(ids, ["currency_id"]):
            rounding = self.env["res.currency"]._rounding(order["currency_id"])
            line_ids = lines._search([("order_id", "=", order["id"]), ("display_type", "=", False)])
            untaxed, tax, total = order_totals(lines._line_amounts(line_ids, rounding, per_line), rounding, per_line)
            self._update_rows([order["id"]], {"amount_untaxed": untaxed, "amount_tax": tax, "amount_total": total})

    @rpc_records
    def action_confirm(self, ids: Sequence[int]) -> bool:
        ids = list(ids)
        lines = self.env["sale.order.line"]
        for order in self._read(ids, ["state"], strict=True):
            if order["state"] not in ("draft", "sent"):
                raise UserError("Some orders are not in a state requiring confirmation.")
            line_rows = lines._raw(lines._search([("order_id", "=", order["id"])]), ["display_type", "product_id"])
            if any(not r["display_type"] and not r["product_id"] for r in line_rows):
                raise UserError("Some order lines are missing a product, you need to correct them before going "
                                "further.")
        self._update_rows(ids, {"state": "sale", "date_order": now_string(), "write_date": now_string()})
        lines._update_rows(lines._search([("order_id", "in", ids)]), {"state": "sale"})
        procurement.launch_for_orders(self.env, ids)
        return True

    @rpc_records
    def action_cancel(self, ids: Sequence[int]) -> bool:
        ids = list(ids)
        if any(r["locked"] for r in self._read(ids, ["locked"], strict=True)):
            raise UserError("You cannot cancel a locked order. Please unlock it first.")
        pickings = self.env["stock.picking"]
        open_pickings = pickings._search([("sale_id", "in", ids), ("state", "not in", ["done", "cancel"])])
        if open_pickings:
            pickings.action_cancel(open_pickings)
        lines = self.env["sale.order.line"]
        self._update_rows(ids, {"state": "cancel", "write_date": now_string()})
        lines._update_rows(lines._search([("order_id", "in", ids)]), {"state": "cancel"})
        return True

    @rpc_records
    def action_draft(self, ids: Sequence[int]) -> bool:
        ids = list(ids)
        rows = self._read(ids, ["state"], strict=True)
        drafts = [r["id"] for r in rows if r["state"] in ("cancel", "sent")]
        lines = self.env["sale.order.line"]
        self._update_rows(drafts, {"state": "draft"})
        lines._update_rows(lines._search([("order_id", "in", drafts)]), {"state": "draft"})
        return True

    @rpc_records
    def action_lock(self, ids: Sequence[int]) -> None:
        self._read(list(ids), ["locked"], strict=True)
        self._update_rows(list(ids), {"locked": True})

    @rpc_records
    def action_unlock(self, ids: Sequence[int]) -> None:
        self._read(list(ids), ["locked"], strict=True)
        self._update_rows(list(ids), {"locked": False})


class SaleOrderLine(Model):
    _name = "sale.order.line"
    _description = "Sales Order Line"
    _order = "order_id, sequence, id"

    order_id = f.Many2one("sale.order", "Order Reference", required=True, ondelete="cascade")
    sequence = f.Integer(default=10)
    name = f.Text("Description", required=True)
    display_type = f.Selection(_display_types, "Display Type")
    product_id = f.Many2one("product.product", "Product", ondelete="restrict")
    product_uom_qty = f.Float("Quantity", default=1.0, required=True)
    product_uom_legacy = f.Many2one("uom.uom", "Unit of Measure", until=18, name="product_uom", ondelete="restrict")
    product_uom_id = f.Many2one("uom.uom", "Unit", since=19, ondelete="restrict")
    tax_legacy = f.Many2many("account.tax", "account_tax_sale_order_line_rel", "sale_order_line_id",
                             "account_tax_id", "Taxes", until=18, name="tax_id")
    tax_ids = f.Many2many("account.tax", "account_tax_sale_order_line_rel", "sale_order_line_id",
                          "account_tax_id", "Taxes", since=19)
    price_unit = f.Float("Unit Price", default=0.0, required=True)
    discount = f.Float("Discount (%)", default=0.0)
    price_subtotal = f.Monetary("Subtotal", readonly=True)
    price_tax = f.Float("Total Tax", readonly=True)
    price_total = f.Monetary("Total", readonly=True)
    qty_delivered = f.Float("Delivery Quantity", default=0.0)
    customer_lead = f.Float("Lead Time", default=0.0, required=True)
    is_downpayment = f.Boolean("Is a down payment")
    state = f.Selection(SALE_ORDER_STATES, "Order Status", readonly=True)
    currency_id = f.Many2one("res.currency", "Currency", readonly=True)
    company_id = f.Many2one("res.company", "Company", readonly=True)
    order_partner_id = f.Many2one("res.partner", "Customer", readonly=True)
    move_ids = f.One2many("stock.move", "sale_line_id", "Stock Moves")

    @property
    def _uom(self) -> str:
        return self.env.profile.sale_line_uom

    @property
    def _taxes(self) -> str:
        return self.env.profile.sale_line_taxes

    def _product_defaults(self, vals: dict) -> dict:
        """Name, unit, price and taxes come from the product unless given, like Odoo's precomputed fields."""
        vals = dict(vals)
        if vals.get("display_type"):
            if vals.get("product_id") or vals.get("price_unit"):
                raise ValidationError("The operation cannot be completed: Forbidden values on non-accountable "
                                      "sale order line")
            vals.setdefault("product_uom_qty", 0.0)
            return vals
        product_id = vals.get("product_id")
        if not product_id:
            # Accepted here; action_confirm refuses lines without a product, as Odoo does.
            return vals
        products = self.env["product.product"]
        product = self.env.memo(("sale_line_product", product_id), lambda: products._read(
            [product_id], ["name", "default_code", "uom_id", "list_price", "taxes_id", "description_sale"],
            strict=True)[0])
        if not vals.get("name"):
            label = f"[{product['default_code']}] {product['name']}" if product["default_code"] else product["name"]
            vals["name"] = f"{label}\n{product['description_sale']}" if product["description_sale"] else label
        vals.setdefault(self._uom, product["uom_id"])
        vals.setdefault("price_unit", product["list_price"] or 0.0)
        if self._taxes not in vals:
            # Default taxes go through the order's fiscal position; taxes given by the caller are kept as they are.
            orders = self.env["sale.order"]
            position = orders._raw([vals["order_id"]], ["fiscal_position_id"])[0]["fiscal_position_id"] \
                if vals.get("order_id") else None
            taxes = self.env["account.fiscal.position"]._map_taxes(position, product["taxes_id"])
            vals[self._taxes] = [(6, 0, taxes)]
        return vals

    def _create(self, vals_list: list[dict]) -> list[int]:
        orders = self.env["sale.order"]
        prepared = []
        for vals in vals_list:
            vals = self._product_defaults(vals)
            order = orders._raw([vals["order_id"]], ["state", "currency_id", "company_id", "partner_id"]) \
                if vals.get("order_id") else []
            if order:
                vals.setdefault("state", order[0]["state"])
                vals["currency_id"] = order[0]["currency_id"]
                vals["company_id"] = order[0]["company_id"]
                vals["order_partner_id"] = order[0]["partner_id"]
            prepared.append(vals)
        ids = super()._create(prepared)
        rows = self._raw(ids, ["order_id", "state"])
        self._store_amounts(ids)
        order_ids = list({r["order_id"] for r in rows})
        orders._recompute_amounts(order_ids)
        confirmed = [r["id"] for r in rows if r["state"] == "sale"]
        if confirmed:
            procurement.launch_for_lines(self.env, confirmed)
        return ids

    def _protected_fields(self) -> list[str]:
        return ["product_id", "name", "price_unit", self._uom, "product_uom_qty", self._taxes, "discount"]

    def _write(self, ids: list[int], vals: dict) -> None:
        rows = self._raw(ids, ["order_id", "product_uom_qty"])
        protected = [n for n in self._protected_fields() if n in vals]
        if protected:
            orders = self.env["sale.order"]._raw(list({r["order_id"] for r in rows}), ["locked"])
            if any(o["locked"] for o in orders):
                labels = "\n".join(self._fields[n].describe()["string"] for n in protected)
                raise UserError(f"It is forbidden to modify the following fields in a locked order:\n{labels}")
        super()._write(ids, vals)
        if "product_uom_qty" in vals:
            procurement.update_quantities(self.env, {r["id"]: r["product_uom_qty"] or 0.0 for r in rows})
        money = {"price_unit", "discount", "product_uom_qty", self._taxes, "product_id", "display_type"}
        if money & set(vals):
            self._store_amounts(ids)
            orders = {r["order_id"] for r in self._raw(ids, ["order_id"])}
            self.env["sale.order"]._recompute_amounts(list(orders))

    def _unlink(self, ids: list[int]) -> None:
        rows = self._raw(ids, ["order_id", "state", "display_type"])
        if any(r["state"] == "sale" and not r["display_type"] for r in rows):
            raise UserError("Once a sales order is confirmed, you can't remove one of its lines "
                            "(we need to track if something gets invoiced or delivered).\n"
                            "                Set the quantity to 0 instead.")
        orders = list({r["order_id"] for r in rows})
        super()._unlink(ids)
        self.env["sale.order"]._recompute_amounts(self.env["sale.order"]._existing(orders))

    def _rounds_per_line(self) -> bool:
        company = self.env["res.company"]._raw([self.env.ref("base.main_company")],
                                               ["tax_calculation_rounding_method"])[0]
        return company["tax_calculation_rounding_method"] != "round_globally"

    def _line_amounts(self, ids: Sequence[int], rounding: float, per_line: bool) -> list[LineAmounts]:
        """Each line's amounts (with the amount of each of its taxes), in the order's line order."""
        rows = self._read(ids, ["price_unit", "product_uom_qty", "discount", "sequence", self._taxes])
        rows.sort(key=lambda r: (r["sequence"] or 0, r["id"]))
        taxes = self.env["account.tax"]
        return [line_amounts(r["price_unit"] or 0.0, r["product_uom_qty"] or 0.0, r["discount"] or 0.0,
                             taxes._specs(r[self._taxes] or []), rounding, per_line) for r in rows]

    def _store_amounts(self, ids: Sequence[int]) -> None:
        currencies = self.env["res.currency"]
        per_line = self._rounds_per_line()
        for row in self._read(ids, ["currency_id", "display_type"]):
            if row["display_type"]:
                self._update_rows([row["id"]], {"price_subtotal": 0.0, "price_tax": 0.0, "price_total": 0.0})
                continue
            rounding = currencies._rounding(row["currency_id"]) if row["currency_id"] else 0.01
            amounts = self._line_amounts([row["id"]], rounding, per_line)[0]
            if not per_line:
                amounts = single_line_amounts(amounts, rounding)
            # Odoo stores the line tax as total minus subtotal, float noise included (0.16999999999999993).
            self._update_rows([row["id"]], {"price_subtotal": amounts.subtotal,
                                            "price_tax": amounts.total - amounts.subtotal,
                                            "price_total": amounts.total})
