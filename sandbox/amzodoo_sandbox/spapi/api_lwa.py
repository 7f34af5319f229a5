"""Login with Amazon: ``POST /auth/o2/token`` for refresh_token and client_credentials grants.

Errors follow LWA's OAuth shape (``{"error", "error_description"}``), never the SP-API ``errors`` list, and
never echo a secret.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from .accounts import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET
from .http_types import Request, Response
from .state import SandboxState

GRANTLESS_SCOPES = {
    "sellingpartnerapi::notifications",
    "sellingpartnerapi::client_credential:rotation",
    "sellingpartnerapi::migration",
}


def _error(status: int, error: str, description: str) -> Response:
    return Response(status, {"error": error, "error_description": description})


def token(state: SandboxState, request: Request) -> Response:
    form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
    grant_type = form.get("grant_type")
    if grant_type not in ("refresh_token", "client_credentials"):
        return _error(400, "unsupported_grant_type", "The authorization grant type is not supported.")
    if not form.get("client_id") or not form.get("client_secret"):
        return _error(400, "invalid_request", "The request is missing a required parameter : client_id")
    if form["client_id"] != SANDBOX_LWA_APP_ID or form["client_secret"] != SANDBOX_LWA_CLIENT_SECRET:
        return _error(401, "invalid_client", "Client authentication failed")
    if grant_type == "client_credentials":
        scope = form.get("scope")
        if scope not in GRANTLESS_SCOPES:
            return _error(400, "invalid_scope", "The requested scope is invalid, unknown, or malformed.")
        access_token, lifetime = state.issue_token(None)
        return Response(
            200, {"access_token": access_token, "scope": scope, "token_type": "bearer", "expires_in": lifetime}
        )
    refresh_token = form.get("refresh_token")
    if not refresh_token:
        return _error(400, "invalid_request", "The request is missing a required parameter : refresh_token")
    account = state.by_refresh_token.get(refresh_token)
    if account is None:
        return _error(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
    request.account = account
    access_token, lifetime = state.issue_token(account)
    return Response(
        200,
        {"access_token": access_token, "refresh_token": refresh_token, "token_type": "bearer", "expires_in": lifetime},
    )
