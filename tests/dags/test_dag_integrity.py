"""DagBag integrity and policy: every DAG imports without secrets, is tagged, retries, and does no IO at parse."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.fixtures.airflow_env import DAGS

DAG_FILES = sorted(p for p in DAGS.glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_expected_dags_from_the_shipped_configuration(dagbag):
    expected = {f"amazon_orders__na_main__{m}" for m in ("US", "CA", "MX")} | {
        f"amazon_orders__eu_main__{m}" for m in ("DE", "FR", "UK", "IT", "ES", "NL")}
    expected |= {f"{flow}__{account}" for flow in ("odoo_shipments", "odoo_fbm_stock", "amazon_fba_stock")
                 for account in ("na_main", "eu_main")}
    assert expected <= set(dagbag.dags)


def test_policy_tags_retries_docs_and_concurrency(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags and "amzodoo" in dag.tags, dag_id
        assert dag.doc_md, dag_id
        assert dag.max_active_runs == 1, dag_id
        for task in dag.tasks:
            assert task.retries >= 2, f"{dag_id}.{task.task_id}"
            # Return values are XComs for the next task; the logs carry the summary in words, not the dict again.
            assert getattr(task, "show_return_value_in_logs", False) is False, f"{dag_id}.{task.task_id}"


def test_order_dag_shape(dagbag):
    dag = dagbag.dags["amazon_orders__eu_main__UK"]
    upstream = {t.task_id: set(t.upstream_task_ids) for t in dag.tasks}
    assert upstream == {"extract": set(), "transform": {"extract"}, "load": {"transform"},
                        "summary": {"extract", "transform", "load"}}
    assert dag.get_task("summary").trigger_rule == "all_done"
    assert set(dag.params) == {"order_id", "window_start", "window_end", "force"}


def test_reverse_dag_shapes(dagbag):
    shipments = dagbag.dags["odoo_shipments__na_main"]
    assert {t.task_id: set(t.upstream_task_ids) for t in shipments.tasks} == {
        "collect": set(), "confirm": {"collect"}, "summary": {"collect", "confirm"}}
    stock = dagbag.dags["odoo_fbm_stock__eu_main"]
    assert {t.task_id: set(t.upstream_task_ids) for t in stock.tasks} == {
        "submit": set(), "wait_for_feeds": {"submit"}, "read_reports": {"submit", "wait_for_feeds"},
        "summary": {"submit", "read_reports"}}
    sensor = stock.get_task("wait_for_feeds")
    assert sensor.mode == "reschedule" and sensor.timeout > 0
    assert stock.get_task("summary").trigger_rule == "all_done"
    fba = dagbag.dags["amazon_fba_stock__na_main"]
    assert {t.task_id: set(t.upstream_task_ids) for t in fba.tasks} == {"mirror": set(), "summary": {"mirror"}}
    assert shipments.schedule == "*/15 * * * *" and stock.schedule == "*/30 * * * *"


def test_reverse_sync_switches(tmp_path, monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    config = tmp_path / "connector.yaml"
    config.write_text("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US]\n"
                      "    sync: {shipments: false, fba_stock: false}\n")
    monkeypatch.setenv("AMZODOO_CONFIG", str(config))
    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    assert {d for d in bag.dags if d.startswith(("odoo_", "amazon_fba"))} == {"odoo_fbm_stock__na_main"}


HEAVY = {"pandas", "odoorpc", "sp_api", "sqlalchemy", "httpx", "requests", "psycopg2"}


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_files_only_wire_tasks(path: Path):
    """No heavy imports or calls at module level: parsing must stay cheap and offline."""
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            assert not any(n.split(".")[0] in HEAVY for n in names), f"{path.name}: heavy import {names}"
            assert not any(n.startswith(("amzodoo.sync", "amzodoo.odoo", "amzodoo.amazon", "amzodoo.staging"))
                           for n in names), f"{path.name}: connector IO modules imported at parse time: {names}"


def test_broken_configuration_is_an_import_error_naming_file_account_and_field(tmp_path, monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    bad = tmp_path / "connector.yaml"
    bad.write_text("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US, QQ]\n")
    monkeypatch.setenv("AMZODOO_CONFIG", str(bad))
    bag = DagBag(dag_folder=str(DAGS / "amazon_orders.py"))
    (error,) = bag.import_errors.values()
    assert str(bad) in error and "account 'na_main', field marketplaces[1].code" in error
    assert bag.dags == {}
