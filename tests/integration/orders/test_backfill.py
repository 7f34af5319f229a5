"""A 5,000-order backfill through Airflow goes through the report path and loads every order once."""

from __future__ import annotations

import os
from collections import Counter
from datetime import datetime, timedelta

BACKFILL_ORDERS = int(os.environ.get("AMZODOO_IT_BACKFILL_ORDERS", "5000"))


def test_backfill_through_the_report_path(world):
    now = world.sandbox.clock.now()
    # 80 % FBA keeps the FBM recipients (100 per searchOrders page) inside searchOrders' burst of 20: beyond it
    # the connector rightly waits 180 s a page, which would only make this test slow. Likewise few business
    # buyers: a shipped FBA business order is read with getOrder (its company name is in no report), and
    # beyond getOrder's burst of 30 the connector waits 2 s an order (the benchmark's row 2 measures that).
    ids = set(world.sandbox.generate_orders("na_main", "US", BACKFILL_ORDERS, start=now - timedelta(days=2),
                                            end=now - timedelta(hours=2), fba_share=0.8, business_share=0.004))
    counters_before = world.sandbox.counters("na_main")
    state = world.run("amazon_orders__na_main__US",
                      **world.window(now - timedelta(days=3), now - timedelta(minutes=3)))
    assert state == "success"
    calls = Counter(world.sandbox.counters("na_main")) - Counter(counters_before)
    # The All Orders report and the FBA shipments report (the FBA buyers, read with a Restricted Data Token).
    assert calls["reports.createReport"] == 2 and calls["tokens.createRestrictedDataToken"] == 1
    business_fba = [i for i in ids if world.sandbox.state.orders[i].business
                    and world.sandbox.state.orders[i].channel == "AFN"]
    assert 0 < calls["orders.getOrder"] <= len(business_fba) < 30
    # Thousands of orders for a handful of requests: the FBM recipients are read 100 per searchOrders page.
    assert sum(calls.values()) - calls["orders.getOrder"] <= 10 + len(ids) * 0.4 / 100 + 10
    staged = {o["amazon_order_id"]: o for o in world.store.staged_orders("na_main", "US")}
    # Orders Amazon updated after the window's end (the clock runs on while the backfill runs) belong to the
    # next run.
    window_end = now - timedelta(minutes=3)
    in_window = {i for i in ids if datetime.fromisoformat(
        world.sandbox.order(i)["lastUpdatedTime"].replace("Z", "+00:00")) < window_end}
    assert len(in_window) > len(ids) * 0.95
    assert in_window <= set(staged)
    loaded = [o for o in staged.values() if o["amazon_order_id"] in ids and o["state"] == "loaded"
              and o["odoo_order_id"]]
    assert len(loaded) > BACKFILL_ORDERS // 2
    assert not [o for o in staged.values() if o["state"] == "error"]
    refs = Counter(o["amazon_order_id"] for o in world.odoo_orders([o["amazon_order_id"] for o in loaded]))
    assert len(refs) == len(loaded) and set(refs.values()) == {1}
    assert any(w["source"] == "report" and w["orders"] >= len(ids) * 0.9
               for w in world.store.extracted_windows("na_main"))
