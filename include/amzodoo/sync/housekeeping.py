"""Buyer data retention: names, addresses, phones and e-mails leave staging N days after delivery.

Amazon's Data Protection Policy allows keeping buyer PII for at most 30 days after delivery. What
reconciliation needs stays: order ids, statuses, totals, Odoo ids, countries, and the buyer key (a one-way hash
that lets the loader recognise a returning customer without the e-mail itself).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update

from amzodoo.staging import schema as s
from amzodoo.staging.store import StagingStore

PII_PAYLOAD_KEYS = ("buyer", "recipient")  # Orders 2026-01-01 sections holding names, addresses, phones, e-mails
# Report payloads: the All Orders rows hold none; the FBA shipments report's buyer columns beside them do.
PII_REPORT_KEYS = ("fba_buyer",)
KEEP_PARTNER_KEYS = ("country_code", "state_code", "amazon_buyer_key", "lang", "is_company")
CHUNK = 1000


def scrub_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The order without its buyer and recipient sections, or report rows without the FBA buyer columns."""
    keys = PII_REPORT_KEYS if "rows" in payload else PII_PAYLOAD_KEYS
    return {k: v for k, v in payload.items() if k not in keys}


def scrub_partner(partner: dict[str, Any] | None) -> dict[str, Any] | None:
    if partner is None:
        return None
    return {k: partner[k] for k in KEEP_PARTNER_KEYS if k in partner}


def purge_buyer_data(store: StagingStore, *, retention_days: int = 30, now: datetime | None = None) -> dict[str, int]:
    """Scrub every order delivered (or cancelled) more than ``retention_days`` ago; returns counts."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=retention_days)
    t, r = s.staged_orders, s.raw_orders
    # FBA deliveries carry delivered_at; otherwise the Amazon update that made the order final counts.
    finished_at = func.coalesce(
        t.c.delivered_at,
        case((t.c.amazon_status.in_(["SHIPPED", "CANCELLED"]), t.c.last_updated), else_=None),
    )
    query = (select(t.c.account, t.c.marketplace, t.c.amazon_order_id, t.c.partner, t.c.shipping_partner)
             .where(t.c.buyer_data_purged_at.is_(None), finished_at < cutoff))
    purged = 0
    with store.engine.connect() as conn:
        candidates = conn.execute(query).mappings().all()
    for start in range(0, len(candidates), CHUNK):
        part = candidates[start : start + CHUNK]
        with store.engine.begin() as conn:
            for row in part:
                key = and_(t.c.account == row["account"], t.c.marketplace == row["marketplace"],
                           t.c.amazon_order_id == row["amazon_order_id"])
                conn.execute(update(t).where(key).values(
                    partner=scrub_partner(row["partner"]), shipping_partner=scrub_partner(row["shipping_partner"]),
                    buyer_data_purged_at=now))
                raw_key = and_(r.c.account == row["account"], r.c.marketplace == row["marketplace"],
                               r.c.amazon_order_id == row["amazon_order_id"])
                payload = conn.execute(select(r.c.payload).where(raw_key)).scalar_one_or_none()
                if payload is not None:
                    # payload_hash stays: it names the Amazon version the staged order was made from.
                    conn.execute(update(r).where(raw_key).values(payload=scrub_payload(payload)))
        purged += len(part)
    with store.engine.connect() as conn:
        kept = conn.execute(select(func.count()).select_from(t).where(
            t.c.buyer_data_purged_at.is_(None), or_(t.c.partner.is_not(None), t.c.shipping_partner.is_not(None))
        )).scalar_one()
    return {"purged": purged, "still_holding_buyer_data": int(kept), "retention_days": retention_days}
