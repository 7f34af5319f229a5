"""Orders API 2026-01-01: every page of searchOrders, and getOrder for one order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from sp_api.api import Orders

from amzodoo.amazon.clients import PINNED_VERSIONS
from amzodoo.amazon.session import SpApiSession
from amzodoo.timeutil import amazon_time

# Everything Odoo needs in one call: items always come, the rest is asked for.
INCLUDED_DATA = ["BUYER", "RECIPIENT", "PROCEEDS", "PROMOTION", "FULFILLMENT", "TAX", "CANCELLATION"]
MAX_PAGE = 100


def search_orders(
    session: SpApiSession,
    marketplace_codes: Sequence[str],
    marketplace_ids: Sequence[str],
    *,
    updated_after: datetime,
    updated_before: datetime,
    fulfilled_by: Sequence[str] | None = None,
    before_page: Callable[[], None] | None = None,
) -> Iterator[dict]:
    """Yield every order updated in [after, before) for the given marketplaces, page by page.

    ``before_page`` runs before each page is asked for (the report path fills searchOrders' quota waits with
    other calls there, sync/side_calls.py).

    One call covers all marketplaces of the account (marketplaceIds takes a list), so the DAGs of one account
    share one request instead of spending the tight searchOrders quota once per marketplace.
    """
    client = session.client(Orders, marketplace_codes[0], version=PINNED_VERSIONS["orders"])
    params: dict = {
        "lastUpdatedAfter": amazon_time(updated_after),
        "lastUpdatedBefore": amazon_time(updated_before),
        "marketplaceIds": list(marketplace_ids),
        "includedData": INCLUDED_DATA,
        "maxResultsPerPage": MAX_PAGE,
    }
    if fulfilled_by:
        params["fulfilledBy"] = list(fulfilled_by)
    token: str | None = None
    while True:
        page_params = {**params, "paginationToken": token} if token else params
        if before_page is not None:
            before_page()
        response = session.call("orders.searchOrders", lambda p=page_params: client.search_orders(**p))
        yield from (response.payload or {}).get("orders", [])
        # python-amazon-sp-api moves "pagination" out of the payload into response.pagination.
        token = (response.pagination or {}).get("nextToken")
        if not token:
            return


def get_order(session: SpApiSession, marketplace_code: str, order_id: str) -> dict:
    client = session.client(Orders, marketplace_code, version=PINNED_VERSIONS["orders"])
    response = session.call(
        "orders.getOrder", lambda: client.get_order(order_id, includedData=INCLUDED_DATA)
    )
    payload = response.payload or {}
    return payload.get("order", payload)
