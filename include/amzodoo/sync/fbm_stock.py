"""Odoo -> Amazon merchant (FBM) stock of one seller account: the bodies of the FBM stock DAG's tasks.

**submit** reads which SKUs the seller fulfils (Amazon's listings: a DEFAULT channel offer), Odoo's free quantity
of their products in the warehouse's stock location, and sends the SKUs whose quantity changed since the last
accepted one in JSON_LISTINGS_FEED documents (≤ 25,000 messages each). A SKU offered through FBA only gets
nothing; a SKU sold both ways only gets its DEFAULT quantity. Every feed is written to staging before it is
submitted and its feed id right after, so a retried task finds it and never submits it again.
**poll** (a rescheduling sensor) asks Amazon until each feed is finished. **report** reads the processing reports
and records each SKU as accepted or error (an error is sent again next run). **summary** reports.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from amzodoo.amazon.session import SpApiSession
from amzodoo.config.model import OdooSettings
from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.versions import OdooDialect
from amzodoo.staging import schema as s
from amzodoo.sync.job import AccountJob

log = logging.getLogger(__name__)
BUILDING = "building"  # staged, not yet accepted by createFeed


@dataclass
class FbmStockJob(AccountJob):

    def _home(self):
        # Feeds go to the account's first enabled marketplace's endpoint; marketplaceIds names them all.
        return self.account_config.enabled_marketplaces()[0]

    def _seller_id(self, session: SpApiSession) -> str:
        return self.account_config.seller_id or session.credentials.seller_id

    # -- submit -------------------------------------------------------------------------------------------------
    def submit(self) -> dict[str, Any]:
        self.store.create_schema()
        staged = self.store.feeds_of_run(self.account, self.run_id)
        if staged:
            # A retry of this run: finish what it staged, never build a second set of feeds.
            return self._send(staged, reused=True, counts={})
        session = self.amazon()
        counts, quantities = self._changed_quantities(session)
        from amzodoo.feeds.listings_feed import FEED_TYPE, quantity_feeds

        rows = [
            {"account": self.account, "feed_key": f"{self.run_id}:{part}", "run_id": self.run_id,
             "feed_type": FEED_TYPE, "state": BUILDING, "messages": len(feed.messages),
             "payload": {str(k): list(v) for k, v in feed.messages.items()}}
            for part, feed in enumerate(quantity_feeds(self._seller_id(session), quantities), start=1)
        ]
        self.store.upsert(s.feeds, rows)
        return self._send(self.store.feeds_of_run(self.account, self.run_id), reused=False, counts=counts)

    def _changed_quantities(self, session: SpApiSession) -> tuple[dict[str, int], dict[str, int]]:
        from amzodoo.amazon.inventory_api import listing_channels
        from amzodoo.odoo.reference import load_references

        channels = listing_channels(session, self._seller_id(session), self.account_config.enabled_marketplaces())
        merchant = sorted(sku for sku, c in channels.items() if c.merchant)
        client = self.odoo()
        before = sum(client.calls.values())
        refs = load_references(client, self.account_config.odoo)
        # The stock location, not the warehouse: the FBA location sits inside the warehouse and is Amazon's stock.
        products = storable_products(client, self.account_config.odoo, merchant, fields=("free_qty",),
                                     context={"location": refs.stock_location_id})
        quantities = {sku: whole_units(row["free_qty"]) for sku, row in products.items()}
        last = self.store.stock_levels(self.account)
        changed = {sku: qty for sku, qty in quantities.items()
                   if sku not in last or last[sku]["state"] == s.LEVEL_ERROR or last[sku]["quantity"] != qty}
        counts = {"listed": len(channels), "merchant_skus": len(merchant),
                  "amazon_only_skus": sum(1 for c in channels.values() if c.amazon and not c.merchant),
                  "both_channels": sum(1 for c in channels.values() if c.amazon and c.merchant),
                  "not_in_odoo": len(merchant) - len(products), "unchanged": len(quantities) - len(changed),
                  "odoo_calls": sum(client.calls.values()) - before}
        return counts, changed

    def _send(self, feeds: list[dict], *, reused: bool, counts: dict[str, int]) -> dict[str, Any]:
        from amzodoo.amazon.feeds_api import create_feed, upload_document
        from amzodoo.feeds.listings_feed import CONTENT_TYPE, build_feed

        pending = [f for f in feeds if not f["feed_id"]]
        session = self.amazon() if pending else None
        home = self._home()
        marketplace_ids = [m.marketplace_id for m in self.account_config.enabled_marketplaces()]
        for feed in pending:
            messages = {int(k): (v[0], int(v[1])) for k, v in feed["payload"].items()}
            document = build_feed(self._seller_id(session), messages)
            document_id = upload_document(session, home.code, document.encode(), CONTENT_TYPE)
            feed_id = create_feed(session, home.code, feed["feed_type"], document_id, marketplace_ids)
            now = self.clock()
            self.store.update_by_key(s.feeds, {"account": self.account, "feed_key": feed["feed_key"]},
                                     {"feed_id": feed_id, "document_id": document_id, "state": "IN_QUEUE",
                                      "submitted_at": now})
            self.store.upsert(s.stock_levels_sent, [
                {"account": self.account, "sku": sku, "quantity": qty, "feed_id": feed_id, "state": s.LEVEL_SENT,
                 "message": None, "sent_at": now} for sku, qty in messages.values()])
            log.info("account %s: feed %s submitted with %d quantities", self.account, feed_id, len(messages))
        feeds = self.store.feeds_of_run(self.account, self.run_id)
        return {**counts, "feeds": [f["feed_id"] for f in feeds], "skus_sent": sum(f["messages"] for f in feeds),
                "reused": reused, "amazon_calls": sum(session.calls.values()) if session else 0}

    # -- poll ---------------------------------------------------------------------------------------------------
    def poll(self) -> bool:
        """True once every feed of the run is finished (DONE, FATAL or CANCELLED)."""
        from amzodoo.amazon.feeds_api import FINISHED, get_feed

        open_feeds = [f for f in self.store.feeds_of_run(self.account, self.run_id)
                      if f["feed_id"] and f["state"] not in FINISHED]
        if not open_feeds:
            return True
        session = self.amazon()
        finished = 0
        for feed in open_feeds:
            status = get_feed(session, self._home().code, feed["feed_id"])
            state = status.get("processingStatus") or feed["state"]
            update = {"state": state, "result_document_id": status.get("resultFeedDocumentId")}
            if state in FINISHED:
                finished += 1
                update["finished_at"] = self.clock()
            self.store.update_by_key(s.feeds, {"account": self.account, "feed_key": feed["feed_key"]}, update)
        log.info("account %s: %d of %d feeds finished", self.account, finished, len(open_feeds))
        return finished == len(open_feeds)

    # -- report -------------------------------------------------------------------------------------------------
    def read_reports(self) -> dict[str, Any]:
        from amzodoo.amazon.feeds_api import download_result
        from amzodoo.feeds.processing_report import ERROR, FeedOutcome, parse_processing_report

        counts: Counter[str] = Counter()
        errors: dict[str, str] = {}
        feeds = [f for f in self.store.feeds_of_run(self.account, self.run_id) if f["feed_id"]]
        session = self.amazon() if feeds else None
        for feed in feeds:
            messages = {int(k): (v[0], int(v[1])) for k, v in feed["payload"].items()}
            if feed["state"] in ("DONE", "FATAL") and feed["result_document_id"]:
                report = download_result(session, self._home().code, feed["result_document_id"])
                outcome = parse_processing_report(report, messages, fatal=feed["state"] == "FATAL")
                kept = {"summary": report.get("summary"), "issues": (report.get("issues") or [])[:1000]}
            else:
                outcome = FeedOutcome(per_sku={sku: (ERROR, f"feed ended {feed['state']} without a report")
                                               for sku, _ in messages.values()})
                kept = {"summary": None, "issues": []}
            self.store.update_by_key(s.feeds, {"account": self.account, "feed_key": feed["feed_key"]},
                                     {"report": kept})
            self.store.upsert(s.stock_levels_sent, [
                {"account": self.account, "sku": sku, "quantity": qty, "feed_id": feed["feed_id"],
                 "state": s.LEVEL_ACCEPTED if outcome.per_sku[sku][0] == "accepted" else s.LEVEL_ERROR,
                 "message": outcome.per_sku[sku][1], "sent_at": feed["submitted_at"]}
                for sku, qty in messages.values()])
            counts["accepted"] += sum(1 for state, _ in outcome.per_sku.values() if state == "accepted")
            errors.update(outcome.failed)
            for sku, message in outcome.failed.items():
                log.warning("account %s, feed %s, SKU %s: %s", self.account, feed["feed_id"], sku, message)
        return {"feeds": len(feeds), "accepted": counts["accepted"], "errors": len(errors),
                "error_skus": dict(sorted(errors.items())[:50])}

    # -- summary ------------------------------------------------------------------------------------------------
    def summarize(self, submitted: dict | None, reported: dict | None, *,
                  failures: Sequence[str] = ()) -> dict[str, Any]:
        submitted, reported = submitted or {}, reported or {}
        keys = ("listed", "merchant_skus", "amazon_only_skus", "both_channels", "not_in_odoo", "unchanged",
                "skus_sent", "odoo_calls", "amazon_calls")
        summary = {k: int(submitted.get(k, 0)) for k in keys}
        summary.update(feeds=len(submitted.get("feeds") or []), accepted=int(reported.get("accepted", 0)),
                       errors=int(reported.get("errors", 0)))
        errors = reported.get("error_skus") or {}
        lines = [
            f"FBM stock {self.account}",
            f"  Amazon listings: {summary['listed']} SKUs, {summary['merchant_skus']} fulfilled by the seller "
            f"({summary['both_channels']} also by Amazon: DEFAULT channel only), {summary['amazon_only_skus']} "
            f"by Amazon only (never sent)",
            f"  Odoo: {summary['not_in_odoo']} merchant SKUs without a stock-tracked product, "
            f"{summary['unchanged']} unchanged ({summary['odoo_calls']} RPC calls)",
            f"  Sent: {summary['skus_sent']} quantities in {summary['feeds']} feed(s): {summary['accepted']} "
            f"accepted, {summary['errors']} refused (sent again next run)",
            *(f"    {sku}: {message}" for sku, message in list(errors.items())[:20]),
        ]
        return self.publish_summary("fbm_stock", summary, lines, failures=failures)


def storable_products(client: OdooClient, settings: OdooSettings, skus: Iterable[str],
                      *, fields: tuple[str, ...] = (), context: dict | None = None) -> dict[str, dict]:
    """SKU -> product row (sku_map first, else the internal reference equal to the SKU; the oldest product of a
    duplicated reference wins, as in the order load). Products whose stock Odoo does not track are left out:
    their free quantity is always 0 and would empty the listing."""
    refs = {sku: settings.sku_map.get(sku, sku) for sku in skus}
    dialect = OdooDialect(client.major_version)
    storable_field = "is_storable" if dialect.major >= 18 else "type"
    rows = client.search_read_in("product.product", "default_code", refs.values(),
                                 ["default_code", storable_field, *fields], context=context)
    by_code: dict[str, dict] = {}
    for row in sorted(rows, key=lambda r: r["id"]):
        by_code.setdefault(row["default_code"], row)
    found = {}
    for sku, ref in refs.items():
        row = by_code.get(ref)
        if row is not None and (row.get("is_storable") if dialect.major >= 18 else row.get("type") == "product"):
            found[sku] = row
    return found


def whole_units(quantity: float | None) -> int:
    """Amazon takes whole units >= 0; a fraction left in Odoo cannot be sold, negative stock is none."""
    return max(0, math.floor((quantity or 0.0) + 1e-9))
