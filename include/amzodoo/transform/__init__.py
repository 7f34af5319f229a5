"""Transform: raw Amazon orders -> canonical orders -> Odoo-shaped staged orders and lines (pure, no IO)."""

from amzodoo.transform.canonical import (
    Buyer,
    CanonicalItem,
    CanonicalOrder,
    Recipient,
    canonical_from_api,
    canonical_from_report,
)
from amzodoo.transform.errors import TransformError
from amzodoo.transform.money import STANDARD_VAT_RATES, odoo_line_amounts
from amzodoo.transform.odoo_totals import odoo_amount_total
from amzodoo.transform.orders import TransformContext, TransformResult, load_state, transform_orders

__all__ = [
    "STANDARD_VAT_RATES",
    "Buyer",
    "CanonicalItem",
    "CanonicalOrder",
    "Recipient",
    "TransformContext",
    "TransformError",
    "TransformResult",
    "canonical_from_api",
    "canonical_from_report",
    "load_state",
    "odoo_amount_total",
    "odoo_line_amounts",
    "transform_orders",
]
