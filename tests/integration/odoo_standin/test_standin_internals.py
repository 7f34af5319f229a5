"""What only the stand-in has: counters, fault injection, persistence, PostgreSQL storage, 17/18 profiles, CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError

import odoorpc
import pytest
import sqlalchemy as sa

from amzodoo_sandbox.odoo import OdooStandin

pytestmark = pytest.mark.skipif(bool(os.environ.get("ODOO_URL")), reason="stand-in internals, not a real Odoo")
POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


def connect(standin: OdooStandin) -> odoorpc.ODOO:
    port = int(standin.url.rsplit(":", 1)[1])
    client = odoorpc.ODOO("127.0.0.1", port=port)
    client.login(standin.database, "admin", "admin")
    return client


def test_counters_count_rpc_calls_per_method(odoo_standin: OdooStandin) -> None:
    client = connect(odoo_standin)
    odoo_standin.reset_counters()
    client.execute_kw("res.partner", "create", [[{"name": "a"}, {"name": "b"}]])
    client.execute_kw("res.partner", "search", [[]])
    client.execute_kw("res.partner", "search", [[]])
    counters = odoo_standin.counters()
    assert counters["res.partner.create"] == 1 and counters["res.partner.search"] == 2
    assert odoo_standin.rpc_requests() == 3
    common = xmlrpc.client.ServerProxy(f"{odoo_standin.url}/xmlrpc/2/common")
    common.login(odoo_standin.database, "admin", "admin")
    assert odoo_standin.counters()["common.login"] == 1


def test_injected_outage_answers_503_then_recovers(odoo_standin: OdooStandin) -> None:
    client = connect(odoo_standin)
    odoo_standin.inject_fault("res.partner", "search", kind="down", count=2)
    for _ in range(2):
        with pytest.raises(HTTPError) as outage:
            client.execute_kw("res.partner", "search", [[]])
        assert outage.value.code == 503
    assert isinstance(client.execute_kw("res.partner", "search", [[]]), list)


def test_injected_error_is_an_odoo_user_error(odoo_standin: OdooStandin) -> None:
    client = connect(odoo_standin)
    odoo_standin.inject_fault("sale.order", "action_confirm", kind="error", message="Injected: try later")
    with pytest.raises(odoorpc.error.RPCError) as error:
        client.execute_kw("sale.order", "action_confirm", [[1]])
    assert str(error.value) == "Injected: try later"
    assert error.value.info["data"]["name"] == "odoo.exceptions.UserError"


def test_data_survives_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'odoo.sqlite'}"
    first = OdooStandin(db_url=url)
    first.start()
    partner = connect(first).execute_kw("res.partner", "create", [{"name": "Persistent"}])
    first.stop()
    second = OdooStandin(db_url=url)
    second.start()
    try:
        assert connect(second).execute_kw("res.partner", "read", [[partner], ["name"]]) == [
            {"id": partner, "name": "Persistent"}]
    finally:
        second.stop()
    with pytest.raises(ValueError, match=r"cannot be opened as 17\.0"):
        OdooStandin(db_url=url, version="17.0")
    wiped = OdooStandin(db_url=url, reset=True)
    wiped.start()
    try:
        assert connect(wiped).execute_kw("res.partner", "search", [[("name", "=", "Persistent")]]) == []
    finally:
        wiped.stop()


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    engine = sa.create_engine(POSTGRES_URL)
    schema = f"standin_{uuid.uuid4().hex[:10]}"
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 is not reachable: {exc.orig}")
    try:
        yield schema
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.mark.postgres
def test_order_flow_on_postgresql(postgres_schema: str) -> None:
    standin = OdooStandin(db_url=f"{POSTGRES_URL}?options=-csearch_path%3D{postgres_schema}")
    standin.start()
    try:
        client = connect(standin)
        ex = client.execute_kw
        product = ex("product.product", "create", [{"name": "PG", "type": "consu", "is_storable": True,
                                                    "default_code": "pg-1", "taxes_id": [(6, 0, [])]}])
        stock = ex("ir.model.data", "check_object_reference", ["stock", "stock_location_stock"])[1]
        quant = ex("stock.quant", "create", [{"product_id": product, "location_id": stock,
                                              "inventory_quantity": 2}], {"context": {"inventory_mode": True}})
        ex("stock.quant", "action_apply_inventory", [[quant]])
        partner = ex("res.partner", "create", [{"name": "pg buyer"}])
        order = ex("sale.order", "create", [{"partner_id": partner, "order_line": [
            (0, 0, {"product_id": product, "product_uom_qty": 2, "price_unit": 5.0})]}])
        ex("sale.order", "action_confirm", [[order]])
        assert ex("product.product", "search", [[("default_code", "like", "pg")]]) == [product]
        assert ex("product.product", "search", [[("default_code", "like", "PG")]]) == []
        picking = ex("sale.order", "read", [[order], ["picking_ids"]])[0]["picking_ids"][0]
        assert ex("stock.picking", "button_validate", [[picking]]) is True
        assert ex("product.product", "read", [[product], ["qty_available"]])[0]["qty_available"] == 0.0
    finally:
        standin.stop()


@pytest.mark.parametrize(("version", "uom", "taxes", "storable"), [
    ("17.0", "product_uom", "tax_id", {"type": "product"}),
    ("18.0", "product_uom", "tax_id", {"type": "consu", "is_storable": True}),
])
def test_older_versions_speak_their_field_names(version: str, uom: str, taxes: str, storable: dict) -> None:
    standin = OdooStandin(version=version)
    standin.start()
    try:
        client = connect(standin)
        ex = client.execute_kw
        assert client.version == version
        line_fields = ex("sale.order.line", "fields_get", [], {"attributes": ["type"]})
        assert uom in line_fields and taxes in line_fields and "product_uom_id" not in line_fields
        product = ex("product.product", "create", [{"name": "Old", **storable, "taxes_id": [(6, 0, [])]}])
        product_fields = ex("product.product", "fields_get", [], {"attributes": ["type"]})
        assert ("detailed_type" in product_fields) == (version == "17.0")
        assert ("is_storable" in product_fields) == (version != "17.0")
        included = {"price_include": True} if version == "17.0" else {"price_include_override": "tax_included"}
        tax = ex("account.tax", "create", [{"name": "incl", "amount": 10.0, **included}])
        assert ex("account.tax", "read", [[tax], ["price_include"]])[0]["price_include"] is True
        partner = ex("res.partner", "create", [{"name": "old buyer", "mobile": "+1 555"}])
        order = ex("sale.order", "create", [{"partner_id": partner, "order_line": [
            (0, 0, {"product_id": product, "product_uom_qty": 1, "price_unit": 11.0, taxes: [(6, 0, [tax])]})]}])
        assert ex("sale.order", "read", [[order], ["amount_untaxed", "amount_tax"]])[0]["amount_tax"] == 1.0
        stock = ex("ir.model.data", "check_object_reference", ["stock", "stock_location_stock"])[1]
        quant = ex("stock.quant", "create", [{"product_id": product, "location_id": stock,
                                              "inventory_quantity": 1}], {"context": {"inventory_mode": True}})
        ex("stock.quant", "action_apply_inventory", [[quant]])
        ex("sale.order", "action_confirm", [[order]])
        picking = ex("sale.order", "read", [[order], ["picking_ids"]])[0]["picking_ids"][0]
        assert "move_ids_without_package" in ex("stock.picking", "fields_get", [], {"attributes": ["type"]})
        assert ex("stock.picking", "button_validate", [[picking]]) is True
    finally:
        standin.stop()


def test_one_command_start(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "amzodoo_sandbox.odoo", "--port", "0", "--version", "19.0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        banner = process.stdout.readline() if process.stdout else ""
        assert "Odoo 19.0 stand-in" in banner
        url = banner.rsplit(" ", 1)[1].strip()
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        assert common.version()["server_serie"] == "19.0"
        assert common.login("amzodoo", "admin", "admin") == 2
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_fresh_database_asks_about_sms_before_the_first_delivery(odoo_standin: OdooStandin) -> None:
    """Odoo 19 with stock_sms (its default) answers button_validate with confirm.stock.sms for a partner with a
    phone; seen on a real server before its company switched stock_text_confirmation off."""
    ex = connect(odoo_standin).execute_kw
    storable = {"type": "product"} if odoo_standin.version == "17.0" else {"type": "consu", "is_storable": True}
    product = ex("product.product", "create", [{"name": "sms", **storable}])
    stock = ex("ir.model.data", "check_object_reference", ["stock", "stock_location_stock"])[1]
    quant = ex("stock.quant", "create", [{"product_id": product, "location_id": stock, "inventory_quantity": 1}],
               {"context": {"inventory_mode": True}})
    ex("stock.quant", "action_apply_inventory", [[quant]])
    partner = ex("res.partner", "create", [{"name": "Texting buyer", "phone": "+1 555 0100"}])
    order = ex("sale.order", "create", [{"partner_id": partner, "order_line": [
        (0, 0, {"product_id": product, "product_uom_qty": 1, "price_unit": 1.0})]}])
    ex("sale.order", "action_confirm", [[order]])
    picking = ex("sale.order", "read", [[order], ["picking_ids"]])[0]["picking_ids"][0]
    action = ex("stock.picking", "button_validate", [[picking]])
    assert action["res_model"] == "confirm.stock.sms" and action["context"]["button_validate_picking_ids"] == [picking]
    assert ex("stock.picking", "read", [[picking], ["state"]])[0]["state"] == "assigned"
    assert ex("confirm.stock.sms", "dont_send_sms", [[action["res_id"]]], {"context": action["context"]}) is True
    assert ex("stock.picking", "read", [[picking], ["state"]])[0]["state"] == "done"
    company = ex("res.company", "read", [[1], ["stock_text_confirmation", "has_received_warning_stock_sms"]])[0]
    assert company["stock_text_confirmation"] is False and company["has_received_warning_stock_sms"] is True
