"""XML-RPC on /xmlrpc/2/<service> (integer fault codes) and /xmlrpc/<service> (Odoo's legacy string codes)."""

from __future__ import annotations

import xmlrpc.client

from ..exceptions import AccessDenied, AccessError, InjectedOutage, MissingError, OdooError, UserError
from ..service import OdooService
from .errors import odoo_traceback

FAULT_APPLICATION = 1
FAULT_WARNING = 2
FAULT_ACCESS_DENIED = 3
FAULT_ACCESS_ERROR = 4


def _fault_int(exc: BaseException) -> xmlrpc.client.Fault:
    if isinstance(exc, AccessError):
        return xmlrpc.client.Fault(FAULT_ACCESS_ERROR, str(exc))
    if isinstance(exc, AccessDenied):
        return xmlrpc.client.Fault(FAULT_ACCESS_DENIED, str(exc))
    if isinstance(exc, UserError):
        return xmlrpc.client.Fault(FAULT_WARNING, str(exc))
    return xmlrpc.client.Fault(FAULT_APPLICATION, odoo_traceback(exc))


def _fault_string(exc: BaseException) -> xmlrpc.client.Fault:
    if isinstance(exc, MissingError):
        return xmlrpc.client.Fault(f"warning -- MissingError\n\n{exc}", "")
    if isinstance(exc, AccessError):
        return xmlrpc.client.Fault(f"warning -- AccessError\n\n{exc}", "")
    if isinstance(exc, AccessDenied):
        return xmlrpc.client.Fault("AccessDenied", str(exc))
    if isinstance(exc, UserError):
        return xmlrpc.client.Fault(f"warning -- UserError\n\n{exc}", "")
    message = exc.message if isinstance(exc, OdooError) else str(exc)
    return xmlrpc.client.Fault(message, odoo_traceback(exc))


def handle(service: OdooService, service_name: str, raw: bytes, integer_codes: bool) -> bytes:
    to_fault = _fault_int if integer_codes else _fault_string
    try:
        params, method = xmlrpc.client.loads(raw, use_datetime=False)
        if service_name == "common":
            result = service.common(method, list(params))
        elif service_name == "object":
            result = service.object(method, list(params))
        else:
            raise ValueError(f"No such service {service_name!r}")
        # Odoo marshals with allow_none=False: a method returning None fails here, after its transaction
        # has committed (stock.quant.action_apply_inventory does exactly that on a real server).
        return xmlrpc.client.dumps((result,), methodresponse=True, allow_none=False).encode()
    except InjectedOutage:
        raise
    except Exception as exc:
        return xmlrpc.client.dumps(to_fault(exc), allow_none=False).encode()
