"""Daily reconciliation per account x marketplace: Amazon's orders against the Odoo orders created for them.

A markdown file a person can read (and the same text in the task log) listing every mismatch: an order missing
in Odoo or present twice, a total that differs, a cancellation Odoo did not follow, orders stuck in error.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import and_, select

from amzodoo.odoo import binding
from amzodoo.odoo.client import OdooClient
from amzodoo.staging import schema as s
from amzodoo.staging.store import StagingStore


@dataclass
class Reconciliation:
    account: str
    marketplace: str
    day: str
    orders: int = 0
    in_odoo: int = 0
    amazon_total: Decimal = Decimal(0)
    odoo_total: Decimal = Decimal(0)
    mismatches: list[tuple[str, str]] = field(default_factory=list)  # (order id, what is wrong)
    states: Counter[str] = field(default_factory=Counter)

    def markdown(self) -> str:
        lines = [
            f"# Reconciliation {self.account} / {self.marketplace} — orders purchased {self.day} (UTC)",
            "",
            "| | |",
            "|---|---|",
            f"| Amazon orders | {self.orders} |",
            f"| in Odoo | {self.in_odoo} |",
            f"| Amazon total of orders in Odoo | {self.amazon_total:.2f} |",
            f"| Odoo total of those orders | {self.odoo_total:.2f} |",
            f"| staging states | {', '.join(f'{k} {v}' for k, v in sorted(self.states.items())) or '-'} |",
            f"| mismatches | {len(self.mismatches)} |",
            "",
        ]
        if self.mismatches:
            lines += ["| Amazon order | mismatch |", "|---|---|"]
            lines += [f"| {order_id} | {problem} |" for order_id, problem in self.mismatches]
        else:
            lines.append("Every Amazon order that should be in Odoo is there once, with Amazon's total.")
        return "\n".join(lines) + "\n"


def reconcile(store: StagingStore, client: OdooClient, account: str, marketplace: str, day_start: datetime,
              day_end: datetime) -> Reconciliation:
    t, r = s.staged_orders, s.raw_orders
    join = t.join(r, and_(r.c.account == t.c.account, r.c.marketplace == t.c.marketplace,
                          r.c.amazon_order_id == t.c.amazon_order_id))
    query = (select(t).select_from(join)
             .where(t.c.account == account, t.c.marketplace == marketplace,
                    r.c.purchase_date >= day_start, r.c.purchase_date < day_end)
             .order_by(t.c.amazon_order_id))
    with store.engine.connect() as conn:
        staged = [dict(row) for row in conn.execute(query).mappings()]
    result = Reconciliation(account, marketplace, day_start.date().isoformat(), orders=len(staged))
    by_ref = binding.find_orders(client, marketplace, [o["amazon_order_id"] for o in staged],
                                 ["amount_total", "state", "picking_ids"])
    for order in staged:
        oid = order["amazon_order_id"]
        result.states[order["state"]] += 1
        found = by_ref.get(oid, [])
        expected = order["state"] == s.LOADED and order["odoo_order_id"] is not None
        if order["state"] == s.ERROR:
            result.mismatches.append((oid, f"error in staging: {order['message']}"))
        if len(found) > 1:
            result.mismatches.append((oid, f"{len(found)} Odoo orders for one Amazon order"))
        if expected and not found:
            result.mismatches.append((oid, "loaded according to staging but missing in Odoo"))
        if not found:
            continue
        odoo = found[0]
        result.in_odoo += 1
        amazon_total = Decimal(str(order["amazon_total"] or 0))
        odoo_total = Decimal(str(odoo["amount_total"])).quantize(Decimal("0.01"))
        result.amazon_total += amazon_total
        result.odoo_total += odoo_total
        if order["amazon_status"] == "CANCELLED":
            if odoo["state"] != "cancel" and "delivered" not in (order["message"] or ""):
                result.mismatches.append((oid, f"cancelled on Amazon, {odoo['state']} in Odoo"))
        elif odoo_total != amazon_total:
            result.mismatches.append((oid, f"total: Amazon {amazon_total:.2f}, Odoo {odoo_total:.2f}"))
        elif odoo["state"] == "cancel":
            result.mismatches.append((oid, f"cancelled in Odoo, {order['amazon_status']} on Amazon"))
    return result


def write_report(report: Reconciliation, directory: Path) -> Path:
    path = directory / report.day / f"{report.account}__{report.marketplace}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.markdown(), encoding="utf-8")
    return path


def reconciliation_day(requested: str | date | None, data_interval_end: datetime | None,
                       now: datetime | None = None) -> date:
    """The UTC day a reconciliation run checks: the ``day`` asked for, else the last day finished before the run.

    Airflow 3's ``@daily``/cron schedules default to a trigger timetable whose data interval is the instant the
    run starts (the day just beginning, with no orders yet); a data-interval timetable ends the interval at the
    run instead. The day before the interval's end is the finished day under both, and for a manual run.
    """
    if requested:
        return requested if isinstance(requested, date) else date.fromisoformat(str(requested).strip()[:10])
    end = data_interval_end or now or datetime.now(UTC)
    if end.tzinfo is not None:
        end = end.astimezone(UTC)
    return end.date() - timedelta(days=1)
