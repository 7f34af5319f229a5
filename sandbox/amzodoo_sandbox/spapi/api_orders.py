"""Orders API 2026-01-01: ``searchOrders`` and ``getOrder``."""

from __future__ import annotations

from .errors import invalid_input, not_found
from .http_types import Request, Response
from .order_query import Window, fingerprint, in_window, load_page_token, sort_key, store_page_token, window
from .render_orders import INCLUDED_DATA, render_order
from .state import SandboxState
from .timefmt import iso

FULFILLMENT_STATUSES = (
    "PENDING_AVAILABILITY",
    "PENDING",
    "UNSHIPPED",
    "PARTIALLY_SHIPPED",
    "SHIPPED",
    "CANCELLED",
    "UNFULFILLABLE",
)
STATUS_FROM_2026 = {
    "PENDING": "Pending",
    "UNSHIPPED": "Unshipped",
    "PARTIALLY_SHIPPED": "PartiallyShipped",
    "SHIPPED": "Shipped",
    "CANCELLED": "Canceled",
}
FULFILLED_BY = {"MERCHANT": "MFN", "AMAZON": "AFN"}


def _included(request: Request) -> set[str]:
    values = request.many("includedData") or []
    unknown = [v for v in values if v not in INCLUDED_DATA]
    if unknown:
        raise invalid_input(f"Invalid includedData value(s): {', '.join(unknown)}")
    return set(values)


def _enum_list(request: Request, name: str, allowed: tuple[str, ...] | dict) -> list[str] | None:
    values = request.many(name)
    if values is None:
        return None
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise invalid_input(f"Invalid {name} value(s): {', '.join(unknown)}")
    return values


def search_orders(state: SandboxState, request: Request) -> Response:
    account = request.account or ""
    included = _included(request)
    statuses = _enum_list(request, "fulfillmentStatuses", FULFILLMENT_STATUSES)
    fulfilled_by = _enum_list(request, "fulfilledBy", FULFILLED_BY)
    marketplace_ids = request.many("marketplaceIds")
    if marketplace_ids is not None and len(marketplace_ids) > 50:
        raise invalid_input("marketplaceIds accepts at most 50 values.")
    codes = set(
        state.resolve_marketplaces(account, marketplace_ids or [])
        if marketplace_ids
        else state.account(account).account.marketplaces
    )
    page_size_raw = request.one("maxResultsPerPage") or "100"
    if not page_size_raw.isdigit() or not 1 <= int(page_size_raw) <= 100:
        raise invalid_input("maxResultsPerPage must be an integer between 1 and 100.")
    page_size = int(page_size_raw)
    fp = fingerprint(request.query, "paginationToken")
    token = request.one("paginationToken")
    offset = 0
    if token:
        entry = load_page_token(state, account, token, fp, "paginationToken")
        offset = entry["offset"]
    win = window(
        request.now,
        request.one("createdAfter"),
        request.one("createdBefore"),
        request.one("lastUpdatedAfter"),
        request.one("lastUpdatedBefore"),
        ("createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore"),
    )
    if token:
        # Later pages keep the window of the first page, so the listing does not shift under the caller.
        win = Window(win.by_update, win.after, entry["before"])
    wanted_status = {STATUS_FROM_2026[s] for s in statuses if s in STATUS_FROM_2026} if statuses else None
    wanted_channel = {FULFILLED_BY[f] for f in fulfilled_by} if fulfilled_by else None
    matches = [
        o
        for o in state.seller_orders(account, request.now)
        if o.marketplace_code in codes
        and in_window(o, win, request.now)
        and (wanted_status is None or o.status_at(request.now) in wanted_status)
        and (wanted_channel is None or o.channel in wanted_channel)
    ]
    matches.sort(key=lambda o: sort_key(o, win, request.now))
    page = matches[offset : offset + page_size]
    body: dict = {"orders": [render_order(o, request.now, included) for o in page]}
    if offset + page_size < len(matches):
        body["pagination"] = {"nextToken": store_page_token(state, account, fp, offset + page_size, win.before)}
    body["lastUpdatedBefore" if win.by_update else "createdBefore"] = iso(win.before)
    return Response(200, body)


def get_order(state: SandboxState, request: Request) -> Response:
    included = _included(request)
    order = state.orders.get(request.params["orderId"])
    if order is None or order.account != request.account or not order.visible_at(request.now):
        raise not_found(f"Order {request.params['orderId']} was not found.")
    return Response(200, {"order": render_order(order, request.now, included)})
