"""Amazon's default usage plans (rate per second, burst) for the operations the connector calls.

Copied from the "Usage Plan" tables of the official models (tests/unit/amazon/test_usage_plans.py checks them
against Amazon's models, vendored in tests/contracts/spapi-models). Limits apply per selling partner and
application, across marketplaces.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UsagePlan:
    rate: float  # requests per second
    burst: int


USAGE_PLANS: dict[str, UsagePlan] = {
    "orders.searchOrders": UsagePlan(0.0056, 20),
    "orders.getOrder": UsagePlan(0.5, 30),
    "ordersV0.getOrders": UsagePlan(0.0167, 20),
    "ordersV0.getOrder": UsagePlan(0.5, 30),
    "ordersV0.getOrderItems": UsagePlan(0.5, 30),
    "ordersV0.getOrderAddress": UsagePlan(0.5, 30),
    "ordersV0.getOrderBuyerInfo": UsagePlan(0.5, 30),
    "ordersV0.confirmShipment": UsagePlan(2, 10),
    "reports.createReport": UsagePlan(0.0167, 15),
    "reports.getReport": UsagePlan(2, 15),
    "reports.getReportDocument": UsagePlan(0.0167, 15),
    "feeds.createFeedDocument": UsagePlan(0.5, 15),
    "feeds.createFeed": UsagePlan(0.0083, 15),
    "feeds.getFeed": UsagePlan(2, 15),
    "feeds.getFeedDocument": UsagePlan(0.0222, 10),
    "listings.getListingsItem": UsagePlan(5, 10),
    "listings.patchListingsItem": UsagePlan(5, 5),
    "listings.searchListingsItems": UsagePlan(5, 5),
    "fbaInventory.getInventorySummaries": UsagePlan(2, 2),
    "sellers.getMarketplaceParticipations": UsagePlan(0.016, 15),
    "tokens.createRestrictedDataToken": UsagePlan(1, 10),
}


def usage_plan(operation: str) -> UsagePlan:
    try:
        return USAGE_PLANS[operation]
    except KeyError:
        raise KeyError(f"no usage plan recorded for SP-API operation {operation!r}") from None
