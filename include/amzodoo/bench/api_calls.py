"""Measurement 1: SP-API requests per 1,000 orders in an incremental run, connector vs per-order path."""

from __future__ import annotations

from datetime import timedelta

from amzodoo.bench.common import SIM_START, generate, per_thousand, sim_amazon
from amzodoo.bench.paths import CONNECTOR, PER_ORDER, run_path

TARGET_PER_THOUSAND = 11


def run(orders: int = 1000) -> dict:
    """``orders`` orders updated within the last six hours, read by an incremental (searchOrders) run."""
    with sim_amazon() as amazon:
        now = amazon.clock.now()
        # Created 6 h .. 1 h ago: some are updated again before "now", as in a live seller's last hours.
        generate(amazon, orders, start=SIM_START - timedelta(hours=6), end=SIM_START - timedelta(hours=1),
                 fba_share=0.6)
        start, end = now - timedelta(hours=6, minutes=5), now
        runs = [run_path(amazon, path, start, end) for path in (CONNECTOR, PER_ORDER)]
    rows = []
    for r in runs:
        rows.append({**r.as_dict(), "per_1000_orders": per_thousand(r.api_calls, r.orders)})
    connector = rows[0]
    return {
        "orders_generated": orders,
        "window": "last 6 h 5 min (shorter than report_threshold_hours: searchOrders)",
        "paths": rows,
        "target": f"<= {TARGET_PER_THOUSAND} SP-API calls per 1,000 orders",
        "met": connector["per_1000_orders"] is not None and connector["per_1000_orders"] <= TARGET_PER_THOUSAND,
    }
