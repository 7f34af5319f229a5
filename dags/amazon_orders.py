"""Amazon -> Odoo orders, one DAG per seller account x marketplace (``amazon_orders__<account>__<marketplace>``).

**extract** lands the account's order changes in staging (searchOrders for short windows, the All Orders report
for long ones; one extraction serves all marketplaces of the account) → **transform** builds Odoo-shaped
orders, lines and customers (pure pandas) → **load** creates, confirms, delivers (FBA) or cancels them in Odoo in
batches, exactly once → **summary** writes what the run did to the task log and to staging, whatever happened
before it; when a task failed it names it and the error, and the run ends failed.

Manual runs: ``{"order_id": "111-..."}`` recovers one order; ``{"window_start": ..., "window_end": ...}``
resyncs a window (ISO 8601, UTC). Backfills: ``airflow backfill create --dag-id <id> --from-date ...
--to-date ...`` — old intervals are read by day through the report, so a backfill costs a few calls a day.
Configuration: ``connector.yaml`` beside this file (or $AMZODOO_CONFIG).
"""

from __future__ import annotations

from airflow.sdk import DAG, Param, task

from amzodoo.config.loader import load_config
from amzodoo.dag_support import config_path, connector_dag, fail_run, records_failure, run_failures

CONFIG_PATH = config_path(__file__)


@task
@records_failure
def extract(account: str, marketplace: str, **context) -> dict:
    from amzodoo.runtime import order_job

    return order_job(CONFIG_PATH, account, marketplace, context).extract(
        params=context["params"], interval_start=context.get("data_interval_start"),
        interval_end=context.get("data_interval_end"))


@task
@records_failure
def transform(account: str, marketplace: str, extracted: dict, **context) -> dict:
    from amzodoo.runtime import order_job

    order_id = (context["params"] or {}).get("order_id")
    return order_job(CONFIG_PATH, account, marketplace, context).transform([order_id] if order_id else None)


@task
@records_failure
def load(account: str, marketplace: str, transformed: dict, **context) -> dict:
    from amzodoo.runtime import order_job

    order_id = (context["params"] or {}).get("order_id")
    return order_job(CONFIG_PATH, account, marketplace, context).load([order_id] if order_id else None)


@task(trigger_rule="all_done")
def summary(account: str, marketplace: str, extracted: dict, transformed: dict, loaded: dict, **context) -> dict:
    from amzodoo.runtime import order_job

    failures = run_failures(context)
    result = order_job(CONFIG_PATH, account, marketplace, context).summarize(extracted, transformed, loaded,
                                                                               failures=failures)
    fail_run(failures)
    return result


def build(account: str, marketplace: str, account_config) -> DAG:
    with connector_dag(
        f"amazon_orders__{account}__{marketplace}",
        description=f"Amazon {marketplace} orders of seller account {account} into Odoo",
        schedule=account_config.schedules.orders,
        start_date=account_config.start_date,
        tags=["amazon-to-odoo", f"account:{account}", f"marketplace:{marketplace}"],
        doc_md=__doc__,
        params={
            "order_id": Param(None, type=["null", "string"], description="Recover this Amazon order only"),
            "window_start": Param(None, type=["null", "string"], description="Resync from (ISO 8601, UTC)"),
            "window_end": Param(None, type=["null", "string"], description="Resync until (ISO 8601, UTC)"),
            "force": Param(False, type="boolean", description="Ask Amazon again even if the window was extracted"),
        },
    ) as dag:
        extracted = extract(account, marketplace)
        transformed = transform(account, marketplace, extracted)
        loaded = load(account, marketplace, transformed)
        summary(account, marketplace, extracted, transformed, loaded)
    return dag


_config = load_config(CONFIG_PATH)
for _account, _account_config in sorted(_config.accounts.items()):
    if not (_account_config.sync.orders and (_account_config.sync.fba_orders or _account_config.sync.fbm_orders)):
        continue
    for _marketplace in _account_config.enabled_marketplaces():
        _dag = build(_account, _marketplace.code, _account_config)
        globals()[_dag.dag_id] = _dag
