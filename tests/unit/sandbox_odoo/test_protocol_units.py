"""Wire formatting without a server: XML-RPC fault codes and JSON-RPC envelopes."""

from __future__ import annotations

import xmlrpc.client

import pytest

from amzodoo_sandbox.odoo.exceptions import (
    AccessDenied,
    AccessError,
    MissingError,
    ServerError,
    UserError,
    ValidationError,
)
from amzodoo_sandbox.odoo.protocols import xmlrpc as xmlrpc_protocol
from amzodoo_sandbox.odoo.protocols.errors import serialize


@pytest.mark.parametrize(("error", "code"), [
    (UserError("u"), 2), (ValidationError("v"), 2), (MissingError("m"), 2), (AccessDenied(), 3),
    (AccessError("a"), 4), (ServerError("boom"), 1),
])
def test_integer_fault_codes(error: Exception, code: int) -> None:
    fault = xmlrpc_protocol._fault_int(error)
    assert fault.faultCode == code
    if code != 1:
        assert fault.faultString == str(error)


def test_legacy_string_fault_codes() -> None:
    assert xmlrpc_protocol._fault_string(MissingError("gone")).faultCode == "warning -- MissingError\n\ngone"
    assert xmlrpc_protocol._fault_string(AccessDenied()).faultCode == "AccessDenied"


def test_serialized_error_has_odoo_keys_and_traceback_tail() -> None:
    try:
        raise ValueError("Wrong value for res.partner.type: 'bogus'")
    except ValueError as exc:
        body = serialize(exc)
    assert set(body) == {"name", "message", "arguments", "context", "debug"}
    assert body["name"] == "builtins.ValueError"
    assert body["debug"].endswith("ValueError: Wrong value for res.partner.type: 'bogus'\n")


def test_none_cannot_cross_xmlrpc() -> None:
    with pytest.raises(TypeError, match="cannot marshal None"):
        xmlrpc.client.dumps((None,), methodresponse=True, allow_none=False)
