"""Odoo faults as exceptions that say which model and method failed and what the server answered."""

from __future__ import annotations

# Odoo's exception class names (the "name" of a fault) mapped to the connector's categories.
_KINDS = {
    "ValidationError": "validation",
    "UserError": "user",
    "AccessDenied": "access_denied",
    "AccessError": "access",
    "MissingError": "missing",
    "RedirectWarning": "user",
    "LockError": "user",
}


def kind_of(exception_name: str) -> str:
    short = exception_name.rsplit(".", 1)[-1]
    return _KINDS.get(short, "server")


class OdooError(RuntimeError):
    """An Odoo call failed. ``kind`` is validation / user / access / access_denied / missing / server /
    unavailable; ``server_message`` is Odoo's own message."""

    def __init__(
        self, model: str, method: str, server_message: str, *, kind: str = "server", exception: str = "",
        http_status: int | None = None,
    ) -> None:
        self.http_status = http_status  # of a JSON-2 answer; JSON-RPC and XML-RPC faults come with 200
        self.model = model
        self.method = method
        self.server_message = server_message
        self.kind = kind
        self.exception = exception
        label = exception.rsplit(".", 1)[-1] if exception else kind
        super().__init__(f"Odoo {model}.{method} failed ({label}): {server_message}")

    @property
    def retryable(self) -> bool:
        # Data errors need a person; a server that is down or overloaded may recover by the next try.
        return self.kind in {"unavailable", "server"}


class OdooUnavailable(OdooError):
    """Odoo could not be reached (refused, timed out, 5xx without an Odoo fault)."""

    def __init__(self, model: str, method: str, detail: str) -> None:
        super().__init__(model, method, detail, kind="unavailable")
