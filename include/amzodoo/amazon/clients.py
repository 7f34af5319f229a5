"""Building python-amazon-sp-api clients with explicit credentials, pinned versions and an endpoint override.

python-amazon-sp-api reads credentials from the environment or a config file unless they are passed, picks the
marketplace from ``SP_API_DEFAULT_MARKETPLACE`` if that is set, and has no constructor argument for the API host.
Everything here is explicit so the same code talks to Amazon or to the local sandbox (docs/BEHAVIOR.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sp_api.auth import AccessTokenClient
from sp_api.base import Marketplaces

from amzodoo.config.marketplaces import marketplace as marketplace_for_code

# Amazon API versions the connector is written against. python-amazon-sp-api defaults Orders to v0.
PINNED_VERSIONS: dict[str, str] = {
    "orders": "2026-01-01",
    "orders_v0": "v0",
    "reports": "2021-06-30",
    "feeds": "2021-06-30",
    "listings_items": "2021-08-01",
}

ClientT = TypeVar("ClientT")


@dataclass(frozen=True)
class SpApiCredentials:
    """LWA credentials of one seller account. ``repr`` never shows the secrets."""

    lwa_app_id: str
    lwa_client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    seller_id: str = ""
    region: str = "NA"
    endpoint: str | None = None  # e.g. http://127.0.0.1:8801 for the sandbox; None = Amazon's regional host
    lwa_endpoint: str | None = None  # token host; defaults to ``endpoint`` when that is set

    def as_sp_api_dict(self) -> dict[str, str]:
        return {
            "refresh_token": self.refresh_token,
            "lwa_app_id": self.lwa_app_id,
            "lwa_client_secret": self.lwa_client_secret,
        }

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.lwa_client_secret, self.refresh_token)


_token_client_classes: dict[tuple[str, str], type[AccessTokenClient]] = {}


def token_client_class(lwa_url: str | None) -> type[AccessTokenClient]:
    """An AccessTokenClient subclass that asks ``lwa_url`` for tokens (Amazon's LWA when None)."""
    if not lwa_url:
        return AccessTokenClient
    parts = urlsplit(lwa_url)
    key = (parts.scheme, parts.netloc)
    if key not in _token_client_classes:
        _token_client_classes[key] = type(
            "LocalAccessTokenClient",
            (AccessTokenClient,),
            {"scheme": f"{parts.scheme}://", "host": parts.netloc},
        )
    return _token_client_classes[key]


def build_client(
    api_class: type[ClientT],
    credentials: SpApiCredentials,
    marketplace_code: str,
    *,
    version: str | None = None,
    timeout: float = 60.0,
) -> ClientT:
    """Instantiate ``api_class`` (e.g. ``sp_api.api.Orders``) for one marketplace of one seller account."""
    mp = marketplace_for_code(marketplace_code)
    sp_marketplace = Marketplaces["UK" if mp.code == "UK" else mp.code]
    kwargs: dict[str, Any] = {
        "credentials": credentials.as_sp_api_dict(),
        "refresh_token": credentials.refresh_token,
        "timeout": timeout,
        "auth_token_client_class": token_client_class(credentials.lwa_endpoint or credentials.endpoint),
    }
    if version:
        kwargs["version"] = version
    client = api_class(sp_marketplace, **kwargs)
    # The library derives the endpoint from the marketplace; the override points it at the sandbox.
    if credentials.endpoint:
        client.endpoint = credentials.endpoint.rstrip("/")
    # SP_API_DEFAULT_MARKETPLACE would silently override the marketplace we asked for.
    client.marketplace_id = mp.marketplace_id
    return client
