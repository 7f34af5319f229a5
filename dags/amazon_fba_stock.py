"""Amazon -> Odoo, per seller account: Amazon's FBA stock mirrored in Odoo (``amazon_fba_stock__<account>``).

Hourly by default (``schedules.fba_stock``): **mirror** Amazon's fulfillable FBA quantities into the account's FBA
warehouse in Odoo (an inventory adjustment of the SKUs that differ; FBA orders are delivered from it) →
**summary**. Switched off per account with ``sync.fba_stock``. The summary runs whatever happened before it; when
``mirror`` failed it names the error and the run ends failed. Configuration: ``connector.yaml`` beside this file
(or $AMZODOO_CONFIG).
"""

from __future__ import annotations

from airflow.sdk import DAG, task

from amzodoo.config.loader import load_config
from amzodoo.dag_support import config_path, connector_dag, fail_run, records_failure, run_failures

CONFIG_PATH = config_path(__file__)


@task
@records_failure
def mirror(account: str, **context) -> dict:
    from amzodoo.runtime import fba_stock_job

    return fba_stock_job(CONFIG_PATH, account, context).mirror()


@task(trigger_rule="all_done")
def summary(account: str, mirrored: dict, **context) -> dict:
    from amzodoo.runtime import fba_stock_job

    failures = run_failures(context)
    result = fba_stock_job(CONFIG_PATH, account, context).summarize(mirrored, failures=failures)
    fail_run(failures)
    return result


def build(account: str, account_config) -> DAG:
    with connector_dag(
        f"amazon_fba_stock__{account}",
        description=f"Amazon FBA quantities mirrored into Odoo's FBA warehouse ({account})",
        schedule=account_config.schedules.fba_stock,
        start_date=account_config.start_date,
        tags=["amazon-to-odoo", f"account:{account}"],
        doc_md=__doc__,
    ) as dag:
        summary(account, mirror(account))
    return dag


_config = load_config(CONFIG_PATH)
for _account, _account_config in sorted(_config.accounts.items()):
    if _account_config.sync.fba_stock:
        _dag = build(_account, _account_config)
        globals()[_dag.dag_id] = _dag
