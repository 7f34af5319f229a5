"""Airflow hook for the "Amazon Selling Partner API" connection type (``amazon_sp_api``).

Connection fields: login = LWA client id, password = LWA client secret; extras: refresh_token, seller_id,
endpoint (override, e.g. the local sandbox) and region (NA/EU/FE). The DAGs take the region from the account's
marketplaces in connector.yaml, so a connection needs it only for the Test button of the connection form: Airflow
masks every extra value as if it were a secret and warns in each task log that "NA" is too short to mask. The hook
keeps only the connection id and builds its :class:`SpApiSession` lazily.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from airflow.sdk import BaseHook
from airflow.sdk.log import mask_secret

from amzodoo.amazon.clients import SpApiCredentials
from amzodoo.amazon.limiter import Limiter
from amzodoo.amazon.session import SpApiSession


def credentials_from_connection(conn: Any, region: str | None = None) -> SpApiCredentials:
    """Credentials from an Airflow connection; ``region`` (the account's, from its marketplaces) wins over the
    connection's own."""
    extra = conn.extra_dejson or {}
    missing = [
        name
        for name, value in (
            ("login (LWA client id)", conn.login),
            ("password (LWA client secret)", conn.password),
            ("refresh_token", extra.get("refresh_token")),
        )
        if not value
    ]
    if missing:
        raise ValueError(f"connection {conn.conn_id!r} lacks {', '.join(missing)}")
    region = str(region or extra.get("region") or "NA").upper()
    if region not in {"NA", "EU", "FE"}:
        raise ValueError(f"connection {conn.conn_id!r}: region must be NA, EU or FE, not {region!r}")
    return SpApiCredentials(
        lwa_app_id=conn.login,
        lwa_client_secret=conn.password,
        refresh_token=extra["refresh_token"],
        seller_id=extra.get("seller_id") or "",
        region=region,
        endpoint=extra.get("endpoint") or None,
        lwa_endpoint=extra.get("lwa_endpoint") or None,
    )


class AmazonSpApiHook(BaseHook):
    conn_name_attr = "amazon_conn_id"
    default_conn_name = "amazon_sp_api_default"
    conn_type = "amazon_sp_api"
    hook_name = "Amazon Selling Partner API"

    def __init__(
        self,
        amazon_conn_id: str = default_conn_name,
        *,
        account: str = "",
        limiter: Limiter | None = None,
        region: str | None = None,
    ) -> None:
        super().__init__()
        self.amazon_conn_id = amazon_conn_id
        self.account = account or amazon_conn_id
        self.region = region
        self._limiter = limiter

    def get_credentials(self) -> SpApiCredentials:
        credentials = credentials_from_connection(self.get_connection(self.amazon_conn_id), self.region)
        for secret in credentials.secrets:
            mask_secret(secret)
        return credentials

    @cached_property
    def session(self) -> SpApiSession:
        return SpApiSession(self.get_credentials(), account=self.account, limiter=self._limiter)

    def get_conn(self) -> SpApiSession:
        return self.session

    def test_connection(self) -> tuple[bool, str]:
        from amzodoo.amazon.connection_test import check_sp_api

        try:
            credentials = self.get_credentials()
        except Exception as exc:
            return False, str(exc)
        return check_sp_api(credentials)
