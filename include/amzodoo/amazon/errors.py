"""Errors raised by the connector's SP-API layer. Messages carry context, never credentials."""

from __future__ import annotations


class SpApiError(RuntimeError):
    """An SP-API call failed after retries (or with an error that retrying cannot fix)."""

    def __init__(
        self,
        message: str,
        *,
        account: str = "",
        operation: str = "",
        status: int | None = None,
        code: str | None = None,
        retryable: bool = False,
        rate_limit: float | None = None,
    ) -> None:
        where = " ".join(p for p in (f"account={account}" if account else "", operation) if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.account = account
        self.operation = operation
        self.status = status
        self.code = code
        self.retryable = retryable
        self.rate_limit = rate_limit


class SpApiHttpError(SpApiError):
    """A non-2xx answer that python-amazon-sp-api would have returned as if it were a success."""
