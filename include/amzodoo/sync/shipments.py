"""Odoo -> Amazon shipment confirmations of one seller account: the bodies of the shipments DAG's tasks.

**collect** finds the merchant-fulfilled (FBM) deliveries of Amazon orders validated in Odoo — the final outgoing
step, to a customer location — and stages one row per delivery with the Amazon items and the quantities that
left (a partial delivery confirms only what shipped; its backorder is confirmed when it is validated).
**confirm** sends each staged delivery with confirmShipment. **summary** reports what happened.

Exactly once: the row (account, picking id) is the binder; a confirmed row is never sent again, however often
the window is re-read. The Odoo search starts at the latest confirmed validation time minus a margin, so late
validations and clock skew are not missed, and deliveries still open in staging are re-read by id, so a carrier
or tracking reference added later in Odoo is picked up.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from amzodoo.amazon.errors import SpApiError
from amzodoo.config.marketplaces import marketplace as marketplace_for_code
from amzodoo.odoo.client import OdooClient
from amzodoo.staging import schema as s
from amzodoo.sync.job import AccountJob

log = logging.getLogger(__name__)

PICKING_FIELDS = ["id", "name", "sale_id", "date_done", "carrier_id", "carrier_tracking_ref", "state"]
FINAL_DELIVERY = [("picking_type_code", "=", "outgoing"), ("state", "=", "done"),
                  ("location_dest_id.usage", "=", "customer")]
ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"
# Re-read this much before the last confirmed validation: pickings validated out of order or while a run ran.
WATERMARK_MARGIN = timedelta(days=1)


def odoo_datetime(value: datetime) -> str:
    return value.astimezone(UTC).strftime(ODOO_DATETIME)


def parse_odoo_datetime(value: str | bool | None) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(str(value), ODOO_DATETIME).replace(tzinfo=UTC)


@dataclass
class ShipmentSyncJob(AccountJob):

    # -- collect ------------------------------------------------------------------------------------------------
    def collect(self) -> dict[str, Any]:
        self.store.create_schema()
        bindings = self.store.fbm_order_bindings(self.account)
        if not bindings:
            return {"found": 0, "new": 0, "missing_data": 0, "odoo_calls": 0}
        client = self.odoo()
        before = sum(client.calls.values())
        domain = list(FINAL_DELIVERY)
        watermark = self.store.shipment_watermark(self.account)
        if watermark is not None:
            domain.append(("date_done", ">=", odoo_datetime(watermark - WATERMARK_MARGIN)))
        pickings = {p["id"]: p for p in client.search_read_in("stock.picking", "sale_id", list(bindings),
                                                               PICKING_FIELDS, extra_domain=domain)}
        still_open = [r["odoo_picking_id"] for r in self.store.shipment_confirmations(
            self.account, states=[s.CONFIRM_PENDING, s.CONFIRM_ERROR]) if r["odoo_picking_id"] not in pickings]
        if still_open:
            pickings.update({p["id"]: p for p in client.search_read_in(
                "stock.picking", "id", still_open, PICKING_FIELDS, extra_domain=FINAL_DELIVERY)})
        known = {r["odoo_picking_id"]: r for r in self.store.shipment_confirmations(self.account,
                                                                                   picking_ids=list(pickings))}
        # Confirmed deliveries are never sent again, and those the order load validated because Amazon had
        # already shipped them (on_amazon) never at all.
        todo = [p for p in pickings.values() if p["sale_id"] and p["sale_id"][0] in bindings
                and (known.get(p["id"]) or {}).get("state") not in (s.CONFIRMED, s.ON_AMAZON)]
        items = self._shipped_items(client, [p["id"] for p in todo])
        rows = [self._row(p, bindings[p["sale_id"][0]], items.get(p["id"], {}), known.get(p["id"])) for p in todo]
        self.store.upsert(s.shipment_confirmations, rows, update_columns=_COLLECT_COLUMNS)
        missing = [r for r in rows if r["state"] == s.CONFIRM_ERROR and not _sendable(r)]
        for row in missing:
            log.warning("%s", row["message"])
        return {"found": len(pickings), "new": sum(1 for p in todo if p["id"] not in known),
                "missing_data": len(missing), "odoo_calls": sum(client.calls.values()) - before}

    def _shipped_items(self, client: OdooClient, picking_ids: list[int]) -> dict[int, dict[str, float]]:
        """picking id -> {Amazon order item id: quantity done}, from the done moves of bound order lines."""
        if not picking_ids:
            return {}
        moves = client.search_read_in("stock.move", "picking_id", picking_ids,
                                      ["picking_id", "sale_line_id", "quantity"],
                                      extra_domain=[("state", "=", "done")])
        line_ids = [m["sale_line_id"][0] for m in moves if m["sale_line_id"]]
        amazon_items = self.store.amazon_items_by_odoo_line(self.account, line_ids)
        shipped: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for move in moves:
            item = amazon_items.get(move["sale_line_id"][0]) if move["sale_line_id"] else None
            if item and move["quantity"]:
                shipped[move["picking_id"][0]][item] += move["quantity"]
        return shipped

    def _row(self, picking: dict, binding: tuple[str, str], shipped: dict[str, float],
             known: dict | None) -> dict[str, Any]:
        marketplace, order_id = binding
        carrier = picking["carrier_id"][1] if picking["carrier_id"] else None
        tracking = (picking["carrier_tracking_ref"] or "").strip() or None
        problems = [text for text, missing in (("no carrier", not carrier), ("no tracking reference", not tracking),
                                               ("no Amazon item shipped", not shipped)) if missing]
        fractional = sorted(item for item, qty in shipped.items() if qty != int(qty))
        if fractional:
            problems.append(f"fractional quantities for Amazon items {', '.join(fractional)}")
        carrier_code = self.account_config.odoo.carrier_map.get(carrier or "", "Other") if carrier else None
        row = {
            "account": self.account, "odoo_picking_id": picking["id"], "marketplace": marketplace,
            "amazon_order_id": order_id, "odoo_order_id": picking["sale_id"][0], "picking_name": picking["name"],
            "date_done": parse_odoo_datetime(picking["date_done"]),
            "carrier_code": carrier_code, "carrier_name": carrier, "tracking_number": tracking,
            "items": None if problems else sorted([item, int(qty)] for item, qty in shipped.items()),
            "run_id": self.run_id,
        }
        if problems:
            row.update(state=s.CONFIRM_ERROR, message=(
                f"account {self.account}, Amazon order {order_id}: delivery {picking['name']} was validated in Odoo "
                f"with {' and '.join(problems)}; fix it on the delivery in Odoo and the next run confirms it"))
        elif known and known["state"] == s.CONFIRM_ERROR and known.get("items"):
            row.update(state=s.CONFIRM_ERROR, message=known["message"])  # Amazon's refusal stays until a retry
        else:
            row.update(state=s.CONFIRM_PENDING, message=None)
        return row

    # -- confirm ------------------------------------------------------------------------------------------------
    def confirm(self) -> dict[str, Any]:
        from amzodoo.amazon.shipments_api import Package, confirm_shipment, is_already_shipped, is_duplicate_package

        rows = [r for r in self.store.shipment_confirmations(self.account,
                                                             states=[s.CONFIRM_PENDING, s.CONFIRM_ERROR])
                if _sendable(r)]
        counts: Counter[str] = Counter()
        if not rows:
            return {"sent": 0, "confirmed": 0, "failed": 0, "amazon_calls": 0}
        session = self.amazon()
        before = sum(session.calls.values())
        for row in rows:
            package = Package(str(row["odoo_picking_id"]), row["carrier_code"], row["carrier_name"],
                              row["tracking_number"], _amazon_time(row["date_done"] or self.clock()),
                              tuple((item, int(qty)) for item, qty in row["items"]))
            mp = marketplace_for_code(row["marketplace"])
            update: dict[str, Any] = {"attempts": int(row["attempts"] or 0) + 1, "run_id": self.run_id}
            try:
                confirm_shipment(session, mp.code, mp.marketplace_id, row["amazon_order_id"], package)
                update.update(state=s.CONFIRMED, message=None, confirmed_at=self.clock())
            except SpApiError as exc:
                if is_duplicate_package(exc):
                    update.update(state=s.CONFIRMED, confirmed_at=self.clock(),
                                  message="Amazon already had this package: an earlier attempt went through")
                elif int(row["attempts"] or 0) > 0 and is_already_shipped(exc):
                    update.update(state=s.CONFIRMED, confirmed_at=self.clock(),
                                  message="Amazon had the order shipped: an earlier attempt whose answer was lost "
                                          "went through")
                else:
                    message = (f"account {self.account}, Amazon order {row['amazon_order_id']}, delivery "
                               f"{row['picking_name']}: Amazon refused the shipment confirmation: {exc}")
                    log.warning("%s", message)
                    update.update(state=s.CONFIRM_ERROR, message=message)
            counts["confirmed" if update["state"] == s.CONFIRMED else "failed"] += 1
            # One row at a time: a crash mid-run must not forget a confirmation Amazon already accepted.
            self.store.update_by_key(s.shipment_confirmations,
                                     {"account": self.account, "odoo_picking_id": row["odoo_picking_id"]}, update)
        return {"sent": len(rows), "confirmed": counts["confirmed"], "failed": counts["failed"],
                "amazon_calls": sum(session.calls.values()) - before, "throttled": session.throttled}

    # -- summary ------------------------------------------------------------------------------------------------
    def summarize(self, collected: dict | None, confirmed: dict | None, *,
                  failures: Sequence[str] = ()) -> dict[str, Any]:
        collected, confirmed = collected or {}, confirmed or {}
        states = self.store.confirmation_counts(self.account)
        errors = self.store.shipment_confirmations(self.account, states=[s.CONFIRM_ERROR])
        summary = {
            "deliveries_found": int(collected.get("found", 0)),
            "new_deliveries": int(collected.get("new", 0)),
            "sent": int(confirmed.get("sent", 0)),
            "confirmed": int(confirmed.get("confirmed", 0)),
            "failed": int(confirmed.get("failed", 0)),
            "missing_carrier_or_tracking": sum(1 for r in errors if not _sendable(r)),
            "amazon_errors": sum(1 for r in errors if _sendable(r)),
            "confirmed_total": int(states.get(s.CONFIRMED, 0)),
            "shipped_on_amazon_total": int(states.get(s.ON_AMAZON, 0)),
            "amazon_calls": int(confirmed.get("amazon_calls", 0)),
            "odoo_calls": int(collected.get("odoo_calls", 0)),
        }
        lines = [
            f"Shipment confirmations {self.account}",
            f"  Odoo: {summary['deliveries_found']} validated FBM deliveries read, {summary['new_deliveries']} new "
            f"({summary['odoo_calls']} RPC calls)",
            f"  Amazon: {summary['sent']} sent, {summary['confirmed']} confirmed, {summary['failed']} refused "
            f"({summary['amazon_calls']} SP-API calls)",
            f"  In error: {summary['amazon_errors']} refused by Amazon (retried next run), "
            f"{summary['missing_carrier_or_tracking']} lacking carrier/tracking in Odoo; "
            f"confirmed so far: {summary['confirmed_total']}; shipped on Amazon before Odoo (never sent): "
            f"{summary['shipped_on_amazon_total']}",
            *(f"    {r['message']}" for r in errors[:20]),
        ]
        return self.publish_summary("shipments", summary, lines, failures=failures)


_COLLECT_COLUMNS = ["marketplace", "amazon_order_id", "odoo_order_id", "picking_name", "date_done", "state",
                    "message", "carrier_code", "carrier_name", "tracking_number", "items", "run_id"]


def _sendable(row: dict) -> bool:
    return bool(row.get("carrier_code") and row.get("tracking_number") and row.get("items"))


def _amazon_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
