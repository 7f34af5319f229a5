"""Secrets and buyer data stay where they belong (issue #8, item 4).

The order flow runs through Airflow's dag.test() with distinctive known secrets: the LWA client secret, a
refresh token, the access tokens the sandbox issued, the Odoo password and API key. Tasks fail on the way
(Odoo down during the load, Odoo refusing some orders) so that exception texts are produced too. Then every
place a secret could end up is searched: captured stdout/stderr and log records, the files under
AIRFLOW_HOME/logs, every XCom row of Airflow's metadata database, every row of every staging table, the texts
of the connector's exceptions for bad credentials, and the output of ``python -m amzodoo.demo``. Buyer names,
e-mails and streets must not be in any log.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import traceback
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select, text

from amzodoo.amazon.clients import SpApiCredentials
from amzodoo.amazon.session import SpApiSession
from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.transports import OdooCredentials
from amzodoo.odoo.versions import OdooDialect
from amzodoo.staging.store import StagingStore
from amzodoo_sandbox.odoo import OdooStandin
from amzodoo_sandbox.spapi import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, SandboxAccount, SpApiSandbox
from tests.fixtures.airflow_env import DAGS, REPO
from tests.fixtures.spapi import clear_sp_api_token_cache
from tests.fixtures.staging import PG_URL, postgres_available

# Its own account name: PostgreSQL advisory locks are per account name, and other suites use na_main.
ACCOUNT = "sec_na"
DAG_ID = f"amazon_orders__{ACCOUNT}__US"
REFRESH_TOKEN = f"Atzr|IwEBSECRETREFRESH-{uuid.uuid4().hex}"
ODOO_PASSWORD = f"odoo-SECRET-password-{uuid.uuid4().hex[:12]}"
CONFIG = f"""
odoo_conn_id: odoo_sec_it
staging_conn_id: amzodoo_staging_sec_it
accounts:
  {ACCOUNT}:
    amazon_conn_id: amazon_sp_api_sec_it
    marketplaces: [US]
"""
ACCESS_TOKEN = re.compile(r"Atza\|[A-Za-z0-9_\-]{16,}")
RESTRICTED_DATA_TOKEN = re.compile(r"Atz\.sprdt\|[A-Za-z0-9_\-]{16,}")


class Evidence:
    """The secrets to look for and where each was found."""

    def __init__(self, secrets_: dict[str, str], buyer: set[str]) -> None:
        self.secrets = {k: v for k, v in secrets_.items() if v}
        self.buyer = buyer

    def leaks(self, where: str, blob: str, *, buyer: bool = False) -> list[str]:
        found = [f"{where}: {name}" for name, value in self.secrets.items() if value in blob]
        found += [f"{where}: access token {m[:10]}..." for m in ACCESS_TOKEN.findall(blob)]
        found += [f"{where}: restricted data token {m[:12]}..." for m in RESTRICTED_DATA_TOKEN.findall(blob)]
        if buyer:
            found += [f"{where}: buyer data {value!r}" for value in sorted(self.buyer) if value in blob]
        return found


@pytest.fixture(scope="module")
def secret_world(tmp_path_factory) -> Iterator[dict]:
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_URL}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    from amzodoo.runtime import config_at, store_for

    db.initdb()
    clear_sp_api_token_cache()
    sandbox = SpApiSandbox(seed=11, orders_per_marketplace=14, history_days=2, job_seconds=1,
                           accounts=[SandboxAccount(ACCOUNT, "A1SECRETSELLER1", REFRESH_TOKEN, ("US",))])
    sandbox.start()
    standin = OdooStandin(version="19.0", admin_password=ODOO_PASSWORD)
    standin.start()
    api_key = standin.create_api_key("admin")
    schema = f"amzodoo_sec_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    config_path = tmp_path_factory.mktemp("secrets") / "connector.yaml"
    config_path.write_text(CONFIG)
    env = {
        "AMZODOO_CONFIG": str(config_path),
        "AMZODOO_REPORT_POLL_SECONDS": "0.3",
        "AMZODOO_RETRY_DELAY_SECONDS": "1",
        "AIRFLOW_CONN_AMZODOO_STAGING_SEC_IT": json.dumps({
            "conn_type": "postgres", "host": "127.0.0.1", "port": 5432, "login": "postgres", "schema": "test",
            "extra": {"schema": schema}}),
        "AIRFLOW_CONN_ODOO_SEC_IT": json.dumps({
            "conn_type": "odoo", "host": standin.url, "schema": standin.database, "login": "admin",
            "password": ODOO_PASSWORD, "extra": {"api_key": api_key}}),
        "AIRFLOW_CONN_AMAZON_SP_API_SEC_IT": json.dumps({
            "conn_type": "amazon_sp_api", "login": SANDBOX_LWA_APP_ID, "password": SANDBOX_LWA_CLIENT_SECRET,
            "extra": {"refresh_token": REFRESH_TOKEN, "region": "NA", "seller_id": "A1SECRETSELLER1",
                      "endpoint": sandbox.url}}),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    store_for.cache_clear()
    config_at.cache_clear()
    odoo = OdooClient.connect(OdooCredentials(standin.url, standin.database, "admin", ODOO_PASSWORD, api_key))
    data = sandbox.state.account(ACCOUNT)
    listings = data.listings.values() if isinstance(data.listings, dict) else data.listings
    odoo.create("product.product", [{"name": li.title[:100], "default_code": li.sku,
                                     **OdooDialect(odoo.major_version).storable_product()} for li in listings])
    bag = DagBag(dag_folder=str(Path(DAGS) / "amazon_orders.py"))
    assert bag.import_errors == {}
    store = StagingStore.from_url(PG_URL, schema=schema)
    try:
        yield {"sandbox": sandbox, "standin": standin, "api_key": api_key, "dag": bag.dags[DAG_ID],
               "store": store, "schema": schema}
    finally:
        sandbox.stop()
        standin.stop()
        store.engine.dispose()
        store_for.cache_clear()
        config_at.cache_clear()
        clear_sp_api_token_cache()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _buyer_data(sandbox: SpApiSandbox) -> set[str]:
    """Buyer names, e-mails, streets and phones of the sandbox's orders (long enough not to match by chance)."""
    found: set[str] = set()
    for order_id in list(sandbox.state.orders):
        order = sandbox.order(order_id)
        buyer = order.get("buyer") or {}
        address = (order.get("recipient") or {}).get("deliveryAddress") or {}
        for value in (buyer.get("buyerName"), buyer.get("buyerEmail"), address.get("name"),
                      address.get("addressLine1"), address.get("addressLine2"), address.get("phone")):
            if isinstance(value, str) and len(value) >= 8:
                found.add(value)
    return found


def _dump_tables(engine, schema: str | None = None, only: set[str] | None = None) -> str:
    meta = MetaData(schema=schema)
    meta.reflect(bind=engine)
    out = []
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            if only is not None and table.name not in only:
                continue
            for row in conn.execute(select(table)):
                out.append(f"{table.name}: {row!r}")
    return "\n".join(out)


class _Records(logging.Handler):
    """Every log record, formatted with its traceback, whatever handler Airflow configured besides."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(scope="module")
def flow(secret_world, request) -> dict:
    """The order DAG twice through dag.test(), with tasks failing on the way, and what it printed and logged.

    dag.test() runs the tasks in this process and prints their logs to stdout; pytest's capture holds them,
    so they are read from its capture manager (a module fixture cannot use capfd)."""
    sandbox, standin, dag = secret_world["sandbox"], secret_world["standin"], secret_world["dag"]
    capman = request.config.pluginmanager.getplugin("capturemanager")
    records = _Records()
    root = logging.getLogger()
    root.addHandler(records)
    previous_level = root.level
    root.setLevel(logging.DEBUG)
    end = sandbox.clock.now()
    window = {"window_start": (end - timedelta(days=2)).isoformat(), "window_end": end.isoformat()}
    # Run 1: SP-API answers 503 pages (retried in the session), Odoo is down when the load creates orders
    # (the load task fails once and is retried by Airflow).
    sandbox.inject_fault("orders.searchOrders", "5xx", count=2)
    standin.inject_fault("sale.order", "create", "down", count=1)
    try:
        first = dag.test(run_conf=window)
    except BaseException:
        root.removeHandler(records)
        raise
    # Run 2: Odoo refuses to confirm some orders (per-order errors with Odoo's message in staging and logs).
    sandbox.generate_orders(ACCOUNT, "US", 6, start=end - timedelta(hours=3), end=end - timedelta(minutes=10))
    standin.inject_fault("sale.order", "action_confirm", "error", count=3, message="Injected refusal")
    try:
        second = dag.test(run_conf={**window, "force": True})
    finally:
        root.removeHandler(records)
        root.setLevel(previous_level)
    out, err = capman.read_global_capture() if capman and capman.is_globally_capturing() else ("", "")
    return {"states": [str(first.state), str(second.state)], "output": out + err,
            "records": "\n".join(records.lines)}


def test_flow_ran_with_failures_on_the_way(flow, secret_world):
    assert flow["states"] == ["success", "success"]
    store = secret_world["store"]
    assert store.staged_orders(ACCOUNT, "US", states=["loaded"])


@pytest.fixture(scope="module")
def evidence(secret_world, flow) -> Evidence:
    sandbox = secret_world["sandbox"]
    return Evidence({
        "LWA client secret": SANDBOX_LWA_CLIENT_SECRET,
        "refresh token": REFRESH_TOKEN,
        "Odoo password": ODOO_PASSWORD,
        "Odoo API key": secret_world["api_key"],
        **{f"access token {i}": token for i, token in enumerate(sandbox.state.tokens)},
        **{f"restricted data token {i}": token for i, token in enumerate(sandbox.state.restricted_tokens)},
    }, _buyer_data(sandbox))


def test_access_tokens_were_issued(secret_world, flow):
    # Otherwise the access-token search below would prove nothing.
    assert [t for t in secret_world["sandbox"].state.tokens if t.startswith("Atza|")]


def test_restricted_data_tokens_were_issued(secret_world, flow):
    # The first run reads two days through the report path: FBA buyers come from the FBA shipments report,
    # whose document needs a Restricted Data Token. Otherwise the searches below would prove nothing about RDTs.
    assert secret_world["sandbox"].state.restricted_tokens
    assert secret_world["sandbox"].counters(ACCOUNT)["tokens.createRestrictedDataToken"] >= 1


def test_no_secret_or_buyer_data_in_task_logs(evidence, flow):
    if not flow["output"]:
        pytest.skip("output capture is off (-s): the task logs went to the terminal")
    # The task logs are there, failures included: the search below searches the real thing.
    assert "[DAG TEST] starting task_id=load" in flow["output"]
    assert "OdooUnavailable" in flow["output"] + flow["records"]
    assert "Injected refusal" in flow["output"] + flow["records"]
    leaks = evidence.leaks("task output", flow["output"], buyer=True)
    leaks += evidence.leaks("log records", flow["records"], buyer=True)
    home = Path(os.environ["AIRFLOW_HOME"])
    for path in sorted((home / "logs").rglob("*")) if (home / "logs").exists() else []:
        if path.is_file():
            leaks += evidence.leaks(str(path), path.read_text(errors="replace"), buyer=True)
    assert not leaks, leaks


def test_no_secret_in_xcom(evidence, flow):
    from airflow.settings import engine

    dump = _dump_tables(engine, only={"xcom"})
    assert DAG_ID in dump  # the runs' XComs are there
    assert not evidence.leaks("xcom", dump)


def test_no_secret_in_staging(evidence, secret_world, flow):
    dump = _dump_tables(secret_world["store"].engine, secret_world["schema"])
    assert "Injected refusal" in dump or "loaded" in dump
    assert not evidence.leaks("staging", dump)


def test_no_secret_in_connector_exceptions(evidence, secret_world):
    """Bad credentials and unreachable services: the connector's error texts and their whole chains."""
    from amzodoo.amazon import orders_api

    sandbox, standin = secret_world["sandbox"], secret_world["standin"]
    texts = []
    for creds in (
        SpApiCredentials(SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, REFRESH_TOKEN + "x", region="NA",
                         endpoint=sandbox.url),
        SpApiCredentials(SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET + "x", REFRESH_TOKEN, region="NA",
                         endpoint=sandbox.url),
        SpApiCredentials(SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, REFRESH_TOKEN, region="NA",
                         endpoint="http://127.0.0.1:9"),
    ):
        clear_sp_api_token_cache()
        session = SpApiSession(creds, account=ACCOUNT, retry=_no_retry())
        try:
            end = sandbox.clock.now() - timedelta(minutes=5)
            list(orders_api.search_orders(session, ["US"], ["ATVPDKIKX0DER"], updated_after=end - timedelta(hours=1),
                                          updated_before=end))
        except Exception as exc:
            texts.append("".join(traceback.format_exception(exc)) + repr(exc) + repr(creds))
        else:
            texts.append(f"NO ERROR for {creds!r}")
        finally:
            session.close()
    for password, api_key in ((ODOO_PASSWORD + "x", ""), ("", secret_world["api_key"] + "0")):
        try:
            # Some protocols authenticate on the first call rather than on connect.
            OdooClient.connect(OdooCredentials(standin.url, standin.database, "admin", password, api_key)
                               ).search_read("res.partner", [], ["id"], limit=1)
        except Exception as exc:
            texts.append("".join(traceback.format_exception(exc)) + repr(exc))
        else:
            texts.append(f"NO ERROR for Odoo password/API key {password[:4]}/{api_key[:4]}")
    standin.inject_fault("res.partner", "search_read", "down", count=1)
    client = OdooClient.connect(OdooCredentials(standin.url, standin.database, "admin", ODOO_PASSWORD,
                                                secret_world["api_key"]))
    try:
        client.search_read("res.partner", [], ["id"])
    except Exception as exc:
        texts.append("".join(traceback.format_exception(exc)) + repr(exc))
    assert len(texts) == 6 and not [x for x in texts if x.startswith("NO ERROR")], texts
    leaks = [leak for t in texts for leak in evidence.leaks("exception", t.replace(REFRESH_TOKEN + "x", "")
                                                              .replace(SANDBOX_LWA_CLIENT_SECRET + "x", "")
                                                              .replace(ODOO_PASSWORD + "x", "")
                                                              .replace(secret_world["api_key"] + "0", ""))]
    wrong = [t for t in texts if REFRESH_TOKEN in t or ODOO_PASSWORD in t or secret_world["api_key"] in t]
    assert not leaks and not wrong, leaks or wrong


def _no_retry():
    from amzodoo.amazon.retry import RetryPolicy

    return RetryPolicy(attempts=1, sleep=lambda _s: None)



def test_no_secret_in_demo_output(evidence, secret_world, tmp_path):
    """``python -m amzodoo.demo`` against this module's Odoo (known password and API key), in its own home."""
    from amzodoo_sandbox.spapi import DEFAULT_ACCOUNTS

    standin = secret_world["standin"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "AMZODOO"))}
    env.update({"AIRFLOW_HOME": str(tmp_path / "home"), "ODOO_URL": standin.url, "ODOO_DB": standin.database,
                "ODOO_LOGIN": "admin", "ODOO_PASSWORD": ODOO_PASSWORD, "ODOO_API_KEY": secret_world["api_key"]})
    done = subprocess.run([sys.executable, "-m", "amzodoo.demo", "--orders-per-marketplace", "4"], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "amzodoo demo" in output
    demo = Evidence({**evidence.secrets, **{f"demo refresh token {a.name}": a.refresh_token
                                            for a in DEFAULT_ACCOUNTS}}, set())
    leaks = demo.leaks("demo output", output)
    # The demo's runs can be read in the UI: each task it ran has its log file, the summary's lines in it.
    summaries = sorted((tmp_path / "home" / "logs").glob("dag_id=amazon_orders__*/run_id=*/task_id=summary/*.log"))
    assert summaries and all("in Odoo:" in path.read_text() for path in summaries), summaries
    for path in sorted((tmp_path / "home" / "logs").rglob("*")):
        if path.is_file():
            leaks += demo.leaks(str(path), path.read_text(errors="replace"))
    # The connections the demo stored (refresh tokens, Odoo's password and key) are encrypted at rest.
    leaks += demo.leaks("airflow.db", (tmp_path / "home" / "airflow.db").read_bytes().decode("latin-1"))
    assert not leaks, leaks
    assert (tmp_path / "home" / "fernet.key").stat().st_mode & 0o777 == 0o600
    # The same output is what a user reads first: none of the warnings Airflow printed into it before.
    noise = [line for line in output.splitlines() if any(n in line for n in DEMO_NOISE)]
    assert not noise, noise[:5]


# Each was in `make demo`'s output (and the first three in task logs) until its cause was removed or filtered by name.
DEMO_NOISE = (
    "shall not contain '_'",  # Connection URI scheme check on every lookup (amzodoo.airflow_local.NAMESPACE_LEVELS)
    "determine_kwargs",  # the standard provider's PythonSensor module (replaced by dag_support.FeedsFinishedSensor)
    "too short",  # Airflow masks each connection extra; region "NA" was one (the DAGs take it from connector.yaml)
    "No tasks to run",  # dag.test() while the feed sensor waits for its reschedule
    "starlette.testclient",  # dag.test()'s in-process execution API
    "Returned value was",  # a task's whole return dict repeated in its log
)
