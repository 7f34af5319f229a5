"""Staging tables: raw Amazon payloads, Odoo-shaped records with their load state, and run bookkeeping.

Natural keys everywhere (account, marketplace, Amazon order id, line key) so that every write is an upsert and
rerunning any window is idempotent. JSON columns hold payloads as text to behave the same on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)

metadata = MetaData()

# Alembic's version table of staging (see upgrade.py): its own name, so that staging may share a database and
# schema with Airflow's metadata, whose Alembic table is alembic_version.
VERSION_TABLE = "amzodoo_staging_version"

# Load states of a staged record.
PENDING = "pending"  # transformed, waiting to be loaded into Odoo
LOADED = "loaded"  # in Odoo and up to date
ERROR = "error"  # could not be transformed or loaded; kept for retry with a message
WAITING = "waiting"  # not to be created yet (Pending orders, FBA orders not shipped yet)


def _key(*extra: Column) -> list[Column]:
    return [
        Column("account", String(40), primary_key=True),
        Column("marketplace", String(4), primary_key=True),
        Column("amazon_order_id", String(40), primary_key=True),
        *extra,
    ]


raw_orders = Table(
    "raw_orders",
    metadata,
    *_key(),
    Column("last_updated", DateTime(timezone=True), nullable=False),
    Column("purchase_date", DateTime(timezone=True)),
    Column("order_status", String(30)),
    Column("fulfillment_channel", String(10)),  # AFN (FBA) / MFN (FBM)
    Column("source", String(20), nullable=False),  # searchOrders | getOrder | report
    Column("payload", JSON(none_as_null=True), nullable=False),  # exactly what Amazon sent
    Column("payload_hash", String(64), nullable=False),
    Column("extracted_at", DateTime(timezone=True), nullable=False),
    Column("run_id", String(250)),
    Index("ix_raw_orders_updated", "account", "marketplace", "last_updated"),
)

staged_orders = Table(
    "staged_orders",
    metadata,
    *_key(),
    Column("state", String(10), nullable=False),
    Column("message", Text),
    Column("amazon_status", String(30)),
    Column("fulfillment_channel", String(10)),
    Column("last_updated", DateTime(timezone=True)),
    Column("payload_hash", String(64)),  # raw payload this staging row was made from
    Column("currency", String(3)),
    Column("amazon_total", Numeric(14, 2)),
    Column("odoo_total", Numeric(14, 2)),
    Column("total_mismatch", Boolean, default=False),
    Column("partner", JSON(none_as_null=True)),  # Odoo-shaped customer (contact) values
    Column("shipping_partner", JSON(none_as_null=True)),  # Odoo-shaped delivery address values
    Column("order_values", JSON(none_as_null=True)),  # Odoo-shaped sale.order header values
    Column("odoo_order_id", Integer),
    Column("odoo_partner_id", Integer),
    Column("odoo_shipping_partner_id", Integer),
    Column("odoo_state", String(20)),
    Column("attempts", Integer, default=0, nullable=False),
    Column("loaded_at", DateTime(timezone=True)),
    Column("delivered_at", DateTime(timezone=True)),
    Column("buyer_data_purged_at", DateTime(timezone=True)),
    Column("run_id", String(250)),
    Index("ix_staged_orders_state", "account", "marketplace", "state"),
)

staged_order_lines = Table(
    "staged_order_lines",
    metadata,
    *_key(Column("line_key", String(80), primary_key=True)),
    Column("sequence", Integer, nullable=False),
    Column("kind", String(12), nullable=False),  # product | shipping | gift_wrap | promotion | note
    Column("sku", String(80)),
    Column("product_ref", String(80)),  # Odoo internal reference the line resolves to
    Column("name", Text, nullable=False),
    Column("quantity", Float, nullable=False),
    Column("price_unit", Numeric(14, 4), nullable=False),
    Column("tax_rate", Numeric(8, 4)),  # percent; None = no tax
    Column("tax_included", Boolean, nullable=False, default=False),  # price_unit includes the tax
    Column("amazon_item_id", String(40)),
    Column("odoo_line_id", Integer),
)

extract_windows = Table(
    "extract_windows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account", String(40), nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("window_end", DateTime(timezone=True), nullable=False),
    Column("source", String(20), nullable=False),
    Column("orders", Integer, nullable=False),
    Column("completed_at", DateTime(timezone=True), nullable=False),
    Column("run_id", String(250)),
    Index("ix_extract_windows_account", "account", "window_end"),
)

run_summaries = Table(
    "run_summaries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dag_id", String(250), nullable=False),
    Column("run_id", String(250), nullable=False),
    Column("flow", String(30), nullable=False),
    Column("account", String(40), nullable=False),
    Column("marketplace", String(4)),
    Column("counts", JSON(none_as_null=True), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

rate_limit_buckets = Table(
    "rate_limit_buckets",
    metadata,
    Column("account", String(40), primary_key=True),
    Column("operation", String(80), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated_at", Float, nullable=False),  # epoch seconds
)

# Reverse flow (Odoo -> Amazon). A delivery is confirmed once: the row per (account, picking) is the binder.
CONFIRM_PENDING = "pending"  # found in Odoo, ready to be sent to Amazon
CONFIRMED = "confirmed"  # Amazon accepted it; never sent again
CONFIRM_ERROR = "error"  # Amazon refused it (retried every run) or Odoo lacks carrier/tracking (fix in Odoo)
# Validated by the order load because Amazon had already shipped those units (another tool, Seller Central, before
# the first sync): never sent to Amazon. ``items`` holds what Amazon shipped.
ON_AMAZON = "on_amazon"

shipment_confirmations = Table(
    "shipment_confirmations",
    metadata,
    Column("account", String(40), primary_key=True),
    Column("odoo_picking_id", Integer, primary_key=True),
    Column("marketplace", String(4)),
    Column("amazon_order_id", String(40), nullable=False),
    Column("odoo_order_id", Integer),
    Column("picking_name", String(80)),
    Column("date_done", DateTime(timezone=True)),
    Column("state", String(10), nullable=False),  # pending | confirmed | error | on_amazon
    Column("message", Text),
    Column("carrier_code", String(80)),
    Column("carrier_name", String(120)),
    Column("tracking_number", String(120)),
    Column("items", JSON(none_as_null=True)),  # [[amazon order item id, quantity], ...]
    Column("attempts", Integer, default=0, nullable=False),
    Column("confirmed_at", DateTime(timezone=True)),
    Column("run_id", String(250)),
    Index("ix_shipment_confirmations_state", "account", "state"),
)

# Stock levels: what was last sent per SKU, so only changes go out.
LEVEL_SENT = "sent"  # in a submitted feed, report not read yet
LEVEL_ACCEPTED = "accepted"
LEVEL_ERROR = "error"  # refused in the processing report (sent again next run)

stock_levels_sent = Table(
    "stock_levels_sent",
    metadata,
    Column("account", String(40), primary_key=True),
    Column("sku", String(80), primary_key=True),
    Column("quantity", Integer, nullable=False),
    Column("feed_id", String(80)),
    Column("state", String(10), nullable=False),  # sent | accepted | error
    Column("message", Text),
    Column("sent_at", DateTime(timezone=True)),
)

feeds = Table(
    "feeds",
    metadata,
    Column("account", String(40), primary_key=True),
    Column("feed_key", String(300), primary_key=True),  # run id + part: a retry reuses the feed it submitted
    Column("run_id", String(250)),
    Column("feed_type", String(60), nullable=False),
    Column("feed_id", String(80)),
    Column("document_id", String(200)),
    Column("result_document_id", String(200)),
    Column("state", String(20), nullable=False),  # building | IN_QUEUE | IN_PROGRESS | DONE | FATAL | CANCELLED
    Column("messages", Integer, nullable=False),
    Column("payload", JSON(none_as_null=True)),  # {messageId: [sku, quantity]}: maps report issues to SKUs
    Column("report", JSON(none_as_null=True)),  # Amazon's processing report summary and issues
    Column("submitted_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
)
