"""Orders v0 ``confirmShipment``: tell Amazon that a seller-fulfilled package left, with carrier and tracking.

confirmShipment is not idempotent: a request that timed out or got a 5xx may still have been applied. So it is
sent once per run and only throttling (429, never applied) is retried at once; anything else becomes the
delivery's error and the next run tries again. The package reference is the Odoo picking id, so a repeat of a
package Amazon already has is refused as a duplicate instead of shipping twice (``is_duplicate_package``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sp_api.api import Orders
from tenacity import Retrying, retry_if_exception, stop_after_attempt

from amzodoo.amazon.clients import PINNED_VERSIONS
from amzodoo.amazon.errors import SpApiError
from amzodoo.amazon.retry import RetryPolicy, status_of
from amzodoo.amazon.session import SpApiSession

T = TypeVar("T")
OPERATION = "ordersV0.confirmShipment"
OTHER_CARRIER = "Other"


@dataclass(frozen=True)
class ThrottleOnlyRetry(RetryPolicy):
    """Retries 429 only: a throttled request was never applied, anything else might have been."""

    def run(self, fn: Callable[[], T]) -> T:
        return Retrying(
            retry=retry_if_exception(lambda exc: status_of(exc) == 429),
            stop=stop_after_attempt(self.attempts),
            wait=self.delay_for,
            sleep=self.sleep,
            reraise=True,
        )(fn)


@dataclass(frozen=True)
class Package:
    reference_id: str  # positive numeric (Amazon's rule); the Odoo picking id
    carrier_code: str
    carrier_name: str | None
    tracking_number: str
    ship_date: str  # ISO 8601 UTC
    items: tuple[tuple[str, int], ...]  # (orderItemId, quantity)

    def as_detail(self) -> dict:
        detail: dict = {
            "packageReferenceId": self.reference_id,
            "carrierCode": self.carrier_code,
            "trackingNumber": self.tracking_number,
            "shipDate": self.ship_date,
            "orderItems": [{"orderItemId": item, "quantity": qty} for item, qty in self.items],
        }
        if self.carrier_code == OTHER_CARRIER:
            detail["carrierName"] = self.carrier_name
        return detail


def confirm_shipment(session: SpApiSession, marketplace_code: str, marketplace_id: str, order_id: str,
                     package: Package) -> None:
    """Answers 204 without a body on success; raises SpApiError with Amazon's code and message otherwise."""
    client = session.client(Orders, marketplace_code, version=PINNED_VERSIONS["orders_v0"])
    session.call(OPERATION, lambda: client.confirm_shipment(order_id, marketplaceId=marketplace_id,
                                                            packageDetail=package.as_detail()))


def is_duplicate_package(error: SpApiError) -> bool:
    """Amazon refusing a packageReferenceId it already has for the order: an earlier attempt went through."""
    text = str(error).lower()
    return error.status == 400 and "packagereferenceid" in text and "already" in text


def is_already_shipped(error: SpApiError) -> bool:
    """Amazon refusing a confirmation because the whole order is shipped. After an attempt of ours whose answer
    was lost (a timeout), that attempt is what shipped it."""
    text = str(error).lower()
    return error.status == 400 and "is shipped and cannot be confirmed" in text
