"""The one error the transform raises for a malformed Amazon payload."""

from __future__ import annotations


class TransformError(ValueError):
    """A payload field Amazon sent that the connector cannot use.

    ``field`` is the path inside the payload (``orderItems[2].quantityOrdered``). The message must never
    contain buyer data: callers add the account, marketplace and order id, which are safe to log.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message
