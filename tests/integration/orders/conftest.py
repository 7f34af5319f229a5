"""The order DAGs end to end: Airflow's dag.test() against the SP-API sandbox and an Odoo (stand-in or real)
over HTTP, staging on the machine's PostgreSQL."""

from __future__ import annotations

import json
import os
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.transports import OdooCredentials
from amzodoo.odoo.versions import OdooDialect
from amzodoo.sandbox.spapi import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, SpApiSandbox
from amzodoo.staging.store import StagingStore
from tests.fixtures.airflow_env import DAGS
from tests.fixtures.spapi import clear_sp_api_token_cache
from tests.fixtures.staging import PG_URL, postgres_available

CONFIG = """
odoo_conn_id: odoo_it
staging_conn_id: amzodoo_staging_it
accounts:
  na_main:
    amazon_conn_id: amazon_sp_api_na_main_it
    marketplaces: [US, CA, MX]
  eu_main:
    amazon_conn_id: amazon_sp_api_eu_main_it
    marketplaces: [DE, FR, UK, IT, ES, NL]
"""


@dataclass
class World:
    sandbox: SpApiSandbox
    odoo: OdooClient
    store: StagingStore
    dags: dict
    target: object

    def run(self, dag_id: str, **conf) -> str:
        run = self.dags[dag_id].test(run_conf=conf or None)
        return str(run.state)

    def run_all(self, **conf) -> dict[str, str]:
        return {dag_id: self.run(dag_id, **conf) for dag_id in sorted(self.dags)}

    def window(self, start: datetime, end: datetime) -> dict:
        return {"window_start": start.isoformat(), "window_end": end.isoformat()}

    def odoo_orders(self, order_ids: list[str]) -> list[dict]:
        return self.odoo.search_read_in("sale.order", "client_order_ref", order_ids,
                                        ["client_order_ref", "state", "amount_total", "partner_id", "picking_ids"])


@pytest.fixture(scope="session")
def airflow_db():
    from airflow.utils import db

    db.initdb()


@pytest.fixture(scope="module")
def world(odoo_target, airflow_db, tmp_path_factory) -> Iterator[World]:
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_URL}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    from airflow.dag_processing.dagbag import DagBag

    from amzodoo.runtime import config_at, store_for

    clear_sp_api_token_cache()
    # A real Odoo keeps earlier runs' orders: fresh Amazon order ids there, a fixed seed on the stand-in.
    seed = 7 if odoo_target.is_standin else random.SystemRandom().randrange(10**6)
    # The sandbox's clock is the wall clock, as Amazon's; its reports finish in a second instead of a minute.
    sandbox = SpApiSandbox(seed=seed, orders_per_marketplace=12, history_days=3, job_seconds=1)
    sandbox.start()
    schema = f"amzodoo_it_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    config_path = tmp_path_factory.mktemp("config") / "connector.yaml"
    config_path.write_text(CONFIG)
    env = {
        "AMZODOO_CONFIG": str(config_path),
        "AMZODOO_REPORT_POLL_SECONDS": "0.3",
        "AMZODOO_RETRY_DELAY_SECONDS": "1",
        "AIRFLOW_CONN_AMZODOO_STAGING_IT": json.dumps({
            "conn_type": "postgres", "host": "127.0.0.1", "port": 5432, "login": "postgres", "schema": "test",
            "extra": {"schema": schema}}),
        "AIRFLOW_CONN_ODOO_IT": json.dumps({
            "conn_type": "odoo", "host": odoo_target.url, "schema": odoo_target.database,
            "login": odoo_target.login, "password": odoo_target.password,
            "extra": {"api_key": odoo_target.api_key} if odoo_target.api_key else {}}),
    }
    for data in sandbox.state.accounts.values():
        env[f"AIRFLOW_CONN_AMAZON_SP_API_{data.account.name.upper()}_IT"] = json.dumps({
            "conn_type": "amazon_sp_api", "login": SANDBOX_LWA_APP_ID, "password": SANDBOX_LWA_CLIENT_SECRET,
            "extra": {"refresh_token": data.account.refresh_token, "region": data.account.region,
                      "endpoint": sandbox.url}})
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    store_for.cache_clear()
    config_at.cache_clear()
    odoo = OdooClient.connect(OdooCredentials(odoo_target.url, odoo_target.database, odoo_target.login,
                                              odoo_target.password, odoo_target.api_key or ""))
    _seed_catalog(odoo, sandbox)
    bag = DagBag(dag_folder=str(Path(DAGS) / "amazon_orders.py"))
    assert bag.import_errors == {}
    store = StagingStore.from_url(PG_URL, schema=schema)
    try:
        yield World(sandbox, odoo, store, bag.dags, odoo_target)
    finally:
        sandbox.stop()
        store.engine.dispose()
        store_for.cache_clear()
        config_at.cache_clear()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _seed_catalog(odoo: OdooClient, sandbox: SpApiSandbox) -> None:
    """Most listed SKUs exist in Odoo as products; unlisted ones fall back to the default product."""
    dialect = OdooDialect(odoo.major_version)
    skus = {listing.sku: listing.title for data in sandbox.state.accounts.values()
            for listing in (data.listings.values() if isinstance(data.listings, dict) else data.listings)}
    known = {r["default_code"] for r in odoo.search_read_in("product.product", "default_code", skus, ["default_code"])}
    missing = [{"name": title[:100], "default_code": sku, **dialect.storable_product()}
               for sku, title in sorted(skus.items()) if sku not in known]
    if missing:
        odoo.create("product.product", missing)
