"""Run one fault-matrix case against freshly started stand-ins, with the retry semantics of the order DAG.

A "DAG run" here is what Airflow does with ``amazon_orders__<account>__<marketplace>``: extract, transform,
load, summary; a task that raises is run again (a fresh job, fresh HTTP sessions, as a new task try is) up to
``TASK_RETRIES`` times; a task that fails for good fails the run and its downstream tasks do not run (the
summary still does: trigger rule all_done). Amazon's time is simulated (the sandbox clock is frozen and moves
only when the connector waits), so 429 waits of minutes cost nothing; staging is a SQLite file per case.

After the case's runs, Odoo is compared with a fault-free run over the same simulated Amazon (the baseline):
same orders, each exactly once, same lines, deliveries, customers and addresses, same states.
"""

from __future__ import annotations

import logging
import math
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from amzodoo import jobs
from amzodoo.amazon.clients import SpApiCredentials
from amzodoo.amazon.limiter import TokenBucketLimiter
from amzodoo.amazon.retry import RetryPolicy
from amzodoo.amazon.session import SpApiSession
from amzodoo.config.loader import parse_config
from amzodoo.config.model import ConnectorConfig
from amzodoo.faults.matrix import REPORT, Case
from amzodoo.jobs import JobClients
from amzodoo.odoo import binding
from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.transports import OdooCredentials
from amzodoo.odoo.versions import OdooDialect
from amzodoo.staging import schema as s
from amzodoo.staging.store import StagingStore
from amzodoo.sync.fbm_stock import FbmStockJob
from amzodoo.sync.orders import OrderSyncJob
from amzodoo.sync.shipments import ShipmentSyncJob

log = logging.getLogger(__name__)

ACCOUNT = "na_main"
MARKETPLACES = ("US", "CA")  # two: the second marketplace's run reuses the first one's extraction
TASK_RETRIES = 3  # the order DAG's default_args
# Fixed for the whole process, so every case sees the same orders as its baseline. Near the wall clock because
# Odoo stamps validated deliveries with the real time and Amazon wants shipDate between purchase and its "now".
SIM_START = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
ORDERS_PER_MARKETPLACE = 20
HISTORY_DAYS = 0.75
SEARCH_WINDOW = timedelta(hours=20)  # shorter than report_threshold_hours: searchOrders
REPORT_WINDOW = timedelta(hours=30)  # longer: the All Orders report
NEXT_RUN_AFTER = timedelta(hours=2)  # the "next scheduled run" happens at SIM_START + this
LOAD_BATCH = 10  # several Odoo batches per run, so "the middle of a batch" exists
CONFIG = f"""
odoo_conn_id: odoo_default
staging_conn_id: null
accounts:
  {ACCOUNT}:
    amazon_conn_id: amazon_sp_api_{ACCOUNT}
    marketplaces: [{", ".join(MARKETPLACES)}]
    odoo:
      tax_rounding: round_globally
      carrier_map: {{UPS: UPS}}
    report_threshold_hours: 24
"""


class TaskKilled(RuntimeError):
    """Stands for the worker dying (SIGKILL, OOM) at a chosen point of a task."""


@dataclass
class RunRecord:
    states: dict[str, str] = field(default_factory=dict)  # task -> success / failed / upstream_failed
    tries: Counter[str] = field(default_factory=Counter)  # task -> tries used
    errors: list[str] = field(default_factory=list)  # the exception text of every failed try

    @property
    def succeeded(self) -> bool:
        return all(v == "success" for v in self.states.values())


@dataclass
class CaseResult:
    case: Case
    runs: list[RunRecord]
    orders_expected: int
    orders_in_odoo: int
    duplicates: dict[str, int]
    differences: list[str]
    errors_after_first_run: list[str]
    task_retries: int
    throttled: int  # 429s the sandbox answered because a usage plan was empty (injected ones not included)
    seconds: float
    problems: list[str]
    note: str = ""  # what the reverse-flow part did, for the outcome column

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def outcome(self) -> str:
        first = self.runs[0] if self.runs else RunRecord()
        failed = [t for t, v in first.states.items() if v == "failed"]
        text = "run 1 failed at " + ",".join(failed) if failed else "run 1 ok"
        if self.errors_after_first_run:
            text += f", {len(self.errors_after_first_run)} order(s) in error"
        later = self.runs[1:]
        if later:
            ok = sum(r.succeeded for r in later)
            text += f"; {ok}/{len(later)} later run(s) ok"
        return f"{text}; {self.note}" if self.note else text


# -- the world: stand-ins, staging, jobs -----------------------------------------------------------------------
@dataclass
class World:
    sandbox: Any  # SpApiSandbox
    standin: Any  # OdooStandin
    odoo: OdooClient
    odoo_credentials: OdooCredentials
    amazon_credentials: SpApiCredentials
    store: StagingStore
    config: ConnectorConfig
    limiter: TokenBucketLimiter
    session_timeout: float = 10.0
    sessions: list[SpApiSession] = field(default_factory=list)
    stock_run_ids: list[str] = field(default_factory=list)

    def now(self) -> datetime:
        return self.sandbox.clock.now()

    def advance(self, seconds: float) -> None:
        # Whole microseconds, rounded up: a wait rounded down would leave a bucket a hair short of a token.
        if seconds > 0:
            self.sandbox.clock.advance(math.ceil(seconds * 1e6) / 1e6 + 1e-6)

    def session(self, retry: RetryPolicy) -> SpApiSession:
        session = SpApiSession(self.amazon_credentials, account=ACCOUNT, limiter=self.limiter, retry=retry,
                               timeout=self.session_timeout)
        self.sessions.append(session)
        return session

    def clients(self, store: StagingStore | None = None) -> JobClients:
        """Amazon's waits on the sandbox's simulated clock; jobs.py opens one session and one Odoo client per job,
        so per task try, as a fresh Airflow task process would."""
        return JobClients(store=store or self.store, amazon=self.session,
                          odoo=lambda: OdooClient.connect(self.odoo_credentials), sleep=self.advance)

    def job(self, marketplace: str, run_id: str, store: StagingStore | None = None) -> OrderSyncJob:
        return jobs.order_job(self.config, ACCOUNT, marketplace, self.clients(store),
                              dag_id=f"amazon_orders__{ACCOUNT}__{marketplace}", run_id=run_id)

    def close(self) -> None:
        for session in self.sessions:
            session.close()


@contextmanager
def world(case: Case) -> Iterator[World]:
    from sp_api.auth import access_token_client

    from amzodoo_sandbox.odoo import OdooStandin
    from amzodoo_sandbox.spapi import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, SimClock, SpApiSandbox

    # python-amazon-sp-api caches access tokens by refresh token; every sandbox issues its own.
    access_token_client.cache.clear()
    sandbox = SpApiSandbox(seed=7, orders_per_marketplace=ORDERS_PER_MARKETPLACE, history_days=HISTORY_DAYS,
                           clock=SimClock(SIM_START, scale=0.0), job_seconds=60)
    url = sandbox.start()
    server = sandbox._server
    original = server.handle_error

    def quiet(request: Any, client_address: Any) -> None:
        # A client that gave up (the timeout cases) makes the sandbox's write fail: expected, not worth a trace.
        import sys

        if not isinstance(sys.exc_info()[1], BrokenPipeError | ConnectionResetError):
            original(request, client_address)

    server.handle_error = quiet
    standin = OdooStandin(version="19.0")
    standin.start()
    tmp = tempfile.TemporaryDirectory(prefix="amzodoo-faults-")
    store = StagingStore.from_url(f"sqlite:///{Path(tmp.name) / 'staging.sqlite'}")
    store.create_schema()
    account = sandbox.state.account(ACCOUNT).account
    amazon_credentials = SpApiCredentials(SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, account.refresh_token,
                                          seller_id=account.seller_id, region=account.region, endpoint=url)
    odoo_credentials = OdooCredentials(standin.url, standin.database, "admin", "admin",
                                       standin.create_api_key("admin"))
    odoo = OdooClient.connect(odoo_credentials)
    clock = sandbox.clock
    w = World(sandbox=sandbox, standin=standin, odoo=odoo, odoo_credentials=odoo_credentials,
              amazon_credentials=amazon_credentials, store=store,
              config=parse_config(CONFIG, Path("<faults>")),
              limiter=None,  # type: ignore[arg-type]  # set below: it needs the world's clock
              session_timeout=case.session_timeout)
    w.limiter = TokenBucketLimiter(clock=lambda: clock.now().timestamp(), sleep=w.advance)
    try:
        seed_catalog(odoo, sandbox)
        yield w
    finally:
        w.close()
        store.engine.dispose()
        tmp.cleanup()
        standin.stop()
        sandbox.stop()
        access_token_client.cache.clear()


def seed_catalog(odoo: OdooClient, sandbox: Any) -> None:
    """Most listed SKUs exist in Odoo as products (as in the order integration tests)."""
    dialect = OdooDialect(odoo.major_version)
    data = sandbox.state.account(ACCOUNT)
    listings = data.listings.values() if isinstance(data.listings, dict) else data.listings
    skus = {listing.sku: listing.title for listing in listings}
    odoo.create("product.product", [{"name": title[:100], "default_code": sku, **dialect.storable_product()}
                                    for sku, title in sorted(skus.items())])


# -- one DAG run with Airflow's retry semantics -----------------------------------------------------------------
def run_task(record: RunRecord, name: str, fn: Callable[[], Any], retries: int = TASK_RETRIES) -> Any:
    for attempt in range(retries + 1):
        record.tries[name] += 1
        try:
            result = fn()
        except Exception as exc:  # any task failure is retried, as Airflow does
            record.errors.append(f"{name} try {attempt + 1}: {type(exc).__name__}: {exc}")
            continue
        record.states[name] = "success"
        return result
    record.states[name] = "failed"
    return None


def dag_run(w: World, marketplace: str, start: datetime, end: datetime, run_id: str, *,
            force: bool = False, store_for_load: Callable[[int], StagingStore] | None = None) -> RunRecord:
    """extract >> transform >> load >> summary (all_done), each task retried like the DAG's default_args."""
    record = RunRecord()
    extracted = run_task(record, "extract",
                         lambda: w.job(marketplace, run_id).extract(interval_start=start, interval_end=end,
                                                                    params={"force": force}, now=w.now()))
    transformed = loaded = None
    if record.states["extract"] == "success":
        transformed = run_task(record, "transform", lambda: w.job(marketplace, run_id).transform())
    else:
        record.states["transform"] = "upstream_failed"
    if record.states["transform"] == "success":
        def load() -> dict:
            store = store_for_load(record.tries["load"]) if store_for_load else None
            return w.job(marketplace, run_id, store).load(batch_size=LOAD_BATCH)

        loaded = run_task(record, "load", load)
    else:
        record.states["load"] = "upstream_failed"
    run_task(record, "summary", lambda: w.job(marketplace, run_id).summarize(extracted, transformed, loaded))
    return record


def killing_store(w: World) -> Callable[[int], StagingStore]:
    """The load task's first try dies right after the Odoo write: its staging update never happens."""

    def store_for(try_number: int) -> StagingStore:
        if try_number > 1:
            return w.store
        store = StagingStore(w.store.engine)

        def killed(*_args: Any, **_kwargs: Any) -> None:
            raise TaskKilled("worker killed after the Odoo write, before the staging update")

        store.update_orders = killed  # type: ignore[method-assign]
        return store

    return store_for


# -- invariants ---------------------------------------------------------------------------------------------------
def snapshot(w: World) -> dict[str, Any]:
    """Odoo as the connector left it, keyed by Amazon order id, plus duplicates of every binder."""
    odoo = w.odoo
    orders = odoo.search_read("sale.order", [("origin", "=like", "Amazon %")],
                              ["origin", "state", "amount_total", "partner_id", "partner_shipping_id"])
    refs = Counter(binding.amazon_order_id(o["origin"]) for o in orders)
    order_ids = [o["id"] for o in orders]
    lines = Counter(r["order_id"][0] for r in odoo.search_read_in("sale.order.line", "order_id", order_ids,
                                                                   ["order_id"]))
    pickings: dict[int, list[str]] = {}
    for p in odoo.search_read_in("stock.picking", "sale_id", order_ids, ["sale_id", "state"]):
        pickings.setdefault(p["sale_id"][0], []).append(p["state"])
    partners = odoo.search_read("res.partner", [("ref", "!=", False)], ["ref"], context={"active_test": False})
    partner_refs = Counter(p["ref"] for p in partners)
    addresses = odoo.search_read("res.partner", [("type", "=", "delivery")],
                                 ["parent_id", "name", "street", "city", "zip"], context={"active_test": False})
    address_keys = Counter((a["parent_id"] and a["parent_id"][0], a["name"], a["street"], a["city"], a["zip"])
                           for a in addresses)
    by_ref = {}
    for o in orders:
        by_ref[binding.amazon_order_id(o["origin"])] = (o["state"], round(o["amount_total"], 2), lines[o["id"]],
                                         tuple(sorted(pickings.get(o["id"], []))))
    return {
        "orders": by_ref,
        "partners": len(partner_refs),
        "addresses": len(address_keys),
        "duplicates": {
            "orders": sum(n - 1 for n in refs.values()),
            "partners": sum(n - 1 for n in partner_refs.values()),
            "addresses": sum(n - 1 for n in address_keys.values()),
        },
    }


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    diffs = []
    missing = sorted(set(expected["orders"]) - set(actual["orders"]))
    extra = sorted(set(actual["orders"]) - set(expected["orders"]))
    if missing:
        diffs.append(f"missing in Odoo: {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    if extra:
        diffs.append(f"unexpected in Odoo: {', '.join(extra[:5])}")
    for ref in sorted(set(expected["orders"]) & set(actual["orders"])):
        if expected["orders"][ref] != actual["orders"][ref]:
            diffs.append(f"{ref}: (state, total, lines, pickings) {actual['orders'][ref]} "
                         f"instead of {expected['orders'][ref]}")
    for key in ("partners", "addresses"):
        if expected[key] != actual[key]:
            diffs.append(f"{key}: {actual[key]} instead of {expected[key]}")
    return diffs


def staging_errors(w: World) -> list[str]:
    return [o["message"] or "" for mp in MARKETPLACES for o in w.store.staged_orders(ACCOUNT, mp, states=[s.ERROR])]


# -- a case from start to end -------------------------------------------------------------------------------------
def window_for(case: Case, now: datetime) -> tuple[datetime, datetime]:
    return now - (REPORT_WINDOW if case.path == REPORT else SEARCH_WINDOW), now


def inject(case: Case, w: World) -> None:
    for f in case.spapi:
        w.sandbox.inject_fault(f.operation, f.kind, count=f.count, **f.options)
    for f in case.odoo:
        w.standin.inject_fault(f.model, f.method, f.kind, count=f.count, message=f.message)


def play(case: Case, w: World) -> tuple[list[RunRecord], list[str]]:
    """Inject, run each marketplace's DAG once, then the next scheduled run (and the reruns the case asks)."""
    if not (case.shipments or case.stock):  # reverse-flow cases inject when their own runs start
        inject(case, w)
    start, end = window_for(case, w.now())
    runs: list[RunRecord] = []
    for mp in MARKETPLACES:
        runs.append(dag_run(w, mp, start, end, f"manual__1__{mp}",
                            store_for_load=killing_store(w) if case.kill_after_odoo_write else None))
    errors = staging_errors(w)
    first_failed = not all(r.succeeded for r in runs)
    # The next scheduled run, at a fixed simulated time: retries' waits (a 429 storm waits minutes of Amazon
    # time) must not change which orders exist by then, or the comparison with the baseline would be unfair.
    # A run that failed for good is cleared by the operator (README "Retry"): its whole window runs again, as
    # clearing the failed task in the UI does.
    w.advance(max(0.0, (SIM_START + NEXT_RUN_AFTER - w.now()).total_seconds()))
    later = []
    for mp in MARKETPLACES:
        if first_failed:
            later.append(dag_run(w, mp, start, end, f"cleared__1__{mp}"))
        later.append(dag_run(w, mp, end, w.now(), f"scheduled__2__{mp}"))
    for i in range(case.reruns):
        # Overlapping backfills and reruns: shifted windows over the same orders; the third asks Amazon again.
        shift = timedelta(hours=3 * i)
        for mp in MARKETPLACES:
            later.append(dag_run(w, mp, start - shift, end - shift / 2, f"backfill__{i}__{mp}", force=i == 2))
    return runs + later, errors


# -- the reverse flow: shipment confirmations -------------------------------------------------------------------

def ship_deliveries(w: World) -> list[tuple[str, int]]:
    """A warehouse user validates every open FBM delivery with carrier UPS and a tracking number."""
    odoo = w.odoo
    service = odoo.create("product.product", [{"name": "Carrier service", "type": "service"}])[0]
    ups = odoo.create("delivery.carrier", [{"name": "UPS", "delivery_type": "fixed", "product_id": service}])[0]
    shipped = []
    for mp in MARKETPLACES:
        for order in w.store.staged_orders(ACCOUNT, mp, states=[s.LOADED]):
            if order["fulfillment_channel"] != "MFN" or not order["odoo_order_id"]:
                continue
            amazon_order = w.sandbox.state.orders[order["amazon_order_id"]]
            if amazon_order.status_at(w.now()) != "Unshipped":
                continue
            # Amazon's clock runs ahead of the wall clock here (up to NEXT_RUN_AFTER), but Odoo stamps the
            # delivery with the wall clock: an order bought later than that could not have shipped yet.
            if amazon_order.created > datetime.now(UTC) - timedelta(seconds=5):
                continue
            for picking in odoo.search_read("stock.picking", [("sale_id", "=", order["odoo_order_id"]),
                                                              ("state", "not in", ["done", "cancel"])], ["id"]):
                odoo.write("stock.picking", [picking["id"]], {"carrier_id": ups,
                                                              "carrier_tracking_ref": f"1Z{picking['id']:08d}"})
                for move in odoo.search_read("stock.move", [("picking_id", "=", picking["id"])],
                                             ["product_uom_qty"]):
                    odoo.write("stock.move", [move["id"]], {"quantity": move["product_uom_qty"], "picked": True})
                odoo.execute("stock.picking", "button_validate", [picking["id"]], context={"skip_sms": True})
                shipped.append((order["amazon_order_id"], picking["id"]))
    return shipped


def shipment_run(w: World, run_id: str) -> RunRecord:
    """collect >> confirm >> summary of the shipments DAG, with the DAG's task retries."""
    def job() -> ShipmentSyncJob:
        return jobs.shipment_job(w.config, ACCOUNT, w.clients(), dag_id=f"odoo_shipments__{ACCOUNT}", run_id=run_id)

    record = RunRecord()
    collected = run_task(record, "collect", lambda: job().collect())
    confirmed = None
    if record.states["collect"] == "success":
        confirmed = run_task(record, "confirm", lambda: job().confirm())
    else:
        record.states["confirm"] = "upstream_failed"
    run_task(record, "summary", lambda: job().summarize(collected, confirmed))
    return record


def play_shipments(case: Case, w: World) -> tuple[list[RunRecord], list[str], list[tuple[str, int]]]:
    shipped = ship_deliveries(w)
    inject(case, w)
    runs = [shipment_run(w, "shipments__1")]
    errors = [r["message"] or "" for r in w.store.shipment_confirmations(ACCOUNT, states=[s.CONFIRM_ERROR])]
    # An answer lost to a timeout: Amazon finishes the request after the client gave up; wait for that.
    time.sleep(max((float(f.options.get("seconds", 0)) for f in case.spapi if f.kind == "latency"), default=0))
    w.advance(30 * 60)
    runs.append(shipment_run(w, "shipments__2"))
    for i in range(case.reruns):
        # Reruns: a cleared first run (same run id) and new runs re-reading the same deliveries.
        runs.append(shipment_run(w, "shipments__1" if i % 2 == 0 else f"shipments__rerun{i}"))
    return runs, errors, shipped


def shipment_problems(w: World, shipped: list[tuple[str, int]]) -> list[str]:
    problems = []
    if not shipped:
        problems.append("no FBM delivery to ship: the case proves nothing")
    rows = {r["odoo_picking_id"]: r for r in w.store.shipment_confirmations(ACCOUNT)}
    for order_id, picking_id in shipped:
        sent = [p for p in w.sandbox.shipments(order_id)
                if any(str(pkg.get("packageReferenceId")) == str(picking_id)
                       for pkg in (p.get("packageDetail"), *(p.get("packageDetails") or [])) if pkg)]
        if len(sent) != 1:
            problems.append(f"delivery {picking_id} of {order_id} confirmed {len(sent)} times on Amazon")
        row = rows.get(picking_id)
        if row is None or row["state"] != s.CONFIRMED:
            problems.append(f"delivery {picking_id} of {order_id} is {row and row['state']} in staging")
    return problems


# -- the reverse flow: FBM stock feed --------------------------------------------------------------------------
def stock_run(w: World, run_id: str) -> RunRecord:
    """submit >> poll (a sensor: poked until the feeds finish) >> report >> summary, with task retries."""
    def job() -> FbmStockJob:
        return jobs.fbm_stock_job(w.config, ACCOUNT, w.clients(), dag_id=f"odoo_fbm_stock__{ACCOUNT}", run_id=run_id)

    def poll() -> bool:
        for _ in range(40):
            if job().poll():
                return True
            w.advance(30)  # the sensor's poke interval, on Amazon's clock
        raise TimeoutError("feeds still not finished")

    if run_id not in w.stock_run_ids:
        w.stock_run_ids.append(run_id)
    record = RunRecord()
    submitted = run_task(record, "submit", lambda: job().submit())
    reported = None
    if record.states["submit"] == "success" and run_task(record, "poll", poll):
        reported = run_task(record, "report", lambda: job().read_reports())
    run_task(record, "summary", lambda: job().summarize(submitted, reported))
    return record


def play_stock(case: Case, w: World) -> tuple[list[RunRecord], int]:
    inject(case, w)
    runs = [stock_run(w, "fbm_stock__1")]
    errors = sum(1 for level in w.store.stock_levels(ACCOUNT).values() if level["state"] == s.LEVEL_ERROR)
    w.advance(30 * 60)
    runs.append(stock_run(w, "fbm_stock__2"))
    for i in range(case.reruns):
        # A cleared first run finds its staged feeds and submits nothing; a new run has nothing changed to send.
        runs.append(stock_run(w, "fbm_stock__1" if i % 2 == 0 else f"fbm_stock__rerun{i}"))
    return runs, errors


def stock_problems(w: World) -> list[str]:
    problems = []
    levels = w.store.stock_levels(ACCOUNT)
    if not levels:
        problems.append("no SKU was sent: the case proves nothing")
    for sku, level in sorted(levels.items()):
        if level["state"] != s.LEVEL_ACCEPTED:
            problems.append(f"SKU {sku} is {level['state']} in staging: {level['message']}")
        elif w.sandbox.listing_quantity(ACCOUNT, sku) != level["quantity"]:
            problems.append(f"SKU {sku}: Amazon has {w.sandbox.listing_quantity(ACCOUNT, sku)}, "
                            f"Odoo {level['quantity']}")
    for run_id in w.stock_run_ids:
        feeds = w.store.feeds_of_run(ACCOUNT, run_id)
        if len({f["feed_id"] for f in feeds}) != len(feeds):
            problems.append(f"run {run_id} submitted a feed twice")
    # More feeds on Amazon than the runs staged would be a feed submitted twice (e.g. by a task retry).
    submitted = sum(len(w.store.feeds_of_run(ACCOUNT, r)) for r in w.stock_run_ids)
    if len(w.sandbox.state.feeds) > submitted:
        problems.append(f"{len(w.sandbox.state.feeds)} feeds on Amazon for {submitted} staged feeds")
    return problems


_BASELINES: dict[tuple[str, bool], dict[str, Any]] = {}


def baseline(path: str, shipments: bool = False) -> dict[str, Any]:
    """What a fault-free run leaves in Odoo (computed once per process and kind of case; the stock feed
    changes nothing in Odoo, so stock cases share the order baseline)."""
    key = (path, shipments)
    if key not in _BASELINES:
        clean = Case(f"baseline:{path}", path=path, shipments=shipments)
        with world(clean) as w:
            runs, _ = play(clean, w)
            if shipments:
                runs += play_shipments(clean, w)[0]
            if not all(r.succeeded for r in runs):
                raise RuntimeError(f"the fault-free baseline failed: {[r.errors for r in runs]}")
            _BASELINES[key] = snapshot(w)
    return _BASELINES[key]


def run_case(case: Case) -> CaseResult:
    started = time.perf_counter()
    expected = baseline(case.path, case.shipments)
    problems = []
    note = ""
    with world(case) as w:
        runs, errors = play(case, w)
        if case.shipments:
            ship_runs, confirm_errors, shipped = play_shipments(case, w)
            note = f"{len(shipped)} deliveries shipped, {len(confirm_errors)} confirmation error(s) after run 1"
            problems += shipment_problems(w, shipped)
            if len(confirm_errors) != case.confirm_errors_after_first_run:
                problems.append(f"{len(confirm_errors)} confirmations in error after the first run, "
                                f"{case.confirm_errors_after_first_run} expected: {confirm_errors[:2]}")
            for message in confirm_errors:
                if f"account {ACCOUNT}, Amazon order " not in message:
                    problems.append(f"confirmation error does not name account and order: {message}")
            if not all(r.succeeded for r in ship_runs):
                problems.append("a shipment run failed: " + " | ".join(e for r in ship_runs for e in r.errors))
            runs += ship_runs
        if case.stock:
            stock_runs, stock_errors = play_stock(case, w)
            problems += stock_problems(w)
            note = "; ".join(filter(None, [
                note, f"{len(w.store.stock_levels(ACCOUNT))} SKUs sent, {stock_errors} in error after run 1"]))
            if stock_errors < case.min_stock_errors_after_first_run:
                problems.append(f"only {stock_errors} SKUs in error after the first stock run")
            if not all(r.succeeded for r in stock_runs):
                problems.append("a stock run failed: " + " | ".join(e for r in stock_runs for e in r.errors))
            runs += stock_runs
        actual = snapshot(w)
        throttled = w.sandbox.throttled()
        left_errors = staging_errors(w)
    first = runs[: len(MARKETPLACES)]
    if not case.first_run_may_fail and not all(r.succeeded for r in first):
        problems.append("the first run failed: " + " | ".join(e for r in first for e in r.errors[-2:]))
    if not all(r.succeeded for r in runs[len(MARKETPLACES):]) and not case.shipments:
        problems.append("a later run failed: " + " | ".join(e for r in runs for e in r.errors[-1:]))
    retries = sum(n - 1 for r in runs for n in r.tries.values())
    if retries < case.min_task_retries:
        problems.append(f"only {retries} task retries: the fault was not felt")
    if len(errors) != case.errors_after_first_run:
        problems.append(f"{len(errors)} orders in error after the first run, {case.errors_after_first_run} expected")
    for message in errors:
        if not (f"account {ACCOUNT}" in message and "marketplace " in message and "order " in message):
            problems.append(f"error message does not name account/marketplace/order: {message}")
    if left_errors:
        problems.append(f"{len(left_errors)} orders still in error after the next run: {left_errors[:2]}")
    duplicates = actual["duplicates"]
    if any(duplicates.values()):
        problems.append(f"duplicates: {duplicates}")
    differences = compare(expected, actual)
    problems.extend(differences[:5])
    if throttled:
        problems.append(f"{throttled} 429s from an empty usage plan (the limiter should prevent them)")
    return CaseResult(case=case, runs=runs, orders_expected=len(expected["orders"]),
                      orders_in_odoo=len(actual["orders"]), duplicates=duplicates, differences=differences,
                      errors_after_first_run=errors, task_retries=retries, throttled=throttled,
                      seconds=round(time.perf_counter() - started, 1), problems=problems, note=note)
