"""JSON_LISTINGS_FEED documents that set the merchant (DEFAULT channel) quantity of SKUs. Pure: no IO.

Amazon retired the flat-file and XML inventory feeds on 31 Jul 2025; quantities now go as PATCH messages of the
``fulfillment_availability`` attribute (listings-feed-schema-v2, ≤ 25,000 messages per feed). Only the DEFAULT
channel is ever written: an AMAZON_* channel quantity belongs to Amazon's FBA stock and would be refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

FEED_TYPE = "JSON_LISTINGS_FEED"
CONTENT_TYPE = "application/json; charset=UTF-8"
MAX_MESSAGES = 25_000
MERCHANT_CHANNEL = "DEFAULT"
QUANTITY_PATH = "/attributes/fulfillment_availability"


@dataclass(frozen=True)
class ListingsFeed:
    document: dict
    messages: dict[int, tuple[str, int]]  # messageId -> (sku, quantity): how report issues map back to SKUs

    def encode(self) -> bytes:
        # UTF-8 bytes: python-amazon-sp-api would encode a str upload as ISO-8859-1.
        return json.dumps(self.document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def quantity_message(message_id: int, sku: str, quantity: int) -> dict:
    if quantity < 0:
        raise ValueError(f"SKU {sku}: a quantity sent to Amazon must be >= 0, not {quantity}")
    return {
        "messageId": message_id,
        "sku": sku,
        "operationType": "PATCH",
        "productType": "PRODUCT",  # PATCH only needs a product type; PRODUCT is accepted for any listing
        "patches": [
            {
                "op": "replace",
                "path": QUANTITY_PATH,
                "value": [{"fulfillment_channel_code": MERCHANT_CHANNEL, "quantity": int(quantity)}],
            }
        ],
    }


def build_feed(seller_id: str, messages: Mapping[int, tuple[str, int]]) -> ListingsFeed:
    """The feed for ``messages`` (messageId -> (sku, quantity)); rebuilding from staging gives the same bytes."""
    if not seller_id:
        raise ValueError("a listings feed needs the seller id (connection extra seller_id or config seller_id)")
    ordered = {int(number): (sku, int(qty)) for number, (sku, qty) in sorted(messages.items(), key=lambda m: int(m[0]))}
    document = {
        "header": {"sellerId": seller_id, "version": "2.0", "issueLocale": "en_US"},
        "messages": [quantity_message(number, sku, qty) for number, (sku, qty) in ordered.items()],
    }
    return ListingsFeed(document, ordered)


def quantity_feeds(seller_id: str, quantities: Mapping[str, int], *,
                   max_messages: int = MAX_MESSAGES) -> Iterator[ListingsFeed]:
    """One feed per ``max_messages`` SKUs (sorted, so a rerun builds the same documents)."""
    skus = sorted(quantities)
    for start in range(0, len(skus), max_messages):
        part = skus[start : start + max_messages]
        yield build_feed(seller_id, {number: (sku, int(quantities[sku])) for number, sku in enumerate(part, start=1)})
