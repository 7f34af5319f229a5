"""``make demo``: the main job end to end on the embedded defaults, through Airflow, then a printed summary.

It starts the SP-API sandbox (two seller accounts: na_main with US/CA/MX, eu_main with DE/FR/UK/IT/ES/NL) and
the Odoo stand-in (or uses a real Odoo given by ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_PASSWORD / ODOO_API_KEY),
stores the Airflow connections, runs every order DAG once with ``dag.test()`` over the sandbox's order history,
so the runs are recorded in Airflow's database (look at them with ``make airflow``), prints what happened and
stops everything it started.

Then the reverse flow: stock is counted in Odoo, a few FBM deliveries are validated in Odoo as a warehouse would
(carrier, tracking reference, one partial delivery with a backorder), and the Odoo -> Amazon DAGs run once per
account: shipment confirmations, the FBM stock feed and the FBA stock mirror.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "dags"
# The description of every connection stored for a stand-in: `make airflow` points those (and only those) at
# the stand-ins it starts, so connections left by an earlier run never aim at a stopped port.
STANDIN_DESCRIPTION = "amzodoo stand-in (make demo / make airflow)"


def _free_port(preferred: int) -> int:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]


def prepare_airflow(home: Path) -> None:
    """This process's Airflow settings for ``home``: those of `make airflow`, so the UI reads what the demo ran."""
    from amzodoo.airflow_local import NAMESPACE_LEVELS, fernet_key

    os.environ["AIRFLOW_HOME"] = str(home)
    # Connections hold the sellers' tokens and Odoo's password: encrypted, with the key `make airflow` uses too.
    os.environ.setdefault("AIRFLOW__CORE__FERNET_KEY", fernet_key(home))
    os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(DAGS))
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    os.environ.setdefault("AIRFLOW__CORE__PARALLELISM", "4")
    os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("AMZODOO_REPORT_POLL_SECONDS", "1")
    os.environ.setdefault("AMZODOO_FEED_POKE_SECONDS", "2")
    os.environ.pop("SP_API_DEFAULT_MARKETPLACE", None)
    os.environ.setdefault("AIRFLOW__LOGGING__NAMESPACE_LEVELS", NAMESPACE_LEVELS)
    # dag.test() runs Airflow's execution API in process through starlette's TestClient, which warns about httpx.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")


class _WaitingSensorPasses(logging.Filter):
    """dag.test() logs "No tasks to run" on each pass while the feed sensor waits for its reschedule; the demo's
    progress lines say the same. Only that message is dropped: task failures still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("No tasks to run")


def _quiet_dag_test() -> None:
    # Added after Airflow configured logging (its dictConfig would drop a filter added before).
    logger = logging.getLogger("airflow.sdk.definitions.dag")
    if not any(isinstance(f, _WaitingSensorPasses) for f in logger.filters):
        logger.addFilter(_WaitingSensorPasses())


def _store_connections(connections: dict[str, dict]) -> None:
    from airflow.models import Connection
    from airflow.utils.session import create_session

    with create_session() as session:
        session.query(Connection).filter(Connection.conn_id.in_(list(connections))).delete(
            synchronize_session=False)
        for conn_id, spec in connections.items():
            session.add(Connection(conn_id=conn_id, **spec))


def _odoo_target(args, home: Path, *, reset: bool = True):
    """(url, database, login, password, api key, stand-in or None)."""
    if os.environ.get("ODOO_URL"):
        return (os.environ["ODOO_URL"], os.environ["ODOO_DB"], os.environ.get("ODOO_LOGIN", "admin"),
                os.environ.get("ODOO_PASSWORD", ""), os.environ.get("ODOO_API_KEY", ""), None)
    from amzodoo_sandbox.odoo import OdooStandin

    (home / "demo").mkdir(parents=True, exist_ok=True)
    standin = OdooStandin(version=args.odoo_version, db_url=f"sqlite:///{home / 'demo' / 'odoo-standin.sqlite'}",
                          reset=reset)
    url = standin.start(port=_free_port(8069))
    return url, standin.database, "admin", "admin", standin.create_api_key(), standin


def _seed_odoo_catalog(url, database, login, password, api_key, sandbox) -> int:
    """The seller's Odoo already knows most listed products by internal reference (some SKUs stay unknown)."""
    from amzodoo.odoo.client import OdooClient
    from amzodoo.odoo.transports import OdooCredentials
    from amzodoo.odoo.versions import OdooDialect

    client = OdooClient.connect(OdooCredentials(url, database, login, password, api_key))
    dialect = OdooDialect(client.major_version)
    listings = {}
    for data in sandbox.state.accounts.values():
        for listing in data.listings.values() if isinstance(data.listings, dict) else data.listings:
            listings.setdefault(listing.sku, listing.title)
    known = {r["default_code"] for r in client.search_read_in("product.product", "default_code", listings,
                                                               ["default_code"])}
    new = [{"name": title[:120], "default_code": sku, "list_price": 10.0, **dialect.storable_product()}
           for sku, title in sorted(listings.items()) if sku not in known]
    if new:
        client.create("product.product", new)
    client.close()
    return len(new)


@dataclass
class StandIns:
    """The SP-API sandbox and the Odoo target (the stand-in, or a real Odoo from ODOO_URL...) of a local run."""

    sandbox: Any
    sandbox_url: str
    odoo: tuple[str, str, str, str, str]  # url, database, login, password, api key
    odoo_standin: Any  # None when a real Odoo is used
    created_products: int

    def connections(self) -> dict[str, dict]:
        """The Airflow connections pointing at them: one Amazon connection per sandbox account, and Odoo (a real
        Odoo from ODOO_URL... is not described as a stand-in)."""
        from amzodoo_sandbox.spapi import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET

        url, database, login, password, api_key = self.odoo
        described = {"description": STANDIN_DESCRIPTION}
        connections = {
            f"amazon_sp_api_{data.account.name}": {
                "conn_type": "amazon_sp_api", "login": SANDBOX_LWA_APP_ID, "password": SANDBOX_LWA_CLIENT_SECRET,
                # No region: the DAGs take it from connector.yaml (a connection needs it only for the form's Test).
                "extra": json.dumps({"refresh_token": data.account.refresh_token,
                                     "seller_id": data.account.seller_id, "endpoint": self.sandbox_url}),
                **described,
            }
            for data in self.sandbox.state.accounts.values()
        }
        connections["odoo_default"] = {
            "conn_type": "odoo", "host": url, "schema": database, "login": login, "password": password,
            "extra": json.dumps({"api_key": api_key} if api_key else {}),
            **(described if self.odoo_standin is not None else {}),
        }
        return connections

    def stop(self) -> None:
        self.sandbox.stop()
        if self.odoo_standin is not None:
            self.odoo_standin.stop()


def start_standins(home: Path, args: argparse.Namespace, *, reset_odoo: bool = True,
                   job_seconds: float | None = None) -> StandIns:
    """Start the SP-API sandbox and the Odoo stand-in (unless ODOO_URL names a real Odoo), seed Odoo's catalogue."""
    from amzodoo_sandbox.spapi import SimClock, SpApiSandbox

    sandbox = SpApiSandbox(seed=args.seed, orders_per_marketplace=args.orders_per_marketplace,
                           history_days=args.history_days, clock=SimClock(scale=args.clock_scale),
                           job_seconds=job_seconds)
    sandbox_url = sandbox.start(port=_free_port(8801))
    try:
        url, database, login, password, api_key, standin = _odoo_target(args, home, reset=reset_odoo)
    except BaseException:
        sandbox.stop()
        raise
    standins = StandIns(sandbox, sandbox_url, (url, database, login, password, api_key), standin, 0)
    try:
        standins.created_products = _seed_odoo_catalog(url, database, login, password, api_key, sandbox)
    except BaseException:
        standins.stop()
        raise
    return standins


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders-per-marketplace", type=int, default=30)
    parser.add_argument("--history-days", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--odoo-version", default="19.0", choices=["17.0", "18.0", "19.0"])
    parser.add_argument("--clock-scale", type=float, default=30.0,
                        help="sandbox seconds per real second (reports finish in seconds, orders move on)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    home = Path(os.environ.get("AIRFLOW_HOME") or REPO / ".airflow").resolve()
    prepare_airflow(home)
    (home / "demo").mkdir(parents=True, exist_ok=True)
    staging = home / "amzodoo_staging.sqlite"
    for leftover in (staging, staging.with_suffix(".sqlite-wal"), staging.with_suffix(".sqlite-shm")):
        leftover.unlink(missing_ok=True)
    started = time.monotonic()

    print("amzodoo demo: Amazon -> Odoo through Apache Airflow")
    print(f"  AIRFLOW_HOME {home}")
    from airflow.utils import db

    db.initdb()

    standins = start_standins(home, args)
    sandbox, standin = standins.sandbox, standins.odoo_standin
    url, database, login, password, api_key = standins.odoo
    try:
        print(f"  SP-API sandbox {standins.sandbox_url} (seed {args.seed}); "
              f"Odoo {'stand-in ' if standin else ''}{url}")
        print(f"  Odoo catalogue: {standins.created_products} products created from the sellers' listings")
        _store_connections(standins.connections())
        summaries = _run_order_dags(args.history_days)
        _print_report(summaries, sandbox, standin, time.monotonic() - started)
        shipped = _ship_some_deliveries(url, database, login, password, api_key, sandbox)
        _print_reverse(_run_reverse_dags(), shipped, sandbox, time.monotonic() - started)
    finally:
        standins.stop()
    print("\nSee the same runs in the Airflow UI: make airflow  (then open http://127.0.0.1:8080)")
    return 0


def run_dags(dag_files: list[str], run_conf: dict | None = None, only: set[str] | None = None) -> None:
    """Run each DAG of ``dag_files`` (or those named in ``only``) once through Airflow with ``dag.test()``, each
    task's log written where the UI reads it (amzodoo.dag_test_logs)."""
    from airflow.dag_processing.dagbag import DagBag

    from amzodoo.dag_test_logs import task_log_files

    dags = {}
    for name in dag_files:
        bag = DagBag(dag_folder=str(DAGS / name))
        if bag.import_errors:
            raise SystemExit(f"DAG import errors: {bag.import_errors}")
        dags.update(bag.dags)
    with task_log_files():
        for dag_id in sorted(dags):
            if only is not None and dag_id not in only:
                continue
            print(f"  running {dag_id} ...", flush=True)
            _quiet_dag_test()
            run = dags[dag_id].test(run_conf=run_conf)
            state = getattr(run, "state", None)
            if str(state) not in ("success", "DagRunState.SUCCESS"):
                print(f"    run ended {state}")


def _run_order_dags(history_days: float) -> list[dict]:
    from amzodoo.runtime import config_at, store_for

    now = datetime.now(UTC)
    window = {"window_start": (now - timedelta(days=history_days + 1)).isoformat(), "window_end": now.isoformat()}
    run_dags(["amazon_orders.py"], window)
    config = config_at(os.environ.get("AMZODOO_CONFIG") or str(DAGS / "connector.yaml"))
    store = store_for(config.staging_conn_id)
    return [s for s in store.summaries() if s["flow"] == "orders"]


def _print_report(summaries: list[dict], sandbox, standin, seconds: float) -> None:
    columns = ["staged", "fba", "fbm", "created", "waiting", "cancelled", "failed", "customers_created",
               "deliveries_created", "fba_deliveries_done", "total_mismatches"]
    heads = ["orders", "FBA", "FBM", "created", "waiting", "cancel", "failed", "customers", "FBM deliv.",
             "FBA done", "total diff"]
    from tabulate import tabulate

    print("\nWhat the run did (per account x marketplace; details in each run's summary task log):")
    rows = [[s["account"], s["marketplace"], *(int(s["counts"].get(k, 0)) for k in columns)] for s in summaries]
    rows.append(["total", "", *(sum(row[i + 2] for row in rows) for i in range(len(columns)))])
    table = tabulate(rows, ["account", "mkt", *heads], tablefmt="simple")
    print("\n".join(f"  {line}" for line in table.splitlines()))
    calls = sandbox.counters()
    print(f"\n  Amazon (sandbox) requests: {sum(calls.values())} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(calls.items()))}); throttled: {sandbox.throttled()}")
    if standin is not None:
        print(f"  Odoo (stand-in) RPC requests: {standin.rpc_requests()}")
    print(f"  Wall time: {seconds:.1f} s")


def _ship_some_deliveries(url, database, login, password, api_key, sandbox, per_account: int = 4) -> int:
    """Count stock in Odoo and validate a few FBM deliveries per account (the first one partially)."""
    from amzodoo.odoo.client import OdooClient
    from amzodoo.odoo.inventory import count_stock
    from amzodoo.odoo.transports import OdooCredentials
    from amzodoo.runtime import config_at, store_for

    client = OdooClient.connect(OdooCredentials(url, database, login, password, api_key))
    config = config_at(os.environ.get("AMZODOO_CONFIG") or str(DAGS / "connector.yaml"))
    store = store_for(config.staging_conn_id)
    stock = client.search_read("stock.warehouse", [("code", "=", "WH")], ["lot_stock_id"])[0]["lot_stock_id"][0]
    storable = client.search_read("product.product", [("default_code", "!=", False)] + (
        [("is_storable", "=", True)] if client.major_version >= 18 else [("type", "=", "product")]), ["id"])
    count_stock(client, [(p["id"], stock, 20 + p["id"] % 30) for p in storable])
    service = client.create("product.product", [{"name": "Demo carrier service", "type": "service"}])[0]
    carriers = client.create("delivery.carrier", [{"name": name, "delivery_type": "fixed", "product_id": service}
                                                  for name in ("UPS", "DHL", "Acme Freight")])
    wall = datetime.now(UTC) - timedelta(minutes=1)
    shipped = 0
    for account, account_config in sorted(config.accounts.items()):
        candidates = []
        for marketplace in account_config.enabled_marketplaces():
            for order in store.staged_orders(account, marketplace.code, states=["loaded"]):
                record = sandbox.state.orders.get(order["amazon_order_id"])
                if (order["fulfillment_channel"] == "MFN" and order["odoo_order_id"] and record is not None
                        and record.status_at(sandbox.clock.now()) == "Unshipped" and record.created < wall):
                    candidates.append((order["odoo_order_id"], record.total_quantity()))
        candidates.sort(key=lambda c: -c[1])
        for number, (odoo_order_id, quantity) in enumerate(candidates[:per_account]):
            pickings = client.search_read("stock.picking", [("sale_id", "=", odoo_order_id),
                                                            ("state", "not in", ["done", "cancel"])], ["id"])
            if not pickings:
                continue
            picking = pickings[0]["id"]
            client.write("stock.picking", [picking], {"carrier_id": carriers[number % len(carriers)],
                                                      "carrier_tracking_ref": f"DEMO{picking:08d}"})
            moves = client.search_read("stock.move", [("picking_id", "=", picking)], ["product_uom_qty"])
            for index, move in enumerate(moves):
                partial = number == 0 and index == 0 and quantity > 1 and move["product_uom_qty"] > 1
                client.write("stock.move", [move["id"]], {"quantity": move["product_uom_qty"] - (1 if partial else 0),
                                                          "picked": True})
            result = client.execute("stock.picking", "button_validate", [picking], context={"skip_sms": True})
            if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
                context = {**result["context"], "skip_sms": True}
                wizard = client.create("stock.backorder.confirmation", [{}], context=context)
                client.execute("stock.backorder.confirmation", "process", wizard, context=context)
            shipped += 1
    client.close()
    return shipped


def _run_reverse_dags() -> list[dict]:
    from amzodoo.runtime import config_at, store_for

    run_dags(["odoo_to_amazon.py", "amazon_fba_stock.py"])
    config = config_at(os.environ.get("AMZODOO_CONFIG") or str(DAGS / "connector.yaml"))
    return [s for s in store_for(config.staging_conn_id).summaries()
            if s["flow"] in ("shipments", "fbm_stock", "fba_stock")]


def _print_reverse(summaries: list[dict], shipped: int, sandbox, seconds: float) -> None:
    print(f"\nOdoo -> Amazon ({shipped} FBM deliveries validated in Odoo, one of them partial with a backorder):")
    for s in summaries:
        c = s["counts"]
        if s["flow"] == "shipments":
            print(f"  {s['account']:<8} shipments: {c['confirmed']} confirmed by Amazon, {c['failed']} refused, "
                  f"{c['missing_carrier_or_tracking']} lacking carrier/tracking")
        elif s["flow"] == "fbm_stock":
            print(f"  {s['account']:<8} FBM stock: {c['skus_sent']} quantities sent in {c['feeds']} feed(s), "
                  f"{c['accepted']} accepted, {c['errors']} refused; {c['amazon_only_skus']} FBA-only SKUs "
                  f"never sent, {c['both_channels']} FBA+FBM SKUs sent on the DEFAULT channel only")
        else:
            print(f"  {s['account']:<8} FBA stock: {c['changed']} Odoo quantities adjusted to Amazon's fulfillable "
                  f"stock, {c['unchanged']} already right ({c['units']} units)")
    confirmed = sum(len(sandbox.shipments(order_id)) for order_id in list(sandbox.state.orders))
    print(f"  Sandbox: {confirmed} packages received through confirmShipment; Amazon requests in all "
          f"{sum(sandbox.counters().values())}")
    print(f"  Wall time: {seconds:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
