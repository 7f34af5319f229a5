"""Staging upgrades with Alembic: a database made by the first release, with rows in it, reaches the newest schema
on SQLite and PostgreSQL with nothing lost; a fresh one is created; concurrent upgrades do it once."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine, create_engine, inspect, select, text

from amzodoo.staging import schema as s
from amzodoo.staging.engine import make_engine
from amzodoo.staging.store import StagingStore
from amzodoo.staging.upgrade import current_revision, head_revision, schema_differences, upgrade_schema
from tests.fixtures import staging_first_release as first
from tests.fixtures.staging import PG_URL, postgres_available

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
KEY = {"account": "na_main", "marketplace": "US", "amazon_order_id": "111-0000000-0000001"}

# One row per table of the first release, as that release wrote them.
FIRST_RELEASE_ROWS: dict[str, list[dict]] = {
    "raw_orders": [{**KEY, "last_updated": NOW, "purchase_date": NOW, "order_status": "Shipped",
                    "fulfillment_channel": "AFN", "source": "searchOrders", "payload": {"orderId": KEY[
                        "amazon_order_id"]}, "payload_hash": "h" * 64, "extracted_at": NOW, "run_id": "r1"}],
    "staged_orders": [{**KEY, "state": "loaded", "message": None, "amazon_status": "SHIPPED",
                       "fulfillment_channel": "AFN", "last_updated": NOW, "payload_hash": "h" * 64,
                       "currency": "USD", "amazon_total": Decimal("21.64"), "odoo_total": Decimal("21.64"),
                       "total_mismatch": False, "partner": {"name": "Jane"}, "shipping_partner": None,
                       "order_values": {"origin": "Amazon US"}, "odoo_order_id": 7, "odoo_partner_id": 9,
                       "odoo_shipping_partner_id": 9, "odoo_state": "sale", "attempts": 1, "loaded_at": NOW,
                       "delivered_at": NOW, "buyer_data_purged_at": None, "run_id": "r1"}],
    "staged_order_lines": [{**KEY, "line_key": "item:1", "sequence": 10, "kind": "product", "sku": "SKU-1",
                            "product_ref": "SKU-1", "name": "[SKU-1] Thing", "quantity": 2.0,
                            "price_unit": Decimal("9.9900"), "tax_rate": Decimal("8.3250"), "tax_included": False,
                            "amazon_item_id": "1", "odoo_line_id": 70}],
    "extract_windows": [{"account": "na_main", "window_start": NOW, "window_end": NOW, "source": "report",
                         "orders": 1, "completed_at": NOW, "run_id": "r1"}],
    "run_summaries": [{"dag_id": "amazon_orders__na_main__US", "run_id": "r1", "flow": "orders",
                       "account": "na_main", "marketplace": "US", "counts": {"created": 1}, "text": "1 created",
                       "created_at": NOW}],
    "rate_limit_buckets": [{"account": "na_main", "operation": "searchOrders", "tokens": 19.5,
                            "updated_at": 1.7e9}],
    "shipment_confirmations": [{"account": "na_main", "odoo_picking_id": 31, "marketplace": "US",
                                "amazon_order_id": KEY["amazon_order_id"], "odoo_order_id": 7,
                                "picking_name": "WH/OUT/00031", "date_done": NOW, "state": "confirmed",
                                "message": None, "carrier_code": "UPS", "carrier_name": "UPS",
                                "tracking_number": "1Z", "items": [["1", 2]], "attempts": 1, "confirmed_at": NOW,
                                "run_id": "r1"}],
    "stock_levels_sent": [{"account": "na_main", "sku": "SKU-1", "quantity": 4, "feed_id": "F1",
                           "state": "accepted", "message": None, "sent_at": NOW}],
    "feeds": [{"account": "na_main", "feed_key": "r1:1", "run_id": "r1", "feed_type": "JSON_LISTINGS_FEED",
               "feed_id": "F1", "document_id": "D1", "result_document_id": "R1", "state": "DONE", "messages": 1,
               "payload": {"1": ["SKU-1", 4]}, "report": {"summary": {}}, "submitted_at": NOW,
               "finished_at": NOW}],
}


def _sqlite(tmp_path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'staging.sqlite'}")
    yield engine
    engine.dispose()


def _postgres() -> Iterator[Engine]:
    if not postgres_available():
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    schema = f"amzodoo_up_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(PG_URL, schema=schema)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path) -> Iterator[Engine]:
    yield from (_sqlite(tmp_path) if request.param == "sqlite" else _postgres())


def _first_release_database(engine: Engine) -> None:
    first.metadata.create_all(engine)
    with engine.begin() as conn:
        for name, rows in FIRST_RELEASE_ROWS.items():
            conn.execute(first.metadata.tables[name].insert(), rows)


def _rows(engine: Engine, name: str) -> list[dict]:
    table = s.metadata.tables[name]
    columns = [table.c[column] for column in FIRST_RELEASE_ROWS[name][0]]
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(*columns)).mappings()]


def test_the_first_release_covers_every_table_it_had():
    assert set(FIRST_RELEASE_ROWS) == set(first.metadata.tables)


def test_a_first_release_database_with_rows_upgrades_and_keeps_them(engine):
    _first_release_database(engine)
    assert current_revision(engine) is None

    store = StagingStore(engine)
    store.create_schema()

    assert current_revision(engine) == head_revision()
    assert schema_differences(engine) == []
    for name, rows in FIRST_RELEASE_ROWS.items():
        kept = _rows(engine, name)
        assert len(kept) == len(rows), name
        for column, value in rows[0].items():
            got = kept[0][column]
            if isinstance(value, datetime):
                got = got if got.tzinfo else got.replace(tzinfo=UTC)
            assert got == value, f"{name}.{column}"
    # The store reads the upgraded rows as it reads its own.
    (order,) = store.staged_orders("na_main", "US")
    assert order["odoo_order_id"] == 7 and order["amazon_total"] == Decimal("21.64")


def test_a_new_database_is_created_at_the_newest_revision_and_upgrading_again_changes_nothing(engine):
    upgrade_schema(engine)
    assert current_revision(engine) == head_revision()
    assert set(s.metadata.tables) <= set(inspect(engine).get_table_names())
    assert schema_differences(engine) == []
    upgrade_schema(engine)
    assert current_revision(engine) == head_revision()


def test_tasks_starting_together_upgrade_once(engine):
    _first_release_database(engine)
    errors: list[BaseException] = []

    def upgrade() -> None:
        try:
            StagingStore(engine).create_schema()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=upgrade) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert current_revision(engine) == head_revision()
    assert len(_rows(engine, "staged_orders")) == 1
