"""The two ways of reading orders the connector is compared with, written plainly and honestly.

* per-order: what Odoo's own Amazon connector does — Orders v0 ``getOrders`` pages, then ``getOrderItems`` for
  every order (items are not in the order list).
* searchOrders-only: Orders 2026-01-01 ``searchOrders`` pages with every ``includedData`` section over the
  whole window, whatever its length (no report).

Both go through the same ``SpApiSession`` as the connector, so they wait for the same usage plans and are
counted the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sp_api.api import Orders

from amzodoo.amazon import orders_api
from amzodoo.amazon.clients import PINNED_VERSIONS
from amzodoo.amazon.session import SpApiSession
from amzodoo.config.marketplaces import MARKETPLACES
from amzodoo.timeutil import amazon_time


def _ids(codes: Sequence[str]) -> list[str]:
    return [MARKETPLACES[c].marketplace_id for c in codes]


def per_order_path(session: SpApiSession, codes: Sequence[str], start: datetime, end: datetime) -> int:
    """getOrders (100 per page) + getOrderItems per order; returns the orders read."""
    client = session.client(Orders, codes[0], version=PINNED_VERSIONS["orders_v0"])
    params = {"LastUpdatedAfter": amazon_time(start), "LastUpdatedBefore": amazon_time(end),
              "MarketplaceIds": _ids(codes), "MaxResultsPerPage": 100}
    seen = 0
    token: str | None = None
    while True:
        page_params = {"NextToken": token, "MarketplaceIds": _ids(codes)} if token else params
        payload = session.call("ordersV0.getOrders", lambda p=page_params: client.get_orders(**p)).payload or {}
        for order in payload.get("Orders", []):
            order_id = order["AmazonOrderId"]
            items_token: str | None = None
            while True:  # an order with many items pages its items too
                kwargs = {"NextToken": items_token} if items_token else {}
                items = session.call("ordersV0.getOrderItems",
                                     lambda i=order_id, k=kwargs: client.get_order_items(i, **k)).payload or {}
                items_token = items.get("NextToken")
                if not items_token:
                    break
            seen += 1
        token = payload.get("NextToken")
        if not token:
            return seen


def search_only_path(session: SpApiSession, codes: Sequence[str], start: datetime, end: datetime) -> int:
    """searchOrders pages over the whole window with everything Odoo needs; returns the orders read."""
    return sum(1 for _ in orders_api.search_orders(session, list(codes), _ids(codes), updated_after=start,
                                                   updated_before=end))
