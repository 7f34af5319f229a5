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
        return [TaxSpec(r["amount_type"], r["amount"] or 0.0, bool(r["price_include"])) for r in ordered]


class AccountFiscalPosition(Model):
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
