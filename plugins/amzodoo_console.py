"""Airflow plugin "Amazon ⇄ Odoo": the operator's console in Airflow's navigation.

Registration only; everything else is in the connector package (``amzodoo.console``):
- a FastAPI app that Airflow's API server mounts at /amzodoo (Health, Orders needing attention, Reconciliation);
- an external view that puts it in Airflow's navigation, shown inside the Airflow UI (/plugin/amazon-odoo);
- a root middleware that lets the Connections page's Test work for the connector's connection types on Airflow
  3.3.2 (apache/airflow#73298).
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from amzodoo.console.app import URL_PREFIX, console_href, create_app
from amzodoo.console.connection_test_port import ConnectionTestPortZero


class AmazonOdooConsolePlugin(AirflowPlugin):
    name = "amzodoo_console"
    fastapi_apps = [{"app": create_app(), "url_prefix": URL_PREFIX, "name": "Amazon ⇄ Odoo console"}]
    fastapi_root_middlewares = [
        {"middleware": ConnectionTestPortZero, "name": "Connection Test without port 0 (apache/airflow#73298)"}
    ]
    external_views = [
        {
            "name": "Amazon ⇄ Odoo",
            "href": console_href(),
            "url_route": "amazon-odoo",
            "destination": "nav",
            "nav_top_level": True,
        }
    ]
