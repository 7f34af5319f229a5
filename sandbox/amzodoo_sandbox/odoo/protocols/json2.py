"""JSON-2 (Odoo 19): POST /json/2/<model>/<method>, bearer API key, named arguments, HTTP-status errors."""

from __future__ import annotations

import json
import re
from typing import Any

from ..exceptions import BadRequestError, InjectedOutage, NotFoundError, UnauthorizedError, UnprocessableError
from ..service import OdooService
from .errors import as_odoo_error, serialize

ROUTE = re.compile(r"^/json/2/(?P<model>[^/]+)/(?P<method>[^/]+)$")
NO_DATABASE_PAGE = (b"<!doctype html><title>404 Not Found</title><h1>Not Found</h1><p>No database is selected and the "
                    b"requested URL was not found in the server-wide controllers.</p>")


def _json(status: int, payload: Any) -> tuple[int, bytes, str]:
    return status, json.dumps(payload, default=str).encode(), "application/json; charset=utf-8"


def handle(service: OdooService, path: str, headers: Any, raw: bytes) -> tuple[int, bytes, str]:
    """Return (status, body, content type) for one JSON-2 request."""
    database = headers.get("X-Odoo-Database")
    if database is not None and database != service.database:
        return 404, NO_DATABASE_PAGE, "text/html; charset=utf-8"
    try:
        match = ROUTE.match(path)
        if not match:
            raise NotFoundError("Did you mean POST /json/2/<model>/<method>?")
        token = re.match(r"^bearer\s+(.+)$", headers.get("Authorization") or "", re.IGNORECASE)
        if not token:
            raise UnauthorizedError("User not authenticated, use an API Key with a Bearer Authorization header.")
        uid = service.uid_for_api_key(database, token.group(1).strip())
        if not uid:
            raise UnauthorizedError("Invalid apikey")
        try:
            body = json.loads(raw or b"{}")
        except ValueError as exc:
            raise BadRequestError(f"could not parse the body as json: {exc}") from exc
        if not isinstance(body, dict):
            raise UnprocessableError("the body must be a JSON object of named arguments")
        return _json(200, service.json2(uid, match["model"], match["method"], body))
    except InjectedOutage:
        raise
    except Exception as exc:
        error = as_odoo_error(exc)
        body = serialize(exc)
        if error.wire_name.startswith("werkzeug"):
            body["arguments"] = [error.message, error.http_status]
        return _json(error.http_status, body)
