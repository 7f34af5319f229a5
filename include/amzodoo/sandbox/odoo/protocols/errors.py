"""Serialising errors the way Odoo's http layer does (odoo.http.serialize_exception)."""

from __future__ import annotations

import traceback
from typing import Any

from ..exceptions import OdooError, ServerError


def as_odoo_error(exc: BaseException) -> OdooError:
    if isinstance(exc, OdooError):
        return exc
    return ServerError(str(exc), f"builtins.{type(exc).__name__}")


def odoo_traceback(exc: BaseException) -> str:
    """The traceback text Odoo sends, ending in `<class>: <message>` under Odoo's class name."""
    error = as_odoo_error(exc)
    frames = traceback.format_exception(exc, chain=False)[:-1]
    return "".join(frames) + f"{error.wire_name.removeprefix('builtins.')}: {error.message}\n"


def serialize(exc: BaseException) -> dict[str, Any]:
    error = as_odoo_error(exc)
    return {
        "name": error.wire_name,
        "message": error.message,
        "arguments": [error.message],
        "context": {},
        "debug": odoo_traceback(exc),
    }
