"""FBM stock to Amazon (only deltas, only the merchant channel, errors per SKU, feed reused on retry) and FBA
stock mirrored into Odoo's FBA location."""

from __future__ import annotations

import json
import os

import pytest

from amzodoo.amazon.clients import SpApiCredentials
from amzodoo.amazon.session import SpApiSession
from amzodoo.config.loader import load_config
from amzodoo.jobs import JobClients, fbm_stock_job
from amzodoo.staging import schema as s
from amzodoo_sandbox.spapi import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET
from tests.fixtures.odoo import warehouse_stock_location

from .conftest import ACCOUNT, SANDBOX_ACCOUNT

FBM_DAG = f"odoo_fbm_stock__{ACCOUNT}"
FBA_DAG = f"amazon_fba_stock__{ACCOUNT}"


@pytest.fixture(scope="module")
def stocked(loaded):
    """Odoo stock in WH/Stock for every listed SKU, and extra stock in the FBA location for the SKUs sold both ways
    (which must never count as merchant stock)."""
    world = loaded
    listings = world.sandbox.state.account(SANDBOX_ACCOUNT).listings
    products = world.products(listings)
    stock_location = world.odoo.search_read("stock.warehouse", [("code", "=", "WH")], ["lot_stock_id"])[0][
        "lot_stock_id"][0]
    fba_location = warehouse_stock_location(world.odoo, "FBA")  # the account's FBA warehouse (default code)
    wanted = {sku: 3 + index * 2 for index, sku in enumerate(sorted(listings))}
    world.set_free_stock(stock_location, {products[sku]: qty for sku, qty in wanted.items()})
    both = sorted(sku for sku, listing in listings.items() if listing.channel == "BOTH")
    world.set_stock(fba_location, {products[sku]: 500 for sku in both})
    return {"listings": listings, "products": products, "wanted": wanted, "both": both,
            "stock_location": stock_location, "fba_location": fba_location}


def _last_feed_messages(world) -> list[dict]:
    feeds = world.sandbox.state.feeds
    job = feeds[max(feeds, key=int)]
    return json.loads(world.sandbox.state.documents[job.options["input"]].content)["messages"]


def _free(world, stocked, sku: str) -> int:
    row = world.odoo.search_read("product.product", [("id", "=", stocked["products"][sku])], ["free_qty"],
                                 context={"location": stocked["stock_location"]})[0]
    return max(0, int(row["free_qty"]))


def test_first_run_sends_merchant_quantities_only(loaded, stocked):
    world = loaded
    before = world.amazon_calls("feeds.createFeed")
    assert world.run(FBM_DAG) == "success"
    assert world.amazon_calls("feeds.createFeed") == before + 1
    listings = stocked["listings"]
    merchant = {sku for sku, listing in listings.items() if listing.merchant_fulfilled}
    messages = _last_feed_messages(world)
    assert {m["sku"] for m in messages} == merchant
    channels = {v["fulfillment_channel_code"] for m in messages for p in m["patches"] for v in p["value"]}
    assert channels == {"DEFAULT"}
    for sku in merchant:
        assert world.sandbox.listing_quantity(SANDBOX_ACCOUNT, sku) == _free(world, stocked, sku), sku
    for sku in stocked["both"]:
        assert world.sandbox.listing_quantity(SANDBOX_ACCOUNT, sku) < 500, "FBA stock is not merchant stock"
    levels = world.store.stock_levels(ACCOUNT)
    assert set(levels) == merchant and {r["state"] for r in levels.values()} == {s.LEVEL_ACCEPTED}
    counts = world.summary("fbm_stock")["counts"]
    assert counts["amazon_only_skus"] == sum(1 for li in listings.values() if li.channel == "AFN")
    assert counts["both_channels"] == len(stocked["both"]) and counts["errors"] == 0


def test_rerun_sends_nothing(loaded, stocked):
    world = loaded
    before = world.amazon_calls("feeds.createFeed")
    assert world.run(FBM_DAG) == "success"
    assert world.amazon_calls("feeds.createFeed") == before
    assert world.summary("fbm_stock")["counts"]["skus_sent"] == 0


def test_only_changes_are_sent_and_refused_skus_are_recorded_and_resent(loaded, stocked):
    world = loaded
    merchant = sorted(sku for sku, listing in stocked["listings"].items() if listing.merchant_fulfilled)
    failing, passing = merchant[0], merchant[1]
    world.set_free_stock(stocked["stock_location"], {stocked["products"][failing]: 41,
                                                     stocked["products"][passing]: 42})
    world.sandbox.inject_fault("feeds.createFeed", "feed_error", skus=[failing])
    assert world.run(FBM_DAG) == "success"
    assert {m["sku"] for m in _last_feed_messages(world)} == {failing, passing}
    levels = world.store.stock_levels(ACCOUNT)
    assert levels[failing]["state"] == s.LEVEL_ERROR and "8001" in levels[failing]["message"]
    assert levels[passing]["state"] == s.LEVEL_ACCEPTED
    assert world.sandbox.listing_quantity(SANDBOX_ACCOUNT, passing) == _free(world, stocked, passing)
    summary = world.summary("fbm_stock")
    assert summary["counts"]["errors"] == 1 and failing in summary["text"]
    assert world.run(FBM_DAG) == "success"
    assert [m["sku"] for m in _last_feed_messages(world)] == [failing]
    assert world.store.stock_levels(ACCOUNT)[failing]["state"] == s.LEVEL_ACCEPTED
    assert world.sandbox.listing_quantity(SANDBOX_ACCOUNT, failing) == _free(world, stocked, failing)


def test_a_retried_submit_reuses_its_feed(loaded, stocked):
    world = loaded
    sku = sorted(sku for sku, listing in stocked["listings"].items() if listing.merchant_fulfilled)[2]
    product = stocked["products"][sku]
    world.set_free_stock(stocked["stock_location"], {product: 1000})  # a change: a feed must go
    account = world.sandbox.state.account(SANDBOX_ACCOUNT).account
    credentials = SpApiCredentials(SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, account.refresh_token,
                                   seller_id=account.seller_id, endpoint=world.sandbox.url)
    clients = JobClients(store=world.store, odoo=lambda: world.odoo,
                         amazon=lambda retry: SpApiSession(credentials, account=ACCOUNT, retry=retry))
    job = fbm_stock_job(load_config(os.environ["AMZODOO_CONFIG"]), ACCOUNT, clients, dag_id=FBM_DAG,
                        run_id="retried-run")
    before = world.amazon_calls("feeds.createFeed")
    first = job.submit()
    again = job.submit()
    assert world.amazon_calls("feeds.createFeed") == before + 1
    assert again["feeds"] == first["feeds"] and again["reused"] and first["skus_sent"] == 1
    world.sandbox.clock.advance(120)
    assert job.poll()
    assert job.read_reports()["accepted"] == 1
    assert world.sandbox.listing_quantity(SANDBOX_ACCOUNT, sku) == _free(world, stocked, sku)


def test_fba_mirror_sets_quantities_and_a_rerun_changes_nothing(loaded, stocked):
    world = loaded
    fba_skus = sorted(world.sandbox.fba_inventory(SANDBOX_ACCOUNT))
    world.sandbox.set_fba_inventory(SANDBOX_ACCOUNT, fba_skus[0], 0)
    world.sandbox.set_fba_inventory(SANDBOX_ACCOUNT, fba_skus[1], 77)
    assert world.run(FBA_DAG) == "success"
    amazon = world.sandbox.fba_inventory(SANDBOX_ACCOUNT)
    quants = world.odoo.search_read("stock.quant", [("location_id", "=", stocked["fba_location"])],
                                    ["product_id", "quantity"])
    on_hand: dict[int, float] = {}
    for quant in quants:
        on_hand[quant["product_id"][0]] = on_hand.get(quant["product_id"][0], 0.0) + quant["quantity"]
    for sku, qty in amazon.items():
        assert on_hand.get(stocked["products"][sku], 0.0) == qty, sku
    assert world.summary("fba_stock")["counts"]["changed"] > 0
    creates = world.standin.counters().get("stock.quant.create", 0) if world.standin else None
    assert world.run(FBA_DAG) == "success"
    assert world.summary("fba_stock")["counts"]["changed"] == 0
    if world.standin:
        assert world.standin.counters().get("stock.quant.create", 0) == creates
