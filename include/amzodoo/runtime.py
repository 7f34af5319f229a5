"""Building the connector's jobs inside Airflow tasks: configuration, hooks, staging and the shared limiter.

Kept apart from the DAG files so that they stay wiring only, and apart from the sync logic so that it can run
(and be tested) without Airflow.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from amzodoo.config.loader import load_config
from amzodoo.config.model import ConnectorConfig
from amzodoo.staging.store import StagingStore

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


def order_job(config_path: str, account: str, marketplace: str, context: dict[str, Any]):
    """An OrderSyncJob wired to the account's Airflow connections and the shared quota limiter."""
    import time

    from amzodoo.amazon.hook import AmazonSpApiHook
    from amzodoo.odoo.hook import OdooHook
    from amzodoo.staging.limiter import SharedTokenBucketLimiter
    from amzodoo.sync.orders import OrderSyncJob

    config = config_at(config_path)
    store = store_for(config.staging_conn_id)
    account_cfg = config.accounts[account]
    limiter = SharedTokenBucketLimiter(store, account)
    return OrderSyncJob(
        account=account,
        marketplace=marketplace,
        config=config,
        store=store,
        amazon=lambda: AmazonSpApiHook(account_cfg.amazon_conn_id, account=account, limiter=limiter,
                                       region=account_cfg.region).session,
        odoo=lambda: OdooHook(config.odoo_conn_for(account)).client,
        dag_id=context["dag"].dag_id,
        run_id=context["run_id"],
        poll_seconds=float(os.environ.get(REPORT_POLL_ENV, "15")),
        sleep=time.sleep,
    )


def run_window(context: dict[str, Any], store: StagingStore, account: str) -> tuple[datetime, datetime, bool]:
    """The window a run extracts: params override (resync), else the data interval, else since the last
    extraction of the account (a manual run without a data interval). ``force`` asks Amazon again even for
    what the account's ledger says was extracted."""
    params = context.get("params") or {}
    if params.get("window_start") and params.get("window_end"):
        return _as_utc(params["window_start"]), _as_utc(params["window_end"]), bool(params.get("force"))
    start, end = context.get("data_interval_start"), context.get("data_interval_end")
    if start is not None and end is not None and end > start:
        return _as_utc(start), _as_utc(end), bool(params.get("force"))
    now = datetime.now(UTC)
    windows = store.extracted_windows(account)
    last = max((w["window_end"] for w in windows), default=now - timedelta(days=1))
    return last, now, bool(params.get("force"))


def _as_utc(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    # A plain datetime, never pendulum's (Airflow's data intervals): pendulum.DateTime minus a timedelta comes out
    # naive when its tzinfo is datetime.UTC, and comparing it with the ledger's aware bounds then fails.
    return datetime(value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond,
                    tzinfo=UTC)


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

    from amzodoo.odoo.hook import OdooHook
    from amzodoo.sync.reconciliation import reconcile, reconciliation_day, write_report

    log = logging.getLogger(__name__)
    config = config_at(config_path)
    store = store_for(config.staging_conn_id)
    params = context.get("params") or {}
    end = context.get("data_interval_end")
    day = reconciliation_day(params.get("day"), _as_utc(end) if end else None)
    day_start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    directory = reports_directory(config)
    client = OdooHook(config.odoo_conn_for(account)).client
    result = {}
    for marketplace in config.accounts[account].enabled_marketplaces():
        report = reconcile(store, client, account, marketplace.code, day_start, day_start + timedelta(days=1))
        path = write_report(report, directory)
        for line in report.markdown().splitlines():
            log.info("%s", line)
        result[marketplace.code] = {"orders": report.orders, "mismatches": len(report.mismatches),
                                    "file": str(path)}
    return result


def _reverse_job(job_class: type, config_path: str, account: str, context: dict[str, Any], *,
                 throttle_only: bool = False):
    """A reverse-flow job (shipments, FBM stock, FBA stock) wired to the account's connections and limiter."""
    from amzodoo.amazon.hook import AmazonSpApiHook
    from amzodoo.amazon.session import SpApiSession
    from amzodoo.amazon.shipments_api import ThrottleOnlyRetry
    from amzodoo.odoo.hook import OdooHook
    from amzodoo.staging.limiter import SharedTokenBucketLimiter

    config = config_at(config_path)
    store = store_for(config.staging_conn_id)
    limiter = SharedTokenBucketLimiter(store, account)
    hook = AmazonSpApiHook(config.accounts[account].amazon_conn_id, account=account, limiter=limiter,
                           region=config.accounts[account].region)
    sessions: list[SpApiSession] = []
    odoo_clients: list[Any] = []

    def amazon() -> SpApiSession:
        if not sessions:
            sessions.append(SpApiSession(hook.get_credentials(), account=account, limiter=limiter,
                                         retry=ThrottleOnlyRetry() if throttle_only else None))
        return sessions[0]

    def odoo():
        if not odoo_clients:
            odoo_clients.append(OdooHook(config.odoo_conn_for(account)).client)
        return odoo_clients[0]

    return job_class(account=account, config=config, store=store, amazon=amazon, odoo=odoo,
                     dag_id=context["dag"].dag_id, run_id=context["run_id"])


def shipment_job(config_path: str, account: str, context: dict[str, Any]):
    from amzodoo.sync.shipments import ShipmentSyncJob

    # confirmShipment may have been applied when it times out: only throttling is retried within a run.
    return _reverse_job(ShipmentSyncJob, config_path, account, context, throttle_only=True)


def fbm_stock_job(config_path: str, account: str, context: dict[str, Any]):
    from amzodoo.sync.fbm_stock import FbmStockJob

    return _reverse_job(FbmStockJob, config_path, account, context)


def fba_stock_job(config_path: str, account: str, context: dict[str, Any]):
    from amzodoo.sync.fba_stock import FbaStockJob

    return _reverse_job(FbaStockJob, config_path, account, context)
