"""SpApiSandbox: a local, stateful Amazon Selling Partner API (and LWA) served over real HTTP.

In-process use (tests)::

    sandbox = SpApiSandbox(seed=7, orders_per_marketplace=10)
    url = sandbox.start()          # free port; serves SP-API, LWA and /_sandbox/ control paths
    sandbox.clock.advance(3600)    # orders move on; nobody sleeps
    sandbox.counters("na_main")    # {"orders.searchOrders": 2, "lwa.token": 1, ...}
    sandbox.stop()
"""

from __future__ import annotations

import json
import math
import random
from datetime import datetime, timedelta
from pathlib import Path

from .accounts import DEFAULT_ACCOUNTS, SandboxAccount
from .api_feeds import settle_feed
from .api_reports import settle_report
from .catalog import build_catalog
from .clock import SimClock
from .faults import FAULT_KINDS
from .generator import OrderGenerator
from .loader import order_from_2026
from .render_orders import INCLUDED_DATA, render_order
from .server import SandboxHTTPServer, serve_in_thread
from .state import SandboxState


class SpApiSandbox:
    def __init__(
        self,
        *,
        seed: int = 7,
        accounts: list[SandboxAccount] | None = None,
        orders_per_marketplace: int = 40,
        history_days: float = 3,
        clock: SimClock | None = None,
        enforce_quotas: bool = True,
        job_seconds: float | None = None,
    ) -> None:
        self.seed = seed
        self.history_days = history_days
        self.clock = clock or SimClock()
        self.state = SandboxState(list(accounts or DEFAULT_ACCOUNTS), self.clock, enforce_quotas)
        if job_seconds is not None:
            # Reports and feeds finish ``job_seconds`` after they are requested (a third of it queued).
            self.state.job_timing = {"queue_seconds": job_seconds / 3, "processing_seconds": job_seconds * 2 / 3}
        self._server: SandboxHTTPServer | None = None
        self._thread = None
        self.url = ""
        now = self.clock.now()
        for data in self.state.accounts.values():
            rng = random.Random(f"{seed}:catalog:{data.account.name}")
            data.listings, data.fba = build_catalog(rng, data.account.name, data.account.marketplaces, now)
        if orders_per_marketplace > 0:
            self._seed_orders(orders_per_marketplace, now)

    def _seed_orders(self, per_marketplace: int, now: datetime) -> None:
        # The history, plus one more day of orders at the same pace still to come, so that advancing the
        # clock brings new orders as well as updates.
        upcoming = math.ceil(per_marketplace / max(self.history_days, 1e-9))
        for data in self.state.accounts.values():
            for code in data.account.marketplaces:
                self.generate_orders(
                    data.account.name, code, per_marketplace, start=now - timedelta(days=self.history_days), end=now
                )
                self.generate_orders(
                    data.account.name, code, upcoming, start=now + timedelta(seconds=1), end=now + timedelta(days=1)
                )

    # -- server ---------------------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._server is not None:
            return self.url
        self._server = SandboxHTTPServer((host, port), self)
        bound_host, bound_port = self._server.server_address[:2]
        self.url = f"http://{bound_host}:{bound_port}"
        self.state.base_url = self.url
        self._thread = serve_in_thread(self._server)
        return self.url

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> SpApiSandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- data -----------------------------------------------------------------------------------------

    def generate_orders(
        self,
        account: str,
        marketplace_code: str,
        count: int,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        fba_share: float = 0.6,
        business_share: float = 0.12,
    ) -> list[str]:
        """Generate ``count`` orders created between ``start`` and ``end`` (default: the history window); about
        ``business_share`` of them are Amazon Business orders."""
        data = self.state.account(account)
        code = "UK" if marketplace_code.upper() == "GB" else marketplace_code.upper()
        if code not in data.account.marketplaces:
            raise ValueError(f"account {account} does not sell in {marketplace_code}")
        now = self.clock.now()
        end = end or now
        start = start or end - timedelta(days=self.history_days)
        with self.state.lock:
            data.generated_batches += 1
            generator = OrderGenerator(self.seed, account, data.listings)
            orders = generator.generate(
                code,
                count,
                start,
                end,
                fba_share=fba_share,
                batch=data.generated_batches,
                taken_ids=set(self.state.orders),
                business_share=business_share,
            )
            for order in orders:
                self.state.orders[order.order_id] = order
        return [o.order_id for o in orders]

    def load_orders(self, account: str, orders: list[dict]) -> list[str]:
        """Load Orders 2026-01-01 ``Order`` objects; an existing order with the same id is replaced."""
        data = self.state.account(account)
        records = [order_from_2026(account, data.account.marketplaces, o) for o in orders]
        with self.state.lock:
            for record in records:
                self.state.orders[record.order_id] = record
        return [r.order_id for r in records]

    def load_orders_file(self, account: str, path: str | Path) -> list[str]:
        """Load a JSON file holding a list of ``Order`` objects (or ``{"orders": [...]}``)."""
        content = json.loads(Path(path).read_text(encoding="utf-8"))
        orders = content["orders"] if isinstance(content, dict) else content
        return self.load_orders(account, orders)

    def order(self, order_id: str) -> dict:
        """The order as Orders 2026-01-01 shows it now, with every includedData section."""
        with self.state.lock:
            return render_order(self.state.orders[order_id], self.clock.now(), set(INCLUDED_DATA))

    def shipments(self, order_id: str) -> list[dict]:
        """The confirmShipment payloads accepted for an order, oldest first."""
        with self.state.lock:
            return [s.payload for s in self.state.orders[order_id].shipments if s.payload is not None]

    def settle(self) -> None:
        """Finish every report and feed whose processing time has passed (listings change then)."""
        now = self.clock.now()
        with self.state.lock:
            for feed in self.state.feeds.values():
                if feed.due(now):
                    settle_feed(self.state, feed)
            for report in self.state.reports.values():
                if report.due(now):
                    settle_report(self.state, report)

    def listing_quantity(self, account: str, sku: str) -> int | None:
        self.settle()
        with self.state.lock:
            listing = self.state.account(account).listings.get(sku)
            return None if listing is None else listing.merchant_quantity

    def set_fba_inventory(self, account: str, sku: str, qty: int) -> None:
        if qty < 0:
            raise ValueError("FBA quantity must be >= 0")
        with self.state.lock:
            self.state.account(account).fba[sku] = qty

    def fba_inventory(self, account: str) -> dict[str, int]:
        with self.state.lock:
            return dict(self.state.account(account).fba)

    # -- faults and counters ----------------------------------------------------------------------------

    def inject_fault(self, operation: str, kind: str, *, count: int = 1, **options) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
        self.state.faults.inject(operation, kind, count, **options)

    def clear_faults(self) -> None:
        self.state.faults.clear()

    def counters(self, account: str | None = None) -> dict[str, int]:
        """Requests received per "<api>.<operationId>" (all accounts when ``account`` is None)."""
        return self.state.counter_totals(account)

    def reset_counters(self) -> None:
        with self.state.lock:
            self.state.counters.clear()
            self.state.throttled = 0

    def throttled(self) -> int:
        """429s answered because a usage plan's bucket was empty (injected 429 faults not included)."""
        return self.state.throttled
