"""Taxes (with the per-version spelling of "included in price"), tax groups and fiscal positions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..orm import fields as f
from ..orm.model import Model
from .taxes import TaxSpec


def _main_company(env: Any) -> int:
    return env.ref("base.main_company")


def _company_country(env: Any) -> int | None:
    return env["res.company"]._raw([env.ref("base.main_company")], ["country_id"])[0]["country_id"]


def _default_tax_group(env: Any) -> int:
    groups = env["account.tax.group"]._search([], limit=1)
    return groups[0] if groups else env["account.tax.group"]._create([{"name": "Taxes"}])[0]


class AccountTaxGroup(Model):
    _name = "account.tax.group"
    _description = "Tax Group"
    _order = "sequence, id"

    name = f.Char("Name", required=True)
    sequence = f.Integer(default=10)
    company_id = f.Many2one("res.company", "Company", default=_main_company, required=True)


class AccountTax(Model):
    _name = "account.tax"
    _description = "Tax"
    _order = "sequence, id"

    name = f.Char("Tax Name", required=True)
    label_on_invoices = f.Char("Label on Invoices", until=18, name="description")
    description = f.Html("Description", since=19)
    type_tax_use = f.Selection([("sale", "Sales"), ("purchase", "Purchases"), ("none", "None")], "Tax Type",
                               required=True, default="sale")
    amount_type = f.Selection(
        [("group", "Group of Taxes"), ("fixed", "Fixed"), ("percent", "Percentage"),
         ("division", "Percentage Tax Included")],
        "Tax Computation", required=True, default="percent")
    amount = f.Float("Amount", required=True, default=0.0)
    active = f.Boolean(default=True)
    sequence = f.Integer(default=1, required=True)
    company_id = f.Many2one("res.company", "Company", required=True, default=_main_company)
    country_id = f.Many2one("res.country", "Country", default=_company_country, required=True)
    tax_group_id = f.Many2one("account.tax.group", "Tax Group", required=True, default=_default_tax_group)
    include_base_amount = f.Boolean("Affect Base of Subsequent Taxes", default=False)
    # Odoo 17 stores a boolean; 18 moved the choice to price_include_override and computes price_include.
    price_include = f.Boolean("Included in Price", default=False, until=17)
    price_include_computed = f.Boolean("Included in Price", since=18, compute="_compute_price_include",
                                       search="_search_price_include", name="price_include")
    fiscal_position_ids = f.Many2many("account.fiscal.position", "account_fiscal_position_account_tax_rel",
                                      "account_tax_id", "account_fiscal_position_id", "Fiscal Positions", since=19)
    original_tax_ids = f.Many2many("account.tax", "account_tax_original_rel", "tax_id", "original_tax_id",
                                   "Replaces", since=19)
    price_include_override = f.Selection([("tax_included", "Tax Included"), ("tax_excluded", "Tax Excluded")],
                                         "Included in Price", since=18)

    def _compute_price_include(self, ids: Sequence[int]) -> dict[int, bool]:
        return {r["id"]: r["price_include_override"] == "tax_included"
                for r in self._raw(ids, ["price_include_override"])}

    def _search_price_include(self, operator: str, value: Any) -> list:
        included = bool(value) == (operator in ("=", "in"))
        return [("price_include_override", "=" if included else "!=", "tax_included")]

    def _specs(self, ids: Sequence[int]) -> list[TaxSpec]:
        return self.env.memo(("tax_specs", tuple(sorted(ids))), lambda: self._read_specs(ids))

    def _read_specs(self, ids: Sequence[int]) -> list[TaxSpec]:
        rows = self._read(ids, ["amount_type", "amount", "price_include", "sequence"])
        ordered = sorted(rows, key=lambda r: (r["sequence"] or 0, r["id"]))
        return [TaxSpec(r["amount_type"], r["amount"] or 0.0, bool(r["price_include"]), r["id"]) for r in ordered]


class AccountFiscalPosition(Model):
    """Tax mapping per customer country. Odoo 19 keeps the position's own taxes in `tax_ids`, each naming the taxes
    it replaces in `original_tax_ids`; 17 and 18 list (source, destination) pairs in account.fiscal.position.tax."""

    _name = "account.fiscal.position"
    _description = "Fiscal Position"
    _order = "sequence, id"

    name = f.Char("Fiscal Position", required=True)
    sequence = f.Integer(default=10)
    active = f.Boolean(default=True)
    company_id = f.Many2one("res.company", "Company", required=True, default=_main_company)
    country_id = f.Many2one("res.country", "Country")
    auto_apply = f.Boolean("Detect Automatically")
    vat_required = f.Boolean("VAT required")
    note = f.Html("Notes")
    tax_pairs = f.One2many("account.fiscal.position.tax", "position_id", "Tax Mapping", until=18, name="tax_ids")
    tax_ids = f.Many2many("account.tax", "account_fiscal_position_account_tax_rel", "account_fiscal_position_id",
                          "account_tax_id", "Taxes", since=19)

    def _map_taxes(self, position_id: int | None, tax_ids: list[int]) -> list[int]:
        if not position_id:
            return tax_ids
        if self.env.profile.major <= 18:
            pairs = self.env["account.fiscal.position.tax"]
            rows = pairs._raw(pairs._search([("position_id", "=", position_id)]), ["tax_src_id", "tax_dest_id"])
            mapped: list[int] = []
            for tax in tax_ids:
                targets = [r["tax_dest_id"] for r in rows if r["tax_src_id"] == tax]
                mapped += [t for t in targets if t] if targets else [tax]
            return list(dict.fromkeys(mapped))
        own = self._read([position_id], ["tax_ids"])[0]["tax_ids"]
        if not own:
            return []  # an empty position removes every tax, as in Odoo 19
        replacements: dict[int, list[int]] = {}
        for dest in self.env["account.tax"]._read(own, ["original_tax_ids"]):
            for source in dest["original_tax_ids"]:
                replacements.setdefault(source, []).append(dest["id"])
        return list(dict.fromkeys(t for tax in tax_ids for t in replacements.get(tax, [tax])))

    def _for_partner(self, partner_id: int, delivery_id: int | None) -> int | None:
        """The position Odoo picks for an order: the partner's own, else the first auto-applied one that fits
        the delivery country (none for a partner without a country)."""
        partners = self.env["res.partner"]
        delivery_id = delivery_id or partner_id
        for candidate in (delivery_id, partner_id):
            manual = partners._raw([candidate], ["property_account_position_id"])[0]["property_account_position_id"]
            if manual:
                return manual
        partner = partners._raw([partner_id], ["country_id"])[0]
        if not partner["country_id"]:
            return None
        delivery = partners._raw([delivery_id], ["country_id", "vat"])[0]
        candidates = self.env.memo(("auto_fiscal_positions",), lambda: self._read(
            self._search([("auto_apply", "=", True)]), ["country_id", "vat_required"]))
        for position in candidates:
            if position["vat_required"] and not delivery["vat"]:
                continue
            if position["country_id"] in (None, delivery["country_id"]):
                return position["id"]
        return None


class AccountFiscalPositionTax(Model):
    _name = "account.fiscal.position.tax"
    _description = "Tax Mapping of Fiscal Position"
    _until = 18

    position_id = f.Many2one("account.fiscal.position", "Fiscal Position", required=True, ondelete="cascade")
    tax_src_id = f.Many2one("account.tax", "Tax on Product", required=True)
    tax_dest_id = f.Many2one("account.tax", "Tax to Apply")
