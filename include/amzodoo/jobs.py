"""Every job of the connector built in one place: the DAG runtime, the fault matrix, the benchmarks and the tests
differ only in how they reach Amazon, Odoo and staging (:class:`JobClients`), never in how a job is wired.

What is wired here once: each job opens its Amazon session and its Odoo client on first use (a step with nothing
to do never logs in), at most once (a job is one task try, as a fresh Airflow task process is), and the shipment
job's session retries nothing but throttling.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from amzodoo.amazon.retry import RetryPolicy
from amzodoo.amazon.session import SpApiSession
from amzodoo.amazon.shipments_api import ThrottleOnlyRetry
from amzodoo.config.model import ConnectorConfig
from amzodoo.odoo.client import OdooClient
from amzodoo.staging.store import StagingStore
from amzodoo.sync.fba_stock import FbaStockJob
from amzodoo.sync.fbm_stock import FbmStockJob
from amzodoo.sync.orders import OrderSyncJob
from amzodoo.sync.shipments import ShipmentSyncJob

T = TypeVar("T")


@dataclass(frozen=True)
class JobClients:
    """How the jobs of one seller account reach Amazon, Odoo and staging."""

    store: StagingStore
    amazon: Callable[[RetryPolicy], SpApiSession]  # opens a session of the account retrying by the policy given
    odoo: Callable[[], OdooClient]
    sleep: Callable[[float], None] = time.sleep  # every wait: retries' backoff and report polling
    poll_seconds: float = 15.0  # between two looks at a report Amazon is preparing


def _once(open_client: Callable[[], T]) -> Callable[[], T]:
    """``open_client`` called on first use only, its result kept for the job's life."""
    return functools.cache(open_client)


def _amazon(clients: JobClients, retry: RetryPolicy) -> Callable[[], SpApiSession]:
    return _once(lambda: clients.amazon(retry))


def order_job(config: ConnectorConfig, account: str, marketplace: str, clients: JobClients, *, dag_id: str = "",
              run_id: str = "") -> OrderSyncJob:
    return OrderSyncJob(account=account, marketplace=marketplace, config=config, store=clients.store,
                        amazon=_amazon(clients, RetryPolicy(sleep=clients.sleep)), odoo=_once(clients.odoo),
                        dag_id=dag_id, run_id=run_id, poll_seconds=clients.poll_seconds, sleep=clients.sleep)


def shipment_job(config: ConnectorConfig, account: str, clients: JobClients, *, dag_id: str = "",
                 run_id: str = "") -> ShipmentSyncJob:
    # confirmShipment may have been applied when it times out: only throttling is retried within a run.
    return ShipmentSyncJob(account=account, config=config, store=clients.store,
                           amazon=_amazon(clients, ThrottleOnlyRetry(sleep=clients.sleep)), odoo=_once(clients.odoo),
                           dag_id=dag_id, run_id=run_id)


def fbm_stock_job(config: ConnectorConfig, account: str, clients: JobClients, *, dag_id: str = "",
                  run_id: str = "") -> FbmStockJob:
    return FbmStockJob(account=account, config=config, store=clients.store,
                       amazon=_amazon(clients, RetryPolicy(sleep=clients.sleep)), odoo=_once(clients.odoo),
                       dag_id=dag_id, run_id=run_id)


def fba_stock_job(config: ConnectorConfig, account: str, clients: JobClients, *, dag_id: str = "",
                  run_id: str = "") -> FbaStockJob:
    return FbaStockJob(account=account, config=config, store=clients.store,
                       amazon=_amazon(clients, RetryPolicy(sleep=clients.sleep)), odoo=_once(clients.odoo),
                       dag_id=dag_id, run_id=run_id)
