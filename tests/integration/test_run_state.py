"""A run with a failed task is a failed run, in every DAG, and its summary says which task failed and why.

Each DAG runs through Airflow (dag.test) with one of its systems refusing: Amazon refuses the seller's refresh
token, or Odoo / the staging database cannot be reached. The summary is still written (it runs on all_done) and
the run ends failed. The same DAGs with working connections end successful and record no failed task.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

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
    staging_connection,
    staging_schema,
)

CONFIG = """
odoo_conn_id: odoo_rs
staging_conn_id: amzodoo_staging_rs
accounts:
  na_main:
    amazon_conn_id: amazon_sp_api_na_main_rs
    marketplaces: [US]
    odoo: {fba_warehouse: FBARS}
"""
# The order DAG reuses what the extraction ledger covers: make it ask Amazon (the reverse DAGs ignore params).
ASK_AMAZON_AGAIN = {"force": True}
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens there


@pytest.fixture(scope="module")
def airflow_db():
    from airflow.utils import db

    db.initdb()


@pytest.fixture(scope="module")
def setting(odoo_target, airflow_db, tmp_path_factory) -> Iterator[dict]:
    require_postgres()
    clear_sp_api_token_cache()
    sandbox = SpApiSandbox(seed=11, orders_per_marketplace=12, history_days=3, job_seconds=1)
    sandbox.start()
    config_path = tmp_path_factory.mktemp("config") / "connector.yaml"
    config_path.write_text(CONFIG)
    account = sandbox.state.accounts["na_main"].account
    try:
        with staging_schema("amzodoo_rs") as schema:
            yield {
                "config": str(config_path),
                "schema": schema,
                "amazon": amazon_connection(account, sandbox.url),
                "amazon_refused": json.loads(amazon_connection(account, sandbox.url)),
                "odoo": odoo_connection(odoo_target.url, odoo_target.database, odoo_target.login,
                                        odoo_target.password, odoo_target.api_key),
            }
    finally:
        sandbox.stop()


@pytest.fixture(scope="module")
def orders_loaded(setting) -> None:
    """The account's orders in Odoo, so that the reverse flows have deliveries to read."""
    state, tasks, _ = _run(setting, "amazon_orders.py", "amazon_orders__na_main__US",
                           conf={"window_start": _ago(days=3), "window_end": _ago(days=0)})
    assert state == "success", tasks


def _ago(days: int) -> str:
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


def _run(setting: dict, dag_file: str, dag_id: str, conf: dict | None = None,
         **overrides: str) -> tuple[str, dict[str, str], list[dict]]:
    """Run one DAG through Airflow; (run state, task states, summaries the run recorded)."""
    from airflow.dag_processing.dagbag import DagBag

    env = {
        "AMZODOO_CONFIG": setting["config"],
        "AMZODOO_REPORT_POLL_SECONDS": "0.3",
        "AMZODOO_FEED_POKE_SECONDS": "1",
        "AMZODOO_RETRY_DELAY_SECONDS": "0.1",
        "AIRFLOW_CONN_AMZODOO_STAGING_RS": staging_connection(setting["schema"]),
        "AIRFLOW_CONN_ODOO_RS": setting["odoo"],
        "AIRFLOW_CONN_AMAZON_SP_API_NA_MAIN_RS": setting["amazon"],
        **overrides,
    }
    with connector_environment(env):
        clear_sp_api_token_cache()
        bag = DagBag(dag_folder=str(Path(DAGS) / dag_file))
        assert bag.import_errors == {}
        run = bag.dags[dag_id].test(run_conf=conf)
        tasks = {ti.task_id: str(ti.state) for ti in run.get_task_instances()}
    store = StagingStore.from_url(PG_URL, schema=setting["schema"])
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(text("select counts, text from run_summaries where dag_id = :d and run_id = :r"),
                                {"d": dag_id, "r": run.run_id}).mappings().all()
        summaries = [{"counts": r["counts"] if isinstance(r["counts"], dict) else json.loads(r["counts"]),
                      "text": r["text"]} for r in rows]
    finally:
        store.engine.dispose()
    return str(run.state), tasks, summaries


def _refused_amazon(setting: dict) -> str:
    connection = dict(setting["amazon_refused"])
    connection["extra"] = {**connection["extra"], "refresh_token": "Atzr|revoked-by-the-seller"}
    return json.dumps(connection)


ODOO_DOWN = {"AIRFLOW_CONN_ODOO_RS": json.dumps({"conn_type": "odoo", "host": UNREACHABLE, "schema": "db",
                                                 "login": "admin", "password": "x", "extra": {"timeout": 3}})}


@pytest.mark.parametrize(("dag_file", "dag_id", "failing", "broken"), [
    ("amazon_orders.py", "amazon_orders__na_main__US", "extract", "amazon"),
    ("odoo_to_amazon.py", "odoo_shipments__na_main", "collect", "odoo"),
    ("odoo_to_amazon.py", "odoo_fbm_stock__na_main", "submit", "amazon"),
    ("amazon_fba_stock.py", "amazon_fba_stock__na_main", "mirror", "amazon"),
])
def test_a_failed_task_fails_the_run_and_the_summary_says_why(setting, orders_loaded, dag_file, dag_id, failing,
                                                              broken):
    overrides = ODOO_DOWN if broken == "odoo" else {"AIRFLOW_CONN_AMAZON_SP_API_NA_MAIN_RS": _refused_amazon(setting)}
    state, tasks, summaries = _run(setting, dag_file, dag_id, conf=ASK_AMAZON_AGAIN, **overrides)

    assert state == "failed", tasks
    assert tasks[failing] == "failed"
    assert tasks["summary"] == "failed"  # written, then failed on purpose: the run's only leaf
    assert len(summaries) == 1
    failed = summaries[0]["counts"]["failed_tasks"]
    assert failed and failed[0].startswith(f"{failing}: ") and "see its log" not in failed[0], failed
    assert "RUN FAILED" in summaries[0]["text"].splitlines()[0]
    assert f"FAILED {failed[0]}" in summaries[0]["text"]
    # Every task after the failed one is named as not run.
    downstream = [t for t, s in tasks.items() if s == "upstream_failed"]
    assert {f.split(":")[0] for f in failed[1:]} == set(downstream)


def test_the_refusal_is_named_in_the_summary(setting):
    _, _, summaries = _run(setting, "amazon_orders.py", "amazon_orders__na_main__US", conf=ASK_AMAZON_AGAIN,
                           AIRFLOW_CONN_AMAZON_SP_API_NA_MAIN_RS=_refused_amazon(setting))
    reason = summaries[0]["counts"]["failed_tasks"][0]
    assert "invalid_grant" in reason or "refresh token" in reason.lower(), reason
    assert "revoked-by-the-seller" not in summaries[0]["text"]  # the secret itself never shows


@pytest.mark.parametrize(("dag_file", "dag_id"), [
    ("amazon_orders.py", "amazon_orders__na_main__US"),
    ("amazon_fba_stock.py", "amazon_fba_stock__na_main"),
])
def test_a_run_without_failures_succeeds_and_records_none(setting, dag_file, dag_id):
    state, tasks, summaries = _run(setting, dag_file, dag_id)
    assert state == "success", tasks
    assert summaries and summaries[0]["counts"]["failed_tasks"] == []
    assert "RUN FAILED" not in summaries[0]["text"]


@pytest.mark.parametrize(("dag_id", "overrides"), [
    ("amzodoo_reconciliation__na_main", ODOO_DOWN),
    ("amzodoo_housekeeping", {"AIRFLOW_CONN_AMZODOO_STAGING_RS": json.dumps(
        {"conn_type": "postgres", "host": "127.0.0.1", "port": 5432, "login": "postgres",
         "schema": "no_such_database_rs"})}),
])
def test_maintenance_runs_fail_when_their_task_fails(setting, dag_id, overrides):
    from airflow.dag_processing.dagbag import DagBag

    env = {"AMZODOO_CONFIG": setting["config"], "AMZODOO_RETRY_DELAY_SECONDS": "0.1",
           "AIRFLOW_CONN_AMZODOO_STAGING_RS": staging_connection(setting["schema"]),
           "AIRFLOW_CONN_ODOO_RS": setting["odoo"], **overrides}
    with connector_environment(env):
        bag = DagBag(dag_folder=str(Path(DAGS) / "amzodoo_maintenance.py"))
        run = bag.dags[dag_id].test()
    assert str(run.state) == "failed"


def test_reconciliation_checks_the_finished_day_or_the_day_asked_for(setting, orders_loaded, tmp_path):
    """A scheduled run reconciles the UTC day that ended before it, a manual run the ``day`` it was given."""
    from datetime import UTC, datetime, timedelta

    from airflow.dag_processing.dagbag import DagBag

    config = tmp_path / "connector.yaml"
    config.write_text(Path(setting["config"]).read_text() + f"reports_dir: {tmp_path / 'reports'}\n")
    env = {"AMZODOO_CONFIG": str(config), "AMZODOO_RETRY_DELAY_SECONDS": "0.1",
           "AIRFLOW_CONN_AMZODOO_STAGING_RS": staging_connection(setting["schema"]),
           "AIRFLOW_CONN_ODOO_RS": setting["odoo"]}
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date()
    scheduled = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    with connector_environment(env):
        def dag():  # a fresh parse per run: dag.test(run_conf=...) leaves the conf in the DAG's params
            return DagBag(dag_folder=str(Path(DAGS) / "amzodoo_maintenance.py")).dags["amzodoo_reconciliation__na_main"]

        asked = dag().test(run_conf={"day": yesterday.isoformat()})
        by_schedule = dag().test(logical_date=scheduled)
    assert str(asked.state) == "success" and str(by_schedule.state) == "success"
    report = (tmp_path / "reports" / yesterday.isoformat() / "na_main__US.md").read_text()
    assert f"orders purchased {yesterday.isoformat()}" in report
    # The sandbox placed orders over the last three days, so the day asked for has orders, all in Odoo.
    amazon_orders = int(report.split("| Amazon orders | ")[1].split(" |")[0])
    assert amazon_orders > 0 and "| mismatches | 0 |" in report, report
    assert (tmp_path / "reports" / "2026-11-19" / "na_main__US.md").exists()
    assert not (tmp_path / "reports" / "2026-11-20").exists()  # the day just starting has nothing to check


def _task_log(ti) -> str:
    """A task's log as Airflow's UI gets it (the API's log endpoint reads through TaskLogReader)."""
    from airflow.utils.log.log_reader import TaskLogReader

    reader = TaskLogReader()
    chunks, _ = reader.read_log_chunks(ti, ti.try_number, {})
    return "\n".join(getattr(c, "event", str(c)) for c in chunks)


def test_runs_made_with_dag_test_have_task_logs_the_ui_reads(setting, tmp_path):
    """``make demo`` runs its DAGs with dag.test(), which writes no task log; the demo opens task_log_files()
    so that the UI shows what each task did, a failed task's reason included."""
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    from amzodoo.dag_test_logs import task_log_files

    dag_id = "amazon_orders__na_main__US"
    with task_log_files() as files:
        state, tasks, _ = _run(setting, "amazon_orders.py", dag_id, conf=ASK_AMAZON_AGAIN,
                               AIRFLOW_CONN_AMAZON_SP_API_NA_MAIN_RS=_refused_amazon(setting))
    assert state == "failed"
    with create_session() as session:
        run = session.query(DagRun).filter(DagRun.dag_id == dag_id).order_by(DagRun.id.desc()).first()
        logs = {ti.task_id: _task_log(ti) for ti in run.get_task_instances(session=session)
                if ti.state not in ("upstream_failed", "skipped")}
    assert set(logs) == {t for t, s in tasks.items() if s not in ("upstream_failed", "skipped")}
    assert len(files.written) >= len(logs)
    assert "Log file not found" not in "".join(logs.values())
    assert "invalid_grant" in logs["extract"] or "refresh token" in logs["extract"].lower(), logs["extract"][-2000:]
    assert "RUN FAILED" in logs["summary"]
    assert "revoked-by-the-seller" not in "".join(logs.values())
