"""Serialising errors the way Odoo's http layer does (odoo.http.serialize_exception)."""

from __future__ import annotations

import traceback
from typing import Any

from ..exceptions import OdooError, ServerError


def as_odoo_error(exc: BaseException) -> OdooError:
    if isinstance(exc, OdooError):
        return exc
    return ServerError(str(exc), f"builtins.{type(exc).__name__}")


def serialize(exc: BaseException) -> dict[str, Any]:
    error = as_odoo_error(exc)
    return {
        "name": error.wire_name,
        "message": error.message,
        "arguments": [error.message],
        "context": {},
        "debug": "".join(traceback.format_exception(exc)),
    }
