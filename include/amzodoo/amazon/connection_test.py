"""The Connections page's "Test" for an Amazon Selling Partner API connection.

It gets a fresh LWA access token (never one cached from an earlier, correct secret: python-amazon-sp-api caches
tokens by refresh token for 53 minutes) and calls ``getMarketplaceParticipations``. A failure names the URL that
failed (the LWA token endpoint or the SP-API host), the HTTP status and Amazon's code and message.
"""

from __future__ import annotations

import httpx
from sp_api.auth import access_token_client
from sp_api.auth.exceptions import AuthorizationError
from sp_api.base import Marketplaces

from amzodoo.amazon.clients import SpApiCredentials
from amzodoo.amazon.errors import SpApiError
from amzodoo.amazon.retry import RetryPolicy
from amzodoo.amazon.session import SpApiSession

LWA_URL = "https://api.amazon.com/auth/o2/token"
REGION_MARKETPLACE = {"NA": "US", "EU": "DE", "FE": "JP"}
# A Test answers within seconds: two tries, short timeouts (a sync run keeps its patient retries).
TEST_RETRY = RetryPolicy(attempts=2, base_delay=0.5, max_delay=2.0)
TEST_TIMEOUT = 15.0


def endpoints(credentials: SpApiCredentials) -> tuple[str, str]:
    """(LWA token URL, SP-API host) this connection talks to."""
    marketplace = REGION_MARKETPLACE[credentials.region]
    api = (credentials.endpoint or Marketplaces[marketplace].endpoint).rstrip("/")
    lwa_base = credentials.lwa_endpoint or credentials.endpoint
    return (f"{lwa_base.rstrip('/')}/auth/o2/token" if lwa_base else LWA_URL), api


def check_sp_api(credentials: SpApiCredentials) -> tuple[bool, str]:
    from sp_api.api import Sellers

    lwa_url, api_url = endpoints(credentials)
    access_token_client.cache.clear()
    session = SpApiSession(credentials, retry=TEST_RETRY, timeout=TEST_TIMEOUT)
    try:
        client = session.client(Sellers, REGION_MARKETPLACE[credentials.region])
        response = session.call("sellers.getMarketplaceParticipations", client.get_marketplace_participation)
    except AuthorizationError as exc:
        return False, (f"Login with Amazon at {lwa_url} refused the credentials: HTTP {exc.status_code} "
                       f"{exc.error_code}: {exc.message}")
    except SpApiError as exc:
        status = f"HTTP {exc.status} " if exc.status else ""
        return False, f"SP-API at {api_url}: {status}{str(exc).removeprefix(': ')}"
    except httpx.HTTPError as exc:
        return False, f"{lwa_url} or {api_url} did not answer: {type(exc).__name__}: {exc}"
    finally:
        session.close()
    count = len(response.payload or [])
    return True, f"Connected to {api_url}: the seller participates in {count} marketplace(s)."
