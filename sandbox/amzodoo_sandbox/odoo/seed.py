"""First-start data: what a fresh Odoo database with sale_management, stock and delivery holds (the parts the
connector touches). Seeding runs once per database; the stored version guards against reopening a 17.0
database as 19.0."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pycountry
import sqlalchemy as sa

from .models.base import LANGUAGES
from .models.partner import set_password

SEED_MARK = "seeded_version"
# (code, name, symbol, rounding); rounding 1.0 where ISO 4217 has no minor unit.
CURRENCIES = [
    ("USD", "US Dollar", "$", 0.01), ("EUR", "Euro", "€", 0.01), ("GBP", "Pound Sterling", "£", 0.01),
    ("CAD", "Canadian Dollar", "$", 0.01), ("MXN", "Mexican Peso", "$", 0.01), ("BRL", "Brazilian Real", "R$", 0.01),
    ("JPY", "Japanese Yen", "¥", 1.0), ("AUD", "Australian Dollar", "$", 0.01), ("SEK", "Swedish Krona", "kr", 0.01),
    ("PLN", "Polish Zloty", "zł", 0.01), ("INR", "Indian Rupee", "₹", 0.01), ("AED", "UAE Dirham", "AED", 0.01),
    ("SAR", "Saudi Riyal", "SR", 0.01), ("TRY", "Turkish Lira", "₺", 0.01), ("SGD", "Singapore Dollar", "S$", 0.01),
    ("EGP", "Egyptian Pound", "LE", 0.01), ("CHF", "Swiss Franc", "CHF", 0.01),
    ("NZD", "New Zealand Dollar", "$", 0.01), ("ZAR", "South African Rand", "R", 0.01),
    ("CNY", "Chinese Yuan", "¥", 0.01), ("KRW", "South Korean Won", "₩", 1.0),
]
# Odoo 19's own state list (res.country.state), as scripts/odoo_states.py read it from a real Odoo 19 database.
STATES_CSV = Path(__file__).with_name("data") / "res_country_state.csv"


def _xmlid(env: Any, xmlid: str, model: str, res_id: int) -> None:
    module, _, name = xmlid.partition(".")
    env["ir.model.data"]._create([{"module": module, "name": name, "model": model, "res_id": res_id,
                                   "noupdate": True}])


def _make(env: Any, model: str, vals: dict, xmlid: str | None = None) -> int:
    record_id = env[model]._create([vals])[0]
    if xmlid:
        _xmlid(env, xmlid, model, record_id)
    return record_id


def is_seeded(env: Any) -> str | None:
    meta = env.registry.meta
    return env.conn.execute(sa.select(meta.c.value).where(meta.c.key == SEED_MARK)).scalar()


def seed(env: Any, admin_login: str, admin_password: str) -> None:
    existing = is_seeded(env)
    if existing:
        if existing != env.profile.series:
            raise ValueError(f"this database holds Odoo {existing} data; it cannot be opened as {env.profile.series}")
        return
    for name, cls in env.registry.models.items():
        env["ir.model"]._create([{"name": cls._description or name, "model": name,
                                  "transient": cls._transient}])
    env.conn.execute(env.registry.tables["res.lang"].insert(), [
        {"code": code, "name": name, "iso_code": code.split("_")[0], "url_code": code.split("_")[0], "active": active,
         "direction": "rtl" if code.startswith("ar") else "ltr"} for code, name, active in LANGUAGES])
    currencies = {code: _make(env, "res.currency", {"name": code, "full_name": full, "symbol": symbol,
                                                    "rounding": rounding, "active": code == "USD"},
                              f"base.{code}") for code, full, symbol, rounding in CURRENCIES}
    _seed_countries(env, currencies)
    company_partner = _make(env, "res.partner", {"name": "My Company", "is_company": True}, "base.main_partner")
    us = env.ref("base.us")
    # A fresh Odoo 19 database gets the generic chart of accounts, which rounds taxes globally.
    company = _make(env, "res.company", {"name": "My Company", "partner_id": company_partner, "country_id": us,
                                         "currency_id": currencies["USD"],
                                         "tax_calculation_rounding_method": "round_globally"}, "base.main_company")
    env["res.partner"]._update_rows([company_partner], {"company_id": company, "country_id": us})
    # Created in this order so that, as in Odoo, uid 1 is the superuser and uid 2 the administrator.
    _make(env, "res.users", {"name": "OdooBot", "login": "__system__", "active": False, "company_id": company},
          "base.user_root")
    admin = _make(env, "res.users", {"name": "Administrator", "login": admin_login, "company_id": company},
                  "base.user_admin")
    set_password(env, admin, admin_password)
    _seed_taxes(env, company)
    _seed_uom(env)
    _make(env, "product.category", {"name": "All"}, "product.product_category_all")
    _make(env, "product.pricelist", {"name": "Default", "currency_id": currencies["USD"], "company_id": company})
    _make(env, "crm.team", {"name": "Sales", "company_id": company}, "sales_team.team_sales_department")
    _seed_stock(env, company, company_partner)
    delivery_product = _make(env, "product.product", {
        "name": "Standard delivery", "default_code": "Delivery_007", "type": "service", "sale_ok": False,
        "purchase_ok": False, "list_price": 0.0, "taxes_id": [(6, 0, [])]}, "delivery.product_product_delivery")
    _make(env, "delivery.carrier", {"name": "Standard delivery", "fixed_price": 0.0, "sequence": 1,
                                    "delivery_type": "fixed", "product_id": delivery_product},
          "delivery.free_delivery_carrier")
    env.conn.execute(env.registry.meta.insert().values(key=SEED_MARK, value=env.profile.series))


def _seed_countries(env: Any, currencies: dict[str, int]) -> None:
    # Bulk inserts: ~250 countries and ~1000 states would otherwise dominate the start-up time.
    countries = env["res.country"]
    tables = env.registry.tables
    env.conn.execute(tables["res.country"].insert(), [
        {"name": getattr(c, "common_name", None) or c.name, "code": c.alpha_2, "zip_required": True,
         "state_required": False} for c in sorted(pycountry.countries, key=lambda c: c.alpha_2)])
    by_code = dict(env.conn.execute(sa.select(tables["res.country"].c.code, tables["res.country"].c.id)).all())
    env.conn.execute(tables["ir.model.data"].insert(), [
        {"module": "base", "name": code.lower(), "model": "res.country", "res_id": country_id, "noupdate": True}
        for code, country_id in by_code.items()])
    euro = {"AT", "BE", "DE", "ES", "FR", "IE", "IT", "NL", "PT", "FI", "GR", "LU"}
    for code, currency in (("US", "USD"), ("GB", "GBP"), ("CA", "CAD"), ("MX", "MXN"), ("JP", "JPY"),
                           ("AU", "AUD"), ("BR", "BRL"), *((c, "EUR") for c in euro)):
        countries._update_rows([by_code[code]], {"currency_id": currencies[currency]})
    _seed_states(env, by_code)
    countries._update_rows([by_code[c] for c in ("US", "CA", "MX", "BR", "AU", "IN")], {"state_required": True})


def odoo_states() -> list[dict[str, str]]:
    """Odoo 19's states: country_code, code, name and xml_id, in Odoo's id order."""
    with STATES_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _seed_states(env: Any, country_ids: dict[str, int]) -> None:
    rows = odoo_states()
    table = env.registry.tables["res.country.state"]
    env.conn.execute(table.insert(), [{"country_id": country_ids[row["country_code"]], "code": row["code"],
                                       "name": row["name"]} for row in rows])
    ids = env.conn.execute(sa.select(table.c.id).order_by(table.c.id)).scalars().all()
    env.conn.execute(env.registry.tables["ir.model.data"].insert(), [
        {"module": row["xml_id"].partition(".")[0], "name": row["xml_id"].partition(".")[2],
         "model": "res.country.state", "res_id": state_id, "noupdate": True}
        for row, state_id in zip(rows, ids, strict=True) if row["xml_id"]])


def _seed_taxes(env: Any, company: int) -> None:
    """The generic chart's taxes: 15% and 0% for sales and purchases, 15% as the company defaults."""
    high = _make(env, "account.tax.group", {"name": "Tax 15%", "company_id": company})
    zero = _make(env, "account.tax.group", {"name": "Tax 0%", "company_id": company})
    sale = _make(env, "account.tax", {"name": "15%", "amount": 15.0, "type_tax_use": "sale", "tax_group_id": high})
    purchase = _make(env, "account.tax", {"name": "15%", "amount": 15.0, "type_tax_use": "purchase",
                                          "tax_group_id": high})
    exports = _make(env, "account.tax", {"name": "0% Exports", "amount": 0.0, "type_tax_use": "sale",
                                         "tax_group_id": zero})
    imports = _make(env, "account.tax", {"name": "0% Imports", "amount": 0.0, "type_tax_use": "purchase",
                                         "tax_group_id": zero})
    env["res.company"]._update_rows([company], {"account_sale_tax_id": sale, "account_purchase_tax_id": purchase})
    # The generic chart's positions: Domestic for the company's country, Foreign Trade (15% -> 0%) elsewhere.
    domestic = {"name": "Domestic", "auto_apply": True, "sequence": 10, "country_id": env.ref("base.us")}
    foreign = {"name": "Foreign Trade", "auto_apply": True, "sequence": 20}
    if env.profile.major >= 19:
        env["account.tax"]._write([exports], {"original_tax_ids": [(6, 0, [sale])]})
        env["account.tax"]._write([imports], {"original_tax_ids": [(6, 0, [purchase])]})
        _make(env, "account.fiscal.position", {**domestic, "tax_ids": [(6, 0, [sale, purchase])]})
        _make(env, "account.fiscal.position", {**foreign, "tax_ids": [(6, 0, [exports, imports])]})
    else:
        _make(env, "account.fiscal.position", domestic)
        _make(env, "account.fiscal.position", {**foreign, "tax_ids": [
            (0, 0, {"tax_src_id": sale, "tax_dest_id": exports}),
            (0, 0, {"tax_src_id": purchase, "tax_dest_id": imports})]})


def _seed_uom(env: Any) -> None:
    if env.profile.major <= 18:
        unit_cat = _make(env, "uom.category", {"name": "Unit"}, "uom.product_uom_categ_unit")
        weight_cat = _make(env, "uom.category", {"name": "Weight"}, "uom.product_uom_categ_kgm")
        _make(env, "uom.uom", {"name": "Units", "category_id": unit_cat, "factor": 1.0, "uom_type": "reference"},
              "uom.product_uom_unit")
        _make(env, "uom.uom", {"name": "Dozens", "category_id": unit_cat, "factor": 1 / 12, "uom_type": "bigger"},
              "uom.product_uom_dozen")
        _make(env, "uom.uom", {"name": "kg", "category_id": weight_cat, "factor": 1.0, "uom_type": "reference"},
              "uom.product_uom_kgm")
        return
    unit = _make(env, "uom.uom", {"name": "Units", "relative_factor": 1.0}, "uom.product_uom_unit")
    _make(env, "uom.uom", {"name": "Dozens", "relative_factor": 12.0, "relative_uom_id": unit},
          "uom.product_uom_dozen")
    _make(env, "uom.uom", {"name": "kg", "relative_factor": 1.0}, "uom.product_uom_kgm")


def _seed_stock(env: Any, company: int, company_partner: int) -> None:
    _make(env, "stock.location", {"name": "Vendors", "usage": "supplier"}, "stock.stock_location_suppliers")
    customers = _make(env, "stock.location", {"name": "Customers", "usage": "customer"},
                      "stock.stock_location_customers")
    virtual = _make(env, "stock.location", {"name": "Virtual Locations", "usage": "view"},
                    "stock.stock_location_locations_virtual")
    _make(env, "stock.location", {"name": "Inventory adjustment", "usage": "inventory", "location_id": virtual,
                                  "company_id": company}, "stock.stock_location_inventory")
    physical = _make(env, "stock.location", {"name": "Physical Locations", "usage": "view"},
                     "stock.stock_location_locations")
    view = _make(env, "stock.location", {"name": "WH", "usage": "view", "location_id": physical,
                                         "company_id": company})
    stock = _make(env, "stock.location", {"name": "Stock", "usage": "internal", "location_id": view,
                                          "company_id": company}, "stock.stock_location_stock")
    warehouse = _make(env, "stock.warehouse", {"name": "My Company", "code": "WH", "company_id": company,
                                               "partner_id": company_partner, "view_location_id": view,
                                               "lot_stock_id": stock}, "stock.warehouse0")
    incoming = _make(env, "stock.picking.type", {
        "name": "Receipts", "code": "incoming", "sequence_code": "IN", "warehouse_id": warehouse,
        "company_id": company, "default_location_src_id": env.ref("stock.stock_location_suppliers"),
        "default_location_dest_id": stock}, "stock.picking_type_in")
    outgoing = _make(env, "stock.picking.type", {
        "name": "Delivery Orders", "code": "outgoing", "sequence_code": "OUT", "warehouse_id": warehouse,
        "company_id": company, "default_location_src_id": stock, "default_location_dest_id": customers},
        "stock.picking_type_out")
    env["stock.warehouse"]._update_rows([warehouse], {"in_type_id": incoming, "out_type_id": outgoing})
