"""Serialising errors the way Odoo's http layer does (odoo.http.serialize_exception)."""

from __future__ import annotations

import traceback
from typing import Any

from ..exceptions import AccessDenied, OdooError, ServerError


def as_odoo_error(exc: BaseException) -> OdooError:
    if isinstance(exc, OdooError):
        return exc
    return ServerError(str(exc), f"builtins.{type(exc).__name__}")


def odoo_traceback(exc: BaseException) -> str:
    """The traceback text Odoo sends, ending in `<class>: <message>` under Odoo's class name."""
    error = as_odoo_error(exc)
    tail = f"{error.wire_name.removeprefix('builtins.')}: {error.message}\n"
    if isinstance(error, AccessDenied):
        # Odoo strips the traceback of authentication failures.
        return tail
    return "".join(traceback.format_exception(exc, chain=False)[:-1]) + tail


def serialize(exc: BaseException) -> dict[str, Any]:
    error = as_odoo_error(exc)
    return {
        "name": error.wire_name,
        "message": error.message,
        "arguments": [error.message],
        "context": {},
        "debug": odoo_traceback(exc),
    }
