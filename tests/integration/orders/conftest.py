"""The order DAGs end to end: Airflow's dag.test() against the SP-API sandbox and an Odoo (stand-in or real)
over HTTP, staging on the machine's PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from amzodoo.config.marketplaces import MARKETPLACES
from amzodoo.odoo import binding
from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.transports import OdooCredentials
from amzodoo.staging.store import StagingStore
from amzodoo_sandbox.spapi import SpApiSandbox
from tests.fixtures.airflow_env import DAGS
from tests.fixtures.spapi import clear_sp_api_token_cache
from tests.fixtures.staging import PG_URL
from tests.fixtures.world import (
    amazon_connection,
    connector_environment,
    odoo_connection,
    require_postgres,
    seed_catalog,
    staging_connection,
    staging_schema,
)

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
    odoo: {fba_warehouse: FBAEU}
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
        """The Odoo orders of these Amazon orders (any marketplace), each with its ``amazon_order_id``."""
        origins = [binding.origin(code, oid) for code in MARKETPLACES for oid in order_ids]
        rows = self.odoo.search_read_in("sale.order", "origin", origins,
                                        ["origin", "state", "amount_total", "partner_id", "picking_ids"])
        return [{**row, "amazon_order_id": binding.amazon_order_id(row["origin"])} for row in rows]


@pytest.fixture(scope="session")
def airflow_db():
    from airflow.utils import db

    db.initdb()


@pytest.fixture(scope="module")
def world(odoo_target, airflow_db, tmp_path_factory) -> Iterator[World]:
    require_postgres()
    from airflow.dag_processing.dagbag import DagBag

    clear_sp_api_token_cache()
    # A real Odoo keeps earlier runs' orders: fresh Amazon order ids there, a fixed seed on the stand-in.
    seed = 7 if odoo_target.is_standin else random.SystemRandom().randrange(10**6)
    # The sandbox's clock is the wall clock, as Amazon's; its reports finish in a second instead of a minute.
    sandbox = SpApiSandbox(seed=seed, orders_per_marketplace=12, history_days=3, job_seconds=1)
    sandbox.start()
    config_path = tmp_path_factory.mktemp("config") / "connector.yaml"
    config_path.write_text(CONFIG)
    with staging_schema("amzodoo_it") as schema:
        env = {
            "AMZODOO_CONFIG": str(config_path),
            "AMZODOO_REPORT_POLL_SECONDS": "0.3",
            "AMZODOO_RETRY_DELAY_SECONDS": "1",
            "AIRFLOW_CONN_AMZODOO_STAGING_IT": staging_connection(schema),
            "AIRFLOW_CONN_ODOO_IT": odoo_connection(odoo_target.url, odoo_target.database, odoo_target.login,
                                                    odoo_target.password, odoo_target.api_key),
            **{f"AIRFLOW_CONN_AMAZON_SP_API_{data.account.name.upper()}_IT": amazon_connection(data.account,
                                                                                              sandbox.url)
               for data in sandbox.state.accounts.values()},
        }
        with connector_environment(env):
            odoo = OdooClient.connect(OdooCredentials(odoo_target.url, odoo_target.database, odoo_target.login,
                                                      odoo_target.password, odoo_target.api_key or ""))
            seed_catalog(odoo, [listing for data in sandbox.state.accounts.values()
                                for listing in data.listings.values()])
            bag = DagBag(dag_folder=str(Path(DAGS) / "amazon_orders.py"))
            assert bag.import_errors == {}
            store = StagingStore.from_url(PG_URL, schema=schema)
            try:
                yield World(sandbox, odoo, store, bag.dags, odoo_target)
            finally:
                sandbox.stop()
                store.engine.dispose()
