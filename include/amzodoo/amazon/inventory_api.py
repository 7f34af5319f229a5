"""FBA Inventory v1 ``getInventorySummaries`` (every page) and the merchant-fulfilled SKUs from Listings Items.

FBA stock is pooled per region (North America; Pan-European EU), so one marketplace of the account answers for
the pool. Which SKUs the seller fulfils is read from Amazon, not guessed from Odoo: searchListingsItems with
``fulfillmentAvailability`` lists a DEFAULT entry for merchant offers and AMAZON_<region> for FBA ones (both for
a SKU sold both ways). Listings are searched per marketplace because a SKU may be offered in only some of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sp_api.api import Inventories, ListingsItems

from amzodoo.amazon.clients import PINNED_VERSIONS
from amzodoo.amazon.session import SpApiSession
from amzodoo.config.marketplaces import Marketplace

LISTINGS_PAGE = 20  # searchListingsItems' maximum


@dataclass(frozen=True)
class ListingChannels:
    sku: str
    merchant: bool  # has a DEFAULT (seller-fulfilled) offer
    amazon: bool  # has an AMAZON_* (FBA) offer


def inventory_summaries(session: SpApiSession, marketplace: Marketplace) -> Iterator[dict]:
    client = session.client(Inventories, marketplace.code)
    token: str | None = None
    while True:
        params = {"details": True, "granularityType": "Marketplace", "granularityId": marketplace.marketplace_id,
                  "marketplaceIds": [marketplace.marketplace_id]}
        if token:
            params["nextToken"] = token
        response = session.call("fbaInventory.getInventorySummaries",
                                lambda p=params: client.get_inventory_summary_marketplace(**p))
        yield from (response.payload or {}).get("inventorySummaries", [])
        token = response.next_token or (response.pagination or {}).get("nextToken")
        if not token:
            return


def fulfillable_quantity(summary: dict) -> int:
    """What Amazon can ship now; reserved, inbound and unfulfillable units are not on the shelf."""
    details = summary.get("inventoryDetails") or {}
    value = details.get("fulfillableQuantity")
    if value is None:
        value = summary.get("totalQuantity") or 0
    return max(0, int(value))


def listing_channels(session: SpApiSession, seller_id: str,
                     marketplaces: list[Marketplace]) -> dict[str, ListingChannels]:
    """Every listed SKU of the account with the channels it is offered through, across its marketplaces."""
    found: dict[str, ListingChannels] = {}
    for marketplace in marketplaces:
        client = session.client(ListingsItems, marketplace.code, version=PINNED_VERSIONS["listings_items"])
        token: str | None = None
        while True:
            params = {"marketplaceIds": [marketplace.marketplace_id], "includedData": ["fulfillmentAvailability"],
                      "pageSize": LISTINGS_PAGE}
            if token:
                params["pageToken"] = token
            response = session.call("listings.searchListingsItems",
                                    lambda p=params, c=client: c.search_listings_items(seller_id, **p))
            for item in (response.payload or {}).get("items", []):
                codes = {a.get("fulfillmentChannelCode") for a in item.get("fulfillmentAvailability") or []}
                before = found.get(item["sku"])
                found[item["sku"]] = ListingChannels(
                    item["sku"],
                    merchant="DEFAULT" in codes or bool(before and before.merchant),
                    amazon=any(str(c).startswith("AMAZON") for c in codes) or bool(before and before.amazon),
                )
            token = response.next_token or (response.pagination or {}).get("nextToken")
            if not token:
                break
    return found
