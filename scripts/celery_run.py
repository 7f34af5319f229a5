"""The order DAGs of two seller accounts x three marketplaces at once under the CeleryExecutor with two workers.

Issue #8, item 7. Everything is throwaway and local: a fresh PostgreSQL database on 127.0.0.1:5432 holds
Airflow's metadata, the Celery result backend and the connector's staging; a Redis database on 127.0.0.1:6379
is the broker; the SP-API sandbox and the Odoo stand-in run as their own processes on free ports; the Airflow
components (api-server, scheduler, dag-processor, two ``airflow celery worker``) run from a temporary
AIRFLOW_HOME. The six DAGs are unpaused and triggered with the same three-day window at the same moment; when
every run has finished the script checks Odoo (each Amazon order once, no duplicated customer) and the sandbox
(no 429 answered because a usage plan was empty), prints the result and stops everything it started.

Usage: ``.venv/bin/python scripts/celery_run.py [--redis-db 11] [--timeout 900] [--keep]``
(``--keep`` leaves the AIRFLOW_HOME with every component's log for a look afterwards). Exit 0 = all good.
See docs/operations-celery.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("AMZODOO_CELERY_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("AMZODOO_CELERY_REDIS", "redis://127.0.0.1:6379")
ACCOUNTS = {"na_main": ["US", "CA", "MX"], "eu_main": ["DE", "FR", "UK"]}
DAG_IDS = [f"amazon_orders__{a}__{m}" for a, mps in ACCOUNTS.items() for m in mps]
CONFIG = """
odoo_conn_id: odoo_celery
staging_conn_id: amzodoo_staging_celery
accounts:
  na_main:
    amazon_conn_id: amazon_sp_api_na_main_celery
    marketplaces: [US, CA, MX]
  eu_main:
    amazon_conn_id: amazon_sp_api_eu_main_celery
    marketplaces: [DE, FR, UK]
    odoo: {fba_warehouse: FBAEU}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


class Processes:
    """Every process started here, each in its own session so that its children stop with it."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
                                start_new_session=True)
        self.started.append((name, proc))
        return proc

    def check(self) -> None:
        for name, proc in self.started:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}; see {self.logs / (name + '.log')}")

    def stop(self) -> None:
        # Reverse order: workers and scheduler first, the stand-ins last. SIGTERM to each process group (the
        # group id is the pid of the process started here, never a name), then SIGKILL what is left.
        for _name, proc in reversed(self.started):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for _name, proc in reversed(self.started):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-db", type=int, default=11, help="Redis database used as the broker (flushed)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for the runs")
    parser.add_argument("--keep", action="store_true", help="keep the AIRFLOW_HOME and its logs")
    args = parser.parse_args(argv)

    from sqlalchemy import create_engine, text

    database = f"amzodoo_celery_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    home = Path(tempfile.mkdtemp(prefix="amzodoo-celery-"))
    processes = Processes(home)
    broker = f"{REDIS}/{args.redis_db}"
    pg = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{database}"
    print(f"amzodoo CeleryExecutor run: AIRFLOW_HOME {home}, database {database}, broker {broker}")
    try:
        return run(args, home, database, pg, broker, processes)
    finally:
        processes.stop()
        _flush_redis(args.redis_db)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
        if args.keep:
            print(f"logs kept in {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


def _flush_redis(db: int) -> None:
    import redis

    redis.Redis.from_url(f"{REDIS}/{db}").flushdb()


def run(args, home: Path, database: str, pg: str, broker: str, processes: Processes) -> int:
    from sqlalchemy import create_engine, text

    _flush_redis(args.redis_db)
    sandbox_port, odoo_port, api_port = free_port(), free_port(), free_port()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "AMZODOO"))}
    base_env.pop("SP_API_DEFAULT_MARKETPLACE", None)
    processes.start("spapi-sandbox", [str(BIN / "python"), "-m", "amzodoo_sandbox.spapi", "--port", str(sandbox_port),
                                      "--seed", "7", "--orders-per-marketplace", "20", "--history-days", "2",
                                      "--job-seconds", "3"], base_env)
    processes.start("odoo-standin", [str(BIN / "python"), "-m", "amzodoo_sandbox.odoo", "--port", str(odoo_port),
                                     "--version", "19.0"], base_env)
    sandbox_url, odoo_url = f"http://127.0.0.1:{sandbox_port}", f"http://127.0.0.1:{odoo_port}"
    wait_http(f"{sandbox_url}/_sandbox/clock")
    wait_http(f"{odoo_url}/web/webclient/version_info")
    _seed_odoo(odoo_url, sandbox_url)

    config = home / "connector.yaml"
    config.write_text(CONFIG)
    env = {
        **base_env,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": pg,
        "AIRFLOW__CELERY__BROKER_URL": broker,
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql://postgres@127.0.0.1:5432/{database}",
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__CORE__PARALLELISM": "6",
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AMZODOO_CONFIG": str(config),
        "AMZODOO_REPORT_POLL_SECONDS": "1",
        "AMZODOO_RETRY_DELAY_SECONDS": "5",
        "AIRFLOW_CONN_AMZODOO_STAGING_CELERY": json.dumps({
            "conn_type": "postgres", "host": "127.0.0.1", "port": 5432, "login": "postgres", "schema": database}),
        "AIRFLOW_CONN_ODOO_CELERY": json.dumps({
            "conn_type": "odoo", "host": odoo_url, "schema": "amzodoo", "login": "admin", "password": "admin"}),
    }
    from amzodoo_sandbox.spapi import DEFAULT_ACCOUNTS, SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET

    for account in DEFAULT_ACCOUNTS:
        env[f"AIRFLOW_CONN_AMAZON_SP_API_{account.name.upper()}_CELERY"] = json.dumps({
            "conn_type": "amazon_sp_api", "login": SANDBOX_LWA_APP_ID, "password": SANDBOX_LWA_CLIENT_SECRET,
            "extra": {"refresh_token": account.refresh_token, "region": account.region, "endpoint": sandbox_url}})
    airflow = str(BIN / "airflow")
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, capture_output=True, cwd=REPO)
    processes.start("api-server", [airflow, "api-server", "--port", str(api_port), "--host", "127.0.0.1"], env)
    processes.start("scheduler", [airflow, "scheduler"], env)
    processes.start("dag-processor", [airflow, "dag-processor"], env)
    for n in (1, 2):
        processes.start(f"worker-{n}", [airflow, "celery", "worker", "--celery-hostname", f"worker{n}@%h",
                                        "--concurrency", "2"], env)
    wait_http(f"http://127.0.0.1:{api_port}/api/v2/version", timeout=180)

    metadata = create_engine(pg)
    deadline = time.monotonic() + 180
    while True:
        processes.check()
        with metadata.connect() as conn:
            parsed = {r[0] for r in conn.execute(text("select dag_id from dag where dag_id like 'amazon_orders__%'"))}
        if set(DAG_IDS) <= parsed:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"DAGs not parsed: {sorted(set(DAG_IDS) - parsed)}; see {home}/dag-processor.log")
        time.sleep(2)
    print(f"  {len(DAG_IDS)} DAGs parsed; triggering all at once")

    clock = json.load(urllib.request.urlopen(f"{sandbox_url}/_sandbox/clock"))["now"]
    now = datetime.fromisoformat(clock.replace("Z", "+00:00"))
    window = {"window_start": (now - timedelta(days=3)).isoformat(), "window_end": now.isoformat()}
    started = time.monotonic()
    _trigger(env, window)
    states = _wait(metadata, args.timeout, processes, home)
    elapsed = time.monotonic() - started
    result = _check(pg, odoo_url, sandbox_url)
    # Proof that both workers took tasks: Celery logs one line per task it finished.
    for n in (1, 2):
        result[f"tasks_on_worker_{n}"] = (home / f"worker-{n}.log").read_text(errors="replace").count("succeeded in")
    metadata.dispose()
    print(f"  runs: {dict(Counter(states.values()))} in {elapsed:.0f} s")
    for key, value in result.items():
        print(f"  {key}: {value}")
    ok = (set(states.values()) == {"success"} and result["orders_in_odoo"] > 0 and result["duplicate_orders"] == 0
          and result["duplicate_customers"] == 0 and result["throttled_429"] == 0
          and result["orders_in_error"] == 0 and result["loaded_not_in_odoo"] == 0
          and result["tasks_on_worker_1"] > 0 and result["tasks_on_worker_2"] > 0)
    print("OK: zero duplicates, zero 429s" if ok else f"FAILED (component logs: {home}; rerun with --keep)")
    return 0 if ok else 1


def _seed_odoo(odoo_url: str, sandbox_url: str) -> None:
    """The SKUs the sandbox lists exist in Odoo as products, as in the integration tests."""
    from amzodoo.odoo.client import OdooClient
    from amzodoo.odoo.transports import OdooCredentials
    from amzodoo.odoo.versions import OdooDialect
    from amzodoo_sandbox.spapi import DEFAULT_ACCOUNTS, SpApiSandbox

    # The sandbox process builds its catalogue from the seed; an unstarted sandbox with the same seed has the
    # same one, without asking the server for it.
    local = SpApiSandbox(seed=7, orders_per_marketplace=0, accounts=list(DEFAULT_ACCOUNTS))
    skus = {}
    for data in local.state.accounts.values():
        listings = data.listings.values() if isinstance(data.listings, dict) else data.listings
        skus.update({listing.sku: listing.title for listing in listings})
    client = OdooClient.connect(OdooCredentials(odoo_url, "amzodoo", "admin", "admin"))
    dialect = OdooDialect(client.major_version)
    client.create("product.product", [{"name": title[:100], "default_code": sku, **dialect.storable_product()}
                                      for sku, title in sorted(skus.items())])


def _trigger(env: dict[str, str], window: dict) -> None:
    """Unpause and trigger the six DAGs from one Python process (one CLI call each would take minutes here)."""
    code = f"""
import json
from airflow.api.common.trigger_dag import trigger_dag
from airflow.models.dag import DagModel
from airflow.utils.types import DagRunTriggeredByType
from airflow.utils.session import create_session
from sqlalchemy import update
with create_session() as session:
    session.execute(update(DagModel).where(DagModel.dag_id.in_({DAG_IDS!r})).values(is_paused=False))
for dag_id in {DAG_IDS!r}:
    trigger_dag(dag_id, conf=json.loads({json.dumps(window)!r}), triggered_by=DagRunTriggeredByType.CLI)
"""
    subprocess.run([str(BIN / "python"), "-c", code], env=env, check=True, cwd=REPO)


def _wait(metadata, timeout: float, processes: Processes, home: Path) -> dict[str, str]:
    from sqlalchemy import text

    deadline = time.monotonic() + timeout
    while True:
        processes.check()
        with metadata.connect() as conn:
            rows = conn.execute(text("select dag_id, run_id, state from dag_run where dag_id like 'amazon_orders__%'"))
            states = {f"{r[0]}/{r[1]}": r[2] for r in rows}
        if states and all(s in ("success", "failed") for s in states.values()) and len(states) >= len(DAG_IDS):
            return states
        if time.monotonic() > deadline:
            raise TimeoutError(f"runs not finished after {timeout:.0f} s: {Counter(states.values())}; see {home}")
        time.sleep(5)


def _check(pg: str, odoo_url: str, sandbox_url: str) -> dict[str, int]:
    from amzodoo.odoo import binding
    from amzodoo.odoo.client import OdooClient
    from amzodoo.odoo.transports import OdooCredentials
    from amzodoo.staging.store import StagingStore

    store = StagingStore.from_url(pg)
    staged = [o for account, mps in ACCOUNTS.items() for mp in mps for o in store.staged_orders(account, mp)]
    store.engine.dispose()
    client = OdooClient.connect(OdooCredentials(odoo_url, "amzodoo", "admin", "admin"))
    orders = client.search_read("sale.order", [("origin", "=like", "Amazon %")], ["origin"])
    refs = Counter(binding.amazon_order_id(o["origin"]) for o in orders)
    partners = Counter(p["ref"] for p in client.search_read("res.partner", [("ref", "!=", False)], ["ref"],
                                                            context={"active_test": False}))
    loaded = {o["amazon_order_id"] for o in staged if o["state"] == "loaded" and o["odoo_order_id"]}
    counters = json.load(urllib.request.urlopen(f"{sandbox_url}/_sandbox/counters"))
    return {
        "orders_staged": len(staged),
        "orders_in_odoo": len(refs),
        "duplicate_orders": sum(n - 1 for n in refs.values()),
        "duplicate_customers": sum(n - 1 for n in partners.values()),
        "loaded_not_in_odoo": len(loaded - set(refs)),
        "orders_in_error": sum(1 for o in staged if o["state"] == "error"),
        "sp_api_calls": sum(n for op, n in counters["counters"].items() if not op.startswith("lwa.")),
        "throttled_429": int(counters.get("throttled", 0)),
    }


if __name__ == "__main__":
    sys.exit(main())
