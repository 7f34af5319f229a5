"""What the connector's DAG files share: where the configuration is, the DAG and task defaults, and the rule
that a run with a failed task ends failed.

Every DAG ends in a ``summary`` task that runs whatever happened before it (``all_done``), so that what a run did
is always written down. Being the only leaf, a successful summary would make the whole run look successful even
when ``extract`` failed for good; so the summary lists the tasks that failed (with the error each one recorded)
and then fails itself, which makes the run fail: the Airflow home page shows it, and failure callbacks fire.

Imported at DAG parse time, by DAG files only: nothing heavier than the Airflow task SDK they import anyway.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import pendulum
from airflow.sdk import DAG, BaseSensorOperator

from amzodoo.config.loader import CONFIG_ENV

RETRY_DELAY_ENV = "AMZODOO_RETRY_DELAY_SECONDS"
FAILURE_KEY = "amzodoo_failure"  # XCom key under which a failing task leaves its error for the summary
FAILED_STATES = ("failed", "upstream_failed")
MAX_REASON = 500

F = TypeVar("F", bound=Callable[..., Any])


def config_path(dag_file: str) -> str:
    """The connector's configuration: $AMZODOO_CONFIG, else ``connector.yaml`` beside the DAG files."""
    return os.environ.get(CONFIG_ENV) or str(Path(dag_file).with_name("connector.yaml"))


def default_args(retry_delay: timedelta = timedelta(minutes=1)) -> dict[str, Any]:
    """Task defaults of every connector DAG: retries with exponential backoff (Amazon's quotas refill in minutes).

    $AMZODOO_RETRY_DELAY_SECONDS shortens the first delay (tests and the demo do).
    """
    override = os.environ.get(RETRY_DELAY_ENV)
    return {
        "owner": "amzodoo",
        "retries": 3,
        "retry_delay": timedelta(seconds=float(override)) if override else retry_delay,
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=15),
        # A task's return value is the XCom its successors read (counts, ids); the summary says it in words.
        # Airflow would otherwise log the whole dict again as "Done. Returned value was: {...}".
        "show_return_value_in_logs": False,
    }


def connector_dag(dag_id: str, *, description: str, schedule: str, start_date: str, tags: Sequence[str],
                  doc_md: str | None, params: dict[str, Any] | None = None,
                  retry_delay: timedelta = timedelta(minutes=1)) -> DAG:
    """A DAG with the connector's defaults: tagged ``amzodoo``, one run at a time (runs of one account share its
    Amazon quota and its staging rows), no catch-up of missed intervals (a backfill is asked for), and the task
    defaults of :func:`default_args`."""
    return DAG(
        dag_id=dag_id,
        description=description,
        schedule=schedule,
        start_date=pendulum.parse(start_date),
        catchup=False,
        max_active_runs=1,
        default_args=default_args(retry_delay),
        tags=["amzodoo", *tags],
        doc_md=doc_md,
        params=params,
    )


def describe(exc: BaseException) -> str:
    """One line naming the error; Airflow masks registered secrets in XComs and logs alike."""
    text = " ".join(str(exc).split())
    reason = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return reason if len(reason) <= MAX_REASON else reason[: MAX_REASON - 1] + "…"


def records_failure(fn: F) -> F:
    """Decorate a task body so that, when it fails, its error is left for the run's summary to quote."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            from airflow.sdk import get_current_context

            get_current_context()["ti"].xcom_push(key=FAILURE_KEY, value=describe(exc))
            raise

    return wrapper  # type: ignore[return-value]


def run_failures(context: dict[str, Any]) -> list[str]:
    """The other tasks of this run that failed or never ran because of a failure, each with its reason."""
    ti = context["ti"]
    dag = context["dag"]
    states = ti.get_task_states(dag_id=dag.dag_id, run_ids=[context["run_id"]]).get(context["run_id"], {})
    failures = []
    for task_id in (t.task_id for t in dag.topological_sort()):
        state = str(states.get(task_id) or "")
        if task_id == ti.task_id or state not in FAILED_STATES:
            continue
        if state == "upstream_failed":
            failures.append(f"{task_id}: not run, an upstream task failed")
        else:
            reason = ti.xcom_pull(task_ids=task_id, key=FAILURE_KEY)
            failures.append(f"{task_id}: {reason or 'failed (see its log)'}")
    return failures


def fail_run(failures: Sequence[str]) -> None:
    """After the summary is written: end the run failed when any task failed (no retry: the summary worked)."""
    if failures:
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException("the run failed: " + "; ".join(failures))


class FeedsFinishedSensor(BaseSensorOperator):
    """A rescheduling sensor asking Amazon whether the run's listings feeds are finished.

    Not the standard provider's ``PythonSensor``: its module (apache-airflow-providers-standard 1.21) imports the
    deprecated ``airflow.utils.operator_helpers.determine_kwargs`` and so put a deprecation warning in task logs.
    """

    def __init__(self, *, account: str, config_path: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.account = account
        self.config_path = config_path

    def poke(self, context: Any) -> bool:
        from amzodoo.runtime import fbm_stock_job

        return bool(fbm_stock_job(self.config_path, self.account, context).poll())
