"""The Connections page's Test of an Amazon connection: what a failure says, and that it proves the secret."""

from __future__ import annotations

import pytest
from sp_api.auth.access_token_client import cache as token_cache

from amzodoo.amazon.clients import SpApiCredentials
from amzodoo.amazon.connection_test import check_sp_api, endpoints
from tests.fixtures.scripted_http import Answer, scripted_server

SECRET = "lwa-secret-value-123"
REFRESH = "Atzr|refresh-token-value-456"
TOKEN = {"access_token": "Atza|access-token-value-789", "token_type": "bearer", "expires_in": 3600}
PARTICIPATIONS = {"payload": [{"marketplace": {"id": "ATVPDKIKX0DER"}}]}


@pytest.fixture(autouse=True)
def _fresh_token_cache():
    token_cache.clear()
    yield
    token_cache.clear()


def test_lwa_refusal_names_the_token_url_status_and_amazons_message():
    def script(req):
        return Answer(400, {"error": "invalid_client", "error_description": "Client authentication failed"})

    with scripted_server(script) as (url, _):
        ok, message = check_sp_api(SpApiCredentials("app-id", SECRET, REFRESH, endpoint=url))
    assert not ok
    assert message == (f"Login with Amazon at {url}/auth/o2/token refused the credentials: HTTP 400 "
                       "invalid_client: Client authentication failed")
    assert SECRET not in message and REFRESH not in message


def test_sp_api_refusal_names_the_host_status_and_amazons_error():
    def script(req):
        if req.path == "/auth/o2/token":
            return Answer(200, TOKEN)
        return Answer(403, {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied."}]})

    with scripted_server(script) as (url, _):
        ok, message = check_sp_api(SpApiCredentials("app-id", SECRET, REFRESH, endpoint=url))
    assert not ok
    assert message.startswith(f"SP-API at {url}: HTTP 403 sellers.getMarketplaceParticipations: ")
    assert "Unauthorized: Access to requested resource is denied." in message


def test_a_wrong_secret_fails_even_after_a_right_one_was_tested():
    """python-amazon-sp-api caches access tokens by refresh token: a Test must not pass on a cached token."""
    def script(req):
        if req.path == "/auth/o2/token":
            if f"client_secret={SECRET}" in req.body.decode():
                return Answer(200, TOKEN)
            return Answer(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        return Answer(200, PARTICIPATIONS)

    with scripted_server(script) as (url, _):
        assert check_sp_api(SpApiCredentials("app-id", SECRET, REFRESH, endpoint=url)) == (
            True, f"Connected to {url}: the seller participates in 1 marketplace(s).")
        ok, message = check_sp_api(SpApiCredentials("app-id", "a-wrong-secret", REFRESH, endpoint=url))
    assert not ok and "HTTP 401 invalid_client" in message


def test_unreachable_host_is_named():
    ok, message = check_sp_api(SpApiCredentials("app-id", SECRET, REFRESH, endpoint="http://127.0.0.1:9"))
    assert not ok and "http://127.0.0.1:9" in message


def test_amazons_own_endpoints_without_override():
    creds = SpApiCredentials("app-id", SECRET, REFRESH, region="EU")
    assert endpoints(creds) == ("https://api.amazon.com/auth/o2/token", "https://sellingpartnerapi-eu.amazon.com")
