"""Products (template + variant, delegated as in Odoo), units of measure, categories and pricelists.

The stand-in keeps exactly one variant per template (no attributes), so `default_code` is stored on both and kept
equal; Odoo computes the template's code from its single variant, which reads the same over RPC.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..orm import fields as f
from ..orm.model import Model
from .stock_levels import product_quantities


def _product_types(profile: Any) -> list[tuple[str, str]]:
    return list(profile.product_types)


def _default_uom(env: Any) -> int:
    return env.ref("uom.product_uom_unit")


def _default_category(env: Any) -> int | None:
    # Odoo 19 leaves categ_id empty on a fresh database; 17 and 18 default to "All".
    return env.ref("product.product_category_all") if env.profile.major <= 18 else None


def _default_sale_taxes(env: Any) -> list:
    company = env["res.company"]._raw([env.ref("base.main_company")], ["account_sale_tax_id"])
    tax = company[0]["account_sale_tax_id"] if company else None
    return [(6, 0, [tax] if tax else [])]


def _default_purchase_taxes(env: Any) -> list:
    company = env["res.company"]._raw([env.ref("base.main_company")], ["account_purchase_tax_id"])
    tax = company[0]["account_purchase_tax_id"] if company else None
    return [(6, 0, [tax] if tax else [])]


class UomCategory(Model):
    _name = "uom.category"
    _until = 18
    _description = "Product UoM Categories"

    name = f.Char("Unit of Measure Category", required=True)


class UomUom(Model):
    _name = "uom.uom"
    _description = "Product Unit of Measure"
    _order = "name"

    name = f.Char("Unit", required=True)
    active = f.Boolean(default=True)
    rounding = f.Float("Rounding Precision", default=0.01)
    category_id = f.Many2one("uom.category", "Category", until=18, ondelete="restrict")
    factor = f.Float("Ratio", default=1.0)
    uom_type = f.Selection([("bigger", "Bigger"), ("reference", "Reference"), ("smaller", "Smaller")],
                           "Type", default="reference", until=18)
    relative_factor = f.Float("Contains", default=1.0, since=19, required=True)
    relative_uom_id = f.Many2one("uom.uom", "Reference Unit", since=19, ondelete="cascade")


class ProductCategory(Model):
    _name = "product.category"
    _description = "Product Category"
    _order = "complete_name"

    name = f.Char("Name", required=True)
    complete_name = f.Char("Complete Name")
    parent_id = f.Many2one("product.category", "Parent Category", ondelete="cascade")

    def _create(self, vals_list: list[dict]) -> list[int]:
        ids = super()._create(vals_list)
        for row in self._read(ids, ["name", "parent_id"]):
            prefix = self._raw([row["parent_id"]], ["complete_name"])[0]["complete_name"] if row["parent_id"] else ""
            self._update_rows([row["id"]], {"complete_name": f"{prefix} / {row['name']}" if prefix else row["name"]})
        return ids

    def _compute_display_name(self, ids: Sequence[int]) -> dict[int, str]:
        return {r["id"]: r["complete_name"] or "" for r in self._raw(ids, ["complete_name"])}


class ProductTemplate(Model):
    _name = "product.template"
    _description = "Product"
    _order = "is_favorite desc, name"

    name = f.Char("Name", required=True, index=True)
    sequence = f.Integer(default=1)
    is_favorite = f.Boolean("Favorite", default=False)
    description_sale = f.Text("Sales Description")
    type = f.Selection(_product_types, "Product Type", required=True, default="consu")
    detailed_type = f.Selection([("consu", "Consumable"), ("service", "Service"), ("product", "Storable Product")],
                                "Product Type", until=17, default="consu")
    is_storable = f.Boolean("Track Inventory", default=False, since=18)
    default_code = f.Char("Internal Reference", index=True)
    barcode = f.Char("Barcode", index=True)
    list_price = f.Float("Sales Price", default=1.0)
    standard_price = f.Float("Cost", default=0.0)
    sale_ok = f.Boolean("Sales", default=True)
    purchase_ok = f.Boolean("Purchase", default=True)
    active = f.Boolean(default=True)
    weight = f.Float("Weight")
    uom_id = f.Many2one("uom.uom", "Unit", required=True, default=_default_uom)
    uom_po_id = f.Many2one("uom.uom", "Purchase Unit", until=18, default=_default_uom)
    categ_id = f.Many2one("product.category", "Product Category", default=_default_category)
    company_id = f.Many2one("res.company", "Company", index=True)
    currency_id = f.Many2one("res.currency", "Currency", compute="_compute_currency_id")
    taxes_id = f.Many2many("account.tax", "product_taxes_rel", "prod_id", "tax_id", "Sales Taxes",
                           default=_default_sale_taxes)
    supplier_taxes_id = f.Many2many("account.tax", "product_supplier_taxes_rel", "prod_id", "tax_id",
                                    "Purchase Taxes", default=_default_purchase_taxes)
    product_variant_ids = f.One2many("product.product", "product_tmpl_id", "Products")
    product_variant_id = f.Many2one("product.product", "Product", compute="_compute_product_variant_id")
    product_variant_count = f.Integer("# Product Variants", compute="_compute_product_variant_count")
    qty_available = f.Float("Quantity On Hand", compute="_compute_qty_available")
    virtual_available = f.Float("Forecasted Quantity", compute="_compute_virtual_available")

    def _compute_currency_id(self, ids: Sequence[int]) -> dict[int, int]:
        company = self.env["res.company"]._raw([self.env.ref("base.main_company")], ["currency_id"])[0]
        return dict.fromkeys(ids, company["currency_id"])

    def _variants(self, ids: Sequence[int]) -> dict[int, list[int]]:
        variants = self.env["product.product"]
        out: dict[int, list[int]] = {i: [] for i in ids}
        for row in variants._raw(variants._search([("product_tmpl_id", "in", list(ids))]), ["product_tmpl_id"]):
            out[row["product_tmpl_id"]].append(row["id"])
        return out

    def _compute_product_variant_id(self, ids: Sequence[int]) -> dict[int, Any]:
        return {t: (v[0] if v else None) for t, v in self._variants(ids).items()}

    def _compute_product_variant_count(self, ids: Sequence[int]) -> dict[int, int]:
        return {t: len(v) for t, v in self._variants(ids).items()}

    def _template_quantities(self, ids: Sequence[int], key: str) -> dict[int, float]:
        variants = self._variants(ids)
        levels = product_quantities(self.env, [v for vs in variants.values() for v in vs])
        return {t: sum(levels[v][key] for v in vs) for t, vs in variants.items()}

    def _compute_qty_available(self, ids: Sequence[int]) -> dict[int, float]:
        return self._template_quantities(ids, "qty_available")

    def _compute_virtual_available(self, ids: Sequence[int]) -> dict[int, float]:
        return self._template_quantities(ids, "virtual_available")

    def _name_search_domain(self, name: str, operator: str) -> list:
        return ["|", ("default_code", operator, name), ("name", operator, name)]

    def _compute_display_name(self, ids: Sequence[int]) -> dict[int, str]:
        return {r["id"]: f"[{r['default_code']}] {r['name']}" if r["default_code"] else r["name"]
                for r in self._raw(ids, ["name", "default_code"])}

    def _sync_type(self, vals: dict) -> dict:
        """Odoo 17 keeps `type` and `detailed_type` in step ('product' is the storable type there)."""
        if self.env.profile.major != 17:
            return vals
        vals = dict(vals)
        if "detailed_type" in vals and "type" not in vals:
            vals["type"] = vals["detailed_type"]
        elif "type" in vals and "detailed_type" not in vals:
            vals["detailed_type"] = vals["type"]
        return vals

    def _create(self, vals_list: list[dict]) -> list[int]:
        ids = super()._create([self._sync_type(v) for v in vals_list])
        if not self.env.context.get("create_product_product"):
            codes = [v.get("default_code") or None for v in vals_list]
            barcodes = [v.get("barcode") or None for v in vals_list]
            self.env["product.product"]._create_variants(
                [{"product_tmpl_id": t, "default_code": c, "barcode": b}
                 for t, c, b in zip(ids, codes, barcodes, strict=True)])
        return ids

    def _write(self, ids: list[int], vals: dict) -> None:
        vals = self._sync_type(vals)
        super()._write(ids, vals)
        synced = {k: vals[k] for k in ("default_code", "barcode", "active") if k in vals}
        if synced and not self.env.context.get("create_product_product"):
            variants = self.env["product.product"]
            targets = variants._search([("product_tmpl_id", "in", ids)], active_test=False)
            variants._update_rows(targets, {k: v or None if k != "active" else bool(v) for k, v in synced.items()})

    def _unlink(self, ids: list[int]) -> None:
        variants = self.env["product.product"]
        variants._unlink_variants_only(variants._search([("product_tmpl_id", "in", ids)], active_test=False))
        super()._unlink(ids)


class ProductProduct(Model):
    _name = "product.product"
    _description = "Product Variant"
    _order = "default_code, id"
    _inherits = {"product.template": "product_tmpl_id"}

    product_tmpl_id = f.Many2one("product.template", "Product Template", required=True, ondelete="cascade")
    default_code = f.Char("Internal Reference", index=True)
    barcode = f.Char("Barcode", index=True)
    active = f.Boolean(default=True)
    lst_price = f.Float("Sales Price", compute="_compute_lst_price")
    qty_available = f.Float("Quantity On Hand", compute="_compute_qty_available")
    free_qty = f.Float("Free To Use Quantity", compute="_compute_free_qty")
    virtual_available = f.Float("Forecasted Quantity", compute="_compute_virtual_available")

    def _create_variants(self, vals_list: list[dict]) -> list[int]:
        return self.env.with_context(create_product_product=True)["product.product"]._create(vals_list)

    def _create(self, vals_list: list[dict]) -> list[int]:
        env = self.env.with_context(create_product_product=True)
        ids = Model._create(env["product.product"], vals_list)
        # A variant created directly carries the template's reference too (single-variant world).
        for row in self._raw(ids, ["product_tmpl_id", "default_code", "barcode"]):
            env["product.template"]._update_rows([row["product_tmpl_id"]], {
                "default_code": row["default_code"], "barcode": row["barcode"]})
        return ids

    def _write(self, ids: list[int], vals: dict) -> None:
        super()._write(ids, vals)
        synced = {k: vals[k] for k in ("default_code", "barcode") if k in vals}
        if synced:
            templates = {r["product_tmpl_id"] for r in self._raw(ids, ["product_tmpl_id"])}
            self.env["product.template"]._update_rows(list(templates), {k: v or None for k, v in synced.items()})

    def _unlink_variants_only(self, ids: list[int]) -> None:
        Model._unlink(self, ids)

    def _unlink(self, ids: list[int]) -> None:
        templates = {r["product_tmpl_id"] for r in self._raw(ids, ["product_tmpl_id"])}
        super()._unlink(ids)
        orphans = [t for t in templates if not self._search([("product_tmpl_id", "=", t)], active_test=False)]
        if orphans:
            Model._unlink(self.env["product.template"], orphans)

    def _compute_lst_price(self, ids: Sequence[int]) -> dict[int, float]:
        return {r["id"]: r["list_price"] or 0.0 for r in self._read(ids, ["list_price"])}

    def _levels(self, ids: Sequence[int], key: str) -> dict[int, float]:
        return {i: v[key] for i, v in product_quantities(self.env, list(ids)).items()}

    def _compute_qty_available(self, ids: Sequence[int]) -> dict[int, float]:
        return self._levels(ids, "qty_available")

    def _compute_free_qty(self, ids: Sequence[int]) -> dict[int, float]:
        return self._levels(ids, "free_qty")

    def _compute_virtual_available(self, ids: Sequence[int]) -> dict[int, float]:
        return self._levels(ids, "virtual_available")

    def _name_search_domain(self, name: str, operator: str) -> list:
        return ["|", "|", ("default_code", operator, name), ("barcode", operator, name), ("name", operator, name)]

    def _compute_display_name(self, ids: Sequence[int]) -> dict[int, str]:
        return {r["id"]: f"[{r['default_code']}] {r['name']}" if r["default_code"] else r["name"]
                for r in self._read(ids, ["name", "default_code"])}


class ProductPricelist(Model):
    _name = "product.pricelist"
    _description = "Pricelist"
    _order = "sequence, id"

    name = f.Char("Pricelist Name", required=True)
    sequence = f.Integer(default=16)
    active = f.Boolean(default=True)
    currency_id = f.Many2one("res.currency", "Currency", required=True)
    company_id = f.Many2one("res.company", "Company")
