"""Listings Items 2021-08-01 (get, patch, search), FBA Inventory getInventorySummaries, Sellers participations."""

from __future__ import annotations

import base64
import json

from amzodoo_sandbox.spapi.marketplaces import BY_MARKETPLACE_ID

from .errors import invalid_input, not_found, unauthorized
from .http_types import Request, Response
from .listings import ListingIssue, apply_patches, item_view
from .state import SandboxState
from .timefmt import iso, parse_iso

ITEM_INCLUDED = (
    "summaries",
    "attributes",
    "issues",
    "offers",
    "fulfillmentAvailability",
    "procurement",
    "relationships",
    "productTypes",
)


def _seller(state: SandboxState, request: Request) -> str:
    account = state.account(request.account or "")
    if request.params["sellerId"] != account.account.seller_id:
        raise unauthorized("The sellerId in the path does not belong to the authorising selling partner.")
    return account.account.name


def _marketplaces(state: SandboxState, request: Request, single: bool = False) -> list[str]:
    ids = request.many("marketplaceIds")
    if not ids:
        raise invalid_input("marketplaceIds is required.")
    if single and len(ids) > 1:
        raise invalid_input("Only one marketplaceId is supported.")
    state.resolve_marketplaces(request.account or "", ids)
    return ids


def _included(request: Request, allowed: tuple[str, ...], default: str) -> set[str]:
    values = request.many("includedData") or [default]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise invalid_input(f"Invalid includedData value(s): {', '.join(unknown)}")
    return set(values)


def get_listings_item(state: SandboxState, request: Request) -> Response:
    name = _seller(state, request)
    ids = _marketplaces(state, request)
    included = _included(request, ITEM_INCLUDED, "summaries")
    acct = state.account(name)
    with state.lock:
        listing = acct.listings.get(request.params["sku"])
        codes = {BY_MARKETPLACE_ID[m].code for m in ids}
        if listing is None or not codes & set(listing.marketplaces):
            raise not_found(f"SKU '{request.params['sku']}' not found in marketplace {', '.join(ids)}")
        return Response(200, item_view(listing, ids, included, acct.fba.get(listing.sku)))


def patch_listings_item(state: SandboxState, request: Request) -> Response:
    name = _seller(state, request)
    _marketplaces(state, request)
    body = request.json()
    if not body.get("productType") or not isinstance(body.get("patches"), list) or not body["patches"]:
        raise invalid_input("productType and at least one patch are required.")
    for patch in body["patches"]:
        if (
            not isinstance(patch, dict)
            or patch.get("op") not in ("add", "replace", "merge", "delete")
            or "path" not in patch
        ):
            raise invalid_input("Each patch needs op (add, replace, merge, delete) and path.")
    preview = request.one("mode") == "VALIDATION_PREVIEW"
    sku = request.params["sku"]
    acct = state.account(name)
    submission = {"sku": sku, "submissionId": state.next_id(), "issues": []}
    with state.lock:
        try:
            apply_patches(acct.listings.get(sku), sku, body["patches"], request.now, dry_run=True)
            if not preview:
                apply_patches(acct.listings[sku], sku, body["patches"], request.now)
        except ListingIssue as issue:
            return Response(200, {**submission, "status": "INVALID", "issues": [issue.as_issue()]})
    return Response(200, {**submission, "status": "VALID" if preview else "ACCEPTED"})


def _page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode()


def _page_offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        return int(json.loads(base64.urlsafe_b64decode(token.encode()))["o"])
    except (ValueError, KeyError, TypeError):
        raise invalid_input("Invalid pageToken.") from None


def search_listings_items(state: SandboxState, request: Request) -> Response:
    name = _seller(state, request)
    ids = _marketplaces(state, request)
    included = _included(request, ITEM_INCLUDED, "summaries")
    identifiers = request.many("identifiers")
    if identifiers and len(identifiers) > 20:
        raise invalid_input("identifiers accepts at most 20 values.")
    id_type = request.one("identifiersType")
    if identifiers and id_type not in ("SKU", "ASIN"):
        raise invalid_input("identifiersType SKU or ASIN is required with identifiers in the sandbox.")
    size_raw = request.one("pageSize") or "10"
    if not size_raw.isdigit() or not 1 <= int(size_raw) <= 20:
        raise invalid_input("pageSize must be between 1 and 20.")
    size = int(size_raw)
    codes = {BY_MARKETPLACE_ID[m].code for m in ids}
    acct = state.account(name)
    with state.lock:
        found = [
            ls
            for ls in acct.listings.values()
            if codes & set(ls.marketplaces)
            and (not identifiers or (ls.sku if id_type == "SKU" else ls.asin) in identifiers)
        ]
        found.sort(key=lambda ls: (ls.last_updated, ls.sku), reverse=True)
        offset = _page_offset(request.one("pageToken"))
        page = found[offset : offset + size]
        body: dict = {
            "numberOfResults": len(found),
            "items": [item_view(ls, ids, included, acct.fba.get(ls.sku)) for ls in page],
        }
    pagination = {}
    if offset + size < len(found):
        pagination["nextToken"] = _page_token(offset + size)
    if offset > 0:
        pagination["previousToken"] = _page_token(max(offset - size, 0))
    if pagination:
        body["pagination"] = pagination
    return Response(200, body)


def get_inventory_summaries(state: SandboxState, request: Request) -> Response:
    account = state.account(request.account or "")
    if request.one("granularityType") != "Marketplace" or not request.one("granularityId"):
        raise invalid_input("granularityType=Marketplace and granularityId are required.")
    ids = request.many("marketplaceIds")
    if not ids or len(ids) != 1 or ids[0] != request.one("granularityId"):
        raise invalid_input("Exactly one marketplaceIds value, equal to granularityId, is required.")
    state.resolve_marketplaces(account.account.name, ids)
    skus = request.many("sellerSkus") or ([request.one("sellerSku")] if request.one("sellerSku") else None)
    if skus and len(skus) > 50:
        raise invalid_input("sellerSkus accepts at most 50 values.")
    start = request.one("startDateTime")
    details = (request.one("details") or "false").lower() == "true"
    with state.lock:
        rows = []
        for sku in sorted(account.fba):
            listing = account.listings.get(sku)
            if skus and sku not in skus:
                continue
            if start and listing and listing.last_updated < parse_iso(start):
                continue
            rows.append(_summary(sku, account.fba[sku], listing, details))
    offset = _page_offset(request.one("nextToken"))
    page = rows[offset : offset + 50]
    body: dict = {
        "payload": {
            "granularity": {"granularityType": "Marketplace", "granularityId": ids[0]},
            "inventorySummaries": page,
        }
    }
    if offset + 50 < len(rows):
        body["pagination"] = {"nextToken": _page_token(offset + 50)}
    return Response(200, body)


def _summary(sku: str, qty: int, listing, details: bool) -> dict:
    summary: dict = {
        "asin": listing.asin if listing else "",
        "fnSku": (listing.fnsku if listing else None) or "",
        "sellerSku": sku,
        "condition": "NewItem",
        "lastUpdatedTime": iso(listing.last_updated) if listing else "",
        "productName": listing.title if listing else "",
        "totalQuantity": qty,
    }
    if not summary["lastUpdatedTime"]:
        del summary["lastUpdatedTime"]
    if details:
        summary["inventoryDetails"] = {
            "fulfillableQuantity": qty,
            "inboundWorkingQuantity": 0,
            "inboundShippedQuantity": 0,
            "inboundReceivingQuantity": 0,
            "reservedQuantity": {
                "totalReservedQuantity": 0,
                "pendingCustomerOrderQuantity": 0,
                "pendingTransshipmentQuantity": 0,
                "fcProcessingQuantity": 0,
            },
            "researchingQuantity": {"totalResearchingQuantity": 0, "researchingQuantityBreakdown": []},
            "unfulfillableQuantity": {
                "totalUnfulfillableQuantity": 0,
                "customerDamagedQuantity": 0,
                "warehouseDamagedQuantity": 0,
                "distributorDamagedQuantity": 0,
                "carrierDamagedQuantity": 0,
                "defectiveQuantity": 0,
                "expiredQuantity": 0,
            },
        }
    return summary


def get_marketplace_participations(state: SandboxState, request: Request) -> Response:
    account = state.account(request.account or "").account
    payload = []
    for mp in account.marketplace_objects():
        payload.append(
            {
                "marketplace": {
                    "id": mp.marketplace_id,
                    "name": mp.sales_channel,
                    "countryCode": mp.country_code,
                    "defaultCurrencyCode": mp.currency,
                    "defaultLanguageCode": mp.language,
                    "domainName": "www." + mp.sales_channel.lower(),
                },
                "participation": {"isParticipating": True, "hasSuspendedListings": False},
                "storeName": f"Amzodoo Sandbox Store ({account.name})",
            }
        )
    return Response(200, {"payload": payload})
