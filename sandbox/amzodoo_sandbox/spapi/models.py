"""The sandbox's own record of an order, from which every API view and report row is rendered.

An order stores its event timeline (creation, Pending -> Unshipped, shipments, cancellation); its status and
last-update time at any clock time are derived from the events that happened by then. An order loaded from an
Orders 2026-01-01 document also keeps that document, which its 2026-01-01 views are rendered from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from amzodoo_sandbox.spapi.marketplaces import Marketplace, marketplace

from .money import ZERO

FULFILLMENT_STATUS_2026 = {
    "Pending": "PENDING",
    "Unshipped": "UNSHIPPED",
    "PartiallyShipped": "PARTIALLY_SHIPPED",
    "Shipped": "SHIPPED",
    "Canceled": "CANCELLED",
}


@dataclass
class Address:
    name: str | None
    line1: str | None
    line2: str | None
    city: str
    state: str | None
    postal_code: str
    country_code: str
    phone: str | None = None
    company: str | None = None
    address_type: str = "Residential"
    line3: str | None = None
    county: str | None = None
    municipality: str | None = None


@dataclass
class OrderLine:
    """One order item. Money fields are line totals (quantity included), as Amazon reports them.

    ``*_price`` amounts are shown tax-inclusive when the order displays gross prices (EU/UK consumers) and net
    otherwise; ``*_tax`` is then the tax contained in, respectively added to, that amount. Discounts are
    positive magnitudes here and negative in proceeds and reports. ``*_discount_tax`` is the tax taken off with
    a discount (Amazon's TAX breakdown of subtype DISCOUNT), also a positive magnitude; only orders with tax on
    top have it. COD fees, OTHER charges and points come only from loaded orders.
    """

    order_item_id: str
    sku: str
    asin: str
    title: str
    quantity: int
    unit_price: Decimal
    item_price: Decimal
    item_tax: Decimal
    shipping_price: Decimal = ZERO
    shipping_tax: Decimal = ZERO
    shipping_discount: Decimal = ZERO
    promotion_discount: Decimal = ZERO
    gift_wrap_price: Decimal = ZERO
    gift_wrap_tax: Decimal = ZERO
    gift_message: str | None = None
    gift_wrap_level: str | None = None
    promotion_ids: tuple[str, ...] = ()
    condition: str = "New"
    promotion_discount_tax: Decimal = ZERO
    shipping_discount_tax: Decimal = ZERO
    cod_fee: Decimal = ZERO
    cod_fee_tax: Decimal = ZERO
    cod_fee_discount: Decimal = ZERO
    other: Decimal = ZERO
    other_tax: Decimal = ZERO
    other_discount: Decimal = ZERO
    points_number: int | None = None
    points_value: Decimal | None = None
    price_designation: str | None = None


@dataclass
class Shipment:
    at: datetime
    package_reference_id: str
    carrier_code: str
    tracking_number: str
    ship_date: datetime
    items: dict[str, int]
    carrier_name: str | None = None
    shipping_method: str | None = None
    payload: dict | None = None


@dataclass
class OrderRecord:
    order_id: str
    account: str
    marketplace_code: str
    created: datetime
    channel: str  # "AFN" (fulfilled by Amazon) or "MFN" (by the merchant)
    lines: list[OrderLine]
    address: Address
    buyer_email: str
    buyer_name: str | None = None
    buyer_company: str | None = None
    purchase_order_number: str | None = None
    business: bool = False
    prices_include_tax: bool = True
    ship_service_level: str = "Std"
    prime: bool = False
    unshipped_at: datetime | None = None
    cancelled_at: datetime | None = None
    shipments: list[Shipment] = field(default_factory=list)
    seller_order_id: str | None = None
    # A change without a status change (e.g. the lastUpdatedTime of an order loaded from a file).
    touched_at: datetime | None = None
    # A loaded order: the Orders 2026-01-01 document as given, the state the sandbox derived from it (status,
    # last update, shipped quantities) and the grand total it states. Its views change only where the
    # sandbox's own simulation moves that state on (a confirmShipment).
    document: dict | None = None
    loaded_state: tuple | None = None
    loaded_grand_total: Decimal | None = None

    @property
    def marketplace(self) -> Marketplace:
        return marketplace(self.marketplace_code)

    @property
    def currency(self) -> str:
        return self.marketplace.currency

    def line(self, order_item_id: str) -> OrderLine | None:
        return next((ln for ln in self.lines if ln.order_item_id == order_item_id), None)

    def shipped_quantities(self, at: datetime) -> dict[str, int]:
        shipped = {ln.order_item_id: 0 for ln in self.lines}
        for shipment in self.shipments:
            if shipment.at <= at:
                for item_id, qty in shipment.items.items():
                    shipped[item_id] = shipped.get(item_id, 0) + qty
        return shipped

    def status_at(self, at: datetime) -> str:
        if self.cancelled_at is not None and self.cancelled_at <= at:
            return "Canceled"
        shipped = sum(self.shipped_quantities(at).values())
        if shipped >= sum(ln.quantity for ln in self.lines):
            return "Shipped"
        if shipped:
            return "PartiallyShipped"
        if self.unshipped_at is not None and self.unshipped_at <= at:
            return "Unshipped"
        return "Pending"

    def last_updated_at(self, at: datetime) -> datetime:
        events = [self.created, self.unshipped_at, self.cancelled_at, self.touched_at, *(s.at for s in self.shipments)]
        return max((e for e in events if e is not None and e <= at), default=self.created)

    def visible_at(self, at: datetime) -> bool:
        return self.created <= at

    def total_quantity(self) -> int:
        return sum(ln.quantity for ln in self.lines)

    def state_at(self, at: datetime) -> tuple:
        """What the sandbox's simulation changes on an order: status, last update, shipped quantities."""
        return self.status_at(at), self.last_updated_at(at), tuple(sorted(self.shipped_quantities(at).items()))

    def price_designation(self, line: OrderLine) -> str | None:
        """``BUSINESS_PRICE`` or None: as the loaded document says per item, else for every item of a business order."""
        if self.document is not None:
            return line.price_designation
        return "BUSINESS_PRICE" if self.business else None
