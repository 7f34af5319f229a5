"""Airflow hook for the "Odoo" connection type (``odoo``).

Connection fields: host = the Odoo URL, schema = database, login, password (a password or an API key);
extras: protocol (auto | json2 | jsonrpc | xmlrpc), api_key, timeout. ``auto`` uses JSON-2 on Odoo 19+ when an
API key is given and JSON-RPC through odoorpc otherwise (docs/BEHAVIOR.md explains why).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from airflow.sdk import BaseHook
from airflow.sdk.log import mask_secret

from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.transports import OdooCredentials


def credentials_from_connection(conn: Any) -> tuple[OdooCredentials, str]:
    extra = conn.extra_dejson or {}
    url = (conn.host or "").strip()
    if url and "://" not in url:
        url = f"http://{url}"
    if conn.port and url.count(":") < 2:
        url = f"{url}:{conn.port}"
    missing = [n for n, v in (("host (URL)", url), ("schema (database)", conn.schema), ("login", conn.login)) if not v]
    if not (conn.password or extra.get("api_key")):
        missing.append("password or api_key")
    if missing:
        raise ValueError(f"connection {conn.conn_id!r} lacks {', '.join(missing)}")
    protocol = str(extra.get("protocol") or "auto").lower()
    if protocol not in {"auto", "json2", "jsonrpc", "xmlrpc"}:
        raise ValueError(f"connection {conn.conn_id!r}: protocol must be auto, json2, jsonrpc or xmlrpc")
    creds = OdooCredentials(
        url=url,
        database=conn.schema,
        login=conn.login,
        password=conn.password or "",
        api_key=extra.get("api_key") or "",
        timeout=float(extra.get("timeout") or 120),
    )
    return creds, protocol


class OdooHook(BaseHook):
    conn_name_attr = "odoo_conn_id"
    default_conn_name = "odoo_default"
    conn_type = "odoo"
    hook_name = "Odoo"

    def __init__(self, odoo_conn_id: str = default_conn_name, *, context: dict | None = None) -> None:
        super().__init__()
        self.odoo_conn_id = odoo_conn_id
        self._context = context

    def get_credentials(self) -> tuple[OdooCredentials, str]:
        creds, protocol = credentials_from_connection(self.get_connection(self.odoo_conn_id))
        for secret in (creds.password, creds.api_key):
            if secret:
                mask_secret(secret)
        return creds, protocol

    @cached_property
    def client(self) -> OdooClient:
        creds, protocol = self.get_credentials()
        return OdooClient.connect(creds, protocol, context=self._context)

    def get_conn(self) -> OdooClient:
        return self.client

    def test_connection(self) -> tuple[bool, str]:
        from amzodoo.odoo.connection_test import check_odoo

        try:
            creds, protocol = self.get_credentials()
        except Exception as exc:
            return False, str(exc)
        return check_odoo(creds, protocol)
