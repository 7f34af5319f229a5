"""Odoo -> Amazon, per seller account: FBM shipment confirmations and FBM stock.

- ``odoo_shipments__<account>`` (every 15 min): **collect** the merchant-fulfilled deliveries of Amazon orders
  validated in Odoo (carrier, tracking reference, the Amazon items and quantities that left; a partial delivery
  confirms only what shipped) → **confirm** each one once with confirmShipment → **summary**. A delivery without
  carrier or tracking reference, or one Amazon refuses, stays in error in staging (``shipment_confirmations``)
  and in the summary, and is retried every run; the others go through.
- ``odoo_fbm_stock__<account>`` (every 30 min): **submit** Odoo's free quantity of the SKUs the seller fulfils
  (DEFAULT channel only, changed quantities only) in JSON_LISTINGS_FEED documents, feed ids stored before any
  waiting → **wait_for_feeds** (a sensor in reschedule mode: no worker is held) → **read_reports** records each
  SKU as accepted or refused (``stock_levels_sent``; refused ones are sent again) → **summary**.

Each flow can be switched off per account (``sync.shipments``, ``sync.fbm_stock``) and has its
own schedule (``schedules.*``). Every summary runs whatever happened before it; when a task failed it names it and
the error, and the run ends failed. Configuration: ``connector.yaml`` beside this file (or $AMZODOO_CONFIG).
"""

from __future__ import annotations

import os
from datetime import timedelta

from airflow.sdk import DAG, task

from amzodoo.config.loader import load_config
from amzodoo.dag_support import FeedsFinishedSensor, config_path, connector_dag, fail_run, records_failure, run_failures

CONFIG_PATH = config_path(__file__)
FEED_WAIT_TIMEOUT = timedelta(hours=2)
# How often the sensor asks Amazon about the run's feeds (Amazon takes minutes; tests and the demo use seconds).
FEED_POKE_SECONDS = float(os.environ.get("AMZODOO_FEED_POKE_SECONDS", "60"))


# -- shipments ------------------------------------------------------------------------------------------------
@task
@records_failure
def collect(account: str, **context) -> dict:
    from amzodoo.runtime import shipment_job

    return shipment_job(CONFIG_PATH, account, context).collect()


@task
@records_failure
def confirm(account: str, collected: dict, **context) -> dict:
    from amzodoo.runtime import shipment_job

    return shipment_job(CONFIG_PATH, account, context).confirm()


@task(task_id="summary", trigger_rule="all_done")
def shipments_summary(account: str, collected: dict, confirmed: dict, **context) -> dict:
    from amzodoo.runtime import shipment_job

    failures = run_failures(context)
    result = shipment_job(CONFIG_PATH, account, context).summarize(collected, confirmed, failures=failures)
    fail_run(failures)
    return result


# -- FBM stock ------------------------------------------------------------------------------------------------
@task
@records_failure
def submit(account: str, **context) -> dict:
    from amzodoo.runtime import fbm_stock_job

    return fbm_stock_job(CONFIG_PATH, account, context).submit()


@task
@records_failure
def read_reports(account: str, submitted: dict, **context) -> dict:
    from amzodoo.runtime import fbm_stock_job

    return fbm_stock_job(CONFIG_PATH, account, context).read_reports()


@task(task_id="summary", trigger_rule="all_done")
def fbm_summary(account: str, submitted: dict, reported: dict, **context) -> dict:
    from amzodoo.runtime import fbm_stock_job

    failures = run_failures(context)
    result = fbm_stock_job(CONFIG_PATH, account, context).summarize(submitted, reported, failures=failures)
    fail_run(failures)
    return result


def _dag(dag_id: str, description: str, schedule: str, account: str, account_config) -> DAG:
    return connector_dag(dag_id, description=description, schedule=schedule, start_date=account_config.start_date,
                         tags=["odoo-to-amazon", f"account:{account}"], doc_md=__doc__)


def build_shipments(account: str, account_config) -> DAG:
    with _dag(f"odoo_shipments__{account}", f"FBM deliveries validated in Odoo confirmed to Amazon ({account})",
              account_config.schedules.shipments, account, account_config) as dag:
        collected = collect(account)
        confirmed = confirm(account, collected)
        shipments_summary(account, collected, confirmed)
    return dag


def build_fbm_stock(account: str, account_config) -> DAG:
    with _dag(f"odoo_fbm_stock__{account}", f"Odoo free quantities of FBM SKUs sent to Amazon ({account})",
              account_config.schedules.fbm_stock, account, account_config) as dag:
        submitted = submit(account)
        # Rescheduling: Amazon takes minutes per feed, and a poking worker would sit idle meanwhile.
        waited = FeedsFinishedSensor(task_id="wait_for_feeds", config_path=CONFIG_PATH, account=account,
                                     mode="reschedule", poke_interval=FEED_POKE_SECONDS,
                                     timeout=FEED_WAIT_TIMEOUT.total_seconds())
        reported = read_reports(account, submitted)
        submitted >> waited >> reported
        fbm_summary(account, submitted, reported)
    return dag


_config = load_config(CONFIG_PATH)
for _account, _account_config in sorted(_config.accounts.items()):
    _builders = [(_account_config.sync.shipments, build_shipments), (_account_config.sync.fbm_stock, build_fbm_stock)]
    for _enabled, _build in _builders:
        if _enabled:
            _dag_built = _build(_account, _account_config)
            globals()[_dag_built.dag_id] = _dag_built
