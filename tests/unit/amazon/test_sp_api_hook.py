"""The SP-API hook and session against a small real HTTP server: retries, 429 pacing, bare errors, secrets."""

from __future__ import annotations

import json

import pytest
from sp_api.api import Orders
from sp_api.auth.access_token_client import cache as token_cache

from amzodoo.amazon.clients import SpApiCredentials
from amzodoo.amazon.errors import SpApiError
from amzodoo.amazon.hook import AmazonSpApiHook
from amzodoo.amazon.retry import RetryPolicy
from amzodoo.amazon.session import SpApiSession
from tests.fixtures.scripted_http import Answer, scripted_server

SECRET = "lwa-secret-value-123"
REFRESH = "Atzr|refresh-token-value-456"
TOKEN = {"access_token": "Atza|access-token-value-789", "token_type": "bearer", "expires_in": 3600}
ORDERS_PAGE = {"orders": [], "pagination": {}, "createdAfter": "2026-11-01T00:00:00Z"}


@pytest.fixture(autouse=True)
def _fresh_token_cache():
    token_cache.clear()
    yield
    token_cache.clear()


def session_for(url: str, sleeps: list[float]) -> SpApiSession:
    creds = SpApiCredentials("app-id", SECRET, REFRESH, endpoint=url)
    return SpApiSession(creds, account="na_main", retry=RetryPolicy(attempts=4, sleep=sleeps.append))


def search(session: SpApiSession):
    client = session.client(Orders, "US", version="2026-01-01")
    return session.call(
        "orders.searchOrders",
        lambda: client.search_orders(createdAfter="2026-11-01T00:00:00Z", marketplaceIds=["ATVPDKIKX0DER"]),
    )


def test_429_waits_for_the_rate_limit_header_then_succeeds():
    answers = iter([
        Answer(429, {"errors": [{"code": "QuotaExceeded", "message": "You exceeded your quota"}]},
               {"x-amzn-RateLimit-Limit": "0.0056"}),
        Answer(200, ORDERS_PAGE, {"x-amzn-RateLimit-Limit": "0.0056"}),
    ])

    def script(req):
        return Answer(200, TOKEN) if req.path == "/auth/o2/token" else next(answers)

    sleeps: list[float] = []
    with scripted_server(script) as (url, seen):
        session = session_for(url, sleeps)
        response = search(session)
    assert response.payload["orders"] == []
    assert session.calls["orders.searchOrders"] == 2 and session.throttled == 1
    assert sleeps and sleeps[0] >= 1 / 0.0056 - 1  # waited one request's refill, not a blind backoff
    api_calls = [r for r in seen if r.path.startswith("/orders/2026-01-01/orders")]
    assert all(r.headers["x-amz-access-token"] == TOKEN["access_token"] for r in api_calls)


def test_bare_5xx_without_error_body_is_an_error_after_retries():
    def script(req):
        if req.path == "/auth/o2/token":
            return Answer(200, TOKEN)
        return Answer(502, "<html><body>Bad Gateway</body></html>")

    sleeps: list[float] = []
    with scripted_server(script) as (url, _):
        session = session_for(url, sleeps)
        with pytest.raises(SpApiError) as err:
            search(session)
    assert err.value.status == 502
    assert "account=na_main orders.searchOrders" in str(err.value)
    assert session.calls["orders.searchOrders"] == 4 and len(sleeps) == 3


def test_non_retryable_error_fails_at_once_and_names_amazons_code():
    def script(req):
        if req.path == "/auth/o2/token":
            return Answer(200, TOKEN)
        return Answer(400, {"errors": [{"code": "InvalidInput", "message": "createdBefore too recent"}]})

    sleeps: list[float] = []
    with scripted_server(script) as (url, _):
        session = session_for(url, sleeps)
        with pytest.raises(SpApiError, match="InvalidInput: createdBefore too recent") as err:
            search(session)
    assert err.value.status == 400 and sleeps == []


def test_lwa_refusal_is_reported_without_secrets():
    def script(req):
        return Answer(400, {"error": "invalid_grant", "error_description": "The request has an invalid grant"})

    with scripted_server(script) as (url, _):
        session = session_for(url, [])
        with pytest.raises(Exception) as err:
            search(session)
    text = repr(err.value) + str(err.value)
    assert "invalid_grant" in text or "invalid grant" in text
    assert SECRET not in text and REFRESH not in text


def test_hook_reads_the_connection_and_tests_it(monkeypatch):
    def script(req):
        if req.path == "/auth/o2/token":
            return Answer(200, TOKEN)
        assert req.path == "/sellers/v1/marketplaceParticipations"
        return Answer(200, {"payload": [{"marketplace": {"id": "ATVPDKIKX0DER"}}, {"marketplace": {"id": "x"}}]})

    with scripted_server(script) as (url, _):
        conn = {"conn_type": "amazon_sp_api", "login": "app-id", "password": SECRET,
                "extra": {"refresh_token": REFRESH, "region": "NA", "seller_id": "A1", "endpoint": url}}
        monkeypatch.setenv("AIRFLOW_CONN_AMZ_TEST", json.dumps(conn))
        hook = AmazonSpApiHook("amz_test", account="na_main")
        assert hook.test_connection() == (True, f"Connected to {url}: the seller participates in 2 marketplace(s).")
        creds = hook.get_credentials()
    assert creds.endpoint == url and creds.seller_id == "A1"
    assert SECRET not in repr(creds) and REFRESH not in repr(creds)


def test_hook_rejects_incomplete_connection(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_AMZ_BAD", json.dumps({"conn_type": "amazon_sp_api", "login": "id"}))
    ok, message = AmazonSpApiHook("amz_bad").test_connection()
    assert not ok
    assert "password (LWA client secret)" in message and "refresh_token" in message
