"""JSON-RPC as odoorpc speaks it: /jsonrpc with the common and object services, and version_info."""

from __future__ import annotations

import json
from typing import Any

from ..exceptions import InjectedOutage
from ..service import OdooService
from .errors import serialize


def _response(request_id: Any, *, result: Any = None, error: dict | None = None) -> dict:
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
    if error is not None:
        body["error"] = error
    elif result is not None:
        # Odoo leaves "result" out entirely when a method returns None.
        body["result"] = result
    return body


def error_envelope(exc: BaseException) -> dict:
    # Odoo's http layer sends code 0 for every /jsonrpc error ("we don't care of this code").
    return {"code": 0, "message": "Odoo Server Error", "data": serialize(exc)}


def handle(service: OdooService, path: str, raw: bytes) -> dict:
    try:
        payload = json.loads(raw or b"{}")
    except ValueError as exc:
        return _response(None, error=error_envelope(exc))
    request_id = payload.get("id")
    params = payload.get("params") or {}
    try:
        if path == "/web/webclient/version_info":
            return _response(request_id, result=service.registry.profile.rpc_version())
        service_name, method, args = params.get("service"), params.get("method"), list(params.get("args") or [])
        if service_name == "common":
            result = service.common(method, args)
        elif service_name == "object":
            result = service.object(method, args)
        else:
            raise ValueError(f"No such service {service_name!r}")
        return _response(request_id, result=result)
    except InjectedOutage:
        raise
    except Exception as exc:
        return _response(request_id, error=error_envelope(exc))
