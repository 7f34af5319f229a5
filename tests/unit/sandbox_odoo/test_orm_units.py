"""ORM internals: x2many command normalisation, version profiles, seeds, read/write contracts."""

from __future__ import annotations

import pytest

from amzodoo_sandbox.odoo.exceptions import MissingError, ValidationError
from amzodoo_sandbox.odoo.orm.commands import normalise
from amzodoo_sandbox.odoo.orm.registry import Env
from amzodoo_sandbox.odoo.versions import profile_for


def test_command_normalisation() -> None:
    assert normalise([3, 4]) == [(6, 0, [3, 4])]
    assert normalise([]) == [(6, 0, [])]
    assert normalise(False) == [(5,)]
    assert normalise([[4, 7], (3, 8)]) == [(4, 7), (3, 8)]


def test_version_profiles() -> None:
    assert profile_for("19.0").sale_line_uom == "product_uom_id"
    assert profile_for("18.0").sale_line_taxes == "tax_id"
    assert profile_for("17.0").rpc_version()["server_version_info"] == [17, 0, 0, "final", 0, ""]
    with pytest.raises(ValueError, match="unsupported Odoo version"):
        profile_for("16.0")


def test_seed_has_odoo_conventions(env: Env) -> None:
    assert env.ref("base.user_admin") == 2 and env.ref("base.user_root") == 1
    assert len(env["res.country"]._search([])) >= 249
    us = env.ref("base.us")
    states = env["res.country.state"]._read(env["res.country.state"]._search([("country_id", "=", us)]), ["code"])
    assert {"CA", "NY", "TX", "DC"} <= {s["code"] for s in states}
    warehouse = env["stock.warehouse"]._read([env.ref("stock.warehouse0")], ["code", "lot_stock_id"])[0]
    assert warehouse["code"] == "WH" and warehouse["lot_stock_id"] == env.ref("stock.stock_location_stock")
    location = env["stock.location"].read([env.ref("stock.stock_location_stock")], ["complete_name"])
    assert location[0]["complete_name"] == "WH/Stock"


def test_read_drops_missing_ids_but_write_and_unlink_refuse(env: Env) -> None:
    partners = env["res.partner"]
    partner = partners.create({"name": "Short-lived"})
    partners.unlink([partner])
    assert partners.read([partner], ["name"]) == []
    with pytest.raises(MissingError, match=r"res\.partner\(\d+,\)"):
        partners.write([partner], {"name": "x"})
    with pytest.raises(MissingError):
        partners.unlink([partner])


def test_required_and_reference_checks(env: Env) -> None:
    with pytest.raises(ValidationError, match=r"Missing required value for the field 'Customer' \(partner_id\)"):
        env["sale.order"].create({})
    with pytest.raises(ValidationError, match="The troublemaker is: 'Contact'"):
        env["res.partner"].create({"name": "x", "country_id": 10**9})


def test_selection_values_are_checked_per_version(env: Env) -> None:
    with pytest.raises(ValueError, match=r"Wrong value for product.template.type: 'product'"):
        env["product.template"].create({"name": "old style", "type": "product"})


def test_delegated_create_makes_one_template_and_variant(env: Env) -> None:
    product = env["product.product"].create({"name": "Delegate", "default_code": "D-1", "type": "service"})
    row = env["product.product"].read([product], ["product_tmpl_id", "default_code", "name"])[0]
    template = env["product.template"].read([row["product_tmpl_id"][0]], ["product_variant_ids", "default_code"])
    assert template[0]["product_variant_ids"] == [product] and template[0]["default_code"] == "D-1"
    env["product.product"].unlink([product])
    assert env["product.template"].read([row["product_tmpl_id"][0]], ["name"]) == []
