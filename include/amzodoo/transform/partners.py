"""Odoo-shaped customer and delivery address values of a canonical order."""

from __future__ import annotations

import hashlib
import unicodedata

from amzodoo.config.marketplaces import Marketplace
from amzodoo.transform.business import company_values
from amzodoo.transform.canonical import CanonicalOrder, Recipient


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold().strip()


def customer_name(order: CanonicalOrder) -> str:
    """Never empty: North American FBA orders come without any buyer or recipient name."""
    buyer_name = order.buyer.name if order.buyer else None
    recipient_name = order.recipient.name if order.recipient else None
    return buyer_name or recipient_name or f"Amazon Customer {order.amazon_order_id}"


def buyer_key(order: CanonicalOrder) -> str | None:
    """A stable key from the anonymised e-mail and the name, kept after buyer data is purged.

    Amazon's relay address is per buyer and seller; with the name it tells one returning customer from another,
    so the loader can reuse the Odoo contact instead of creating one per order.
    """
    email = order.buyer.email if order.buyer else None
    if email is None:
        return None
    name = (order.buyer.name if order.buyer else None) or (order.recipient.name if order.recipient else None) or ""
    return hashlib.sha256(f"{email.casefold()}\n{_fold(name)}".encode()).hexdigest()


def _address(recipient: Recipient | None) -> dict[str, str | None]:
    if recipient is None:
        return dict.fromkeys(("street", "street2", "city", "zip", "state_code", "country_code", "phone"))
    country = "GB" if recipient.country_code == "UK" else recipient.country_code
    return {
        "street": recipient.street,
        "street2": recipient.street2,
        "city": recipient.city,
        "zip": recipient.zip,
        # Amazon's region as sent: the load resolves it against Odoo's own state list (transform/regions.py).
        "state_code": recipient.state.strip() if recipient.state else None,
        "country_code": country,
        "phone": recipient.phone,
    }


def partner_values(order: CanonicalOrder, marketplace: Marketplace) -> dict:
    """The customer contact. It carries the delivery address too: for FBA orders it is the only address.

    ``company`` is the Amazon Business buyer's company (None for consumers): the contact's parent in Odoo.
    """
    address = _address(order.recipient)
    return {
        "name": customer_name(order),
        "email": order.buyer.email if order.buyer else None,
        **address,
        "lang": marketplace.language,
        "is_company": False,
        "company_name": order.buyer.company if order.buyer else None,
        "amazon_buyer_key": buyer_key(order),
        "company": company_values(order, marketplace, address),
    }


def shipping_partner_values(order: CanonicalOrder, partner_name: str) -> dict | None:
    """The delivery address for orders the seller ships; Amazon ships FBA orders itself.

    Report rows name only the city and postcode: nothing a parcel can go to, so no address until the API's order.
    """
    if order.channel != "MFN" or order.recipient is None or order.recipient.street is None:
        return None
    return {
        "type": "delivery",
        "name": order.recipient.name or partner_name,
        "company_name": order.recipient.company,
        **_address(order.recipient),
    }
