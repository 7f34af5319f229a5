"""Housekeeping and reconciliation.

``amzodoo_housekeeping`` (daily) removes buyer names, addresses, phones and e-mails from staging N days after
delivery (``buyer_data_retention_days``, default 30, as Amazon's Data Protection Policy requires), keeping what
reconciliation needs. ``amzodoo_reconciliation__<account>`` (daily at 02:00 UTC, so that the last orders of the
day have been synced) compares, per marketplace, Amazon's orders of the finished UTC day (or of the ``day`` param
of a manual run) with the Odoo orders created for them and writes a markdown report
(``$AIRFLOW_HOME/reconciliation/<day>/<account>__<marketplace>.md``, also in the task log) listing every mismatch.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Param, task

from amzodoo.config.loader import load_config
from amzodoo.dag_support import config_path, connector_dag

CONFIG_PATH = config_path(__file__)
RETRY_DELAY = timedelta(minutes=5)  # housekeeping and reconciliation are not in a hurry
# Two hours after midnight UTC: the order DAGs (every 15 min) have loaded the finished day by then.
RECONCILIATION_SCHEDULE = "0 2 * * *"


@task
def purge_buyer_data() -> dict:
    from amzodoo.runtime import purge_buyer_data as purge

    return purge(CONFIG_PATH)


@task
def reconcile(account: str, **context) -> dict:
    from amzodoo.runtime import reconcile_day

    return reconcile_day(CONFIG_PATH, account, context)


_config = load_config(CONFIG_PATH)
_start = min(a.start_date for a in _config.accounts.values())

with connector_dag(
    "amzodoo_housekeeping",
    description="Remove buyer data from staging after the retention period",
    schedule="@daily",
    start_date=_start,
    retry_delay=RETRY_DELAY,
    tags=["housekeeping"],
    doc_md=__doc__,
):
    purge_buyer_data()

for _account in sorted(_config.accounts):
    with connector_dag(
        f"amzodoo_reconciliation__{_account}",
        description=f"Amazon vs Odoo order totals of seller account {_account}, per day and marketplace",
        schedule=RECONCILIATION_SCHEDULE,
        start_date=_start,
        retry_delay=RETRY_DELAY,
        params={"day": Param(None, type=["null", "string"], format="date",
                             description="UTC day to reconcile (YYYY-MM-DD); empty: the last finished day")},
        tags=["reconciliation", f"account:{_account}"],
        doc_md=__doc__,
    ) as _dag:
        reconcile(_account)
    globals()[_dag.dag_id] = _dag
