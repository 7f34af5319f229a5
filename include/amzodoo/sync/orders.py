"""The Amazon -> Odoo order sync of one seller account x marketplace: the bodies of the DAG's tasks.

Each step reads and writes the staging store and hands the next one only small counts (XCom carries keys,
not data). Every step is safe to rerun.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from amzodoo.staging import schema as s
from amzodoo.sync.extract import AccountExtractor
from amzodoo.sync.job import AccountJob
from amzodoo.sync.windows import sync_window

log = logging.getLogger(__name__)
CHUNK = 2000  # orders per transform / load step: memory stays bounded however large the backlog


@dataclass(kw_only=True)
class OrderSyncJob(AccountJob):
    marketplace: str
    poll_seconds: float = 15.0
    sleep: Callable[[float], None] = field(default=lambda _s: None)

    @property
    def marketplace_config(self):
        return next(m for m in self.account_config.enabled_marketplaces() if m.code == self.marketplace)

    # -- extract --------------------------------------------------------------------------------------------------
    def extract(self, *, params: Mapping[str, Any] | None = None, interval_start: datetime | None = None,
                interval_end: datetime | None = None, now: datetime | None = None) -> dict[str, Any]:
        """Land the run's orders: the ``order_id`` param's only, else the window sync_window decides from the
        run's params (``window_start``, ``window_end``, ``force``) and data interval."""
        params = params or {}
        self.store.create_schema()
        session = self.amazon()
        extractor = AccountExtractor(session, self.store, self.account, self.account_config, run_id=self.run_id,
                                     poll_seconds=self.poll_seconds, sleep=self.sleep)
        if params.get("order_id"):
            result = extractor.extract_order(self.marketplace, params["order_id"])
        else:
            now = now or self.clock()
            window = sync_window(params=params, interval_start=interval_start, interval_end=interval_end,
                                 last_extracted_end=self._last_extracted_end, now=now,
                                 overlap=timedelta(minutes=self.account_config.overlap_minutes))
            result = extractor.extract_window(window.start, window.end, now=now, force=window.force)
        for step in result.steps:
            log.info("account %s: %s", self.account, step)
        if result.reused:
            log.info("account %s: window already extracted by a sibling run; no Amazon call", self.account)
        return {**result.as_dict(), "api_calls": sum(session.calls.values()), "throttled": session.throttled,
                "quota_wait_seconds": round(session.quota_wait_seconds, 1)}

    def _last_extracted_end(self) -> datetime | None:
        return max((w["window_end"] for w in self.store.extracted_windows(self.account)), default=None)

    # -- transform -------------------------------------------------------------------------------------------------
    def transform(self, order_ids: Sequence[str] | None = None) -> dict[str, Any]:
        """Stage what changed (or the orders asked for), ``CHUNK`` orders at a time so memory stays bounded."""
        import pandas as pd

        from amzodoo.transform.orders import TransformContext, transform_orders

        wanted = list(order_ids) if order_ids else self.store.stale_raw_order_ids(self.account, self.marketplace)
        totals: Counter[str] = Counter()
        if not wanted:
            return {"staged": 0, "states": {}, "fba": 0, "fbm": 0}
        settings = self.account_config.odoo
        vat = settings.vat_rates.get(self.marketplace)
        ctx = TransformContext(account=self.account, marketplace=self.marketplace_config, odoo=settings,
                               run_id=self.run_id, tax_rounding=self._tax_rounding(),
                               vat_rate=Decimal(str(vat)) if vat is not None else None)
        for start in range(0, len(wanted), CHUNK):
            raw = self.store.raw_orders(self.account, self.marketplace, order_ids=wanted[start : start + CHUNK])
            if not raw:
                continue
            result = transform_orders(pd.DataFrame(raw), ctx)
            orders, lines = self._switched_off(result.order_records()), result.line_records()
            self.store.stage_orders(orders, lines)
            for order in orders:
                totals[f"state:{order['state']}"] += 1
                totals[order.get("fulfillment_channel") or "unknown"] += 1
                if order["state"] == s.ERROR:
                    log.warning("%s", order["message"])
        states = {k.split(":", 1)[1]: v for k, v in totals.items() if k.startswith("state:")}
        return {"staged": sum(states.values()), "states": states, "fba": totals["AFN"], "fbm": totals["MFN"]}

    def _switched_off(self, orders: list[dict]) -> list[dict]:
        """Orders of a fulfilment channel the account does not sync stay in staging, waiting, with the reason."""
        sync = self.account_config.sync
        off = {"AFN": not sync.fba_orders, "MFN": not sync.fbm_orders}
        for order in orders:
            if off.get(order.get("fulfillment_channel") or "") and order["state"] == s.PENDING:
                channel = "FBA" if order["fulfillment_channel"] == "AFN" else "FBM"
                order["state"] = s.WAITING
                order["message"] = f"{channel} orders are not synced for this account (sync.{channel.lower()}_orders)"
        return orders

    def _tax_rounding(self) -> str:
        configured = self.account_config.odoo.tax_rounding
        if configured != "auto":
            return configured
        from amzodoo.odoo.reference import company_tax_rounding

        return company_tax_rounding(self.odoo(), self.account_config.odoo)

    # -- load ------------------------------------------------------------------------------------------------------
    def load(self, order_ids: Sequence[str] | None = None, *, batch_size: int = 200) -> dict[str, Any]:
        from amzodoo.odoo.order_loader import STEPS, OrderLoader
        from amzodoo.odoo.reference import load_references

        wanted = self.store.order_ids_to_load(self.account, self.marketplace)
        if order_ids is not None:
            wanted = [i for i in wanted if i in set(order_ids)]
        if not wanted:
            return {"to_load": 0, "counts": {}, "odoo_calls": 0, "odoo_seconds": {}}
        client = self.odoo()
        before = sum(client.calls.values())
        loader = OrderLoader(client, load_references(client, self.account_config.odoo), account=self.account,
                             marketplace=self.marketplace, batch_size=batch_size, run_id=self.run_id,
                             on_amazon_shipped=self._mark_shipped_on_amazon)
        counts: Counter[str] = Counter()
        seconds: Counter[str] = Counter()
        for start in range(0, len(wanted), CHUNK):
            part = wanted[start : start + CHUNK]
            orders = self.store.staged_orders(self.account, self.marketplace, order_ids=part)
            outcome = loader.load(orders, self.store.staged_lines(self.account, self.marketplace, part))
            self.store.update_orders(self.account, self.marketplace, outcome.changes)
            self.store.set_line_ids(self.account, self.marketplace, outcome.line_ids)
            counts.update(outcome.counts)
            seconds.update(outcome.seconds)
        return {"to_load": len(wanted), "counts": dict(counts), "odoo_calls": sum(client.calls.values()) - before,
                "odoo_seconds": {step: round(seconds[step], 1) for step in STEPS if step in seconds}}

    def _mark_shipped_on_amazon(self, deliveries: Sequence[Any]) -> None:
        """Before Odoo validates deliveries of units Amazon already shipped, staging marks them ``on_amazon``: the
        shipments DAG never confirms them (a crash right after Odoo's validation cannot make it forget)."""
        self.store.upsert(s.shipment_confirmations, [{
            "account": self.account, "odoo_picking_id": d.picking_id, "marketplace": self.marketplace,
            "amazon_order_id": d.amazon_order_id, "odoo_order_id": d.odoo_order_id, "picking_name": d.picking_name,
            "state": s.ON_AMAZON, "items": sorted([item, qty] for item, qty in d.items.items()),
            "message": "Amazon had shipped these units before Odoo's delivery: validated in Odoo, not confirmed again",
            "run_id": self.run_id,
        } for d in deliveries], update_columns=["state", "items", "message", "run_id"])

    # -- summary ---------------------------------------------------------------------------------------------------
    def summarize(self, extract: dict | None, transform: dict | None, load: dict | None, *,
                  failures: Sequence[str] = ()) -> dict[str, Any]:
        extract, transform, load = extract or {}, transform or {}, load or {}
        counts = Counter(load.get("counts") or {})
        states = self.store.state_counts(self.account, self.marketplace)
        summary = {
            # Landed by this run; a sibling marketplace's run of the same account may have landed them instead.
            "landed": int((extract.get("landed") or {}).get(self.marketplace, 0)),
            "staged": int(transform.get("staged", 0)),
            "fba": int(transform.get("fba", 0)),
            "fbm": int(transform.get("fbm", 0)),
            "created": counts["created"],
            "updated": counts["existing"],
            "cancelled": counts["cancelled"],
            "failed": counts["failed"] + int((transform.get("states") or {}).get(s.ERROR, 0)),
            "waiting": int(states.get(s.WAITING, 0)),
            "customers_created": counts["customers_created"],
            "deliveries_created": counts["deliveries_created"],
            "fba_deliveries_done": counts["fba_deliveries_done"],
            "fbm_shipped_on_amazon": counts["fbm_shipped_on_amazon"],
            "total_mismatches": counts["total_mismatches"],
            "tax_rounding_lines": counts["tax_rounding_lines"],
            "amazon_calls": int(extract.get("api_calls", 0)),
            "amazon_throttled": int(extract.get("throttled", 0)),
            "odoo_calls": int(load.get("odoo_calls", 0)),
            "errors_in_staging": int(states.get(s.ERROR, 0)),
            "odoo_seconds": dict(load.get("odoo_seconds") or {}),
        }
        lines = render_summary(self.account, self.marketplace, summary, extract.get("steps") or []).splitlines()
        return self.publish_summary("orders", summary, lines, marketplace=self.marketplace, failures=failures)


def render_summary(account: str, marketplace: str, c: dict[str, Any], steps: list[str]) -> str:
    """The run in words: this marketplace's figures first, then the account-wide extraction, labelled as such.

    One extraction serves every marketplace of an account (the quota is per seller), so its calls and report steps
    are the account's, and the orders it landed may have been landed by a sibling marketplace's run.
    """
    m = marketplace
    lines = [
        f"Order sync {account} / {m}",
        f"  {m} orders landed from Amazon by this run: {c['landed']}",
        f"  {m} orders staged by this run: {c['staged']} (FBA {c['fba']}, FBM {c['fbm']}); "
        f"{m} orders waiting for Amazon: {c['waiting']}",
        f"  {m} orders in Odoo: {c['created']} created, {c['updated']} already there, {c['cancelled']} cancelled, "
        f"{c['failed']} failed ({c['odoo_calls']} RPC calls)",
        f"  {m} customers created: {c['customers_created']}; FBM deliveries created: {c['deliveries_created']}; "
        f"FBA deliveries done: {c['fba_deliveries_done']}",
        *([f"  {m} FBM orders Amazon had (partly) shipped, recorded as delivered: {c['fbm_shipped_on_amazon']}"]
          if c.get("fbm_shipped_on_amazon") else []),
        f"  {m} totals differing from Amazon: {c['total_mismatches']} (tax rounding lines added: "
        f"{c.get('tax_rounding_lines', 0)}); {m} orders in error in staging: {c['errors_in_staging']}",
    ]
    if c.get("odoo_seconds"):
        # Where the load's time went, by step: a slow load says which step to look at.
        spent = ", ".join(f"{step} {secs:.1f} s" for step, secs in c["odoo_seconds"].items())
        lines.append(f"  Odoo time by step: {spent}")
    lines.append(f"  Account {account}, all marketplaces (one shared extraction): {c['amazon_calls']} SP-API calls, "
                 f"{c['amazon_throttled']} throttled")
    lines += [f"    {step}" for step in steps]
    return "\n".join(lines)

