"""stock.quant: on-hand quantities per product and location, counted and applied in inventory mode."""

from __future__ import annotations

from collections.abc import Sequence

from ..exceptions import ValidationError
from ..orm import fields as f
from ..orm.model import Model, now_string, rpc_records
from . import reservation
from .stock import main_company


class StockQuant(Model):
    _name = "stock.quant"
    _description = "Quants"
    _order = "location_id, id"
    _rec_name = "product_id"

    product_id = f.Many2one("product.product", "Product", required=True, index=True, ondelete="restrict")
    location_id = f.Many2one("stock.location", "Location", required=True, index=True, ondelete="restrict")
    company_id = f.Many2one("res.company", "Company", default=main_company)
    quantity = f.Float("Quantity", default=0.0, readonly=True)
    reserved_quantity = f.Float("Reserved Quantity", default=0.0, readonly=True, required=True)
    available_quantity = f.Float("Available Quantity", compute="_compute_available_quantity")
    inventory_quantity = f.Float("Counted Quantity", default=0.0)
    inventory_diff_quantity = f.Float("Difference", compute="_compute_inventory_diff_quantity")
    inventory_quantity_set = f.Boolean("Inventory Quantity Set", default=False)
    inventory_quantity_auto_apply = f.Float("Inventoried Quantity", compute="_compute_auto_apply")
    in_date = f.Datetime("Incoming Date", default=lambda env: now_string(), required=True, readonly=True)

    def _compute_display_name(self, ids: Sequence[int]) -> dict[int, str]:
        rows = self._raw(ids, ["product_id"])
        labels = self.env["product.product"]._compute_display_name(list({r["product_id"] for r in rows}))
        return {r["id"]: labels.get(r["product_id"], "") for r in rows}

    def _compute_auto_apply(self, ids: Sequence[int]) -> dict[int, float]:
        return {r["id"]: r["quantity"] or 0.0 for r in self._raw(ids, ["quantity"])}

    def _compute_available_quantity(self, ids: Sequence[int]) -> dict[int, float]:
        return {r["id"]: (r["quantity"] or 0.0) - (r["reserved_quantity"] or 0.0)
                for r in self._raw(ids, ["quantity", "reserved_quantity"])}

    def _compute_inventory_diff_quantity(self, ids: Sequence[int]) -> dict[int, float]:
        return {r["id"]: (r["inventory_quantity"] or 0.0) - (r["quantity"] or 0.0) if r["inventory_quantity_set"]
                else 0.0 for r in self._raw(ids, ["inventory_quantity", "quantity", "inventory_quantity_set"])}

    def _check_storable(self, product_id: int) -> None:
        product = self.env["product.product"]._read([product_id], ["type", "is_storable"]
                                                    if "is_storable" in self.env["product.product"]._fields
                                                    else ["type"], strict=True)[0]
        storable = product["type"] == "product" if self.env.profile.major <= 17 else (
            product["type"] == "consu" and product["is_storable"])
        if not storable:
            raise ValidationError("Quants cannot be created for consumables or services.")

    def _create(self, vals_list: list[dict]) -> list[int]:
        inventory_mode = bool(self.env.context.get("inventory_mode"))
        ids = []
        for vals in vals_list:
            self._check_storable(vals.get("product_id"))
            if inventory_mode and "inventory_quantity_auto_apply" in vals:
                # Odoo's shortcut: count and apply in one go.
                counted = {k: v for k, v in vals.items() if k != "inventory_quantity_auto_apply"}
                counted["inventory_quantity"] = vals["inventory_quantity_auto_apply"]
                quant_id = self._create([counted])[0]
                reservation.apply_inventory(self.env, [quant_id])
                ids.append(quant_id)
                continue
            if inventory_mode and "inventory_quantity" in vals:
                # Odoo reuses the quant of that product and location and only records the count.
                existing = self._search([("product_id", "=", vals["product_id"]),
                                         ("location_id", "=", vals.get("location_id"))], limit=1)
                counted = {"inventory_quantity": vals["inventory_quantity"], "inventory_quantity_set": True}
                if existing:
                    self._update_rows(existing, counted)
                    ids.append(existing[0])
                    continue
                vals = {k: v for k, v in vals.items() if k not in ("quantity", "reserved_quantity")}
                vals.update(counted)
            ids += super()._create([vals])
        return ids

    def _write(self, ids: list[int], vals: dict) -> None:
        vals = dict(vals)
        auto_apply = vals.pop("inventory_quantity_auto_apply", None)
        if auto_apply is not None:
            vals["inventory_quantity"] = auto_apply
        if "inventory_quantity" in vals:
            vals.setdefault("inventory_quantity_set", True)
        super()._write(ids, vals)
        if auto_apply is not None:
            reservation.apply_inventory(self.env, ids)

    def _create_raw(self, product_id: int, location_id: int, quantity: float) -> int:
        """A quant born from a done move; no inventory-mode rules apply."""
        return Model._create(self, [{"product_id": product_id, "location_id": location_id, "quantity": quantity}])[0]

    @rpc_records
    def action_apply_inventory(self, ids: Sequence[int]) -> None:
        reservation.apply_inventory(self.env, list(ids))

    @rpc_records
    def action_set_inventory_quantity_to_zero(self, ids: Sequence[int]) -> None:
        self._update_rows(list(ids), {"inventory_quantity": 0.0, "inventory_quantity_set": False})
