"""Deterministic generator of a real-looking seller's orders.

Same seed, account, marketplace and batch -> same orders. Timelines are drawn here once; the status an API
shows is derived from them at the clock's current time (models.OrderRecord.status_at).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from amzodoo_sandbox.spapi.marketplaces import marketplace

from .catalog import Listing, unlisted_sku
from .models import Address, OrderLine, OrderRecord, Shipment
from .money import PRICE_LEVEL, ZERO, q, tax_in_gross, tax_on_net, tax_rate
from .people import COMPANIES, FIRST_NAMES, GIFT_MESSAGES, LAST_NAMES, PHONE_PREFIX, PLACES, STREETS, for_country

ORDER_ID_PREFIX = {"NA": ("111", "112", "113", "114"), "EU": ("302", "303", "304", "305"), "FE": ("249", "250")}
CARRIERS = {
    "NA": ("UPS", "USPS", "FedEx"),
    "EU": ("DHL", "DPD", "Royal Mail", "GLS"),
    "FE": ("Yamato Transport", "Japan Post", "Australia Post"),
}


def _country(code: str) -> str:
    return marketplace(code).country_code


def _weighted(rng: random.Random, options: tuple, weights: tuple) -> object:
    return rng.choices(options, weights=weights, k=1)[0]


def _whole_seconds(order: OrderRecord) -> None:
    """Amazon's timestamps have whole seconds; keeping the records so makes every string exact."""
    order.created = order.created.replace(microsecond=0)
    if order.unshipped_at is not None:
        order.unshipped_at = order.unshipped_at.replace(microsecond=0)
    if order.cancelled_at is not None:
        order.cancelled_at = order.cancelled_at.replace(microsecond=0)
    for shipment in order.shipments:
        shipment.at = shipment.ship_date = shipment.at.replace(microsecond=0)


class OrderGenerator:
    """Draws orders for one account's marketplace from its listings."""

    def __init__(self, seed: int, account: str, listings: dict[str, Listing]) -> None:
        self.seed = seed
        self.account = account
        self.listings = listings

    def generate(
        self,
        marketplace_code: str,
        count: int,
        start: datetime,
        end: datetime,
        *,
        fba_share: float = 0.6,
        batch: int = 0,
        taken_ids: set[str] | None = None,
        business_share: float = 0.12,
    ) -> list[OrderRecord]:
        rng = random.Random(f"{self.seed}:{self.account}:{marketplace_code}:{batch}")
        taken = taken_ids if taken_ids is not None else set()
        span = max((end - start).total_seconds(), 1.0)
        created_times = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
        return [
            self._order(rng, marketplace_code, created, rng.random() < fba_share, taken, business_share)
            for created in created_times
        ]

    def _order_id(self, rng: random.Random, region: str, taken: set[str]) -> str:
        while True:
            order_id = f"{rng.choice(ORDER_ID_PREFIX[region])}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
            if order_id not in taken:
                taken.add(order_id)
                return order_id

    def _order(self, rng: random.Random, code: str, created: datetime, fba: bool, taken: set[str],
               business_share: float = 0.12) -> OrderRecord:
        mp = marketplace(code)
        country = _country(code)
        business = rng.random() < business_share
        # Amazon Business shows EU/UK business buyers net prices with VAT itemised on top.
        prices_include_tax = mp.prices_include_tax and not business
        company = rng.choice(COMPANIES) if business else None
        address = self._address(rng, country, company)
        rate = tax_rate(code, address.state)
        channel = "AFN" if fba else "MFN"
        gift = rng.random() < 0.07
        lines = [
            self._line(rng, code, channel, rate, prices_include_tax, gift, index)
            for index in range(_weighted(rng, (1, 2, 3, 4, 5), (60, 20, 10, 6, 4)))
        ]
        first, last = rng.choice(for_country(FIRST_NAMES, country)), rng.choice(for_country(LAST_NAMES, country))
        region = mp.region
        order = OrderRecord(
            order_id=self._order_id(rng, region, taken),
            account=self.account,
            marketplace_code=code,
            created=created,
            channel=channel,
            lines=lines,
            address=address,
            buyer_email=f"{rng.randrange(16**12):012x}@marketplace.amazon.{mp.sales_channel.split('.', 1)[1]}",
            # Amazon leaves the buyer name out of North American FBA orders.
            buyer_name=None if (fba and region == "NA") else f"{first} {last}",
            buyer_company=company,
            purchase_order_number=f"PO-{rng.randint(10000, 99999)}" if business and rng.random() < 0.6 else None,
            business=business,
            prices_include_tax=prices_include_tax,
            ship_service_level=_weighted(rng, ("Std", "Expedited", "NextDay"), (80, 15, 5)),
            prime=fba and rng.random() < 0.7,
            # Most orders leave Pending within minutes; payment checks keep some Pending for hours.
            unshipped_at=created
            + (timedelta(minutes=rng.uniform(2, 40)) if rng.random() < 0.8 else timedelta(hours=rng.uniform(1, 12))),
        )
        if fba and region == "NA":
            address.name, address.line1, address.line2, address.phone = None, None, None, None
        elif address.name is None:
            address.name = order.buyer_name
        self._timeline(rng, order, region)
        _whole_seconds(order)
        return order

    def _address(self, rng: random.Random, country: str, company: str | None) -> Address:
        place = rng.choice(for_country(PLACES, country))
        street = rng.choice(for_country(STREETS, country)).format(n=rng.randint(1, 250), a=rng.randint(1, 40))
        return Address(
            name=None,
            line1=street,
            line2=None,
            city=place.city,
            state=place.state,
            postal_code=place.postal_code,
            country_code=country,
            phone=f"{for_country(PHONE_PREFIX, country)} {rng.randint(1000, 9999)}",
            company=company,
            address_type="Commercial" if company else "Residential",
        )

    def _pick_product(self, rng: random.Random, channel: str) -> tuple[str, str, str, Decimal]:
        fits = [
            ls for ls in self.listings.values() if (ls.amazon_fulfilled if channel == "AFN" else ls.merchant_fulfilled)
        ]
        if not fits or rng.random() < 0.05:
            sku, asin, title = unlisted_sku(rng, self.account)
            return sku, asin, title, Decimal(rng.choice(("5.99", "17.49", "32.00")))
        listing = rng.choice(sorted(fits, key=lambda ls: ls.sku))
        return listing.sku, listing.asin, listing.title, listing.base_price

    def _line(
        self,
        rng: random.Random,
        code: str,
        channel: str,
        rate: Decimal,
        prices_include_tax: bool,
        gift: bool,
        index: int,
    ) -> OrderLine:
        mp = marketplace(code)
        level = PRICE_LEVEL.get(mp.currency, Decimal(1))
        sku, asin, title, base = self._pick_product(rng, channel)
        quantity = _weighted(rng, (1, 2, 3, 4, 5), (75, 15, 5, 3, 2))
        unit = q(base * level * Decimal(rng.choice(("1", "1", "0.95", "1.05"))))
        item_price = unit * quantity
        shipping = ZERO if channel == "AFN" else q(Decimal("4.99") * level)
        shipping_discount = shipping if shipping and rng.random() < 0.3 else ZERO
        promotion = q(item_price * Decimal("0.10")) if rng.random() < 0.15 else ZERO
        gift_wrap = q(Decimal("3.99") * level * quantity) if gift else ZERO
        promo_ids = []
        if promotion:
            promo_ids.append(f"PLM-{rng.randrange(16**8):08X}")
        if shipping_discount:
            promo_ids.append("FREE-SHIPPING-" + code)
        # Tax is charged on what the buyer pays after discounts; inclusive prices contain it.
        tax = tax_in_gross if prices_include_tax else tax_on_net
        return OrderLine(
            order_item_id=f"{rng.randrange(10**13, 10**14)}",
            sku=sku,
            asin=asin,
            title=title,
            quantity=quantity,
            unit_price=unit,
            item_price=item_price,
            item_tax=tax(item_price - promotion, rate),
            shipping_price=shipping,
            shipping_tax=tax(shipping - shipping_discount, rate),
            shipping_discount=shipping_discount,
            promotion_discount=promotion,
            gift_wrap_price=gift_wrap,
            gift_wrap_tax=tax(gift_wrap, rate) if gift_wrap else ZERO,
            # Amazon passes gift messages to merchants only; FBA packs them itself.
            gift_message=rng.choice(GIFT_MESSAGES) if gift and index == 0 and channel == "MFN" else None,
            gift_wrap_level="Classic" if gift else None,
            promotion_ids=tuple(promo_ids),
        )

    def _timeline(self, rng: random.Random, order: OrderRecord, region: str) -> None:
        created = order.created
        if order.channel == "AFN":
            if rng.random() < 0.07:
                order.cancelled_at = created + timedelta(minutes=rng.uniform(5, 300))
                return
            ship_at = max(created + timedelta(hours=rng.uniform(2, 30)), order.unshipped_at + timedelta(hours=1))
            order.shipments.append(
                self._shipment(rng, order, ship_at, {ln.order_item_id: ln.quantity for ln in order.lines}, region)
            )
            return
        roll = rng.random()
        if roll < 0.08:
            order.cancelled_at = created + timedelta(hours=rng.uniform(0.5, 20))
        elif roll < 0.55:
            # Shipped by the seller before the connector existed (e.g. from Seller Central).
            ship_at = max(created + timedelta(hours=rng.uniform(4, 40)), order.unshipped_at + timedelta(hours=1))
            if len(order.lines) > 1 and rng.random() < 0.3:
                # Part of the order left from another tool: the first line, short of one unit when it has several
                # (Amazon then shows that item's quantityFulfilled below its quantityOrdered).
                first = order.lines[0]
                order.shipments.append(
                    self._shipment(rng, order, ship_at, {first.order_item_id: max(first.quantity - 1, 1)}, region)
                )
            else:
                order.shipments.append(
                    self._shipment(rng, order, ship_at, {ln.order_item_id: ln.quantity for ln in order.lines}, region)
                )

    def _shipment(
        self, rng: random.Random, order: OrderRecord, at: datetime, items: dict[str, int], region: str
    ) -> Shipment:
        carrier = rng.choice(CARRIERS.get(region, ("DHL",)))
        if order.channel == "AFN":
            carrier = {"NA": "AMZN_US", "EU": "AMZN_EU"}.get(region, "AMZN_JP")
        return Shipment(
            at=at,
            package_reference_id=str(len(order.shipments) + 1),
            carrier_code=carrier,
            tracking_number=f"{carrier[:3].upper()}{rng.randrange(10**11):011d}",
            ship_date=at,
            items=items,
        )
