"""Listings state changes shared by patchListingsItem and JSON_LISTINGS_FEED, and the Item view.

Only ``fulfillment_availability`` (merchant quantity) and ``purchasable_offer`` (price) have an effect in
the sandbox; other attributes are stored and echoed back.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from amzodoo_sandbox.spapi.marketplaces import BY_MARKETPLACE_ID

from .catalog import Listing
from .money import money
from .timefmt import iso

QUANTITY_PATH = "/attributes/fulfillment_availability"
PRICE_PATH = "/attributes/purchasable_offer"


class ListingIssue(Exception):
    """A problem with one listing submission (becomes an ERROR issue, never an HTTP error)."""

    def __init__(self, code: str, message: str, attribute: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.attribute = attribute

    def as_issue(self) -> dict:
        issue = {"code": self.code, "message": self.message, "severity": "ERROR", "categories": ["INVALID_ATTRIBUTE"]}
        if self.attribute:
            issue["attributeNames"] = [self.attribute]
        return issue


def _quantity_from(values: list) -> int | None:
    """The DEFAULT-channel quantity in a fulfillment_availability value list."""
    quantity = None
    for entry in values:
        channel = entry.get("fulfillment_channel_code", "DEFAULT")
        if channel != "DEFAULT":
            raise ListingIssue(
                "4000004",
                f"Quantity for fulfillment channel {channel} is managed by Amazon and cannot be set.",
                "fulfillment_availability",
            )
        value = entry.get("quantity")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ListingIssue(
                "4000005", f"quantity must be a whole number >= 0, got {value!r}.", "fulfillment_availability"
            )
        quantity = value
    return quantity


def _check_price(values: list) -> None:
    for entry in values:
        for schedule in entry.get("our_price", []):
            for price in schedule.get("schedule", []):
                try:
                    if Decimal(str(price.get("value_with_tax"))) <= 0:
                        raise InvalidOperation
                except (InvalidOperation, ValueError):
                    raise ListingIssue(
                        "4000006", "our_price value_with_tax must be a positive number.", "purchasable_offer"
                    ) from None


def apply_patches(
    listing: Listing | None, sku: str, patches: list[dict], now: datetime, *, dry_run: bool = False
) -> None:
    if listing is None:
        raise ListingIssue("4000001", f"SKU {sku} does not exist for this seller; PATCH needs an existing listing.")
    new_quantity = None
    for patch in patches:
        path, op, value = patch.get("path"), patch.get("op"), patch.get("value") or []
        if path == QUANTITY_PATH and op in ("add", "replace", "merge"):
            new_quantity = _quantity_from(value)
        elif path == PRICE_PATH and op in ("add", "replace", "merge"):
            _check_price(value)
    if new_quantity is not None and not listing.merchant_fulfilled:
        raise ListingIssue(
            "4000004",
            f"SKU {sku} is fulfilled by Amazon only; its quantity is managed by Amazon.",
            "fulfillment_availability",
        )
    if dry_run:
        return
    for patch in patches:
        name = str(patch.get("path", "")).removeprefix("/attributes/")
        if patch.get("op") == "delete":
            listing.attributes.pop(name, None)
        else:
            listing.attributes[name] = patch.get("value")
    if new_quantity is not None:
        listing.merchant_quantity = new_quantity
    listing.last_updated = now


def apply_attributes(listing: Listing | None, sku: str, attributes: dict, now: datetime) -> None:
    if listing is None:
        raise ListingIssue(
            "4000001", f"SKU {sku} does not exist for this seller; the sandbox does not create listings."
        )
    patches = [{"op": "replace", "path": f"/attributes/{k}", "value": v} for k, v in attributes.items()]
    apply_patches(listing, sku, patches, now, dry_run=True)
    apply_patches(listing, sku, patches, now)


def item_view(listing: Listing, marketplace_ids: list[str], included: set[str], fba_quantity: int | None) -> dict:
    item: dict = {"sku": listing.sku}
    mps = [BY_MARKETPLACE_ID[m] for m in marketplace_ids]
    if "summaries" in included:
        item["summaries"] = [
            {
                "marketplaceId": mp.marketplace_id,
                "asin": listing.asin,
                "productType": listing.product_type,
                "conditionType": "new_new",
                "status": ["BUYABLE", "DISCOVERABLE"] if _buyable(listing, fba_quantity) else ["DISCOVERABLE"],
                **({"fnSku": listing.fnsku} if listing.fnsku else {}),
                "itemName": listing.title,
                "createdDate": iso(listing.created),
                "lastUpdatedDate": iso(listing.last_updated),
            }
            for mp in mps
        ]
    if "attributes" in included:
        attributes = {"item_name": [{"value": listing.title, "marketplace_id": mp.marketplace_id} for mp in mps]}
        attributes.update(listing.attributes)
        if listing.merchant_fulfilled:
            attributes["fulfillment_availability"] = [
                {"fulfillment_channel_code": "DEFAULT", "quantity": listing.merchant_quantity or 0}
            ]
        item["attributes"] = attributes
    if "issues" in included:
        item["issues"] = []
    if "offers" in included:
        item["offers"] = [
            {
                "marketplaceId": mp.marketplace_id,
                "offerType": "B2C",
                "price": money(listing.price(mp.currency), mp.currency),
            }
            for mp in mps
        ]
    if "fulfillmentAvailability" in included:
        availability = []
        if listing.merchant_fulfilled:
            availability.append({"fulfillmentChannelCode": "DEFAULT", "quantity": listing.merchant_quantity or 0})
        if listing.amazon_fulfilled:
            region = mps[0].region if mps else "NA"
            availability.append({"fulfillmentChannelCode": f"AMAZON_{region}", "quantity": fba_quantity or 0})
        item["fulfillmentAvailability"] = availability
    if "productTypes" in included:
        item["productTypes"] = [{"marketplaceId": mp.marketplace_id, "productType": listing.product_type} for mp in mps]
    return item


def _buyable(listing: Listing, fba_quantity: int | None) -> bool:
    return (listing.merchant_fulfilled and (listing.merchant_quantity or 0) > 0) or (
        listing.amazon_fulfilled and (fba_quantity or 0) > 0
    )
