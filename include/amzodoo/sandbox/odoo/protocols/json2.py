"""JSON-2 (Odoo 19): POST /json/2/<model>/<method>, bearer API key, named arguments, HTTP-status errors."""

from __future__ import annotations

import json
import re
from typing import Any

from ..exceptions import InjectedOutage, NotFoundError, UnauthorizedError
from ..service import OdooService
from .errors import as_odoo_error, serialize

ROUTE = re.compile(r"^/json/2/(?P<model>[^/]+)/(?P<method>[^/]+)$")


def handle(service: OdooService, path: str, headers: Any, raw: bytes) -> tuple[int, dict | list | Any]:
    """Return (status, JSON body)."""
    try:
        match = ROUTE.match(path)
        if not match:
            raise NotFoundError("Did you mean POST /json/2/<model>/<method>?")
        header = headers.get("Authorization") or ""
        token = re.match(r"^bearer\s+(.+)$", header, re.IGNORECASE)
        if not token:
            raise UnauthorizedError("User not authenticated, use an API Key with a Bearer Authorization header.")
        uid = service.uid_for_api_key(headers.get("X-Odoo-Database"), token.group(1).strip())
        if not uid:
            raise UnauthorizedError("Invalid apikey")
        body = json.loads(raw or b"{}")
        if not isinstance(body, dict):
            raise ValueError("the request body must be a JSON object of named arguments")
        return 200, service.json2(uid, match["model"], match["method"], body)
    except InjectedOutage:
        raise
    except Exception as exc:
        error = as_odoo_error(exc)
        body = serialize(exc)
        if isinstance(error, (NotFoundError, UnauthorizedError)) or error.wire_name.startswith("werkzeug"):
            body["arguments"] = [error.message, error.http_status]
        return error.http_status, body
