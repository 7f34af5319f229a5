"""The buyer and recipient of FBA orders, in bulk, from the FBA Amazon Fulfilled Shipments report.

The All Orders report has no names, streets, e-mails or phones; the shipments report has them for every item
Amazon shipped (one row per shipped item, the same person on every row of an order). Only those columns are
kept, per order, as Amazon wrote them: transform/fba_buyer.py reads them as searchOrders' BUYER and RECIPIENT.
"""

from __future__ import annotations

from collections.abc import Container

from amzodoo.amazon.reports import ReportDocument

BUYER_COLUMNS = (
    "buyer-email",
    "buyer-name",
    "recipient-name",
    "ship-address-1",
    "ship-address-2",
    "ship-address-3",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "ship-phone-number",
)


def buyers_by_order(document: ReportDocument, wanted: Container[str]) -> dict[str, dict[str, str]]:
    """{order id: its buyer columns} for the ``wanted`` orders that Amazon shipped something of.

    Only the wanted orders' columns are kept, so a backfill's memory grows with its FBA orders, not its rows.
    """
    found: dict[str, dict[str, str]] = {}
    for row in document.rows():
        order_id = row.get("amazon-order-id") or ""
        if order_id in wanted and order_id not in found:
            found[order_id] = {column: row.get(column) or "" for column in BUYER_COLUMNS}
    return found
