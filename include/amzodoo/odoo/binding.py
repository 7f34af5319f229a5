"""Which Odoo sale.order is which Amazon order: the one owner of that link.

An order the connector creates carries ``origin = "Amazon <marketplace> <Amazon order id>"``; that string is the
binding, looked up before anything is created (exactly once) and by every flow that needs the Odoo order of an
Amazon order. ``client_order_ref`` is not part of it: it is the customer's reference, the Amazon order id for a
consumer and the purchase-order number an Amazon Business buyer typed at checkout (which is what their invoice
must quote).

Orders created before this module existed carry the same ``origin`` (and the Amazon id in
``client_order_ref``), so they are found the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from amzodoo.odoo.client import OdooClient

PREFIX = "Amazon"


def origin(marketplace: str, amazon_order_id: str) -> str:
    """The ``origin`` of the Odoo order made from this Amazon order."""
    return f"{PREFIX} {marketplace} {amazon_order_id}"


def parse_origin(value: str | bool | None) -> tuple[str, str] | None:
    """(marketplace, Amazon order id) of an ``origin`` the connector wrote; None for any other origin."""
    if not isinstance(value, str):
        return None
    parts = value.split(" ")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def amazon_order_id(value: str | bool | None) -> str | None:
    parsed = parse_origin(value)
    return parsed[1] if parsed else None


def find_orders(
    client: OdooClient, marketplace: str, order_ids: Iterable[str], fields: list[str], *,
    company_id: int | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Amazon order id -> every Odoo order bound to it, oldest first (more than one only if someone copied one)."""
    origins = {origin(marketplace, oid): oid for oid in order_ids}
    extra = [("company_id", "=", company_id)] if company_id is not None else []
    rows = client.search_read_in("sale.order", "origin", origins, sorted({*fields, "id", "origin"}),
                                 extra_domain=extra)
    found: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: r["id"]):
        found.setdefault(origins[row["origin"]], []).append(row)
    return found


def bound_orders(
    client: OdooClient, marketplace: str, order_ids: Iterable[str], fields: list[str], *,
    company_id: int | None = None,
) -> dict[str, dict[str, Any]]:
    """Amazon order id -> its Odoo order; the oldest wins if someone duplicated one by hand."""
    return {oid: rows[0] for oid, rows in find_orders(client, marketplace, order_ids, fields,
                                                      company_id=company_id).items()}
