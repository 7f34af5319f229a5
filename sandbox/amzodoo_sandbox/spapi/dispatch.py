"""What happens to every SP-API request: token check, counter, injected faults, quota, handler, headers."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from urllib.parse import unquote

from .errors import ApiError, quota_exceeded, unauthorized
from .http_types import Request, Response
from .quotas import rate_limit_header
from .routes import Route
from .state import SandboxState


class DropConnection(Exception):
    """Close the socket without answering (a "drop" fault)."""


@dataclass
class Outcome:
    response: Response
    truncate: bool = False


def _authenticate(state: SandboxState, request: Request) -> str:
    token = request.headers.get("x-amz-access-token")
    if not token:
        raise unauthorized("Access token is missing in the request header.")
    with state.lock:
        entry = state.tokens.get(token)
        restricted = state.restricted_tokens.get(token)
    if restricted is not None:
        if restricted.expires_monotonic < time.monotonic():
            raise unauthorized("The Restricted Data Token you provided has expired.")
        # An RDT authorises only the restricted resources it was issued for, nothing else.
        if (request.method, unquote(request.path)) not in restricted.resources:
            raise unauthorized("The Restricted Data Token does not cover this resource.")
        request.restricted = True
        return restricted.account
    if entry is None:
        raise unauthorized("The access token you provided is revoked, malformed or invalid.")
    if entry.expires_monotonic < time.monotonic():
        raise unauthorized("The access token you provided has expired.")
    if entry.account is None:
        raise unauthorized("A grantless access token cannot call selling partner operations.")
    return entry.account


# For these, "truncate" cuts the document behind the returned URL (handled by the operation), not the JSON.
DOCUMENT_OPERATIONS = {"reports.getReportDocument", "feeds.getFeedDocument"}


def _apply_fault(state: SandboxState, request: Request) -> Outcome | None:
    kinds = ("5xx", "latency", "drop", "429")
    if request.operation not in DOCUMENT_OPERATIONS:
        kinds += ("truncate",)
    fault = state.faults.take(request.operation, kinds)
    if fault is None:
        return None
    if fault.kind == "latency":
        time.sleep(float(fault.options.get("seconds", 0.5)))
        return None
    if fault.kind == "drop":
        raise DropConnection
    if fault.kind == "429":
        return Outcome(Response(429, quota_exceeded().body()))
    if fault.kind == "truncate":
        return Outcome(Response(), truncate=True)
    status = int(fault.options.get("status", 503))
    if fault.options.get("html"):
        # Load balancers answer with an HTML page, not Amazon's JSON error list.
        page = f"<html><head><title>{status}</title></head><body><h1>{status} Bad Gateway</h1></body></html>"
        return Outcome(Response(status, page.encode(), content_type="text/html"))
    code = "InternalFailure" if status == 500 else "ServiceUnavailable"
    message = (
        "We encountered an internal error. Please try again." if status == 500 else "Service temporarily unavailable."
    )
    return Outcome(Response(status, {"errors": [{"code": code, "message": message}]}))


def handle(state: SandboxState, route: Route, request: Request) -> Outcome:
    request.operation = route.operation
    try:
        if route.kind == "document":
            return Outcome(route.handler(state, request))
        if route.kind == "sp":
            request.account = _authenticate_counted(state, request)
        outcome = _apply_fault(state, request)
        if outcome is not None and not outcome.truncate:
            if route.kind == "lwa":
                state.count("", request.operation)
            return _finish(outcome, route)
        if (
            route.kind == "sp"
            and state.enforce_quotas
            and not state.quotas.take(
                state.account(request.account or "").account.seller_id, route.operation, request.now
            )
        ):
            with state.lock:
                state.throttled += 1
            return _finish(Outcome(Response(429, quota_exceeded().body())), route)
        response = route.handler(state, request)
        if route.kind == "lwa":
            state.count(request.account or "", request.operation)
        return _finish(Outcome(response, truncate=outcome is not None), route)
    except ApiError as error:
        return _finish(Outcome(Response(error.status, error.body())), route)


def _authenticate_counted(state: SandboxState, request: Request) -> str:
    try:
        account = _authenticate(state, request)
    except ApiError:
        state.count("", request.operation)
        raise
    state.count(account, request.operation)
    return account


def _finish(outcome: Outcome, route: Route) -> Outcome:
    headers = outcome.response.headers
    headers.setdefault("x-amzn-RequestId", str(uuid.uuid4()))
    limit = rate_limit_header(route.operation)
    if limit is not None:
        headers["x-amzn-RateLimit-Limit"] = limit
    return outcome


def encode(response: Response) -> bytes:
    if response.body is None:
        return b""
    if isinstance(response.body, bytes):
        return response.body
    return json.dumps(response.body, ensure_ascii=False).encode("utf-8")
