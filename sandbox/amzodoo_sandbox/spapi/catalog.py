"""Each seller's catalogue: listings fulfilled by the merchant, by Amazon, and the same SKU by both.

Merchant (DEFAULT channel) quantities are per SKU across the account's marketplaces; FBA quantities are pooled
per region, as Amazon pools them (NA, Pan-European EU).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from .money import PRICE_LEVEL, q

PRODUCTS: tuple[tuple[str, str, Decimal], ...] = (
    ("Stainless Steel Water Bottle 750 ml", "KITCHEN", Decimal("19.99")),
    ("Bamboo Cutting Board Set (3 pcs)", "KITCHEN", Decimal("34.50")),
    ("Wireless Ergonomic Mouse", "COMPUTER_INPUT_DEVICE", Decimal("24.99")),
    ("USB-C Charging Cable 2 m — braided", "ELECTRONIC_CABLE", Decimal("9.99")),
    ("Yoga Mat, non-slip, 6 mm", "SPORTING_GOODS", Decimal("29.95")),
    ("Ceramic Coffee Mug „Guten Morgen“", "DRINKING_CUP", Decimal("12.49")),
    ("LED Desk Lamp with Dimmer", "LAMP", Decimal("39.00")),
    ("Notebook A5, dotted, 120 pages", "NOTEBOOK", Decimal("7.95")),
    ("Children's Puzzle 100 pieces — Forêt", "PUZZLES", Decimal("14.99")),
    ("Cast Iron Skillet 26 cm", "COOKWARE", Decimal("44.90")),
    ("Merino Wool Socks (3 pairs)", "SOCKS", Decimal("21.00")),
    ("Organic Green Tea, 100 bags", "GROCERY", Decimal("11.25")),
)
# Channel mix: index -> MFN / AFN / BOTH (the same SKU sold from the merchant's stock and from FBA).
CHANNELS = ("MFN", "AFN", "BOTH", "MFN", "AFN", "MFN", "BOTH", "MFN", "AFN", "MFN", "AFN", "MFN")


@dataclass
class Listing:
    sku: str
    asin: str
    fnsku: str | None
    title: str
    product_type: str
    channel: str  # MFN, AFN or BOTH
    base_price: Decimal
    created: datetime
    last_updated: datetime
    merchant_quantity: int | None
    marketplaces: tuple[str, ...]
    attributes: dict = field(default_factory=dict)

    @property
    def merchant_fulfilled(self) -> bool:
        return self.channel in ("MFN", "BOTH")

    @property
    def amazon_fulfilled(self) -> bool:
        return self.channel in ("AFN", "BOTH")

    def price(self, currency: str) -> Decimal:
        return q(self.base_price * PRICE_LEVEL.get(currency, Decimal(1)))


def build_catalog(rng: random.Random, account_name: str, marketplaces: tuple[str, ...], now: datetime):
    """Listings and FBA stock for one account, deterministic for a given ``rng``."""
    prefix = account_name.upper().replace("_", "")[:6]
    listings: dict[str, Listing] = {}
    fba: dict[str, int] = {}
    for index, (title, product_type, price) in enumerate(PRODUCTS):
        channel = CHANNELS[index % len(CHANNELS)]
        sku = f"{prefix}-{index + 1:03d}{'-FBA' if channel == 'AFN' else ''}"
        created = now - timedelta(days=rng.randint(60, 400))
        listings[sku] = Listing(
            sku=sku,
            asin=f"B0{rng.randrange(16**8):08X}",
            fnsku=f"X00{rng.randrange(16**7):07X}" if channel != "MFN" else None,
            title=title,
            product_type=product_type,
            channel=channel,
            base_price=price,
            created=created,
            last_updated=created + timedelta(days=rng.randint(0, 50)),
            merchant_quantity=rng.randint(0, 80) if channel != "AFN" else None,
            marketplaces=marketplaces,
        )
        if channel != "MFN":
            fba[sku] = rng.randint(0, 300)
    return listings, fba


def unlisted_sku(rng: random.Random, account_name: str) -> tuple[str, str, str]:
    """A SKU that sold once but is no longer in the seller's listings (sku, asin, title)."""
    number = rng.randint(900, 999)
    prefix = account_name.upper().replace("_", "")[:6]
    return f"{prefix}-OLD-{number}", f"B0{rng.randrange(16**8):08X}", f"Discontinued gadget #{number}"
