"""Raw Amazon orders (staging ``raw_orders`` rows) -> Odoo-shaped staged orders and lines.

Pure: no Airflow, no IO. One bad payload becomes an ``error`` row naming the account, marketplace, order id and
field; the other orders go on.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd

from amzodoo.config.marketplaces import Marketplace
from amzodoo.config.model import OdooSettings
from amzodoo.staging.schema import ERROR, PENDING, WAITING
from amzodoo.timeutil import odoo_datetime
from amzodoo.transform import fields
from amzodoo.transform.canonical import CanonicalOrder, Channel, Status, canonical_from_api, canonical_from_report
from amzodoo.transform.errors import TransformError
from amzodoo.transform.fba_buyer import with_fba_buyer
from amzodoo.transform.lines import build_lines, tax_mode
from amzodoo.transform.money import STANDARD_VAT_RATES
from amzodoo.transform.odoo_totals import odoo_amount_total
from amzodoo.transform.partners import customer_name, partner_values, shipping_partner_values
from amzodoo.transform.shipped import amazon_shipped

ORDER_COLUMNS = (
    "account",
    "marketplace",
    "amazon_order_id",
    "state",
    "message",
    "amazon_status",
    "fulfillment_channel",
    "last_updated",
    "payload_hash",
    "currency",
    "amazon_total",
    "odoo_total",
    "total_mismatch",
    "partner",
    "shipping_partner",
    "order_values",
    "run_id",
)
LINE_COLUMNS = (
    "account",
    "marketplace",
    "amazon_order_id",
    "line_key",
    "sequence",
    "kind",
    "sku",
    "product_ref",
    "name",
    "quantity",
    "price_unit",
    "tax_rate",
    "tax_included",
    "amazon_item_id",
)
API_SOURCES = ("searchOrders", "getOrder")
REPORT_SOURCE = "report"


@dataclass(frozen=True)
class TransformContext:
    account: str
    marketplace: Marketplace
    odoo: OdooSettings
    vat_rate: Decimal | None = None  # None = the standard rate of the marketplace's country
    run_id: str | None = None
    tax_rounding: str = "round_per_line"  # the Odoo company's tax_calculation_rounding_method

    @property
    def effective_vat_rate(self) -> Decimal | None:
        if self.vat_rate is not None:
            return self.vat_rate
        return STANDARD_VAT_RATES.get(self.marketplace.country_code)


@dataclass(frozen=True)
class TransformResult:
    orders: pd.DataFrame  # ORDER_COLUMNS, object dtype
    lines: pd.DataFrame  # LINE_COLUMNS, object dtype

    def order_records(self) -> list[dict]:
        return _records(self.orders)

    def line_records(self) -> list[dict]:
        return _records(self.lines)


def load_state(status: Status, channel: Channel) -> str:
    """When an order belongs in Odoo, as Odoo's own Amazon connector decides it.

    FBA orders exist once Amazon has shipped something (their stock moves mirror Amazon's shipment); FBM orders
    once Amazon released them for shipping. Cancelled orders go to the loader, which cancels them where they
    exist. Unfulfillable orders (multi-channel fulfilment Amazon cannot serve) never ship: nothing to create.
    """
    if status == "CANCELLED":
        return PENDING
    if channel == "AFN":
        return PENDING if status in ("SHIPPED", "PARTIALLY_SHIPPED") else WAITING
    return PENDING if status in ("UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED") else WAITING


_WAITING_REASONS = {
    "PENDING": "waiting: Amazon has not released the order (PENDING)",
    "UNFULFILLABLE": "waiting: Amazon cannot fulfil the order (UNFULFILLABLE)",
    "UNSHIPPED": "waiting: FBA orders are created once Amazon has shipped them",
}


def transform_orders(raw: pd.DataFrame, ctx: TransformContext) -> TransformResult:
    """Staged orders and lines for every raw order row (columns of staging ``raw_orders``)."""
    orders: list[dict] = []
    lines: list[dict] = []
    for row in raw.to_dict("records"):
        order, order_lines = _transform_row({key: _plain(value) for key, value in row.items()}, ctx)
        orders.append(order)
        lines.extend(order_lines)
    return TransformResult(
        orders=pd.DataFrame(orders, columns=list(ORDER_COLUMNS), dtype=object),
        lines=pd.DataFrame(lines, columns=list(LINE_COLUMNS), dtype=object),
    )


def _transform_row(row: dict, ctx: TransformContext) -> tuple[dict, list[dict]]:
    order_id = fields.text(row.get("amazon_order_id"))
    try:
        canonical = _canonical(row, ctx)
        if canonical.amazon_order_id != order_id:
            raise TransformError("orderId", "differs from the raw row's amazon_order_id")
        return _staged(canonical, row, ctx)
    except TransformError as exc:
        reason = str(exc)
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as exc:
        # Only the type: the text of an unexpected error may quote buyer data.
        reason = f"payload: unexpected shape ({type(exc).__name__})"
    message = f"account {ctx.account}, marketplace {ctx.marketplace.code}, order {order_id}: {reason}"
    return _error_record(row, ctx, order_id, message), []


def _canonical(row: dict, ctx: TransformContext) -> CanonicalOrder:
    marketplace = fields.text(row.get("marketplace"))
    if marketplace != ctx.marketplace.code:
        raise TransformError("marketplace", f"row of marketplace {marketplace} in a run for {ctx.marketplace.code}")
    payload = row.get("payload")
    if isinstance(payload, str):
        payload = json.loads(payload)
    source = row.get("source")
    if source == REPORT_SOURCE:
        if not isinstance(payload, dict):
            raise TransformError("payload", "must be an object with rows")
        # FBA orders carry their buyer from the FBA shipments report (sync/extract.py), read as the API's.
        return with_fba_buyer(canonical_from_report(payload.get("rows"), ctx.marketplace), payload.get("fba_buyer"))
    if source in API_SOURCES:
        return canonical_from_api(payload, ctx.marketplace)
    raise TransformError("source", f"unknown source {source!r}")


def _staged(order: CanonicalOrder, row: dict, ctx: TransformContext) -> tuple[dict, list[dict]]:
    mode = tax_mode(order, ctx.marketplace.prices_include_tax)
    built = build_lines(order, ctx.odoo, mode, ctx.effective_vat_rate, tax_rounding=ctx.tax_rounding)
    line_records = [line.record() for line in built.lines]
    amazon_total: Decimal | None = order.grand_total
    odoo_total: Decimal | None = odoo_amount_total(
        [li for li in line_records if li["kind"] != "note"], order.digits, ctx.tax_rounding)
    if _money_withdrawn(order):
        # Amazon drops the money of a cancelled order: unknown now, so staging keeps the totals it had.
        amazon_total = odoo_total = None
    mismatch = amazon_total is not None and odoo_total != amazon_total
    state = load_state(order.status, order.channel)
    message = _WAITING_REASONS[order.status] if state == WAITING else None
    if mismatch:
        message = "; ".join(filter(None, (message, _mismatch_message(order, odoo_total, built.problems))))
    partner = partner_values(order, ctx.marketplace)
    key = {"account": ctx.account, "marketplace": ctx.marketplace.code, "amazon_order_id": order.amazon_order_id}
    record = {
        **key,
        "state": state,
        "message": message,
        "amazon_status": order.status,
        "fulfillment_channel": order.channel,
        "last_updated": order.last_updated.astimezone(UTC),
        "payload_hash": row.get("payload_hash"),
        "currency": order.currency,
        "amazon_total": amazon_total,
        "odoo_total": odoo_total,
        "total_mismatch": mismatch,
        "partner": partner,
        "shipping_partner": shipping_partner_values(order, customer_name(order)),
        "order_values": _order_values(order, ctx),
        "run_id": ctx.run_id,
    }
    return record, [{**key, **line} for line in line_records]


def _money_withdrawn(order: CanonicalOrder) -> bool:
    return order.status == "CANCELLED" and order.grand_total == 0 and not any(item.total for item in order.items)


def _mismatch_message(order: CanonicalOrder, odoo_total: Decimal, problems: list[str]) -> str:
    reasons = list(problems)
    items_total = sum((item.total for item in order.items), Decimal(0))
    if items_total != order.grand_total:
        reasons.append(f"Amazon's items add up to {items_total}")
    detail = f" ({'; '.join(reasons)})" if reasons else ""
    return f"Odoo total {odoo_total} differs from Amazon total {order.grand_total}{detail}"


def _order_values(order: CanonicalOrder, ctx: TransformContext) -> dict:
    return {
        # The customer's reference: an Amazon Business buyer's PO number (their invoice must quote it).
        "client_order_ref": order.purchase_order_number or order.amazon_order_id,
        "origin": f"Amazon {order.marketplace_code} {order.amazon_order_id}",
        "date_order": odoo_datetime(order.purchase_date),
        "currency": order.currency,
        "team": ctx.odoo.sales_team,
        "salesperson": ctx.odoo.salesperson,
        "company": ctx.odoo.company,
        "warehouse": ctx.odoo.warehouse,
        "fulfillment": "FBA" if order.channel == "AFN" else "FBM",
        "gift_message": "\n".join(order.gift_messages) or None,
        "is_business": order.is_business,
        "purchase_order_number": order.purchase_order_number,
        "amazon_shipped": amazon_shipped(order),
    }


def _error_record(row: dict, ctx: TransformContext, order_id: str | None, message: str) -> dict:
    last_updated = row.get("last_updated")
    if isinstance(last_updated, datetime) and last_updated.tzinfo is None:
        last_updated = last_updated.replace(tzinfo=UTC)
    return {
        "account": ctx.account,
        "marketplace": ctx.marketplace.code,
        "amazon_order_id": order_id,
        "state": ERROR,
        "message": message,
        "amazon_status": fields.text(row.get("order_status")),
        "fulfillment_channel": fields.text(row.get("fulfillment_channel")),
        "last_updated": last_updated if isinstance(last_updated, datetime) else None,
        "payload_hash": row.get("payload_hash"),
        "currency": ctx.marketplace.currency,
        "amazon_total": None,
        "odoo_total": None,
        "total_mismatch": False,
        "partner": None,
        "shipping_partner": None,
        "order_values": None,
        "run_id": ctx.run_id,
    }


def _plain(value: object) -> object:
    """A value the DB layer can insert: no numpy scalars, pandas timestamps or NaN/NaT/NA."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        return _plain(value.item())
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{key: _plain(value) for key, value in row.items()} for row in frame.to_dict("records")]
