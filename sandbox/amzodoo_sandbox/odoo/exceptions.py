"""Odoo's exception classes, named and qualified as Odoo names them on the wire.

The protocol layers serialise these exactly as Odoo would (``odoo.exceptions.UserError`` and friends), so a client
that branches on the error name or status behaves the same against the stand-in and a real server.
"""

from __future__ import annotations


class OdooError(Exception):
    """Base of every error the stand-in raises on purpose; ``wire_name`` is Odoo's qualified class name."""

    wire_name = "odoo.exceptions.UserError"
    http_status = 422

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UserError(OdooError):
    wire_name = "odoo.exceptions.UserError"
    http_status = 422


class ValidationError(UserError):
    wire_name = "odoo.exceptions.ValidationError"


class AccessDenied(UserError):
    wire_name = "odoo.exceptions.AccessDenied"
    http_status = 403

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)


class AccessError(UserError):
    wire_name = "odoo.exceptions.AccessError"
    http_status = 403


class MissingError(UserError):
    wire_name = "odoo.exceptions.MissingError"
    http_status = 404


class NotFoundError(OdooError):
    """A JSON-2 route or model that does not exist (werkzeug's NotFound in Odoo)."""

    wire_name = "werkzeug.exceptions.NotFound"
    http_status = 404


class UnauthorizedError(OdooError):
    """JSON-2 without a valid bearer key (werkzeug's Unauthorized in Odoo)."""

    wire_name = "werkzeug.exceptions.Unauthorized"
    http_status = 401


class BadRequestError(OdooError):
    """A JSON-2 body that is not JSON (werkzeug's BadRequest in Odoo)."""

    wire_name = "werkzeug.exceptions.BadRequest"
    http_status = 400


class UnprocessableError(OdooError):
    """JSON-2 arguments that do not bind to the method's signature (werkzeug's UnprocessableEntity)."""

    wire_name = "werkzeug.exceptions.UnprocessableEntity"
    http_status = 422


class ServerError(OdooError):
    """Any other failure (Odoo reports Python's own exception name with status 500)."""

    http_status = 500

    def __init__(self, message: str, wire_name: str = "builtins.ValueError") -> None:
        super().__init__(message)
        self.wire_name = wire_name


class InjectedOutage(Exception):
    """Raised by fault injection of kind "down": the HTTP layer answers 503 without an Odoo payload."""


def missing_record(model: str, ids: list[int], uid: int) -> MissingError:
    record = f"{model}({', '.join(str(i) for i in ids)},)"
    return MissingError(f"Record does not exist or has been deleted.\n(Record: {record}, User: {uid})")
