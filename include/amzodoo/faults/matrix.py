"""The fault matrix: each case says what goes wrong where, and what the connector must still achieve.

A case is small on purpose (two marketplaces, ~30 orders): the point is the sequence of events, not volume.
Every case is compared with a fault-free run over the same simulated Amazon ("the baseline"): after task
retries and the next scheduled run, Odoo must hold exactly what the baseline holds, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEARCH = "search"  # a short window: read with searchOrders
REPORT = "report"  # a long window: the All Orders report, completed by searchOrders for FBM recipients


@dataclass(frozen=True)
class SpApiFault:
    operation: str  # "orders.searchOrders", "reports.createReport", ...
    kind: str  # a sandbox fault kind (amzodoo_sandbox.spapi.faults.FAULT_KINDS)
    count: int = 1
    options: dict = field(default_factory=dict)

    def describe(self) -> str:
        extra = "".join(f" {k}={v}" for k, v in self.options.items())
        return f"SP-API {self.operation} {self.kind} x{self.count}{extra}"


@dataclass(frozen=True)
class OdooFault:
    model: str
    method: str
    kind: str  # "down" (HTTP 503) or "error" (UserError, Odoo refuses the call)
    count: int = 1
    message: str = ""

    def describe(self) -> str:
        return f"Odoo {self.model}.{self.method} {self.kind} x{self.count}"


@dataclass(frozen=True)
class Case:
    name: str
    path: str = SEARCH
    spapi: tuple[SpApiFault, ...] = ()
    odoo: tuple[OdooFault, ...] = ()
    # A task killed after Odoo's write and before the staging update of the given step.
    kill_after_odoo_write: bool = False
    # Overlapping reruns and backfills of the same windows after the first run (each a full DAG run).
    reruns: int = 0
    # Orders that stay in error after the *first* run (Odoo refused them); the next scheduled run must load them.
    errors_after_first_run: int = 0
    # The first run is allowed to fail for good (every task retry used up); the next scheduled run recovers.
    first_run_may_fail: bool = False
    min_task_retries: int = 0  # the fault must actually have been felt
    session_timeout: float = 10.0  # seconds; the "timeout" case lowers it below the injected latency
    # The reverse flow: FBM deliveries validated in Odoo after the orders loaded; the faults hit the shipment
    # confirmation runs instead of the order runs. Every delivery must be confirmed on Amazon exactly once.
    shipments: bool = False
    confirm_errors_after_first_run: int = 0
    # A bug this case reveals in code outside the matrix's reach (another engineer's), reported and not fixed
    # here: the case is expected to fail until it is fixed, and says so instead of failing the command.
    known_bug: str = ""
    # The FBM stock feed after the orders loaded; the faults hit the stock runs. Every merchant SKU must end
    # accepted on Amazon with Odoo's quantity, and no run may submit its feeds twice.
    stock: bool = False
    min_stock_errors_after_first_run: int = 0
    expect: str = ""

    def injected(self) -> str:
        parts = [f.describe() for f in (*self.spapi, *self.odoo)]
        if self.kill_after_odoo_write:
            parts.append("load task killed after the Odoo write, before the staging update")
        if self.reruns:
            parts.append(f"{self.reruns} overlapping reruns / backfills of the same windows")
        return "; ".join(parts) or "nothing"


CASES: tuple[Case, ...] = (
    Case("baseline", expect="every order in Odoo once"),
    Case("spapi_429_storm", spapi=(SpApiFault("orders.searchOrders", "429", 8),), min_task_retries=1,
         expect="session retries exhausted, task retry succeeds"),
    Case("spapi_5xx", spapi=(SpApiFault("orders.searchOrders", "5xx", 3, {"html": True}),),
         expect="bare 503 pages retried inside the session"),
    Case("spapi_timeout", spapi=(SpApiFault("orders.searchOrders", "latency", 2, {"seconds": 1.5}),),
         session_timeout=0.5, expect="read timeouts retried inside the session"),
    Case("spapi_dropped_connection", spapi=(SpApiFault("orders.searchOrders", "drop", 3),),
         expect="dropped connections retried inside the session"),
    Case("spapi_outage_longer_than_retries", spapi=(SpApiFault("orders.searchOrders", "5xx", 30),),
         first_run_may_fail=True, min_task_retries=3,
         expect="run fails after every retry; the next run (window cleared by the operator) recovers"),
    Case("report_truncated", path=REPORT, spapi=(SpApiFault("reports.getReportDocument", "truncate", 1),),
         min_task_retries=1, expect="extract fails (retryable), the retry downloads a new report"),
    Case("report_fatal", path=REPORT, spapi=(SpApiFault("reports.createReport", "fatal", 1),),
         min_task_retries=1, expect="extract fails, the retry requests a new report"),
    Case("report_cancelled", path=REPORT, spapi=(SpApiFault("reports.createReport", "cancelled", 1),),
         min_task_retries=1, expect="extract fails, the retry requests a new report"),
    Case("report_429_on_create", path=REPORT, spapi=(SpApiFault("reports.createReport", "429", 2),),
         expect="throttled createReport waited out inside the session"),
    Case("odoo_down_on_create", odoo=(OdooFault("sale.order", "create", "down", 1),), min_task_retries=1,
         expect="load fails before anything is written, the retry creates"),
    Case("odoo_down_mid_batch_confirm", odoo=(OdooFault("sale.order", "action_confirm", "down", 1),),
         min_task_retries=1, expect="orders created but not confirmed; the retry binds and confirms them"),
    Case("odoo_down_mid_batch_fba_validate", odoo=(OdooFault("stock.picking", "button_validate", "down", 1),),
         min_task_retries=1, expect="orders confirmed, FBA deliveries open; the retry validates them once"),
    Case("odoo_down_longer_than_retries", odoo=(OdooFault("sale.order", "action_confirm", "down", 4),),
         first_run_may_fail=True, min_task_retries=3,
         expect="load fails for good; the next scheduled run finishes the half-loaded orders"),
    Case("odoo_validation_errors", odoo=(OdooFault("sale.order", "create", "error", 5,
                                                   "Injected validation error"),),
         errors_after_first_run=2,
         expect="batch bisected, 2 orders in error naming account/marketplace/order; next run loads them"),
    Case("odoo_confirm_refused", odoo=(OdooFault("sale.order", "action_confirm", "error", 5,
                                                 "Injected confirmation error"),),
         errors_after_first_run=2, expect="2 orders created but refused confirmation; next run confirms them"),
    Case("killed_between_odoo_and_staging", kill_after_odoo_write=True, min_task_retries=1,
         expect="the retry finds the orders by their origin (Amazon order id) instead of creating them again"),
    Case("ship_confirm_5xx", shipments=True, spapi=(SpApiFault("ordersV0.confirmShipment", "5xx", 2),),
         confirm_errors_after_first_run=2,
         expect="confirmShipment is not retried within a run (it may have been applied); the next run sends again"),
    Case("ship_confirm_dropped", shipments=True, spapi=(SpApiFault("ordersV0.confirmShipment", "drop", 2),),
         confirm_errors_after_first_run=2, expect="dropped before Amazon saw it: the next run confirms it once"),
    Case("ship_confirm_applied_but_timed_out", shipments=True, session_timeout=0.5,
         spapi=(SpApiFault("ordersV0.confirmShipment", "latency", 1, {"seconds": 1.5}),),
         confirm_errors_after_first_run=1,
         expect="Amazon applied it, the answer was lost; the resend is refused as a duplicate -> confirmed once"),
    Case("ship_confirm_429", shipments=True, spapi=(SpApiFault("ordersV0.confirmShipment", "429", 3),),
         expect="throttling is retried within the run"),
    Case("ship_odoo_down_on_collect", shipments=True, odoo=(OdooFault("stock.picking", "search_read", "down", 1),),
         min_task_retries=1, expect="collect fails, the task retry collects"),
    Case("feed_processing_errors", stock=True, spapi=(SpApiFault("feeds.createFeed", "feed_error", 1),),
         min_stock_errors_after_first_run=1,
         expect="every SKU of the feed fails in the processing report; the next run sends them again"),
    Case("feed_fatal", stock=True, spapi=(SpApiFault("feeds.createFeed", "fatal", 1),),
         min_stock_errors_after_first_run=1, expect="the feed ends FATAL: its SKUs are errors, sent again next run"),
    Case("feed_cancelled", stock=True, spapi=(SpApiFault("feeds.createFeed", "cancelled", 1),),
         min_stock_errors_after_first_run=1, expect="the feed ends CANCELLED: its SKUs are sent again next run"),
    Case("feed_create_5xx", stock=True, spapi=(SpApiFault("feeds.createFeed", "5xx", 8),), min_task_retries=1,
         expect="createFeed fails after the session's retries; the task retry submits the staged feed once"),
    Case("overlapping_reruns", reruns=5,
         expect="five reruns / backfills of overlapping windows (one forced) create nothing"),
    Case("overlapping_reruns_reverse", reruns=5, shipments=True, stock=True,
         expect="the same, then five more shipment and stock runs (cleared and new): each delivery confirmed "
                "once, no feed twice"),
)

BY_NAME = {c.name: c for c in CASES}
