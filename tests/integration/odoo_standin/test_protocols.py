"""The three wire protocols and Odoo's error formats, as odoorpc, xmlrpc.client and a JSON-2 client see them."""

from __future__ import annotations

import xmlrpc.client

import httpx
import odoorpc
import pytest

from tests.fixtures.odoo import OdooTarget

from .clients import Json2, Kit, XmlRpc, unique

# Behaviour, not stand-in internals: these run unchanged against a real Odoo when ODOO_URL is set.
pytestmark = pytest.mark.real_odoo


def test_version_info_and_common_version_agree(odoo_target: OdooTarget) -> None:
    reply = httpx.post(f"{odoo_target.url}/web/webclient/version_info",
                       json={"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}).json()
    info = reply["result"]
    assert info["server_serie"] == odoo_target.version
    assert info["server_version_info"][0] == odoo_target.major
    assert info["protocol_version"] == 1
    common = xmlrpc.client.ServerProxy(f"{odoo_target.url}/xmlrpc/2/common")
    assert common.version() == info


def test_odoorpc_logs_in_and_reads_its_user(odoo: odoorpc.ODOO, odoo_target: OdooTarget) -> None:
    assert odoo.version == odoo_target.version
    user = odoo.execute_kw("res.users", "read", [[odoo.env.uid]], {"fields": ["login", "partner_id"]})[0]
    assert user["login"] == odoo_target.login
    assert isinstance(user["partner_id"], list) and len(user["partner_id"]) == 2


def test_login_and_authenticate_answer_false_on_a_wrong_password(odoo_target: OdooTarget) -> None:
    common = xmlrpc.client.ServerProxy(f"{odoo_target.url}/xmlrpc/2/common")
    assert common.login(odoo_target.database, odoo_target.login, "not-the-password") is False
    assert common.authenticate(odoo_target.database, odoo_target.login, "nope", {}) is False
    assert isinstance(common.authenticate(odoo_target.database, odoo_target.login, odoo_target.password, {}), int)


def test_api_key_works_as_a_password(odoo_target: OdooTarget) -> None:
    if not odoo_target.api_key:
        pytest.skip("no API key configured")
    common = xmlrpc.client.ServerProxy(f"{odoo_target.url}/xmlrpc/2/common")
    assert isinstance(common.login(odoo_target.database, odoo_target.login, odoo_target.api_key), int)


def test_execute_kw_with_a_wrong_password_is_access_denied(odoo_target: OdooTarget, xml: XmlRpc) -> None:
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xml.object.execute_kw(odoo_target.database, xml.uid, "wrong", "res.partner", "search_count", [[]])
    assert fault.value.faultCode == 3
    reply = httpx.post(f"{odoo_target.url}/jsonrpc", json={"jsonrpc": "2.0", "method": "call", "id": 7, "params": {
        "service": "object", "method": "execute_kw",
        "args": [odoo_target.database, xml.uid, "wrong", "res.partner", "search_count", [[]]]}}).json()
    assert reply["id"] == 7
    assert reply["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    assert reply["error"]["data"]["message"] == "Access Denied"


def test_xmlrpc_create_read_write_unlink(xml: XmlRpc) -> None:
    name = unique("Xml Partner")
    partner_id = xml.call("res.partner", "create", {"name": name})
    assert isinstance(partner_id, int)
    assert xml.call("res.partner", "write", [partner_id], {"ref": "X1"}) is True
    assert xml.call("res.partner", "read", [partner_id], fields=["name", "ref"]) == [
        {"id": partner_id, "name": name, "ref": "X1"}]
    assert xml.call("res.partner", "unlink", [partner_id]) is True
    assert xml.call("res.partner", "read", [partner_id], fields=["name"]) == []


def test_xmlrpc_fault_codes_follow_the_exception_class(xml: XmlRpc) -> None:
    with pytest.raises(xmlrpc.client.Fault) as missing_required:
        xml.call("sale.order", "create", {})
    assert missing_required.value.faultCode == 2
    assert "Missing required value for the field" in missing_required.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as private:
        xml.call("res.partner", "_compute_display_name", [])
    assert private.value.faultCode == 4
    assert private.value.faultString == ("Private methods (such as 'res.partner._compute_display_name') "
                                         "cannot be called remotely.")
    with pytest.raises(xmlrpc.client.Fault) as bad_value:
        xml.call("res.partner", "create", {"name": "x", "type": "bogus"})
    assert bad_value.value.faultCode == 1
    assert bad_value.value.faultString.rstrip().endswith("ValueError: Wrong value for res.partner.type: 'bogus'")


def test_odoorpc_raises_rpcerror_with_the_server_message(odoo: odoorpc.ODOO) -> None:
    partner_id = odoo.execute_kw("res.partner", "create", [{"name": unique("Gone")}])
    odoo.execute_kw("res.partner", "unlink", [[partner_id]])
    with pytest.raises(odoorpc.error.RPCError) as missing:
        odoo.execute_kw("res.partner", "write", [[partner_id], {"name": "again"}])
    assert missing.value.info["data"]["name"] == "odoo.exceptions.MissingError"
    assert str(missing.value).startswith("Record does not exist or has been deleted.")
    with pytest.raises(odoorpc.error.RPCError) as unknown_model:
        odoo.execute_kw("x.no.model", "search", [[]])
    assert str(unknown_model.value) == "Object x.no.model doesn't exist"
    with pytest.raises(odoorpc.error.RPCError) as unknown_method:
        odoo.execute_kw("res.partner", "no_such_method", [[]])
    assert unknown_method.value.info["data"]["name"] == "builtins.AttributeError"
    assert str(unknown_method.value) == "The method 'res.partner.no_such_method' does not exist"


def test_jsonrpc_error_envelope(odoo_target: OdooTarget, xml: XmlRpc) -> None:
    reply = httpx.post(f"{odoo_target.url}/jsonrpc", json={"jsonrpc": "2.0", "method": "call", "id": 3, "params": {
        "service": "object", "method": "execute_kw",
        "args": [odoo_target.database, xml.uid, odoo_target.password, "sale.order", "create", [{}]]}})
    assert reply.status_code == 200
    error = reply.json()["error"]
    assert error["message"] == "Odoo Server Error"
    assert set(error["data"]) == {"name", "message", "arguments", "context", "debug"}
    assert error["data"]["name"] == "odoo.exceptions.ValidationError"
    assert error["data"]["arguments"] == [error["data"]["message"]]
    assert error["code"] == 0


def test_json2_crud_and_shapes(json2: Json2) -> None:
    ids = json2.call("res.partner", "create", vals_list=[{"name": unique("J2 A")}, {"name": unique("J2 B")}])
    assert len(ids) == 2 and all(isinstance(i, int) for i in ids)
    single = json2.call("res.partner", "create", vals_list={"name": unique("J2 C")})
    assert isinstance(single, list) and len(single) == 1
    assert json2.call("res.partner", "write", ids=ids, vals={"ref": "J2"}) is True
    rows = json2.call("res.partner", "search_read", domain=[["id", "in", ids]], fields=["ref"], order="id")
    assert rows == [{"id": ids[0], "ref": "J2"}, {"id": ids[1], "ref": "J2"}]
    assert json2.call("res.partner", "search_count", domain=[["id", "in", ids]]) == 2
    assert json2.call("res.partner", "read", ids=ids[:1], fields=["ref"], context={"lang": "en_US"}) == [
        {"id": ids[0], "ref": "J2"}]
    assert json2.call("res.partner", "unlink", ids=ids + single) is True


def test_json2_errors_are_http_statuses(json2: Json2, odoo_target: OdooTarget) -> None:
    partner = json2.call("res.partner", "create", vals_list=[{"name": unique("J2 gone")}])
    json2.call("res.partner", "unlink", ids=partner)
    missing = json2.post("res.partner", "write", ids=partner, vals={"name": "x"})
    assert missing.status_code == 404
    assert missing.json()["name"] == "odoo.exceptions.MissingError"
    assert json2.post("sale.order", "create", vals_list=[{}]).status_code == 422
    unknown_model = json2.post("x.no.model", "search", domain=[])
    assert unknown_model.status_code == 404
    assert unknown_model.json()["message"] == "the model 'x.no.model' does not exist"
    assert json2.post("res.partner", "no_such_method").status_code == 404
    assert json2.post("res.partner", "_compute_display_name").status_code == 403
    assert json2.post("res.partner", "search", domain=[], bogus=1).status_code == 422
    assert json2.post("res.partner", "search", domain=[], ids=[1]).status_code == 422
    assert json2.post("res.partner", "search", domain=[["nofield", "=", 1]]).status_code == 500
    anonymous = Json2(odoo_target, api_key="")
    try:
        reply = anonymous.post("res.partner", "search_count", domain=[])
        assert reply.status_code == 401
        assert reply.json()["name"] == "werkzeug.exceptions.Unauthorized"
    finally:
        anonymous.close()
    wrong = Json2(odoo_target, api_key="0" * 40)
    try:
        assert wrong.post("res.partner", "search_count", domain=[]).status_code == 401
    finally:
        wrong.close()


def test_none_results_per_protocol(odoo_target: OdooTarget, xml: XmlRpc, kit: Kit) -> None:
    product = kit.product()
    location = kit.ref("stock.stock_location_stock")
    quant = kit.call("stock.quant", "create", {"product_id": product, "location_id": location,
                                               "inventory_quantity": 4}, context={"inventory_mode": True})
    reply = httpx.post(f"{odoo_target.url}/jsonrpc", json={"jsonrpc": "2.0", "method": "call", "id": 9, "params": {
        "service": "object", "method": "execute_kw",
        "args": [odoo_target.database, xml.uid, odoo_target.password, "stock.quant", "action_apply_inventory",
                 [[quant]]]}}).json()
    assert reply == {"jsonrpc": "2.0", "id": 9}
    quant2 = kit.call("stock.quant", "create", {"product_id": product, "location_id": location,
                                                "inventory_quantity": 6}, context={"inventory_mode": True})
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xml.call("stock.quant", "action_apply_inventory", [quant2])
    assert fault.value.faultCode == 1
    assert "cannot marshal None" in fault.value.faultString
    assert kit.read_one("product.product", product, ["qty_available"])["qty_available"] == 6.0


def test_check_access_rights_for_the_admin(odoo: odoorpc.ODOO, odoo_target: OdooTarget) -> None:
    answer = odoo.execute_kw("res.partner", "check_access_rights", ["write"])
    assert answer is (None if odoo_target.major >= 19 else True)
