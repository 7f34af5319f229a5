"""The Odoo hook's transports against a small real HTTP server speaking Odoo's wire formats."""

from __future__ import annotations

import json

import pytest

from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.errors import OdooError, OdooUnavailable
from amzodoo.odoo.hook import OdooHook
from amzodoo.odoo.transports import OdooCredentials
from tests.fixtures.scripted_http import Answer, scripted_server

API_KEY = "0123456789abcdef-api-key"
PASSWORD = "odoo-password-xyz"


def version_answer(major: int) -> Answer:
    info = [major, 0, 0, "final", 0, ""]
    return Answer(200, {"jsonrpc": "2.0", "id": 1, "result": {"server_version": f"{major}.0",
                                                              "server_version_info": info}})


def rpc_result(req, result) -> Answer:
    return Answer(200, {"jsonrpc": "2.0", "id": json.loads(req.body).get("id"), "result": result})


def rpc_fault(req, name: str, message: str) -> Answer:
    error = {"code": 200, "message": "Odoo Server Error",
             "data": {"name": name, "message": message, "arguments": [message], "debug": "Traceback ..."}}
    return Answer(200, {"jsonrpc": "2.0", "id": json.loads(req.body).get("id"), "error": error})


def test_auto_uses_json2_on_19_with_api_key_and_maps_faults():
    def script(req):
        if req.path == "/jsonrpc":
            return version_answer(19)
        assert req.headers["Authorization"] == f"bearer {API_KEY}"
        assert req.headers["X-Odoo-Database"] == "db"
        body = json.loads(req.body)
        if req.path == "/json/2/res.partner/search_read":
            assert body["domain"] == [["ref", "in", ["a", "b"]]] and body["limit"] == 2000
            return Answer(200, [{"id": 3, "ref": "a"}])
        if req.path == "/json/2/sale.order/action_confirm":
            assert body["ids"] == [7]
            return Answer(422, {"name": "odoo.exceptions.UserError", "message": "No product on line 2"})
        if req.path == "/json/2/sale.order/read":
            return Answer(404, {"name": "odoo.exceptions.MissingError", "message": "Record does not exist"})
        return Answer(500, "<html>boom</html>")

    with scripted_server(script) as (url, _):
        client = OdooClient.connect(OdooCredentials(url, "db", "admin", PASSWORD, API_KEY), "auto")
        assert client.protocol == "json2" and client.major_version == 19
        assert client.search_read_in("res.partner", "ref", ["b", "a", None], ["ref"]) == [{"id": 3, "ref": "a"}]
        with pytest.raises(OdooError) as err:
            client.call("sale.order", "action_confirm", [7])
        assert (err.value.kind, err.value.model, err.value.method) == ("user", "sale.order", "action_confirm")
        assert "No product on line 2" in str(err.value) and not err.value.retryable
        with pytest.raises(OdooError) as err:
            client.execute("sale.order", "read", [99], fields=["name"])
        assert err.value.kind == "missing"
        with pytest.raises(OdooUnavailable):
            client.execute("sale.order", "unknown_thing")
        assert client.calls["sale.order.action_confirm"] == 1


def test_auto_uses_odoorpc_below_19_and_raises_with_the_server_message():
    def script(req):
        body = json.loads(req.body or b"{}")
        if req.path == "/web/webclient/version_info":
            return rpc_result(req, {"server_version": "17.0", "server_version_info": [17, 0, 0, "final", 0, ""]})
        params = body.get("params", {})
        if params.get("service") == "common" and params.get("method") == "version":
            return version_answer(17)
        if params.get("method") == "login":
            assert params["args"] == ["db", "admin", PASSWORD]
            return rpc_result(req, 2)
        if params.get("method") == "execute":  # odoorpc reads the user context after login
            return rpc_result(req, {"lang": "en_US", "tz": "UTC"})
        args = params["args"]
        model, method, pos, kw = args[3], args[4], args[5], args[6]
        if (model, method) == ("res.partner", "create"):
            return rpc_result(req, [10 + i for i, _ in enumerate(kw["vals_list"])])
        if (model, method) == ("sale.order", "write"):
            assert pos == [[1, 2]] and kw["vals"] == {"note": "x"}
            return rpc_fault(req, "odoo.exceptions.ValidationError", "The order is locked")
        raise AssertionError((model, method))

    with scripted_server(script) as (url, _):
        client = OdooClient.connect(OdooCredentials(url, "db", "admin", PASSWORD), "auto")
        assert client.protocol == "jsonrpc" and client.major_version == 17
        assert client.create("res.partner", [{"name": "A"}, {"name": "B"}, {"name": "C"}], batch_size=2) == [
            10, 11, 10]
        with pytest.raises(OdooError) as err:
            client.write("sale.order", [1, 2], {"note": "x"})
    assert err.value.kind == "validation"
    assert str(err.value) == "Odoo sale.order.write failed (ValidationError): The order is locked"
    assert PASSWORD not in str(err.value)


def test_wrong_password_and_unreachable_server(monkeypatch):
    def script(req):
        params = json.loads(req.body or b"{}").get("params", {})
        if params.get("method") == "version":
            return version_answer(18)
        return rpc_result(req, False)  # common.login answers False for wrong credentials

    with scripted_server(script) as (url, _):
        conn = {"conn_type": "odoo", "host": url, "schema": "db", "login": "admin", "password": PASSWORD}
        monkeypatch.setenv("AIRFLOW_CONN_ODOO_T", json.dumps(conn))
        ok, message = OdooHook("odoo_t").test_connection()
    assert not ok and "Wrong login" in message and PASSWORD not in message
    monkeypatch.setenv("AIRFLOW_CONN_ODOO_T", json.dumps({**conn, "host": "http://127.0.0.1:9"}))
    ok, message = OdooHook("odoo_t").test_connection()
    assert not ok and "cannot read the server version" in message


def test_connection_validation(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_ODOO_BAD", json.dumps({"conn_type": "odoo", "host": "odoo.example",
                                                              "extra": {"protocol": "soap"}}))
    ok, message = OdooHook("odoo_bad").test_connection()
    assert not ok and "schema (database)" in message and "password or api_key" in message


def test_a_failed_test_names_url_database_login_status_and_odoos_message(monkeypatch):
    def script(req):
        params = json.loads(req.body or b"{}").get("params", {})
        if params.get("method") == "version":
            return version_answer(19)
        return Answer(401, {"name": "werkzeug.exceptions.Unauthorized", "message": "Invalid apikey"})

    with scripted_server(script) as (url, _):
        conn = {"conn_type": "odoo", "host": url, "schema": "db", "login": "admin", "password": PASSWORD,
                "extra": {"api_key": "a-wrong-key"}}
        monkeypatch.setenv("AIRFLOW_CONN_ODOO_T", json.dumps(conn))
        ok, message = OdooHook("odoo_t").test_connection()
    assert not ok
    assert message == (f"Odoo at {url} (database db, login admin, protocol auto): res.users.search_read refused "
                       "(HTTP 401, Unauthorized): Invalid apikey")
    assert PASSWORD not in message and "a-wrong-key" not in message
