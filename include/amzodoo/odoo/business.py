"""Amazon Business customers in Odoo: one company partner per business, the buyers as its contacts.

The company is found by its ``ref`` (``amazon-business:<key>``, the key a hash of the marketplace and the
normalised company name, made by the transform), so every order of the same business lands under the same
company, whoever of its buyers placed it. The order's invoice address is the company: Odoo copies it to the
invoice, which a business buyer needs in the company's name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from amzodoo.odoo.client import OdooClient
from amzodoo.transform.business import company_ref


def order_company(order: dict[str, Any]) -> dict[str, Any] | None:
    """The staged company values of an order (None for consumers and orders staged before companies existed)."""
    company = (order.get("partner") or {}).get("company")
    return company if company and company.get("amazon_company_key") else None


def company_partners(
    client: OdooClient, orders: Sequence[dict[str, Any]], address: Callable[[dict[str, Any]], dict[str, Any]],
    langs: set[str],
) -> tuple[dict[str, int], int]:
    """(Amazon order id -> company partner id for its business orders, companies created).

    ``address`` turns staged address values into Odoo's (country and state ids), as for the buyer.
    """
    refs = {o["amazon_order_id"]: company_ref(c["amazon_company_key"]) for o in orders if (c := order_company(o))}
    if not refs:
        return {}, 0
    found: dict[str, int] = {}
    for row in sorted(client.search_read_in("res.partner", "ref", refs.values(), ["ref"],
                                            extra_domain=[("is_company", "=", True)],
                                            context={"active_test": False}), key=lambda r: r["id"]):
        found.setdefault(row["ref"], row["id"])  # the oldest wins if someone copied one by hand
    new: dict[str, dict[str, Any]] = {}
    for order in orders:
        ref = refs.get(order["amazon_order_id"])
        if ref is None or ref in found or ref in new:
            continue
        values = order_company(order) or {}
        lang = order["partner"].get("lang")
        new[ref] = {**address(values), "ref": ref, "is_company": True,
                    "type": "contact", "customer_rank": 1, **({"lang": lang} if lang in langs else {})}
    if new:
        found.update(zip(new, client.create("res.partner", list(new.values())), strict=True))
    return {oid: found[ref] for oid, ref in refs.items()}, len(new)
