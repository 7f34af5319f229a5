"""Technical and reference models: ir.model, ir.model.data, company, currency, country and state."""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence

from ..exceptions import ValidationError
from ..orm import fields as f
from ..orm.model import Model, rpc_model

# A fresh database has English only; the others exist inactive, as Odoo lists every language it knows.
LANGUAGES = [("en_US", "English (US)", True), ("en_GB", "English (UK)", False), ("fr_FR", "French / Français", False),
             ("de_DE", "German / Deutsch", False), ("es_ES", "Spanish / Español", False),
             ("it_IT", "Italian / Italiano", False), ("nl_NL", "Dutch / Nederlands", False),
             ("pl_PL", "Polish / Język polski", False), ("sv_SE", "Swedish / Svenska", False),
             ("ja_JP", "Japanese / 日本語", False), ("es_MX", "Spanish (MX) / Español (MX)", False),
             ("pt_BR", "Portuguese (BR) / Português (BR)", False), ("tr_TR", "Turkish / Türkçe", False),
             ("ar_001", "Arabic / الْعَرَبيّة", False)]
# Partners may only use installed (active) languages; time zones are the tz database's, without its pseudo-zones.
LANGUAGE_CHOICES = [(code, name) for code, name, active in LANGUAGES if active]
TIMEZONE_CHOICES = [(zone, zone) for zone in sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})]


class IrModel(Model):
    _name = "ir.model"
    _description = "Models"
    _order = "model"

    name = f.Char("Model Description", required=True)
    model = f.Char("Model", required=True, index=True)
    transient = f.Boolean("Transient Model")


class IrModelData(Model):
    _name = "ir.model.data"
    _description = "Model Data"
    _rec_name = "name"
    _order = "module, model, name"

    name = f.Char("External Identifier", required=True, index=True)
    module = f.Char("Module", required=True, index=True, default="")
    model = f.Char("Model Name", required=True, index=True)
    res_id = f.ManyToOneReference("Record ID", index=True)
    noupdate = f.Boolean("Non Updatable")
    complete_name = f.Char("Complete ID", compute="_compute_complete_name")
    reference = f.Char("Reference", compute="_compute_reference")

    def _compute_complete_name(self, ids: Sequence[int]) -> dict[int, str]:
        return {r["id"]: f"{r['module']}.{r['name']}" if r["module"] else r["name"]
                for r in self._raw(ids, ["module", "name"])}

    def _compute_reference(self, ids: Sequence[int]) -> dict[int, str]:
        return {r["id"]: f"{r['model']},{r['res_id']}" for r in self._raw(ids, ["model", "res_id"])}

    def _compute_display_name(self, ids: Sequence[int]) -> dict[int, str]:
        """Odoo shows the target record's name."""
        rows = self._raw(ids, ["model", "res_id", "module", "name"])
        out = {}
        for row in rows:
            target = self.env.registry.models.get(row["model"])
            names = self.env[row["model"]]._compute_display_name([row["res_id"]]) if target and row["res_id"] else {}
            out[row["id"]] = names.get(row["res_id"]) or f"{row['module']}.{row['name']}"
        return out

    def _create(self, vals_list: list[dict]) -> list[int]:
        for vals in vals_list:
            module, name = vals.get("module") or "", vals.get("name")
            if self._search([("module", "=", module), ("name", "=", name)], limit=1):
                raise ValidationError(
                    "The operation cannot be completed: duplicate key value violates unique constraint "
                    '"ir_model_data_module_name_uniq_index"\n'
                    f"DETAIL:  Key (module, name)=({module}, {name}) already exists.\n")
        return super()._create(vals_list)

    def _lookup(self, xmlid: str) -> tuple[str, int]:
        module, _, name = xmlid.partition(".")
        rows = self._search([("module", "=", module), ("name", "=", name)], limit=1)
        if not rows:
            raise ValueError(f"External ID not found in the system: {xmlid}")
        row = self._raw(rows, ["model", "res_id"])[0]
        return row["model"], row["res_id"]

    @rpc_model
    def check_object_reference(self, module: str, xml_id: str, raise_on_access_error: bool = False) -> list:
        model, res_id = self._lookup(f"{module}.{xml_id}")
        return [model, res_id]


class ResCurrency(Model):
    _name = "res.currency"
    _description = "Currency"
    _order = "active desc, name"

    name = f.Char("Currency", required=True)
    full_name = f.Char("Name")
    symbol = f.Char("Symbol", required=True, default="¤")
    rounding = f.Float("Rounding Factor", default=0.01)
    decimal_places = f.Integer("Decimal Places", compute="_compute_decimal_places")
    position = f.Selection([("after", "After Amount"), ("before", "Before Amount")], default="after")
    active = f.Boolean("Active", default=True)

    def _rounding(self, currency_id: int) -> float:
        return self.env.memo(("currency_rounding", currency_id),
                             lambda: self._raw([currency_id], ["rounding"])[0]["rounding"] or 0.01)

    def _compute_decimal_places(self, ids: Sequence[int]) -> dict[int, int]:
        out = {}
        for row in self._raw(ids, ["rounding"]):
            rounding = row["rounding"] or 0.01
            out[row["id"]] = max(0, len(f"{rounding:.10f}".rstrip("0").split(".")[1])) if rounding < 1 else 0
        return out


class ResCountry(Model):
    _name = "res.country"
    _description = "Country"
    _order = "name"

    name = f.Char("Country Name", required=True)
    code = f.Char("Country Code", index=True, required=True)
    currency_id = f.Many2one("res.currency", "Currency")
    phone_code = f.Integer("Country Calling Code")
    state_ids = f.One2many("res.country.state", "country_id", "States")
    state_required = f.Boolean(default=False)
    zip_required = f.Boolean(default=True)

    def _name_search_domain(self, name: str, operator: str) -> list:
        if len(name) == 2 and operator in ("ilike", "=ilike", "="):
            return ["|", ("code", "=ilike", name), ("name", operator, name)]
        return [(self._rec_name, operator, name)]


class ResCountryState(Model):
    _name = "res.country.state"
    _description = "Country state"
    _order = "code"

    country_id = f.Many2one("res.country", "Country", required=True, ondelete="cascade")
    name = f.Char("State Name", required=True)
    code = f.Char("State Code", required=True, index=True)

    def _compute_display_name(self, ids: Sequence[int]) -> dict[int, str]:
        rows = self._raw(ids, ["name", "country_id"])
        countries = self.env["res.country"]
        codes = {r["id"]: r["code"] for r in countries._raw({r["country_id"] for r in rows}, ["code"])}
        return {r["id"]: f"{r['name']} ({codes.get(r['country_id'], '')})" for r in rows}

    def _name_search_domain(self, name: str, operator: str) -> list:
        return ["|", ("code", "=ilike", name), ("name", operator, name)]


class ResLang(Model):
    _name = "res.lang"
    _description = "Languages"
    _order = "active desc, name"

    name = f.Char("Name", required=True)
    code = f.Char("Locale Code", required=True, index=True)
    iso_code = f.Char("ISO code")
    url_code = f.Char("URL Code", required=True)
    active = f.Boolean(default=False)
    direction = f.Selection([("ltr", "Left-to-Right"), ("rtl", "Right-to-Left")], "Direction", default="ltr",
                            required=True)


class ResCompany(Model):
    _name = "res.company"
    _description = "Companies"
    _order = "sequence, name"

    name = f.Char("Company Name", required=True)
    sequence = f.Integer(default=10)
    partner_id = f.Many2one("res.partner", "Partner", required=True)
    currency_id = f.Many2one("res.currency", "Currency", required=True)
    country_id = f.Many2one("res.country", "Country")
    email = f.Char()
    phone = f.Char()
    vat = f.Char("Tax ID")
    tax_calculation_rounding_method = f.Selection(
        [("round_per_line", "Round per Line"), ("round_globally", "Round Globally")],
        "Tax Calculation Rounding Method", default="round_per_line")
    # stock_sms is auto-installed with stock: deliveries to a partner with a phone ask about an SMS first.
    stock_text_confirmation = f.Boolean("Stock Text Confirmation", default=True)
    stock_confirmation_type = f.Selection([("email", "Email"), ("sms", "SMS")], "Confirmation Type", default="sms")
    has_received_warning_stock_sms = f.Boolean("Has Received Warning Stock SMS", default=False)
    account_sale_tax_id = f.Many2one("account.tax", "Default Sale Tax")
    account_purchase_tax_id = f.Many2one("account.tax", "Default Purchase Tax")
    account_price_include = f.Selection(
        [("tax_included", "Tax Included"), ("tax_excluded", "Tax Excluded")], "Default Sales Price Include",
        default="tax_excluded", since=18, required=True)
    active = f.Boolean(default=True)
