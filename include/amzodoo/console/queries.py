"""What the console shows, read from the staging store: health per account x marketplace and per reverse flow,
and the staged orders that need a person.

Pure reads (SQLAlchemy Core), no Airflow import: the caller passes in what only Airflow knows (which DAGs the
user may read, when each DAG last succeeded), so these queries are tested on SQLite and PostgreSQL alone.
Every query is bounded: grouped counts over the ``(account, marketplace, state)`` index, and one page of orders.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, tuple_

from amzodoo.staging import schema as s
from amzodoo.staging.store import StagingStore, as_utc

# Orders that wait longer than this (Pending at Amazon, FBA not shipped yet, or not loaded) need a look:
# Amazon settles most Pending orders within hours and ships FBA orders within two days.
WAITING_TOO_LONG = timedelta(days=3)
# A flow whose last successful run is older than this has stopped (schedules are 15 min to 1 h; daily 26 h).
STALE_RUN = timedelta(hours=3)
STALE_DAILY_RUN = timedelta(hours=26)
IGNORED = "ignored"  # a person decided the order must not reach Odoo (set from the console, kept until it changes)
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def order_dag_id(account: str, marketplace: str) -> str:
    return f"amazon_orders__{account}__{marketplace}"


REVERSE_FLOWS = {  # flow -> (label, dag id prefix)
    "shipments": ("Shipment confirmations (Odoo → Amazon)", "odoo_shipments__"),
    "fbm_stock": ("FBM stock feed (Odoo → Amazon)", "odoo_fbm_stock__"),
    "fba_stock": ("FBA stock mirror (Amazon → Odoo)", "amazon_fba_stock__"),
    "reconciliation": ("Daily reconciliation", "amzodoo_reconciliation__"),
}


def reverse_dag_id(flow: str, account: str) -> str:
    return REVERSE_FLOWS[flow][1] + account


@dataclass
class MarketplaceHealth:
    account: str
    marketplace: str
    dag_id: str
    last_success: datetime | None
    newest_change: datetime | None
    staged: int = 0
    created: int = 0
    waiting: int = 0
    errors: int = 0
    ignored: int = 0
    waiting_too_long: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def needs_person(self) -> bool:
        return bool(self.problems)


@dataclass
class FlowHealth:
    account: str
    flow: str
    label: str
    dag_id: str
    last_success: datetime | None
    details: list[str] = field(default_factory=list)
    refusals: list[tuple[str, str]] = field(default_factory=list)  # (sku or picking, Amazon's message)
    problems: list[str] = field(default_factory=list)

    @property
    def needs_person(self) -> bool:
        return bool(self.problems)


def _run_problem(last_success: datetime | None, now: datetime, stale: timedelta) -> str | None:
    if last_success is None:
        return "no successful run yet"
    if now - last_success > stale:
        return f"last successful run {age(last_success, now)} ago"
    return None


def age(moment: datetime | None, now: datetime) -> str:
    """'5 min', '3 h', '2 d': how long ago, for a person."""
    if moment is None:
        return "-"
    seconds = max(0.0, (now - moment).total_seconds())
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} d"


def marketplace_health(
    store: StagingStore, pairs: Sequence[tuple[str, str]], last_success: Mapping[str, datetime | None],
    *, now: datetime | None = None, waiting_too_long: timedelta = WAITING_TOO_LONG,
) -> list[MarketplaceHealth]:
    """One row per (account, marketplace) in ``pairs`` (those the user may read), in that order."""
    now = now or datetime.now(UTC)
    if not pairs:
        return []
    t, r = s.staged_orders, s.raw_orders
    wanted = tuple_(t.c.account, t.c.marketplace).in_(list(pairs))
    counts = select(t.c.account, t.c.marketplace, t.c.state, func.count()).where(wanted).group_by(
        t.c.account, t.c.marketplace, t.c.state)
    old = select(t.c.account, t.c.marketplace, func.count()).where(
        wanted, t.c.state.in_([s.WAITING, s.PENDING]), t.c.last_updated < now - waiting_too_long,
    ).group_by(t.c.account, t.c.marketplace)
    newest = select(r.c.account, r.c.marketplace, func.max(r.c.last_updated)).where(
        tuple_(r.c.account, r.c.marketplace).in_(list(pairs))).group_by(r.c.account, r.c.marketplace)
    rows = {
        (a, m): MarketplaceHealth(a, m, order_dag_id(a, m), last_success.get(order_dag_id(a, m)), None)
        for a, m in pairs
    }
    with store.engine.connect() as conn:
        for account, marketplace, state, count in conn.execute(counts):
            row = rows[(account, marketplace)]
            row.staged += count
            if state == s.LOADED:
                row.created += count
            elif state in (s.WAITING, s.PENDING):
                row.waiting += count
            elif state == s.ERROR:
                row.errors += count
            elif state == IGNORED:
                row.ignored += count
        for account, marketplace, count in conn.execute(old):
            rows[(account, marketplace)].waiting_too_long = count
        for account, marketplace, moment in conn.execute(newest):
            rows[(account, marketplace)].newest_change = as_utc(moment)
    for row in rows.values():
        if problem := _run_problem(row.last_success, now, STALE_RUN):
            row.problems.append(problem)
        if row.errors:
            row.problems.append(f"{row.errors} order(s) in error")
        if row.waiting_too_long:
            row.problems.append(f"{row.waiting_too_long} order(s) waiting more than {age(now - waiting_too_long, now)}")
    return list(rows.values())


def flow_health(
    store: StagingStore, flows: Sequence[tuple[str, str]], last_success: Mapping[str, datetime | None],
    *, now: datetime | None = None, refusals_shown: int = 5,
) -> list[FlowHealth]:
    """One row per (account, flow) in ``flows``: shipments confirmed/refused, the last feed and its refusals."""
    now = now or datetime.now(UTC)
    result = []
    with store.engine.connect() as conn:
        for account, flow in flows:
            dag_id = reverse_dag_id(flow, account)
            row = FlowHealth(account, flow, REVERSE_FLOWS[flow][0], dag_id, last_success.get(dag_id))
            stale = STALE_DAILY_RUN if flow == "reconciliation" else STALE_RUN
            if problem := _run_problem(row.last_success, now, stale):
                row.problems.append(problem)
            if flow == "shipments":
                _shipments(conn, row, refusals_shown)
            elif flow == "fbm_stock":
                _fbm_stock(conn, row, refusals_shown)
            result.append(row)
    return result


def _shipments(conn: Any, row: FlowHealth, shown: int) -> None:
    t = s.shipment_confirmations
    states = dict(conn.execute(select(t.c.state, func.count()).where(t.c.account == row.account)
                               .group_by(t.c.state)).all())
    row.details.append(f"confirmed {states.get(s.CONFIRMED, 0)}, refused {states.get(s.CONFIRM_ERROR, 0)}, "
                       f"to send {states.get(s.CONFIRM_PENDING, 0)}")
    refused = conn.execute(select(t.c.amazon_order_id, t.c.picking_name, t.c.message)
                           .where(t.c.account == row.account, t.c.state == s.CONFIRM_ERROR)
                           .order_by(t.c.odoo_picking_id.desc()).limit(shown)).all()
    row.refusals = [(f"{order_id} ({picking})", message or "") for order_id, picking, message in refused]
    if states.get(s.CONFIRM_ERROR):
        row.problems.append(f"{states[s.CONFIRM_ERROR]} shipment confirmation(s) refused")


def _fbm_stock(conn: Any, row: FlowHealth, shown: int) -> None:
    f, lv = s.feeds, s.stock_levels_sent
    last = conn.execute(select(f.c.feed_id, f.c.state, f.c.messages, f.c.submitted_at)
                        .where(f.c.account == row.account)
                        .order_by(f.c.submitted_at.desc().nulls_last(), f.c.feed_key.desc()).limit(1)).first()
    if last is None:
        row.details.append("no feed sent yet")
    else:
        feed_id, state, messages, submitted = last
        row.details.append(f"last feed {feed_id or '(not submitted)'}: {state}, {messages} SKU(s), "
                           f"submitted {as_utc(submitted):%Y-%m-%d %H:%M} UTC" if submitted else
                           f"last feed {feed_id or '(not submitted)'}: {state}, {messages} SKU(s)")
        if state in ("FATAL", "CANCELLED"):
            row.problems.append(f"last feed {state}")
    errors = conn.execute(select(func.count()).select_from(lv)
                          .where(lv.c.account == row.account, lv.c.state == s.LEVEL_ERROR)).scalar() or 0
    refused = conn.execute(select(lv.c.sku, lv.c.message)
                           .where(lv.c.account == row.account, lv.c.state == s.LEVEL_ERROR)
                           .order_by(lv.c.sku).limit(shown)).all()
    row.refusals = [(sku, message or "") for sku, message in refused]
    if errors:
        row.details.append(f"{errors} SKU(s) refused by Amazon")
        row.problems.append(f"{errors} SKU quantity(ies) refused")


@dataclass(frozen=True)
class OrderFilter:
    account: str | None = None
    marketplace: str | None = None
    day_from: date | None = None  # purchase date, UTC, inclusive
    day_to: date | None = None  # inclusive
    order_id: str | None = None  # one order, in any state
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass
class OrderPage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def attention_orders(
    store: StagingStore, pairs: Iterable[tuple[str, str]], where: OrderFilter, *, now: datetime | None = None,
    waiting_too_long: timedelta = WAITING_TOO_LONG,
) -> OrderPage:
    """Staged orders in error or waiting too long (or the one order asked for, whatever its state), newest first.

    Only orders of ``pairs`` (the account x marketplace DAGs the user may read) are ever returned.
    """
    now = now or datetime.now(UTC)
    size = max(1, min(where.page_size, MAX_PAGE_SIZE))
    page = max(1, where.page)
    allowed = [(a, m) for a, m in pairs if (where.account in (None, a) and where.marketplace in (None, m))]
    if not allowed:
        return OrderPage([], 0, page, size)
    t, r = s.staged_orders, s.raw_orders
    join = t.outerjoin(r, and_(r.c.account == t.c.account, r.c.marketplace == t.c.marketplace,
                               r.c.amazon_order_id == t.c.amazon_order_id))
    cond = [tuple_(t.c.account, t.c.marketplace).in_(allowed)]
    if where.order_id:
        cond.append(t.c.amazon_order_id == where.order_id.strip())
    else:
        cond.append(or_(t.c.state == s.ERROR,
                        and_(t.c.state.in_([s.WAITING, s.PENDING]), t.c.last_updated < now - waiting_too_long)))
    if where.day_from:
        cond.append(r.c.purchase_date >= datetime.combine(where.day_from, time(), UTC))
    if where.day_to:
        cond.append(r.c.purchase_date < datetime.combine(where.day_to + timedelta(days=1), time(), UTC))
    columns = [t.c.account, t.c.marketplace, t.c.amazon_order_id, t.c.state, t.c.message, t.c.amazon_status,
               t.c.fulfillment_channel, t.c.last_updated, t.c.currency, t.c.amazon_total, t.c.odoo_total,
               t.c.odoo_order_id, t.c.attempts, t.c.loaded_at, r.c.purchase_date]
    query = (select(*columns).select_from(join).where(*cond)
             .order_by(t.c.last_updated.desc(), t.c.account, t.c.marketplace, t.c.amazon_order_id)
             .limit(size).offset((page - 1) * size))
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(join).where(*cond)).scalar() or 0
        rows = [{k: as_utc(v) if isinstance(v, datetime) else v for k, v in row.items()}
                for row in conn.execute(query).mappings()]
    for row in rows:
        row["reason"] = _reason(row, now, waiting_too_long)
    return OrderPage(rows, total, page, size)


def _reason(row: dict[str, Any], now: datetime, waiting_too_long: timedelta) -> str:
    if row["state"] == s.ERROR:
        return row["message"] or "error"
    if row["state"] in (s.WAITING, s.PENDING) and row["last_updated"] and now - row["last_updated"] > waiting_too_long:
        what = "waiting for Amazon" if row["state"] == s.WAITING else "not loaded into Odoo"
        return f"{what} for {age(row['last_updated'], now)} (Amazon status {row['amazon_status'] or '?'})"
    return row["message"] or ""


def ignore_order(store: StagingStore, account: str, marketplace: str, order_id: str, user: str,
                 *, now: datetime | None = None) -> bool:
    """Mark a staged order ``ignored``: no run retries it, the attention list drops it. A new version from
    Amazon (a changed payload) restages it as usual. Returns False when the order is not staged."""
    now = now or datetime.now(UTC)
    t = s.staged_orders
    with store.engine.begin() as conn:
        current = conn.execute(select(t.c.state, t.c.message).where(
            t.c.account == account, t.c.marketplace == marketplace, t.c.amazon_order_id == order_id)).first()
        if current is None:
            return False
        note = f"ignored by {user} on {now:%Y-%m-%d %H:%M} UTC (was {current.state}: {current.message or '-'})"
        conn.execute(t.update().where(t.c.account == account, t.c.marketplace == marketplace,
                                      t.c.amazon_order_id == order_id).values(state=IGNORED, message=note[:4000]))
    return True
