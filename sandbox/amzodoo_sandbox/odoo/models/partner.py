"""res.partner with its address children, res.users (delegating to a partner, as Odoo does) and crm.team."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ..exceptions import ValidationError
from ..orm import fields as f
from ..orm.model import Model, rpc_model, rpc_records
from .base import LANGUAGE_CHOICES, TIMEZONE_CHOICES

# A nameless address shows its type's label, as in Odoo ("Acme, Delivery").
ADDRESS_LABELS = {"invoice": "Invoice", "delivery": "Delivery", "other": "Other"}
ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")
PARTNER_TYPES = [("contact", "Contact"), ("invoice", "Invoice"), ("delivery", "Delivery"), ("other", "Other")]


def _company_id(env: Any) -> int:
    return env.ref("base.main_company")


class ResPartner(Model):
    _name = "res.partner"
    _description = "Contact"
    _order = "complete_name, id"

    name = f.Char("Name", index=True)
    complete_name = f.Char("Complete Name", index=True)
    type = f.Selection(PARTNER_TYPES, "Address Type", default="contact")
    parent_id = f.Many2one("res.partner", "Related Company")
    child_ids = f.One2many("res.partner", "parent_id", "Contact")
    is_company = f.Boolean("Is a Company", default=False)
    company_type = f.Selection([("person", "Individual"), ("company", "Company")], "Company Type",
                               compute="_compute_company_type", search="_search_company_type")
    commercial_partner_id = f.Many2one("res.partner", "Commercial Entity")
    company_name = f.Char("Company Name")
    # Stored compute in Odoo: the commercial entity's name when it is a company, else company_name. Odoo prints it
    # above every address of the company's tree (delivery slips, invoices).
    commercial_company_name = f.Char("Company Name Entity")
    ref = f.Char("Reference", index=True)
    lang = f.Selection(LANGUAGE_CHOICES, "Language", default="en_US")
    tz = f.Selection(TIMEZONE_CHOICES, "Timezone")
    vat = f.Char("Tax ID", index=True)
    website = f.Char("Website Link")
    comment = f.Html("Notes")
    function = f.Char("Job Position")
    street = f.Char()
    street2 = f.Char()
    zip = f.Char()
    city = f.Char()
    state_id = f.Many2one("res.country.state", "State", ondelete="restrict")
    country_id = f.Many2one("res.country", "Country", ondelete="restrict")
    country_code = f.Char("Country Code", compute="_compute_country_code")
    email = f.Char()
    phone = f.Char()
    mobile = f.Char(until=18)
    active = f.Boolean(default=True)
    company_id = f.Many2one("res.company", "Company", index=True)
    user_id = f.Many2one("res.users", "Salesperson")
    customer_rank = f.Integer(default=0)
    supplier_rank = f.Integer(default=0)
    property_product_pricelist = f.Many2one("product.pricelist", "Pricelist")
    property_account_position_id = f.Many2one("account.fiscal.position", "Fiscal Position")

    def _compute_company_type(self, ids: Sequence[int]) -> dict[int, str]:
        return {r["id"]: "company" if r["is_company"] else "person" for r in self._raw(ids, ["is_company"])}

    def _search_company_type(self, operator: str, value: Any) -> list:
        wanted = value == "company"
        return [("is_company", "=" if operator == "=" else "!=", wanted)]

    def _compute_country_code(self, ids: Sequence[int]) -> dict[int, Any]:
        rows = self._raw(ids, ["country_id"])
        codes = {r["id"]: r["code"] for r in self.env["res.country"]._raw(
            {r["country_id"] for r in rows if r["country_id"]}, ["code"])}
        return {r["id"]: codes.get(r["country_id"], False) for r in rows}

    def _compute_display_name(self, ids: Sequence[int]) -> dict[int, str]:
        rows = self._raw(ids, ["complete_name"])
        return {r["id"]: r["complete_name"] or "" for r in rows}

    def _name_search_domain(self, name: str, operator: str) -> list:
        return ["|", "|", ("complete_name", operator, name), ("email", operator, name), ("ref", operator, name)]

    def _search_display_name(self, operator: str, value: Any) -> list:
        return [("complete_name", operator, value)]

    @staticmethod
    def _normalise(vals: dict) -> dict:
        vals = dict(vals)
        if "company_type" in vals:
            vals["is_company"] = vals.pop("company_type") == "company"
        return vals

    def _create(self, vals_list: list[dict]) -> list[int]:
        prepared = []
        for vals in vals_list:
            vals = self._normalise(vals)
            if vals.get("parent_id"):
                vals["company_name"] = False  # Odoo drops it: a child's company is its parent's
                # Children inherit the commercial fields of their parent, as Odoo's _fields_sync does.
                parent = self._raw([vals["parent_id"]], ["lang", "company_id", "vat"])
                for key in ("lang", "company_id", "vat"):
                    if parent and key not in vals and parent[0][key]:
                        vals[key] = parent[0][key]
            prepared.append(vals)
        ids = super()._create(prepared)
        for partner_id, vals in zip(ids, prepared, strict=True):
            self._sync_address(partner_id, vals)
        self._recompute_names(ids)
        return ids

    def _write(self, ids: list[int], vals: dict) -> None:
        vals = self._normalise(vals)
        if vals.get("parent_id"):
            vals["company_name"] = False
        if vals.get("parent_id") and vals["parent_id"] in self._search([("id", "child_of", ids)],
                                                                        active_test=False):
            raise ValidationError("You cannot create recursive Partner hierarchies.")
        super()._write(ids, vals)
        for partner_id in ids:
            self._sync_address(partner_id, vals)
        if {"name", "parent_id", "is_company", "type", "company_name"} & set(vals):
            children = self._search([("parent_id", "child_of", ids)], active_test=False)
            self._recompute_names(children)

    def _address(self, partner_id: int) -> dict:
        return {k: v for k, v in self._raw([partner_id], list(ADDRESS_FIELDS))[0].items() if k != "id"}

    def _sync_address(self, partner_id: int, vals: dict) -> None:
        """Odoo keeps a contact-type child's address equal to its parent's, in both directions.

        A contact child takes its parent's address when the parent has one; if the parent has none, or the child's
        address is then written, the child's address goes up to the parent; a parent's new address goes down to its
        contact children. Delivery, invoice and other addresses keep their own.
        """
        row = self._raw([partner_id], ["parent_id", "type"])[0]
        if row["parent_id"] and row["type"] == "contact":
            if vals.get("parent_id") or vals.get("type") == "contact":
                parent_address = self._address(row["parent_id"])
                if any(parent_address.values()):
                    self._update_rows([partner_id], parent_address)
            mine = self._address(partner_id)
            touched = "parent_id" in vals or any(k in vals for k in ADDRESS_FIELDS)
            if touched and mine != self._address(row["parent_id"]):
                self._write([row["parent_id"]], mine)
        changed = {k: vals[k] for k in ADDRESS_FIELDS if k in vals}
        if changed:
            contacts = self._search([("parent_id", "=", partner_id), ("type", "=", "contact")], active_test=False)
            self._update_rows(contacts, self._address(partner_id))

    def _recompute_names(self, ids: list[int]) -> None:
        """complete_name and commercial_partner_id are stored computes in Odoo; keep them current here."""
        for row in self._read(ids, ["name", "parent_id", "is_company", "type", "company_name"]):
            name = row["name"] or ""
            commercial = row["id"]
            if row["parent_id"]:
                parent = self._raw([row["parent_id"]], ["name", "commercial_partner_id", "is_company"])[0]
                parent_commercial = parent["commercial_partner_id"] or parent["id"]
                if not row["is_company"]:
                    commercial = parent_commercial
                if not name and row["type"] in ADDRESS_LABELS:
                    name = ADDRESS_LABELS[row["type"]]
                if not row["is_company"]:
                    # Odoo prefixes the commercial company's name when there is one, else the parent's.
                    owner = self._raw([parent_commercial], ["name", "is_company"])[0]
                    prefix = owner["name"] if owner["is_company"] else parent["name"]
                    name = f"{prefix or ''}, {name}"
            owner = self._raw([commercial], ["name", "is_company"])[0]
            self._update_rows([row["id"]], {
                "complete_name": name.strip(), "commercial_partner_id": commercial,
                "commercial_company_name": owner["name"] if owner["is_company"] else row["company_name"] or False})

    @rpc_records
    def address_get(self, ids: Sequence[int], adr_pref: Sequence[str] | None = None) -> dict[str, int]:
        """The first child of each wanted type, else the partner itself (Odoo walks the whole tree)."""
        wanted = [*list(adr_pref or []), "contact"]
        partner_id = next(iter(ids)) if ids else False
        result: dict[str, Any] = {}
        if partner_id:
            children = self._read(self._search([("id", "child_of", [partner_id])]), ["type"])
            for kind in wanted:
                match = None if kind == "contact" else next((c["id"] for c in children if c["type"] == kind), None)
                result[kind] = match or partner_id
        else:
            result = dict.fromkeys(wanted, False)
        return result


class ResUsers(Model):
    _name = "res.users"
    _description = "User"
    _order = "name, login"
    _rec_name = "name"
    _inherits = {"res.partner": "partner_id"}

    partner_id = f.Many2one("res.partner", "Related Partner", required=True, ondelete="restrict")
    login = f.Char("Login", required=True, index=True)
    active = f.Boolean(default=True)
    share = f.Boolean("Share User", default=False)
    company_id = f.Many2one("res.company", "Company", required=True, default=_company_id)
    company_ids = f.Many2many("res.company", "res_company_users_rel", "user_id", "cid", "Companies")

    def _compute_display_name(self, ids: Sequence[int]) -> dict[int, str]:
        rows = self._read(ids, ["name"])
        return {r["id"]: r["name"] or "" for r in rows}

    def _name_search_domain(self, name: str, operator: str) -> list:
        return ["|", ("login", operator, name), ("name", operator, name)]

    def _create(self, vals_list: list[dict]) -> list[int]:
        passwords = [vals.get("password") for vals in vals_list]
        clean = [{k: v for k, v in vals.items() if k != "password"} for vals in vals_list]
        ids = super()._create(clean)
        for user_id, password in zip(ids, passwords, strict=True):
            if password:
                set_password(self.env, user_id, password)
        return ids

    def _write(self, ids: list[int], vals: dict) -> None:
        vals = dict(vals)
        password = vals.pop("password", None)
        super()._write(ids, vals)
        for user_id in ids if password else []:
            set_password(self.env, user_id, password)

    def _check_vals(self, vals: dict) -> None:
        super()._check_vals({k: v for k, v in vals.items() if k != "password"})

    @rpc_model
    def context_get(self) -> dict:
        row = self._read([self.env.uid], ["lang", "tz"])
        if not row:
            return {}
        return {"lang": row[0]["lang"] or "en_US", "tz": row[0]["tz"] or False}


class CrmTeam(Model):
    _name = "crm.team"
    _description = "Sales Team"
    _order = "sequence, name"

    name = f.Char("Sales Team", required=True)
    sequence = f.Integer(default=10)
    active = f.Boolean(default=True)
    company_id = f.Many2one("res.company", "Company")
    user_id = f.Many2one("res.users", "Team Leader")


# Credentials are kept out of the models so that no read or search can return them.
def _hash(secret: str, salt: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, 10_000).hex()


def set_password(env: Any, user_id: int, password: str) -> None:
    table = env.registry.meta
    salt = secrets.token_bytes(8)
    key = f"password:{user_id}"
    env.conn.execute(table.delete().where(table.c.key == key))
    env.conn.execute(table.insert().values(key=key, value=f"{salt.hex()}:{_hash(password, salt)}"))


def check_password(env: Any, user_id: int, password: str) -> bool:
    table = env.registry.meta
    stored = env.conn.execute(sa.select(table.c.value).where(table.c.key == f"password:{user_id}")).scalar()
    if not stored or not password:
        return False
    salt, digest = stored.split(":")
    return hmac.compare_digest(digest, _hash(password, bytes.fromhex(salt)))


def new_api_key(env: Any, user_id: int, name: str) -> str:
    # Odoo's keys are 40 hex characters; we keep the shape and only ever store a hash.
    key = secrets.token_hex(20)
    env.conn.execute(env.registry.api_keys.insert().values(
        user_id=user_id, key_hash=hashlib.sha256(key.encode()).hexdigest(), name=name))
    return key


def user_for_api_key(env: Any, key: str) -> int | None:
    table = env.registry.api_keys
    digest = hashlib.sha256(key.encode()).hexdigest()
    return env.conn.execute(sa.select(table.c.user_id).where(table.c.key_hash == digest)).scalar()
