"""Orders API v0: the deprecated reads (kept for comparison and older setups) and ``confirmShipment``."""

from __future__ import annotations

from .errors import ApiError, invalid_input, not_found
from .http_types import Request, Response
from .models import OrderRecord, Shipment
from .order_query import Window, fingerprint, in_window, load_page_token, sort_key, store_page_token, window
from .render_v0 import render_buyer_info_v0, render_order_address_v0, render_order_items_v0, render_order_v0
from .state import SandboxState
from .timefmt import iso, parse_iso

V0_STATUSES = (
    "Pending",
    "Unshipped",
    "PartiallyShipped",
    "Shipped",
    "Canceled",
    "Unfulfillable",
    "InvoiceUnconfirmed",
    "PendingAvailability",
)
KNOWN_CARRIERS = {
    "UPS",
    "USPS",
    "FedEx",
    "DHL",
    "DHL Express",
    "Deutsche Post",
    "DPD",
    "Hermes",
    "GLS",
    "Royal Mail",
    "Canada Post",
    "Purolator",
    "Correos",
    "Colissimo",
    "Chronopost",
    "PostNL",
    "Poste Italiane",
    "SEUR",
    "Estafeta",
    "Yamato Transport",
    "Japan Post",
    "Sagawa Express",
    "Australia Post",
    "Singapore Post",
    "Amazon Shipping",
    "Other",
}


def _order(state: SandboxState, request: Request) -> OrderRecord:
    order_id = request.params["orderId"]
    order = state.orders.get(order_id)
    if order is None or order.account != request.account or not order.visible_at(request.now):
        raise not_found(f"Order {order_id} was not found.")
    return order


def get_orders(state: SandboxState, request: Request) -> Response:
    account = request.account or ""
    marketplace_ids = request.many("MarketplaceIds")
    if not marketplace_ids:
        raise invalid_input("MarketplaceIds is required.")
    if len(marketplace_ids) > 50:
        raise invalid_input("MarketplaceIds accepts at most 50 values.")
    codes = set(state.resolve_marketplaces(account, marketplace_ids))
    next_token = request.one("NextToken")
    if next_token:
        # v0 ignores every filter but MarketplaceIds once a NextToken is sent; the token carries the query.
        entry = load_page_token(state, account, next_token, None, "NextToken")
        query, offset, before = entry["query"], entry["offset"], entry["before"]
    else:
        query, offset, before = request.query, 0, None
    return _orders_page(state, request, account, codes, query, offset, before)


def _orders_page(state, request, account, codes, query, offset, before) -> Response:
    def one(name: str) -> str | None:
        values = query.get(name)
        return values[0] if values else None

    def many(name: str) -> list[str] | None:
        values = query.get(name)
        return None if values is None else [v for raw in values for v in raw.split(",") if v]

    order_ids = many("AmazonOrderIds")
    if order_ids and len(order_ids) > 50:
        raise invalid_input("AmazonOrderIds accepts at most 50 values.")
    win = None
    if not order_ids or one("CreatedAfter") or one("LastUpdatedAfter"):
        win = window(
            request.now,
            one("CreatedAfter"),
            one("CreatedBefore"),
            one("LastUpdatedAfter"),
            one("LastUpdatedBefore"),
            ("CreatedAfter", "CreatedBefore", "LastUpdatedAfter", "LastUpdatedBefore"),
        )
        if before is not None:
            win = Window(win.by_update, win.after, before)
    statuses = many("OrderStatuses")
    if statuses and any(s not in V0_STATUSES for s in statuses):
        raise invalid_input("Invalid OrderStatuses value.")
    channels = many("FulfillmentChannels")
    if channels and any(c not in ("AFN", "MFN") for c in channels):
        raise invalid_input("Invalid FulfillmentChannels value.")
    page_size_raw = one("MaxResultsPerPage") or "100"
    if not page_size_raw.isdigit() or not 1 <= int(page_size_raw) <= 100:
        raise invalid_input("MaxResultsPerPage must be an integer between 1 and 100.")
    page_size = int(page_size_raw)
    now = request.now
    matches = [
        o
        for o in state.seller_orders(account, now)
        if o.marketplace_code in codes
        and (win is None or in_window(o, win, now))
        and (not order_ids or o.order_id in order_ids)
        and (not statuses or o.status_at(now) in statuses)
        and (not channels or o.channel in channels)
    ]
    matches.sort(key=lambda o: sort_key(o, win, now) if win else (o.created, o.order_id))
    page = matches[offset : offset + page_size]
    payload: dict = {"Orders": [render_order_v0(o, now) for o in page]}
    if offset + page_size < len(matches):
        token = store_page_token(
            state, account, fingerprint(query, "NextToken"), offset + page_size, win.before if win else now
        )
        with state.lock:
            state.pagination[token]["query"] = query
        payload["NextToken"] = token
    if win is not None:
        payload["LastUpdatedBefore" if win.by_update else "CreatedBefore"] = iso(win.before)
    return Response(200, {"payload": payload})


def get_order(state: SandboxState, request: Request) -> Response:
    return Response(200, {"payload": render_order_v0(_order(state, request), request.now)})


def get_order_items(state: SandboxState, request: Request) -> Response:
    return Response(200, {"payload": render_order_items_v0(_order(state, request), request.now)})


def get_order_address(state: SandboxState, request: Request) -> Response:
    return Response(200, {"payload": render_order_address_v0(_order(state, request))})


def get_order_buyer_info(state: SandboxState, request: Request) -> Response:
    return Response(200, {"payload": render_buyer_info_v0(_order(state, request))})


def _refuse(message: str) -> ApiError:
    return invalid_input(message)


def confirm_shipment(state: SandboxState, request: Request) -> Response:
    body = request.json()
    with state.lock:
        order = _order(state, request)
        now = request.now.replace(microsecond=0)
        _check_shipment(order, body, request.now)
        detail = body["packageDetail"]
        shipment = Shipment(
            at=now,
            package_reference_id=str(detail["packageReferenceId"]),
            carrier_code=detail["carrierCode"],
            carrier_name=detail.get("carrierName"),
            shipping_method=detail.get("shippingMethod"),
            tracking_number=detail["trackingNumber"],
            ship_date=parse_iso(detail["shipDate"]),
            items={i["orderItemId"]: int(i["quantity"]) for i in detail["orderItems"]},
            payload=body,
        )
        order.shipments.append(shipment)
        # A buyer's cancellation scheduled after this moment loses: the seller shipped first.
        if order.cancelled_at is not None and order.cancelled_at > now:
            order.cancelled_at = None
    return Response(204, None)


def _check_shipment(order: OrderRecord, body: dict, now) -> None:
    if body.get("marketplaceId") != order.marketplace.marketplace_id:
        raise _refuse(f"marketplaceId does not match the marketplace of order {order.order_id}.")
    detail = body.get("packageDetail")
    if not isinstance(detail, dict):
        raise _refuse("packageDetail is required.")
    missing = [
        k
        for k in ("packageReferenceId", "carrierCode", "trackingNumber", "shipDate", "orderItems")
        if not detail.get(k)
    ]
    if missing:
        raise _refuse(f"packageDetail is missing {', '.join(missing)}.")
    if order.channel != "MFN":
        raise _refuse(f"Order {order.order_id} is fulfilled by Amazon; only seller-fulfilled orders can be confirmed.")
    status = order.status_at(now)
    if status in ("Canceled", "Shipped", "Pending"):
        raise _refuse(f"Order {order.order_id} is {status} and cannot be confirmed.")
    if detail["carrierCode"] not in KNOWN_CARRIERS:
        raise _refuse(f"carrierCode {detail['carrierCode']!r} is not a known carrier; use 'Other' with carrierName.")
    if detail["carrierCode"] == "Other" and not detail.get("carrierName"):
        raise _refuse("carrierName is required when carrierCode is 'Other'.")
    try:
        ship_date = parse_iso(str(detail["shipDate"]))
    except ValueError:
        raise _refuse("shipDate is not a valid ISO 8601 date-time.") from None
    if ship_date < order.created or ship_date > now:
        raise _refuse("shipDate must be between the purchase date and now.")
    if any(s.package_reference_id == str(detail["packageReferenceId"]) for s in order.shipments):
        raise _refuse(f"packageReferenceId {detail['packageReferenceId']} was already used for this order.")
    shipped = order.shipped_quantities(now)
    seen: set[str] = set()
    for item in detail["orderItems"]:
        item_id, qty = item.get("orderItemId"), item.get("quantity")
        line = order.line(str(item_id))
        if line is None:
            raise _refuse(f"orderItemId {item_id} is not part of order {order.order_id}.")
        if item_id in seen:
            raise _refuse(f"orderItemId {item_id} appears twice in one package.")
        seen.add(item_id)
        if not isinstance(qty, int) or qty < 1:
            raise _refuse(f"quantity for orderItemId {item_id} must be a positive integer.")
        left = line.quantity - shipped[line.order_item_id]
        if qty > left:
            raise _refuse(f"quantity {qty} for orderItemId {item_id} exceeds the {left} left to ship.")
