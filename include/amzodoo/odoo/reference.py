"""The Odoo records every load needs, found (or created once) and cached for the run.

Products for shipping, gift wrap, promotions and the fallback "Amazon Sale", the sales team, the FBA warehouse,
pricelists per currency (an order's currency comes from its pricelist), taxes per rate, countries and states.
Everything is looked up in a few batched calls; creation only happens the first time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from amzodoo.config.model import OdooSettings
from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.versions import OdooDialect
from amzodoo.transform.regions import resolve_state

SERVICE_PRODUCTS = {
    "default": "Amazon Sale",
    "shipping": "Amazon Shipping",
    "gift_wrap": "Amazon Gift Wrap",
    "promotion": "Amazon Promotion",
}


class ReferenceDataError(RuntimeError):
    """Odoo lacks something the configuration names (a warehouse, a company, a user)."""


@dataclass
class OdooReferences:
    company_id: int
    warehouse_id: int
    stock_location_id: int
    fba_warehouse_id: int
    fba_location_id: int  # the FBA warehouse's Stock location, mirroring Amazon's fulfillable quantities
    team_id: int
    user_id: int | None
    products: dict[str, int]  # role (default/shipping/gift_wrap/promotion) -> product.product id
    dialect: OdooDialect
    pricelists: dict[str, int] = field(default_factory=dict)  # currency code -> pricelist id
    countries: dict[str, int] = field(default_factory=dict)  # ISO code -> res.country id
    states: dict[tuple[str, str], int] = field(default_factory=dict)  # (country code, Amazon's region) -> id
    state_lists: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)  # country -> (id, code, name)
    unmatched_regions: set[tuple[str, str]] = field(default_factory=set)  # (country, region) no state matched
    taxes: dict[tuple[str, bool], int] = field(default_factory=dict)  # (rate, included) -> account.tax id


def _one(client: OdooClient, model: str, domain: list, fields: list[str], what: str) -> dict[str, Any]:
    rows = client.search_read(model, domain, fields, limit=1)
    if not rows:
        raise ReferenceDataError(f"Odoo has no {what}; check the connector configuration")
    return rows[0]


def company_tax_rounding(client: OdooClient, settings: OdooSettings) -> str:
    """round_per_line or round_globally: how the company's taxes are rounded (Odoo 19 defaults to global)."""
    domain = [("name", "=", settings.company)] if settings.company else []
    row = _one(client, "res.company", domain, ["tax_calculation_rounding_method"], "company")
    return row.get("tax_calculation_rounding_method") or "round_per_line"


def load_references(client: OdooClient, settings: OdooSettings) -> OdooReferences:
    dialect = OdooDialect(client.major_version)
    if settings.company:
        company_id = _one(client, "res.company", [("name", "=", settings.company)], ["id"],
                          f"company named {settings.company!r}")["id"]
    else:
        # Single-company databases: the main company (the lowest id).
        company_id = _one(client, "res.company", [], ["id"], "company")["id"]
    warehouse = _one(client, "stock.warehouse", [("code", "=", settings.warehouse), ("company_id", "=", company_id)],
                     ["id", "lot_stock_id"], f"warehouse with code {settings.warehouse!r}")
    stock_location_id = warehouse["lot_stock_id"][0]
    fba_warehouse = _fba_warehouse(client, settings, company_id)
    team_id = _ensure(client, "crm.team", [("name", "=", settings.sales_team)],
                      {"name": settings.sales_team, "company_id": company_id})
    user_id = None
    if settings.salesperson:
        user_id = _one(client, "res.users", [("login", "=", settings.salesperson)], ["id"],
                       f"user with login {settings.salesperson!r}")["id"]
    return OdooReferences(company_id, warehouse["id"], stock_location_id, fba_warehouse["id"],
                          fba_warehouse["lot_stock_id"][0], team_id, user_id,
                          _service_products(client, settings, dialect), dialect)


def _fba_warehouse(client: OdooClient, settings: OdooSettings, company_id: int) -> dict[str, Any]:
    """The account's FBA warehouse, created the first time (Odoo builds its locations and operation types).

    FBA orders are confirmed on it, so Odoo makes their deliveries from its Stock location — the one the FBA stock
    mirror fills — and the connector only has to validate them.
    """
    domain = [("code", "=", settings.fba_warehouse), ("company_id", "=", company_id)]
    rows = client.search_read("stock.warehouse", domain, ["id", "lot_stock_id"], limit=1)
    if not rows:
        client.create("stock.warehouse", [{"name": f"Amazon FBA ({settings.fba_warehouse})",
                                           "code": settings.fba_warehouse, "company_id": company_id}])
        rows = client.search_read("stock.warehouse", domain, ["id", "lot_stock_id"], limit=1)
    return rows[0]


def _ensure(client: OdooClient, model: str, domain: list, values: dict[str, Any]) -> int:
    rows = client.search_read(model, domain, ["id"], limit=1)
    return rows[0]["id"] if rows else client.create(model, [values])[0]


def _service_products(client: OdooClient, settings: OdooSettings, dialect: OdooDialect) -> dict[str, int]:
    refs = {role: getattr(settings.products, role) for role in SERVICE_PRODUCTS}
    found = {
        row["default_code"]: row["id"]
        for row in client.search_read_in("product.product", "default_code", refs.values(), ["default_code"])
    }
    missing = [(role, code) for role, code in refs.items() if code not in found]
    if missing:
        # The fallback product carries goods (it can be delivered); the others are services.
        values = [
            {"name": SERVICE_PRODUCTS[role], "default_code": code, "list_price": 0.0, "sale_ok": True,
             **({"type": "consu"} if role == "default" else {"type": "service"})}
            for role, code in missing
        ]
        for (_, code), new_id in zip(missing, client.create("product.product", values), strict=True):
            found[code] = new_id
    return {role: found[code] for role, code in refs.items()}


def ensure_pricelists(client: OdooClient, refs: OdooReferences, currencies: set[str]) -> None:
    """A pricelist per order currency (Odoo takes an order's currency from its pricelist)."""
    wanted = sorted(c for c in currencies if c not in refs.pricelists)
    if not wanted:
        return
    currency_rows = client.search_read("res.currency", [("name", "in", wanted)], ["name", "active"],
                                       context={"active_test": False})
    ids = {row["name"]: row["id"] for row in currency_rows}
    unknown = [c for c in wanted if c not in ids]
    if unknown:
        raise ReferenceDataError(f"Odoo has no currency {', '.join(unknown)}")
    inactive = [row["id"] for row in currency_rows if not row["active"]]
    if inactive:
        client.write("res.currency", inactive, {"active": True})
    names = {f"Amazon {c}": c for c in wanted}
    existing = client.search_read("product.pricelist", [("name", "in", list(names))], ["name"],
                                  context={"active_test": False})
    for row in existing:
        refs.pricelists[names[row["name"]]] = row["id"]
    create = [c for c in wanted if c not in refs.pricelists]
    if create:
        new_ids = client.create("product.pricelist", [
            {"name": f"Amazon {c}", "currency_id": ids[c], "company_id": refs.company_id} for c in create
        ])
        refs.pricelists.update(zip(create, new_ids, strict=True))


def ensure_geography(client: OdooClient, refs: OdooReferences, pairs: set[tuple[str, str | None]]) -> None:
    """Country ids by ISO code, and the state each (country, region as Amazon sent it) names in Odoo.

    A country's whole state list is read once per run (one call for the batch's new countries): Amazon sends
    codes, local or English names, counties or provinces, and only Odoo's own list tells which state they mean.
    """
    codes = sorted({c for c, _ in pairs if c and c not in refs.countries})
    if codes:
        for row in client.search_read("res.country", [("code", "in", codes)], ["code"]):
            refs.countries[row["code"]] = row["id"]
    unread = {refs.countries[c]: c for c, s in pairs if c and s and c in refs.countries and c not in refs.state_lists}
    if unread:
        for country in unread.values():
            refs.state_lists[country] = []
        for row in client.search_read("res.country.state", [("country_id", "in", sorted(unread))],
                                      ["code", "name", "country_id"]):
            refs.state_lists[unread[row["country_id"][0]]].append((row["id"], row["code"], row["name"]))
    for country, region in pairs:
        if not region or country not in refs.state_lists or (country, region) in refs.states:
            continue
        states = refs.state_lists[country]
        code = resolve_state(country, region, [(state_code, name) for _, state_code, name in states])
        if code is not None:
            refs.states[(country, region)] = next(i for i, state_code, _ in states if state_code == code)
        elif states:  # where Odoo has no states (FR, SG) there is nothing to match
            refs.unmatched_regions.add((country, region))


def region_note_lines(refs: OdooReferences, order: dict[str, Any], lines: list[dict[str, Any]]) -> list[dict]:
    """Note lines for the order saying which region matched no Odoo state: its address loads without one."""
    unmatched = []
    for values in (order["partner"], order.get("shipping_partner") or {}):
        key = (values.get("country_code"), values.get("state_code"))
        if key in refs.unmatched_regions and key not in unmatched:
            unmatched.append(key)
    last = max((line["sequence"] for line in lines), default=0)
    return [{"display_type": "line_note", "name": f"Amazon region '{region}' ({country}) not matched to an Odoo state",
             "sequence": last + 10 * n} for n, (country, region) in enumerate(unmatched, start=1)]


def tax_name(rate: Decimal, included: bool) -> str:
    return f"Amazon {rate.normalize():f}% {'incl.' if included else 'excl.'}"


def ensure_taxes(client: OdooClient, refs: OdooReferences, wanted: set[tuple[Decimal, bool]]) -> None:
    """Sale taxes per (rate, included), named so that they are found again: "Amazon 8.875% excl."."""
    keys = {(str(rate.normalize()), inc): tax_name(rate, inc) for rate, inc in wanted}
    keys = {k: v for k, v in keys.items() if k not in refs.taxes}
    if not keys:
        return
    rows = client.search_read("account.tax", [("name", "in", sorted(keys.values())), ("type_tax_use", "=", "sale"),
                                              ("company_id", "=", refs.company_id)],
                              ["name", "amount", refs.dialect.tax_inclusion_field])
    by_name = {row["name"]: row["id"] for row in rows}
    missing = [(key, name) for key, name in keys.items() if name not in by_name]
    if missing:
        new_ids = client.create("account.tax", [
            {"name": name, "amount": float(Decimal(key[0])), "amount_type": "percent", "type_tax_use": "sale",
             "company_id": refs.company_id, **refs.dialect.tax_inclusion(key[1])}
            for key, name in missing
        ])
        by_name.update({name: new_id for (_, name), new_id in zip(missing, new_ids, strict=True)})
    for key, name in keys.items():
        refs.taxes[key] = by_name[name]
