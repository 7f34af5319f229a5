"""Amazon Business buyers: the company an order was bought for.

Amazon Business orders name the buyer's company (``buyer.buyerCompanyName``), often a purchase-order number
(``buyer.buyerPurchaseOrderNumber``) and usually a commercial delivery address. In Odoo the customer is then a
company partner with the buyer as its contact; the company is recognised on the next order by a key made from
the marketplace and its normalised name, never from anything personal.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from amzodoo.config.marketplaces import Marketplace
from amzodoo.transform.canonical import CanonicalOrder

COMPANY_REF_PREFIX = "amazon-business:"


def normalised_company_name(name: str) -> str:
    """Case, accents, punctuation and spacing removed: "ACME  GmbH." and "Acme GmbH" are one company."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split()) or " ".join(plain.split())


def company_key(marketplace_code: str, name: str) -> str:
    """SHA-256 of the marketplace and the normalised name: the same business's orders share one Odoo company."""
    return hashlib.sha256(f"{marketplace_code}\n{normalised_company_name(name)}".encode()).hexdigest()


def company_ref(key: str) -> str:
    """The company partner's ``ref`` in Odoo."""
    return f"{COMPANY_REF_PREFIX}{key}"


def company_values(order: CanonicalOrder, marketplace: Marketplace, address: dict) -> dict | None:
    """The buyer's company (name, key and the order's address) or None for a consumer order.

    Amazon gives no separate billing address: the company starts with the delivery address of its first order
    (a business order's is usually the company's own, ``addressType`` COMMERCIAL). The buyer's phone stays
    with the buyer.
    """
    name = order.buyer.company if order.buyer else None
    if not name:
        return None
    return {
        "name": name,
        "amazon_company_key": company_key(marketplace.code, name),
        **{k: v for k, v in address.items() if k != "phone"},
    }
