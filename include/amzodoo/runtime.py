"""The connector's jobs inside Airflow tasks: configuration, hooks, staging and the shared limiter (jobs.py
builds the jobs from them).

Kept apart from the DAG files so that they stay wiring only, and apart from the sync logic so that it can run
(and be tested) without Airflow.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amzodoo.config.loader import load_config
from amzodoo.config.model import ConnectorConfig
from amzodoo.staging.store import StagingStore
from amzodoo.timeutil import to_utc

if TYPE_CHECKING:  # the jobs and their clients are imported by the tasks that build them, not at DAG parse time
    from amzodoo.jobs import JobClients
    from amzodoo.sync.fba_stock import FbaStockJob
    from amzodoo.sync.fbm_stock import FbmStockJob
    from amzodoo.sync.orders import OrderSyncJob
    from amzodoo.sync.shipments import ShipmentSyncJob

REPORT_POLL_ENV = "AMZODOO_REPORT_POLL_SECONDS"


@cache
def config_at(path: str) -> ConnectorConfig:
    return load_config(Path(path))


@cache
def store_for(conn_id: str | None) -> StagingStore:
    from amzodoo.staging.engine import engine_from_airflow

    store = StagingStore(engine_from_airflow(conn_id))
    store.create_schema()
    return store


def airflow_clients(config: ConnectorConfig, account: str) -> JobClients:
    """The account's Airflow connections, staging and the quota limiter its tasks share across workers."""
    from amzodoo.amazon.hook import AmazonSpApiHook
    from amzodoo.amazon.session import SpApiSession
    from amzodoo.jobs import JobClients
    from amzodoo.odoo.hook import OdooHook
    from amzodoo.staging.limiter import SharedTokenBucketLimiter

    store = store_for(config.staging_conn_id)
    account_cfg = config.accounts[account]
    limiter = SharedTokenBucketLimiter(store, account)
    hook = AmazonSpApiHook(account_cfg.amazon_conn_id, account=account, limiter=limiter, region=account_cfg.region)
    return JobClients(
        store=store,
        amazon=lambda retry: SpApiSession(hook.get_credentials(), account=account, limiter=limiter, retry=retry),
        odoo=lambda: OdooHook(config.odoo_conn_for(account)).client,
        poll_seconds=float(os.environ.get(REPORT_POLL_ENV, "15")),
    )


def order_job(config_path: str, account: str, marketplace: str, context: dict[str, Any]) -> OrderSyncJob:
    from amzodoo import jobs

    config = config_at(config_path)
    return jobs.order_job(config, account, marketplace, airflow_clients(config, account), **_run_of(context))


def shipment_job(config_path: str, account: str, context: dict[str, Any]) -> ShipmentSyncJob:
    from amzodoo import jobs

    config = config_at(config_path)
    return jobs.shipment_job(config, account, airflow_clients(config, account), **_run_of(context))


def fbm_stock_job(config_path: str, account: str, context: dict[str, Any]) -> FbmStockJob:
    from amzodoo import jobs

    config = config_at(config_path)
    return jobs.fbm_stock_job(config, account, airflow_clients(config, account), **_run_of(context))


def fba_stock_job(config_path: str, account: str, context: dict[str, Any]) -> FbaStockJob:
    from amzodoo import jobs

    config = config_at(config_path)
    return jobs.fba_stock_job(config, account, airflow_clients(config, account), **_run_of(context))


def _run_of(context: dict[str, Any]) -> dict[str, str]:
    return {"dag_id": context["dag"].dag_id, "run_id": context["run_id"]}


def purge_buyer_data(config_path: str) -> dict:
    from amzodoo.sync.housekeeping import purge_buyer_data as purge

    config = config_at(config_path)
    return purge(store_for(config.staging_conn_id), retention_days=config.buyer_data_retention_days)


def reports_directory(config: ConnectorConfig) -> Path:
    """Where reconciliation reports are written (and where the console reads them)."""
    return Path(config.reports_dir or Path(os.environ.get("AIRFLOW_HOME", ".")) / "reconciliation")


def reconcile_day(config_path: str, account: str, context: dict[str, Any]) -> dict:
    """Reconcile every marketplace of ``account`` for the run's day; write one markdown file each."""
    import logging

    from amzodoo.sync.reconciliation import reconcile, reconciliation_day, write_report

    log = logging.getLogger(__name__)
    config = config_at(config_path)
    clients = airflow_clients(config, account)
    params = context.get("params") or {}
    end = context.get("data_interval_end")
    day = reconciliation_day(params.get("day"), to_utc(end) if end else None)
    day_start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    directory = reports_directory(config)
    client = clients.odoo()
    result = {}
    for marketplace in config.accounts[account].enabled_marketplaces():
        report = reconcile(clients.store, client, account, marketplace.code, day_start, day_start + timedelta(days=1))
        path = write_report(report, directory)
        for line in report.markdown().splitlines():
            log.info("%s", line)
        result[marketplace.code] = {"orders": report.orders, "mismatches": len(report.mismatches),
                                    "file": str(path)}
    return result
