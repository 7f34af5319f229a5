"""The staging schema as the first release (0.1.0) created it with ``metadata.create_all``.

Databases created by that release have these tables and no version table: ``amzodoo.staging.upgrade`` stamps them
at this revision instead of creating the tables again, then applies what came after.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "extract_windows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_extract_windows_account", "extract_windows", ["account", "window_end"], unique=False)
    op.create_table(
        "feeds",
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("feed_key", sa.String(length=300), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=True),
        sa.Column("feed_type", sa.String(length=60), nullable=False),
        sa.Column("feed_id", sa.String(length=80), nullable=True),
        sa.Column("document_id", sa.String(length=200), nullable=True),
        sa.Column("result_document_id", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("report", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("account", "feed_key"),
    )
    op.create_table(
        "rate_limit_buckets",
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("operation", sa.String(length=80), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("account", "operation"),
    )
    op.create_table(
        "raw_orders",
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("marketplace", sa.String(length=4), nullable=False),
        sa.Column("amazon_order_id", sa.String(length=40), nullable=False),
        sa.Column("last_updated", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purchase_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_status", sa.String(length=30), nullable=True),
        sa.Column("fulfillment_channel", sa.String(length=10), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("extracted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=True),
        sa.PrimaryKeyConstraint("account", "marketplace", "amazon_order_id"),
    )
    op.create_index("ix_raw_orders_updated", "raw_orders", ["account", "marketplace", "last_updated"], unique=False)
    op.create_table(
        "run_summaries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=False),
        sa.Column("flow", sa.String(length=30), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("marketplace", sa.String(length=4), nullable=True),
        sa.Column("counts", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "shipment_confirmations",
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("odoo_picking_id", sa.Integer(), nullable=False),
        sa.Column("marketplace", sa.String(length=4), nullable=True),
        sa.Column("amazon_order_id", sa.String(length=40), nullable=False),
        sa.Column("odoo_order_id", sa.Integer(), nullable=True),
        sa.Column("picking_name", sa.String(length=80), nullable=True),
        sa.Column("date_done", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("carrier_code", sa.String(length=80), nullable=True),
        sa.Column("carrier_name", sa.String(length=120), nullable=True),
        sa.Column("tracking_number", sa.String(length=120), nullable=True),
        sa.Column("items", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("run_id", sa.String(length=250), nullable=True),
        sa.PrimaryKeyConstraint("account", "odoo_picking_id"),
    )
    op.create_index("ix_shipment_confirmations_state", "shipment_confirmations", ["account", "state"], unique=False)
    op.create_table(
        "staged_order_lines",
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("marketplace", sa.String(length=4), nullable=False),
        sa.Column("amazon_order_id", sa.String(length=40), nullable=False),
        sa.Column("line_key", sa.String(length=80), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=True),
        sa.Column("product_ref", sa.String(length=80), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("price_unit", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("tax_rate", sa.Numeric(precision=8, scale=4), nullable=True),
        sa.Column("tax_included", sa.Boolean(), nullable=False),
        sa.Column("amazon_item_id", sa.String(length=40), nullable=True),
        sa.Column("odoo_line_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("account", "marketplace", "amazon_order_id", "line_key"),
    )
    op.create_table(
        "staged_orders",
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("marketplace", sa.String(length=4), nullable=False),
        sa.Column("amazon_order_id", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("amazon_status", sa.String(length=30), nullable=True),
        sa.Column("fulfillment_channel", sa.String(length=10), nullable=True),
        sa.Column("last_updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payload_hash", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("amazon_total", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("odoo_total", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("total_mismatch", sa.Boolean(), nullable=True),
        sa.Column("partner", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("shipping_partner", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("order_values", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("odoo_order_id", sa.Integer(), nullable=True),
        sa.Column("odoo_partner_id", sa.Integer(), nullable=True),
        sa.Column("odoo_shipping_partner_id", sa.Integer(), nullable=True),
        sa.Column("odoo_state", sa.String(length=20), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("buyer_data_purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("run_id", sa.String(length=250), nullable=True),
        sa.PrimaryKeyConstraint("account", "marketplace", "amazon_order_id"),
    )
    op.create_index("ix_staged_orders_state", "staged_orders", ["account", "marketplace", "state"], unique=False)
    op.create_table(
        "stock_levels_sent",
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.String(length=80), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("account", "sku"),
    )


def downgrade() -> None:
    op.drop_table("stock_levels_sent")
    op.drop_index("ix_staged_orders_state", table_name="staged_orders")
    op.drop_table("staged_orders")
    op.drop_table("staged_order_lines")
    op.drop_index("ix_shipment_confirmations_state", table_name="shipment_confirmations")
    op.drop_table("shipment_confirmations")
    op.drop_table("run_summaries")
    op.drop_index("ix_raw_orders_updated", table_name="raw_orders")
    op.drop_table("raw_orders")
    op.drop_table("rate_limit_buckets")
    op.drop_table("feeds")
    op.drop_index("ix_extract_windows_account", table_name="extract_windows")
    op.drop_table("extract_windows")
