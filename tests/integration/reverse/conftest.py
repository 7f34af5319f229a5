"""The reverse flow end to end: the order DAG loads Amazon orders into Odoo, then the Odoo -> Amazon DAGs run
through Airflow's dag.test() against the SP-API sandbox and an Odoo (a fresh stand-in, or a real one given by
ODOO_URL), staging on the machine's PostgreSQL."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.inventory import count_stock
from amzodoo.odoo.transports import OdooCredentials
from amzodoo.staging.store import StagingStore
from amzodoo_sandbox.odoo import OdooStandin
from amzodoo_sandbox.spapi import SimClock, SpApiSandbox
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

# The connector's name for the seller (DAG ids, staging, locks) differs from the sandbox's: PostgreSQL advisory
# locks are per account name across schemas, and other suites running at the same time use "na_main".
ACCOUNT = "rev_na"
SANDBOX_ACCOUNT = "na_main"
SELLER = "A1NASANDBOX0001"
CONFIG = f"""
odoo_conn_id: odoo_rev
staging_conn_id: amzodoo_staging_rev
accounts:
  {ACCOUNT}:
    amazon_conn_id: amazon_sp_api_na_main_rev
    marketplaces: [US]
    odoo:
      carrier_map: {{UPS: UPS}}
"""
VALIDATE = {"skip_sms": True}


@dataclass
class World:
    sandbox: SpApiSandbox
    odoo: OdooClient
    store: StagingStore
    dags: dict
    standin: OdooStandin | None

    def run(self, dag_id: str, **conf) -> str:
        return str(self.dags[dag_id].test(run_conf=conf or None).state)

    def summary(self, flow: str) -> dict:
        return [s for s in self.store.summaries() if s["flow"] == flow][-1]

    def amazon_calls(self, operation: str) -> int:
        return self.sandbox.counters(SANDBOX_ACCOUNT).get(operation, 0)

    def fbm_orders(self) -> list[dict]:
        return [o for o in self.store.staged_orders(ACCOUNT, "US", states=["loaded"])
                if o["fulfillment_channel"] == "MFN" and o["odoo_order_id"]]

    def open_picking(self, odoo_order_id: int) -> dict | None:
        rows = self.odoo.search_read("stock.picking", [("sale_id", "=", odoo_order_id),
                                                       ("state", "not in", ["done", "cancel"])], ["id", "name"])
        return rows[0] if rows else None

    def validate(self, picking_id: int, *, carrier_id: int | None, tracking: str | None,
                 short: dict[int, float] | None = None) -> None:
        """Ship a delivery as a warehouse user would: carrier, tracking, quantities, Validate (backorder: yes)."""
        self.odoo.write("stock.picking", [picking_id], {"carrier_id": carrier_id or False,
                                                        "carrier_tracking_ref": tracking or False})
        for move in self.odoo.search_read("stock.move", [("picking_id", "=", picking_id)], ["product_uom_qty"]):
            quantity = (short or {}).get(move["id"], move["product_uom_qty"])
            self.odoo.write("stock.move", [move["id"]], {"quantity": quantity, "picked": True})
        result = self.odoo.execute("stock.picking", "button_validate", [picking_id], context=VALIDATE)
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            context = {**result["context"], **VALIDATE}
            wizard = self.odoo.create("stock.backorder.confirmation", [{}], context=context)
            self.odoo.execute("stock.backorder.confirmation", "process", wizard, context=context)

    def set_stock(self, location_id: int, quantities: dict[int, float]) -> None:
        """An inventory count in ``location_id`` (product id -> on-hand quantity)."""
        count_stock(self.odoo, [(p, location_id, q) for p, q in quantities.items()])

    def set_free_stock(self, location_id: int, quantities: dict[int, float]) -> None:
        """Count so that ``quantities`` are free once Odoo has served the deliveries waiting at that location.

        Counted stock goes to open deliveries first (Odoo reserves it at once); on a real Odoo those can be every
        FBM order earlier runs left open, so the count adds all their demand.
        """
        demand: dict[int, float] = dict.fromkeys(quantities, 0.0)
        for move in self.odoo.search_read("stock.move", [
            ("product_id", "in", list(quantities)), ("location_id", "=", location_id),
            ("state", "in", ["waiting", "confirmed", "partially_available", "assigned"]),
        ], ["product_id", "product_uom_qty"]):
            demand[move["product_id"][0]] += move["product_uom_qty"]
        self.set_stock(location_id, {p: q + demand[p] for p, q in quantities.items()})

    def products(self, skus) -> dict[str, int]:
        return {r["default_code"]: r["id"] for r in self.odoo.search_read_in(
            "product.product", "default_code", list(skus), ["default_code"])}


@pytest.fixture(scope="session")
def airflow_db():
    from airflow.utils import db

    db.initdb()


@pytest.fixture(scope="module")
def odoo_server() -> Iterator[tuple[str, str, str, str, str, OdooStandin | None]]:
    """(url, database, login, password, api key, stand-in): a fresh stand-in unless ODOO_URL names a real Odoo."""
    if os.environ.get("ODOO_URL"):
        yield (os.environ["ODOO_URL"].rstrip("/"), os.environ.get("ODOO_DB", ""), os.environ.get("ODOO_LOGIN", "admin"),
               os.environ.get("ODOO_PASSWORD", ""), os.environ.get("ODOO_API_KEY", ""), None)
        return
    standin = OdooStandin(version=os.environ.get("AMZODOO_STANDIN_VERSION", "19.0"))
    url = standin.start()
    try:
        yield url, standin.database, "admin", "admin", standin.create_api_key("admin"), standin
    finally:
        standin.stop()


@pytest.fixture(scope="module")
def world(odoo_server, airflow_db, tmp_path_factory) -> Iterator[World]:
    require_postgres()
    from airflow.dag_processing.dagbag import DagBag

    url, database, login, password, api_key, standin = odoo_server
    clear_sp_api_token_cache()
    seed = 11 if standin else random.SystemRandom().randrange(10**6)
    # Fast (reports and feeds finish in about a second) and soon ahead of the wall clock: Odoo stamps deliveries
    # with the wall clock and Amazon refuses a ship date in its future.
    clock = SimClock(start=datetime.now(UTC) - timedelta(minutes=2), scale=60)
    sandbox = SpApiSandbox(seed=seed, orders_per_marketplace=8, history_days=2, clock=clock)
    now = clock.now()
    sandbox.generate_orders(SANDBOX_ACCOUNT, "US", 16, start=now - timedelta(hours=30), end=now - timedelta(hours=2),
                            fba_share=0.0)
    sandbox.start()
    config_path = tmp_path_factory.mktemp("config") / "connector.yaml"
    config_path.write_text(CONFIG)
    account = sandbox.state.account(SANDBOX_ACCOUNT).account
    with staging_schema("amzodoo_rev") as schema:
        env = {
            "AMZODOO_CONFIG": str(config_path),
            "AMZODOO_REPORT_POLL_SECONDS": "0.3",
            "AMZODOO_FEED_POKE_SECONDS": "1",
            "AIRFLOW_CONN_AMZODOO_STAGING_REV": staging_connection(schema),
            "AIRFLOW_CONN_ODOO_REV": odoo_connection(url, database, login, password, api_key),
            "AIRFLOW_CONN_AMAZON_SP_API_NA_MAIN_REV": amazon_connection(account, sandbox.url),
        }
        with connector_environment(env):
            odoo = OdooClient.connect(OdooCredentials(url, database, login, password, api_key or ""))
            seed_catalog(odoo, sandbox.state.account(SANDBOX_ACCOUNT).listings.values())
            dags = {}
            for name in ("amazon_orders.py", "odoo_to_amazon.py", "amazon_fba_stock.py"):
                bag = DagBag(dag_folder=str(Path(DAGS) / name))
                assert bag.import_errors == {}
                dags.update(bag.dags)
            store = StagingStore.from_url(PG_URL, schema=schema)
            try:
                yield World(sandbox, odoo, store, dags, standin)
            finally:
                sandbox.stop()
                odoo.close()
                store.engine.dispose()


@pytest.fixture(scope="module")
def loaded(world) -> World:
    """Amazon's orders in Odoo (the order DAG)."""
    end = world.sandbox.clock.now() - timedelta(minutes=10)  # Amazon's before-bound must be 2 minutes old
    state = world.run(f"amazon_orders__{ACCOUNT}__US", window_start=(end - timedelta(days=3)).isoformat(),
                      window_end=end.isoformat())
    assert state == "success"
    return world
