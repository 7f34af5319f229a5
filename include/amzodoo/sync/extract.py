"""Extract: Amazon orders of one seller account into the raw staging table, unchanged.

One extraction serves every marketplace of the account (see sync/windows.py); the ledger of extracted windows
and a per-account lock make sibling DAGs and reruns reuse it instead of calling Amazon again.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from amzodoo.amazon import orders_api, reports
from amzodoo.amazon.fba_shipments import buyers_by_order
from amzodoo.amazon.session import SpApiSession
from amzodoo.config.marketplaces import BY_MARKETPLACE_ID, MARKETPLACES
from amzodoo.config.model import AccountConfig
from amzodoo.staging.locks import account_lock
from amzodoo.staging.store import StagingStore, now_utc
from amzodoo.sync.side_calls import SideCalls
from amzodoo.sync.windows import SEARCH, plan, uncovered
from amzodoo.timeutil import parse_timestamp

log = logging.getLogger(__name__)
T = TypeVar("T")
LAND_CHUNK = 2000  # orders per landing: memory stays bounded whatever the window's size
CHANNELS = {"AMAZON": "AFN", "MERCHANT": "MFN", "AFN": "AFN", "MFN": "MFN"}
BY_SALES_CHANNEL = {m.sales_channel.lower(): m.code for m in MARKETPLACES.values()}
# All Orders report statuses of FBA orders that Odoo gets (the flat file says "Shipping" when some items shipped).
SHIPPED_REPORT_STATUSES = {"shipped", "shipping", "partiallyshipped", "partially shipped"}


@dataclass
class ExtractResult:
    landed: Counter[str] = field(default_factory=Counter)  # marketplace -> orders landed
    steps: list[str] = field(default_factory=list)
    reused: bool = False

    def as_dict(self) -> dict:
        return {"landed": dict(self.landed), "steps": self.steps, "reused": self.reused}


def parse_time(value: str | None) -> datetime | None:
    """Amazon leaves some timestamps out (an order never updated has no last update)."""
    return parse_timestamp(value) if value else None


def api_rows(orders: Iterable[dict], account: str, codes: set[str], source: str, run_id: str | None) -> list[dict]:
    rows = []
    extracted_at = now_utc()
    for order in orders:
        mp = BY_MARKETPLACE_ID.get((order.get("salesChannel") or {}).get("marketplaceId", ""))
        if mp is None or mp.code not in codes:
            continue  # another marketplace of the seller that this configuration does not sync
        fulfillment = order.get("fulfillment") or {}
        rows.append({
            "account": account,
            "marketplace": mp.code,
            "amazon_order_id": order["orderId"],
            "last_updated": parse_time(order.get("lastUpdatedTime")) or parse_time(order.get("createdTime")),
            "purchase_date": parse_time(order.get("createdTime")),
            "order_status": fulfillment.get("fulfillmentStatus"),
            "fulfillment_channel": CHANNELS.get((fulfillment.get("fulfilledBy") or "").upper()),
            "source": source,
            "payload": order,
            "extracted_at": extracted_at,
            "run_id": run_id,
        })
    return rows


def report_rows(lines: list[dict[str, str]], account: str, codes: set[str], run_id: str | None) -> list[dict]:
    """Group the report's item rows by order; the order's payload is its rows, as Amazon wrote them."""
    by_order: dict[str, list[dict[str, str]]] = {}
    for line in lines:
        by_order.setdefault(line["amazon-order-id"], []).append(line)
    rows = []
    extracted_at = now_utc()
    for order_id, items in by_order.items():
        code = BY_SALES_CHANNEL.get((items[0].get("sales-channel") or "").lower())
        if code not in codes:
            continue
        updated = max(parse_time(i.get("last-updated-date")) or parse_time(i["purchase-date"]) for i in items)
        rows.append({
            "account": account,
            "marketplace": code,
            "amazon_order_id": order_id,
            "last_updated": updated,
            "purchase_date": parse_time(items[0].get("purchase-date")),
            "order_status": items[0].get("order-status"),
            "fulfillment_channel": CHANNELS.get((items[0].get("fulfillment-channel") or "").upper()),
            "source": "report",
            "payload": {"rows": items},
            "extracted_at": extracted_at,
            "run_id": run_id,
        })
    return rows


def _needs_get_order(row: dict, buyers: dict[str, dict[str, str]]) -> bool:
    """A shipped FBA order (one Odoo gets now) whose buyer the FBA shipments report cannot give in full."""
    shipped = (row["order_status"] or "").strip().lower() in SHIPPED_REPORT_STATUSES
    business = (row["payload"]["rows"][0].get("is-business-order") or "").strip().lower() == "true"
    return shipped and (business or row["amazon_order_id"] not in buyers)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _whole_orders(document: reports.ReportDocument, sizes: Counter[str],
                  only: set[str] | None = None) -> Iterator[list[dict[str, str]]]:
    """Each order's item rows together, yielded as soon as the last one is read (``sizes`` = rows per order).

    Amazon writes an order's items next to each other, so only a handful of orders are ever open at once; the
    rows per order come from a first pass, so scattered items are still grouped correctly.
    """
    open_orders: dict[str, list[dict[str, str]]] = {}
    for line in document.rows():
        order_id = line["amazon-order-id"]
        if only is not None and order_id not in only:
            continue
        items = open_orders.setdefault(order_id, [])
        items.append(line)
        if len(items) == sizes[order_id]:
            yield open_orders.pop(order_id)


class AccountExtractor:
    def __init__(self, session: SpApiSession, store: StagingStore, account: str, config: AccountConfig, *,
                 run_id: str | None = None, poll_seconds: float = 15.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.session = session
        self.store = store
        self.account = account
        self.config = config
        self.run_id = run_id
        self.poll_seconds = poll_seconds
        self.sleep = sleep
        self.marketplaces = config.enabled_marketplaces()
        self.codes = {m.code for m in self.marketplaces}
        self.ids = [m.marketplace_id for m in self.marketplaces]

    def extract_window(self, start: datetime, end: datetime, *, now: datetime | None = None,
                       force: bool = False) -> ExtractResult:
        """Land the orders updated in [start, end) (a window sync_window decided) that the ledger lacks."""
        now = now or datetime.now(UTC)
        result = ExtractResult()
        threshold = timedelta(hours=self.config.report_threshold_hours)
        with account_lock(self.store, self.account):
            covered = [] if force else [
                (w["window_start"], w["window_end"]) for w in self.store.extracted_windows(self.account, since=start)
            ]
            for gap_start, gap_end in uncovered(start, end, covered):
                for step in plan(gap_start, gap_end, now, report_threshold=threshold):
                    # Each step lands its orders in chunks as they arrive, so a 100,000-order backfill never
                    # holds more than LAND_CHUNK orders' payloads in memory.
                    landed = self._search(step.start, step.end) if step.method == SEARCH else self._report(step)
                    self.store.record_extract_window(self.account, step.start, step.end, step.method, len(landed),
                                                     self.run_id)
                    result.landed.update(landed.values())
                    result.steps.append(f"{step.method} {step.start:%Y-%m-%d %H:%M}..{step.end:%Y-%m-%d %H:%M}: "
                                        f"{len(landed)} orders")
        result.reused = not result.steps
        return result

    def _land(self, rows: list[dict], landed: dict[str, str]) -> None:
        self.store.land_raw_orders(rows)
        landed.update((r["amazon_order_id"], r["marketplace"]) for r in rows)

    def _search(self, start: datetime, end: datetime, fulfilled_by: list[str] | None = None,
                before_page: Callable[[], None] | None = None) -> dict[str, str]:
        """Land every order searchOrders returns, page by page; returns {order id: marketplace} landed."""
        orders = orders_api.search_orders(
            self.session, [m.code for m in self.marketplaces], self.ids, updated_after=start, updated_before=end,
            fulfilled_by=fulfilled_by, before_page=before_page,
        )
        landed: dict[str, str] = {}
        for part in _batches(orders, LAND_CHUNK):
            self._land(api_rows(part, self.account, self.codes, SEARCH, self.run_id), landed)
        return landed

    def _report(self, step) -> dict[str, str]:
        """One report range: the All Orders report, the buyers of its FBA orders, the FBM recipients.

        * The All Orders report has every order's items and money but no names, streets, e-mails or phones.
        * FBA orders get their buyer and recipient from the FBA shipments report (requested with the All Orders
          report, read with a Restricted Data Token): the columns are stored beside the rows and read as the
          API's (transform/fba_buyer.py). A shipped FBA order that report cannot complete (a business buyer's
          company name is not in it; an order missing from it) is read with getOrder, in the gaps of the
          searchOrders quota (sync/side_calls.py).
        * FBM orders come from searchOrders (names and streets), and from the report only if searchOrders did
          not return them (the report row is better than nothing).

        The documents stay on disk (reports.ReportDocument) and are read a few times, whole orders at a time.
        """
        code = self.marketplaces[0].code
        with_fba = self.config.sync.fba_orders
        orders_report = reports.request_report(self.session, code, reports.ALL_ORDERS_BY_LAST_UPDATE, self.ids,
                                               start=step.start, end=step.end)
        fba_report = reports.request_report(self.session, code, reports.FBA_SHIPMENTS, self.ids, start=step.start,
                                            end=step.end) if with_fba else None
        landed: dict[str, str] = {}
        fetched: list[dict] = []

        def get_order(order: tuple[str, str]) -> None:
            fetched.append(orders_api.get_order(self.session, order[1], order[0]))
            if len(fetched) >= LAND_CHUNK:
                self._land_fetched(fetched, landed)

        fetch = SideCalls(self.session.limiter, "orders.getOrder", get_order)
        with self._open(orders_report) as document:
            sizes = Counter(line["amazon-order-id"] for line in document.rows())
            buyers = self._fba_buyers(fba_report, document) if fba_report else {}
            fbm: set[str] = set()
            for part in _batches(_whole_orders(document, sizes), LAND_CHUNK):
                rows = report_rows([line for items in part for line in items], self.account, self.codes,
                                   self.run_id)
                fbm.update(r["amazon_order_id"] for r in rows if r["fulfillment_channel"] == "MFN")
                ready = []
                for row in rows:
                    if row["fulfillment_channel"] == "MFN":
                        continue
                    if with_fba and _needs_get_order(row, buyers):
                        fetch.add([(row["amazon_order_id"], row["marketplace"])])
                        continue
                    if row["amazon_order_id"] in buyers:
                        row["payload"]["fba_buyer"] = buyers[row["amazon_order_id"]]
                    ready.append(row)
                self._land(ready, landed)
            if fbm:
                # The report has no recipient names or streets; FBM deliveries need them.
                landed.update(self._search(step.start, step.end, fulfilled_by=["MERCHANT"],
                                           before_page=lambda: fetch.while_waiting_for("orders.searchOrders")))
            fetch.drain()
            self._land_fetched(fetched, landed)
            missing = fbm - landed.keys()
            if missing:
                for part in _batches(_whole_orders(document, sizes, only=missing), LAND_CHUNK):
                    self._land(report_rows([line for items in part for line in items], self.account,
                                           self.codes, self.run_id), landed)
        return landed

    def _open(self, report_id: str, *, restricted: bool = False) -> reports.ReportDocument:
        code = self.marketplaces[0].code
        document_id = reports.wait_for_report(self.session, code, report_id, poll_seconds=self.poll_seconds,
                                              sleep=self.sleep)
        return reports.open_report_document(self.session, code, document_id, restricted=restricted)

    def _fba_buyers(self, report_id: str, orders: reports.ReportDocument) -> dict[str, dict[str, str]]:
        """Buyer columns of the range's FBA orders, from the FBA shipments report."""
        fba = {line["amazon-order-id"] for line in orders.rows()
               if CHANNELS.get((line.get("fulfillment-channel") or "").upper()) == "AFN"}
        with self._open(report_id, restricted=True) as document:
            return buyers_by_order(document, fba)

    def _land_fetched(self, fetched: list[dict], landed: dict[str, str]) -> None:
        self._land(api_rows(fetched, self.account, self.codes, "getOrder", self.run_id), landed)
        fetched.clear()

    def extract_order(self, marketplace: str, order_id: str) -> ExtractResult:
        order = orders_api.get_order(self.session, marketplace, order_id)
        rows = api_rows([order], self.account, self.codes, "getOrder", self.run_id)
        self.store.land_raw_orders(rows)
        result = ExtractResult()
        result.landed.update(r["marketplace"] for r in rows)
        result.steps.append(f"getOrder {order_id}: {len(rows)} order")
        return result
