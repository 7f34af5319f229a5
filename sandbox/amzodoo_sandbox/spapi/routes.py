"""Which handler answers which method and path, under which "<api>.<operationId>" name."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import api_catalog, api_feeds, api_lwa, api_orders, api_orders_v0, api_reports, api_tokens, documents
from .http_types import Request, Response
from .state import SandboxState

Handler = Callable[[SandboxState, Request], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    operation: str
    handler: Handler
    kind: str  # "sp" (SP-API, token + quota), "lwa", or "document" (pre-signed URL, no token)


def _route(method: str, path: str, operation: str, handler: Handler, kind: str = "sp") -> Route:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path)
    return Route(method, re.compile(f"^{regex}$"), operation, handler, kind)


V0 = "/orders/v0/orders/{orderId}"
ROUTES: tuple[Route, ...] = (
    _route("POST", "/auth/o2/token", "lwa.token", api_lwa.token, "lwa"),
    _route("GET", "/orders/2026-01-01/orders", "orders.searchOrders", api_orders.search_orders),
    _route("GET", "/orders/2026-01-01/orders/{orderId}", "orders.getOrder", api_orders.get_order),
    _route("GET", "/orders/v0/orders", "ordersV0.getOrders", api_orders_v0.get_orders),
    _route("GET", V0, "ordersV0.getOrder", api_orders_v0.get_order),
    _route("GET", V0 + "/orderItems", "ordersV0.getOrderItems", api_orders_v0.get_order_items),
    _route("GET", V0 + "/address", "ordersV0.getOrderAddress", api_orders_v0.get_order_address),
    _route("GET", V0 + "/buyerInfo", "ordersV0.getOrderBuyerInfo", api_orders_v0.get_order_buyer_info),
    _route("POST", V0 + "/shipmentConfirmation", "ordersV0.confirmShipment", api_orders_v0.confirm_shipment),
    _route("POST", "/reports/2021-06-30/reports", "reports.createReport", api_reports.create_report),
    _route("GET", "/reports/2021-06-30/reports/{reportId}", "reports.getReport", api_reports.get_report),
    _route("DELETE", "/reports/2021-06-30/reports/{reportId}", "reports.cancelReport", api_reports.cancel_report),
    _route(
        "GET",
        "/reports/2021-06-30/documents/{reportDocumentId}",
        "reports.getReportDocument",
        api_reports.get_report_document,
    ),
    _route("POST", "/feeds/2021-06-30/documents", "feeds.createFeedDocument", api_feeds.create_feed_document),
    _route("POST", "/feeds/2021-06-30/feeds", "feeds.createFeed", api_feeds.create_feed),
    _route("GET", "/feeds/2021-06-30/feeds/{feedId}", "feeds.getFeed", api_feeds.get_feed),
    _route("DELETE", "/feeds/2021-06-30/feeds/{feedId}", "feeds.cancelFeed", api_feeds.cancel_feed),
    _route("GET", "/feeds/2021-06-30/documents/{feedDocumentId}", "feeds.getFeedDocument", api_feeds.get_feed_document),
    _route(
        "GET", "/listings/2021-08-01/items/{sellerId}/{sku}", "listings.getListingsItem", api_catalog.get_listings_item
    ),
    _route(
        "PATCH",
        "/listings/2021-08-01/items/{sellerId}/{sku}",
        "listings.patchListingsItem",
        api_catalog.patch_listings_item,
    ),
    _route(
        "GET",
        "/listings/2021-08-01/items/{sellerId}",
        "listings.searchListingsItems",
        api_catalog.search_listings_items,
    ),
    _route(
        "GET", "/fba/inventory/v1/summaries", "fbaInventory.getInventorySummaries", api_catalog.get_inventory_summaries
    ),
    _route(
        "GET",
        "/sellers/v1/marketplaceParticipations",
        "sellers.getMarketplaceParticipations",
        api_catalog.get_marketplace_participations,
    ),
    _route(
        "POST",
        "/tokens/2021-03-01/restrictedDataToken",
        "tokens.createRestrictedDataToken",
        api_tokens.create_restricted_data_token,
    ),
    _route("GET", "/_sandbox/documents/{documentId}", "document.download", documents.download, "document"),
    _route("PUT", "/_sandbox/uploads/{documentId}", "document.upload", documents.upload, "document"),
)


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    for route in ROUTES:
        if route.method == method:
            found = route.pattern.match(path)
            if found:
                return route, found.groupdict()
    return None
