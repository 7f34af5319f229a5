"""Extraction against the SP-API sandbox over HTTP: pages, the report path, shared windows, shared quota."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from amzodoo.amazon.clients import SpApiCredentials
from amzodoo.amazon.session import SpApiSession
from amzodoo.config.loader import parse_config
from amzodoo.staging.limiter import SharedTokenBucketLimiter
from amzodoo.sync.extract import AccountExtractor
from amzodoo_sandbox.spapi import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, SimClock, SpApiSandbox
from tests.fixtures.spapi import clear_sp_api_token_cache

CONFIG = parse_config("accounts:\n  na_main:\n    amazon_conn_id: x\n    marketplaces: [US, CA, MX]\n", Path("t"))


@pytest.fixture
def sandbox():
    clear_sp_api_token_cache()
    sb = SpApiSandbox(seed=11, orders_per_marketplace=0, clock=SimClock(start=datetime.now(UTC) - timedelta(days=5)))
    sb.start()
    yield sb
    sb.stop()
    clear_sp_api_token_cache()


def extractor(sandbox, store, *, limiter=None) -> AccountExtractor:
    account = sandbox.state.accounts["na_main"].account
    creds = SpApiCredentials(SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, account.refresh_token,
                             endpoint=sandbox.url)
    session = SpApiSession(creds, account="na_main", limiter=limiter)
    return AccountExtractor(session, store, "na_main", CONFIG.accounts["na_main"], poll_seconds=10,
                            sleep=sandbox.clock.advance)


def test_search_orders_reads_every_page(sandbox, staging_store):
    now = sandbox.clock.now()
    ids = sandbox.generate_orders("na_main", "US", 250, start=now - timedelta(hours=6), end=now - timedelta(hours=1))
    ex = extractor(sandbox, staging_store)
    result = ex.extract_window(now - timedelta(hours=8), now, now=now)
    landed = {r["amazon_order_id"] for r in staging_store.raw_orders("na_main", "US")}
    assert landed == set(ids)
    assert result.steps[0].startswith("searchOrders")
    assert ex.session.calls["orders.searchOrders"] == 3  # 100 + 100 + 50


def test_report_path_completes_fbm_recipients_through_search_orders(sandbox, staging_store):
    now = sandbox.clock.now()
    ids = sandbox.generate_orders("na_main", "US", 400, start=now - timedelta(days=2), end=now - timedelta(hours=2))
    ex = extractor(sandbox, staging_store)
    result = ex.extract_window(now - timedelta(days=3), now, now=now)
    assert result.steps[0].startswith("report")
    rows = {r["amazon_order_id"]: r for r in staging_store.raw_orders("na_main", "US")}
    assert set(rows) == set(ids)
    fbm = [r for r in rows.values() if r["fulfillment_channel"] == "MFN"]
    assert fbm and all(r["source"] == "searchOrders" and r["payload"].get("recipient") for r in fbm)
    fba = [r for r in rows.values() if r["fulfillment_channel"] == "AFN"]
    # A shipped FBA business order needs its company name, which only the Orders API gives.
    business = {i for i in ids if sandbox.state.orders[i].channel == "AFN" and sandbox.state.orders[i].business
                and sandbox.order(i)["fulfillment"]["fulfillmentStatus"] in ("SHIPPED", "PARTIALLY_SHIPPED")}
    assert business and {r["amazon_order_id"] for r in fba if r["source"] == "getOrder"} == business
    by_report = [r for r in fba if r["amazon_order_id"] not in business]
    assert by_report and all(r["source"] == "report" for r in by_report)
    # Shipped FBA orders carry their buyer from the FBA shipments report (the same e-mail searchOrders gives).
    shipped = [r for r in by_report if r["order_status"] == "Shipped"]
    assert shipped and all(r["payload"]["fba_buyer"]["buyer-email"] == sandbox.order(r["amazon_order_id"])[
        "buyer"]["buyerEmail"] for r in shipped)
    calls = ex.session.calls
    assert calls["reports.createReport"] == 2 and calls["reports.getReportDocument"] == 2
    assert calls["tokens.createRestrictedDataToken"] == 1  # for the FBA shipments document
    assert calls["orders.getOrder"] == len(business)
    # Two requests for the reports, and searchOrders pages only for the FBM orders (100 per page) plus the tail.
    assert calls["orders.searchOrders"] <= len(fbm) // 100 + 3


def test_shipped_fba_order_missing_from_the_fba_shipments_report_is_read_with_get_order(sandbox, staging_store):
    """An FBA order updated inside the range but shipped before it has no row in the range's shipments report
    (Amazon's report also lags shipments by hours): its buyer comes from getOrder, not from nowhere."""
    now = sandbox.clock.now()
    start = now - timedelta(days=3)
    ids = sandbox.generate_orders("na_main", "US", 40, start=now - timedelta(days=2), end=now - timedelta(hours=2),
                                  fba_share=1.0, business_share=0.0)
    shipped = [sandbox.order(i) for i in ids if sandbox.order(i)["fulfillment"]["fulfillmentStatus"] == "SHIPPED"]
    late = dict(shipped[0])
    late["createdTime"] = (start - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    late["packages"] = [{"packageReferenceId": "1", "shipTime": (start - timedelta(days=1)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"), "carrier": "AMZN_US", "trackingNumber": "AMZ1", "packageItems": [
        {"orderItemId": item["orderItemId"], "quantity": item["quantityOrdered"]} for item in late["orderItems"]]}]
    sandbox.load_orders("na_main", [late])

    ex = extractor(sandbox, staging_store)
    ex.extract_window(start, now, now=now)

    rows = {r["amazon_order_id"]: r for r in staging_store.raw_orders("na_main", "US")}
    assert rows[late["orderId"]]["source"] == "getOrder"
    assert rows[late["orderId"]]["payload"]["buyer"]["buyerEmail"] == late["buyer"]["buyerEmail"]
    others = [rows[d["orderId"]] for d in shipped[1:]]
    assert others and all(r["source"] == "report" and r["payload"]["fba_buyer"]["buyer-email"] for r in others)
    assert ex.session.calls["orders.getOrder"] == 1


def test_marketplaces_of_one_account_share_one_extraction_and_one_quota(sandbox, staging_store):
    now = sandbox.clock.now()
    for code in ("US", "CA", "MX"):
        sandbox.generate_orders("na_main", code, 30, start=now - timedelta(hours=3), end=now - timedelta(hours=1))
    results = {}

    def run(code: str) -> None:
        ex = extractor(sandbox, staging_store, limiter=SharedTokenBucketLimiter(staging_store, "na_main"))
        results[code] = (ex.extract_window(now - timedelta(hours=4), now, now=now), ex.session)

    threads = [threading.Thread(target=run, args=(code,)) for code in ("US", "CA", "MX")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.reused for r, _ in results.values()) == [False, True, True]
    assert sum(s.calls["orders.searchOrders"] for _, s in results.values()) == 1
    assert sandbox.throttled() == 0
    for code in ("US", "CA", "MX"):
        assert len(staging_store.raw_orders("na_main", code)) == 30
