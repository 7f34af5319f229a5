import pytest
from sp_api.api import Orders
from sp_api.auth.exceptions import AuthorizationError
from sp_api.base.exceptions import SellingApiForbiddenException

from amzodoo.amazon.clients import SpApiCredentials, build_client
from amzodoo_sandbox.spapi import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET


def _client(url, secret=SANDBOX_LWA_CLIENT_SECRET, refresh="Atzr|amzodoo-sandbox-na_main", app=SANDBOX_LWA_APP_ID):
    return build_client(Orders, SpApiCredentials(app, secret, refresh, endpoint=url), "US", version="2026-01-01")


def test_token_then_call(spapi_sandbox, since):
    response = _client(spapi_sandbox.url).search_orders(createdAfter=since())
    assert response.payload["orders"]
    assert spapi_sandbox.counters("na_main")["lwa.token"] == 1


@pytest.mark.parametrize(
    ("kwargs", "status", "error"),
    [
        ({"secret": "wrong-secret"}, 401, "invalid_client"),
        ({"app": "amzn1.application-oa2-client.someone-else"}, 401, "invalid_client"),
        ({"refresh": "Atzr|not-a-sandbox-token"}, 400, "invalid_grant"),
    ],
)
def test_wrong_credentials_are_refused_like_lwa(spapi_sandbox, kwargs, status, error):
    with pytest.raises(AuthorizationError) as caught:
        _client(spapi_sandbox.url, **kwargs).search_orders(createdAfter="2026-01-01T00:00:00Z")
    assert caught.value.status_code == status
    assert caught.value.error_code == error
    assert "wrong-secret" not in str(caught.value.message)


def test_grantless_token_and_scope(spapi_sandbox):
    import httpx

    form = {
        "grant_type": "client_credentials",
        "client_id": SANDBOX_LWA_APP_ID,
        "client_secret": SANDBOX_LWA_CLIENT_SECRET,
    }
    ok = httpx.post(spapi_sandbox.url + "/auth/o2/token", data={**form, "scope": "sellingpartnerapi::notifications"})
    assert ok.status_code == 200 and ok.json()["expires_in"] == 3600 and ok.json()["access_token"].startswith("Atc|")
    bad = httpx.post(spapi_sandbox.url + "/auth/o2/token", data={**form, "scope": "sellingpartnerapi::everything"})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_scope"
    # A grantless token cannot read a seller's orders.
    denied = httpx.get(
        spapi_sandbox.url + "/orders/2026-01-01/orders/111-0000000-0000000",
        headers={"x-amz-access-token": ok.json()["access_token"]},
    )
    assert denied.status_code == 403 and denied.json()["errors"][0]["code"] == "Unauthorized"


def test_missing_and_expired_tokens(spapi_sandbox, since):
    import httpx

    response = httpx.get(spapi_sandbox.url + "/orders/2026-01-01/orders", params={"createdAfter": since()})
    assert response.status_code == 403 and response.json()["errors"][0]["code"] == "Unauthorized"
    client = _client(spapi_sandbox.url)
    client.search_orders(createdAfter=since())
    spapi_sandbox.state.expire_tokens()
    with pytest.raises(SellingApiForbiddenException) as caught:
        client.search_orders(createdAfter=since())
    assert "expired" in caught.value.error[0]["details"]
