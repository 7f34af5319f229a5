"""One seller account's SP-API access: clients, retries, quota, and honest error detection."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from sp_api.base import ApiResponse
from sp_api.base.exceptions import SellingApiException

from amzodoo.amazon.clients import SpApiCredentials, build_client
from amzodoo.amazon.errors import SpApiError, SpApiHttpError
from amzodoo.amazon.limiter import Limiter, NoLimiter
from amzodoo.amazon.retry import RETRYABLE_STATUSES, RetryPolicy, rate_limit_of, status_of

if TYPE_CHECKING:
    from amzodoo.amazon.tokens_api import RestrictedDataToken

log = logging.getLogger(__name__)
ClientT = TypeVar("ClientT")


def _raise_for_bare_error(response: httpx.Response) -> None:
    """python-amazon-sp-api only raises when a body has "errors"; a bare 5xx/HTML page must fail too."""
    if response.is_success:
        return
    response.read()
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("errors"):
        return  # the library raises its own exception with Amazon's error list
    limit = response.headers.get("x-amzn-RateLimit-Limit")
    raise SpApiHttpError(
        f"HTTP {response.status_code} without an SP-API error body from {response.request.url.path}",
        status=response.status_code,
        retryable=response.status_code in RETRYABLE_STATUSES,
        rate_limit=float(limit) if limit else None,
    )


class SpApiSession:
    """Calls SP-API operations for one seller account.

    ``call("orders.searchOrders", fn)`` waits for the account's quota, retries what can be retried, and turns
    the final failure into an :class:`SpApiError` that names the account and the operation.
    """

    def __init__(
        self,
        credentials: SpApiCredentials,
        *,
        account: str = "",
        limiter: Limiter | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.credentials = credentials
        self.account = account
        self.limiter = limiter or NoLimiter()
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.calls: Counter[str] = Counter()  # requests sent, retries included
        self.throttled = 0
        self.quota_wait_seconds = 0.0
        self._clients: dict[tuple[type, str, str | None], Any] = {}

    def client(self, api_class: type[ClientT], marketplace_code: str, version: str | None = None) -> ClientT:
        key = (api_class, marketplace_code, version)
        if key not in self._clients:
            client = build_client(
                api_class, self.credentials, marketplace_code, version=version, timeout=self.timeout
            )
            client._transport._client.event_hooks["response"].append(_raise_for_bare_error)
            self._clients[key] = client
        return self._clients[key]

    @contextmanager
    def restricted_client(self, api_class: type[ClientT], marketplace_code: str, token: RestrictedDataToken,
                          version: str | None = None) -> Iterator[ClientT]:
        """A client that sends a Restricted Data Token instead of the access token (amazon/tokens_api.py).

        Never cached: an RDT covers only the resources it was issued for and expires within the hour. Calls go
        through ``call`` as any other, so quota, retries and error detection are the same.
        """
        client = build_client(api_class, self.credentials, marketplace_code, version=version, timeout=self.timeout)
        client.restricted_data_token = token.value
        client.keep_restricted_data_token = True
        client._transport._client.event_hooks["response"].append(_raise_for_bare_error)
        try:
            yield client
        finally:
            client.close()

    def call(self, operation: str, fn: Callable[[], ApiResponse]) -> ApiResponse:
        def attempt() -> ApiResponse:
            self.quota_wait_seconds += self.limiter.acquire(operation)
            self.calls[operation] += 1
            try:
                return fn()
            except BaseException as exc:
                if status_of(exc) == 429:
                    self.throttled += 1
                raise

        try:
            return self.retry.run(attempt)
        except SpApiError as exc:
            raise SpApiError(
                exc.args[0], account=self.account, operation=operation, status=exc.status
            ) from None
        except SellingApiException as exc:
            raise SpApiError(
                f"{type(exc).__name__}: {_error_text(exc)}",
                account=self.account,
                operation=operation,
                status=status_of(exc),
                code=getattr(exc, "amzn_code", None),
                rate_limit=rate_limit_of(exc),
            ) from None
        except httpx.TransportError as exc:
            raise SpApiError(
                f"network error after retries: {type(exc).__name__}", account=self.account, operation=operation
            ) from None

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()


def _error_text(exc: SellingApiException) -> str:
    errors = getattr(exc, "error", None) or []
    try:
        return "; ".join(f"{e.get('code')}: {e.get('message')}" for e in errors) or "no details"
    except AttributeError:
        return json.dumps(errors)[:500]
