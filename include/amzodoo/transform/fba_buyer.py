"""The buyer and recipient of an FBA order read through the report path, as searchOrders would give them.

The FBA shipments report's buyer columns (amazon/fba_shipments.py) carry what searchOrders' BUYER and RECIPIENT
sections carry, under other names: read here exactly as ``canonical_from_api`` reads those, so that an order
lands in Odoo identically whichever path read it. The report has no company name: business orders are read
with getOrder instead (sync/extract.py).
"""

from __future__ import annotations

from dataclasses import replace

from amzodoo.transform import fields
from amzodoo.transform.canonical import Buyer, CanonicalOrder, Recipient
from amzodoo.transform.errors import TransformError


def _text(columns: dict, name: str) -> str | None:
    return fields.text(columns.get(name))


def fba_buyer(columns: dict) -> tuple[Buyer | None, Recipient | None]:
    buyer = Buyer(name=_text(columns, "buyer-name"), email=_text(columns, "buyer-email"), company=None)
    street2 = ", ".join(line for line in (_text(columns, "ship-address-2"), _text(columns, "ship-address-3")) if line)
    recipient = Recipient(
        name=_text(columns, "recipient-name"),
        company=None,
        street=_text(columns, "ship-address-1"),
        street2=street2 or None,
        city=_text(columns, "ship-city"),
        state=_text(columns, "ship-state"),
        zip=_text(columns, "ship-postal-code"),
        country_code=(_text(columns, "ship-country") or "").upper() or None,
        phone=_text(columns, "ship-phone-number"),
    )
    has_recipient = any((recipient.name, recipient.street, recipient.city, recipient.state, recipient.zip,
                         recipient.country_code, recipient.phone))
    return (buyer if buyer.name or buyer.email else None), (recipient if has_recipient else None)


def with_fba_buyer(order: CanonicalOrder, columns: object) -> CanonicalOrder:
    """``order`` (from All Orders rows) with the buyer and recipient of its FBA shipments report columns."""
    if columns is None:
        return order
    if not isinstance(columns, dict):
        raise TransformError("fba_buyer", "must be an object")
    buyer, recipient = fba_buyer(columns)
    return replace(order, buyer=buyer, recipient=recipient or order.recipient)
