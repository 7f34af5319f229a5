"""Airflow provider metadata: registers the "Amazon Selling Partner API" and "Odoo" connection types.

Airflow reads this through the ``apache_airflow_provider`` entry point of the installed package, so the two
connection types get their own forms in the UI without importing the hooks (Airflow 3 "conn-fields").
"""

from __future__ import annotations

from typing import Any


def _field(label: str, *, kind: str = "string", secret: bool = False, description: str | None = None,
           **schema: Any) -> dict[str, Any]:
    """One conn-field: the help text sits beside ``schema`` (Airflow shows ``description`` only from there)."""
    spec: dict[str, Any] = {"type": [kind, "null"], **schema}
    if secret:
        spec["format"] = "password"
    field: dict[str, Any] = {"label": label, "schema": spec}
    if description:
        field["description"] = description
    return field


def get_provider_info() -> dict[str, Any]:
    return {
        "package-name": "amzodoo-connector",
        "name": "Amazon <-> Odoo connector",
        "description": "Amazon Selling Partner API and Odoo hooks for the amzodoo connector DAGs.",
        "versions": ["0.1.0"],
        "hooks": [
            {"integration-name": "Amazon Selling Partner API", "python-modules": ["amzodoo.amazon.hook"]},
            {"integration-name": "Odoo", "python-modules": ["amzodoo.odoo.hook"]},
        ],
        "connection-types": [
            {
                "connection-type": "amazon_sp_api",
                "hook-class-name": "amzodoo.amazon.hook.AmazonSpApiHook",
                "hook-name": "Amazon Selling Partner API",
                "conn-fields": {
                    "refresh_token": _field("LWA refresh token", secret=True),
                    "region": _field("Region", default="NA", enum=["NA", "EU", "FE"]),
                    "seller_id": _field("Seller (merchant) id"),
                    "endpoint": _field(
                        "Endpoint override",
                        description="Leave empty for Amazon; http://127.0.0.1:8801 for the local sandbox.",
                    ),
                },
                "ui-field-behaviour": {
                    "hidden-fields": ["host", "schema", "port", "extra"],
                    "relabeling": {"login": "LWA client id", "password": "LWA client secret"},
                    "placeholders": {"login": "amzn1.application-oa2-client.…", "region": "NA"},
                },
            },
            {
                "connection-type": "odoo",
                "hook-class-name": "amzodoo.odoo.hook.OdooHook",
                "hook-name": "Odoo",
                "conn-fields": {
                    "protocol": _field(
                        "Protocol", default="auto", enum=["auto", "json2", "jsonrpc", "xmlrpc"],
                        description="auto: JSON-2 on Odoo 19+ with an API key, JSON-RPC otherwise.",
                    ),
                    "api_key": _field("API key (Odoo 19+: used by JSON-2)", secret=True),
                    "timeout": _field("Timeout (s)", kind="integer", default=120),
                },
                "ui-field-behaviour": {
                    "hidden-fields": ["port", "extra"],
                    "relabeling": {
                        "host": "URL",
                        "schema": "Database",
                        "login": "Login",
                        "password": "Password or API key",
                    },
                    "placeholders": {"host": "https://mycompany.odoo.com", "schema": "mycompany"},
                },
            },
        ],
    }
