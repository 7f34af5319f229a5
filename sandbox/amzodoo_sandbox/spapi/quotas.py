"""Amazon's usage plans as token buckets on the simulated clock, one bucket per seller and operation.

Rates and bursts are the defaults from each operation's "Usage Plan" table in the models (a unit test checks
this table against Amazon's models, vendored in tests/contracts/spapi-models). LWA has no usage plan in the models
and is not limited here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

USAGE_PLANS: dict[str, tuple[float, int]] = {
    "orders.searchOrders": (0.0056, 20),
    "orders.getOrder": (0.5, 30),
    "ordersV0.getOrders": (0.0167, 20),
    "ordersV0.getOrder": (0.5, 30),
    "ordersV0.getOrderItems": (0.5, 30),
    "ordersV0.getOrderAddress": (0.5, 30),
    "ordersV0.getOrderBuyerInfo": (0.5, 30),
    "ordersV0.confirmShipment": (2.0, 10),
    "reports.createReport": (0.0167, 15),
    "reports.getReport": (2.0, 15),
    "reports.cancelReport": (0.0222, 10),
    "reports.getReportDocument": (0.0167, 15),
    "feeds.createFeedDocument": (0.5, 15),
    "feeds.createFeed": (0.0083, 15),
    "feeds.getFeed": (2.0, 15),
    "feeds.cancelFeed": (2.0, 15),
    "feeds.getFeedDocument": (0.0222, 10),
    "listings.getListingsItem": (5.0, 10),
    "listings.patchListingsItem": (5.0, 5),
    "listings.searchListingsItems": (5.0, 5),
    "fbaInventory.getInventorySummaries": (2.0, 2),
    "sellers.getMarketplaceParticipations": (0.016, 15),
    "tokens.createRestrictedDataToken": (1.0, 10),
}


def rate_limit_header(operation: str) -> str | None:
    plan = USAGE_PLANS.get(operation)
    return None if plan is None else f"{plan[0]:g}"


@dataclass
class _Bucket:
    tokens: float
    at: datetime


class QuotaBook:
    """Token buckets keyed by (seller id, operation); a request takes one token or is throttled."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def take(self, seller_id: str, operation: str, now: datetime) -> bool:
        plan = USAGE_PLANS.get(operation)
        if plan is None:
            return True
        rate, burst = plan
        with self._lock:
            bucket = self._buckets.setdefault((seller_id, operation), _Bucket(float(burst), now))
            elapsed = max((now - bucket.at).total_seconds(), 0.0)
            bucket.tokens = min(float(burst), bucket.tokens + elapsed * rate)
            bucket.at = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return True
            return False

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
