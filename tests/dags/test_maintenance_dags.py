"""The housekeeping and reconciliation DAGs are built from the configuration."""

from __future__ import annotations

from airflow.dag_processing.dagbag import DagBag

from tests.fixtures.airflow_env import DAGS


def test_maintenance_dags():
    bag = DagBag(dag_folder=str(DAGS / "amzodoo_maintenance.py"))
    assert bag.import_errors == {}
    assert set(bag.dags) == {"amzodoo_housekeeping", "amzodoo_reconciliation__eu_main",
                             "amzodoo_reconciliation__na_main"}
    assert [t.task_id for t in bag.dags["amzodoo_housekeeping"].tasks] == ["purge_buyer_data"]
