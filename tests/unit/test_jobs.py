"""The job factory: every caller's jobs wired alike, clients opened on first use and once per job."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from amzodoo import jobs
from amzodoo.amazon.retry import RetryPolicy
from amzodoo.amazon.shipments_api import ThrottleOnlyRetry
from amzodoo.config.loader import parse_config
from amzodoo.staging.store import StagingStore
from amzodoo.sync.fba_stock import FbaStockJob
from amzodoo.sync.fbm_stock import FbmStockJob
from amzodoo.sync.orders import OrderSyncJob
from amzodoo.sync.shipments import ShipmentSyncJob

CONFIG = parse_config("""
odoo_conn_id: odoo_default
staging_conn_id: null
accounts:
  na_main:
    amazon_conn_id: amazon_sp_api_na_main
    marketplaces: [US, CA]
""", Path("<test>"))


class Opened:
    """Stand-in clients that remember what was asked of them."""

    def __init__(self) -> None:
        self.retries: list[RetryPolicy] = []
        self.odoo_clients = 0

    def amazon(self, retry: RetryPolicy) -> object:
        self.retries.append(retry)
        return object()

    def odoo(self) -> object:
        self.odoo_clients += 1
        return object()


@pytest.fixture
def opened() -> Opened:
    return Opened()


@pytest.fixture
def clients(opened, tmp_path) -> Iterator[jobs.JobClients]:
    store = StagingStore.from_url(f"sqlite:///{tmp_path / 'staging.sqlite'}")
    yield jobs.JobClients(store=store, amazon=opened.amazon, odoo=opened.odoo,  # type: ignore[arg-type]
                          sleep=lambda _s: None, poll_seconds=0.5)
    store.engine.dispose()


def build(kind: str, clients: jobs.JobClients):
    run = {"dag_id": "some_dag", "run_id": "manual__1"}
    if kind == "orders":
        return jobs.order_job(CONFIG, "na_main", "CA", clients, **run)
    return {"shipments": jobs.shipment_job, "fbm_stock": jobs.fbm_stock_job,
            "fba_stock": jobs.fba_stock_job}[kind](CONFIG, "na_main", clients, **run)


@pytest.mark.parametrize(("kind", "job_class"), [("orders", OrderSyncJob), ("shipments", ShipmentSyncJob),
                                                 ("fbm_stock", FbmStockJob), ("fba_stock", FbaStockJob)])
def test_each_job_opens_its_clients_on_first_use_and_once(kind, job_class, clients, opened):
    job = build(kind, clients)
    assert type(job) is job_class and job.account == "na_main" and job.store is clients.store
    assert (job.dag_id, job.run_id) == ("some_dag", "manual__1")
    assert opened.retries == [] and opened.odoo_clients == 0  # nothing to do, no login
    assert job.amazon() is job.amazon() and job.odoo() is job.odoo()
    assert len(opened.retries) == 1 and opened.odoo_clients == 1
    build(kind, clients).odoo()  # the next task try opens its own
    assert opened.odoo_clients == 2


def test_only_the_shipment_job_retries_nothing_but_throttling(clients, opened):
    for kind in ("orders", "shipments", "fbm_stock", "fba_stock"):
        build(kind, clients).amazon()
    kinds = [type(retry) for retry in opened.retries]
    assert kinds == [RetryPolicy, ThrottleOnlyRetry, RetryPolicy, RetryPolicy]
    assert all(retry.sleep is clients.sleep for retry in opened.retries)  # waits on the caller's clock


def test_the_order_job_polls_and_waits_as_its_clients_say(clients):
    job = build("orders", clients)
    assert job.marketplace == "CA" and job.poll_seconds == 0.5 and job.sleep is clients.sleep
