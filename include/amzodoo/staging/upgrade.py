"""Creating and upgrading the staging schema with Alembic, so that a seller upgrading the connector keeps every
staged order and never edits a database by hand.

Every task calls ``StagingStore.create_schema()``, which runs ``upgrade_schema`` once per process: under a lock on
the staging database (tasks starting together upgrade it once), it stamps a database made by the first release
(tables from ``metadata.create_all``, no version table) at revision 0001, then applies the revisions after it.
The same from a shell, e.g. before starting a new version's workers::

    python -m amzodoo.staging.upgrade --conn-id amzodoo_staging      # an Airflow connection (postgres)
    python -m amzodoo.staging.upgrade --url sqlite:////opt/airflow/amzodoo_staging.sqlite
    python -m amzodoo.staging.upgrade --url ... --show                # the revision it is at, and head

A schema change is a new file in ``migrations/versions`` (``python -m amzodoo.staging.upgrade --url sqlite:///x.db
--new "what changed"`` writes one from the difference between ``schema.py`` and an upgraded database).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from amzodoo.staging.locks import named_lock
from amzodoo.staging.schema import VERSION_TABLE, metadata

SCRIPT_LOCATION = Path(__file__).with_name("migrations")
FIRST_RELEASE = "0001"
FIRST_RELEASE_TABLE = "raw_orders"  # present in every database the first release created


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


def upgrade_schema(engine: Engine) -> None:
    """Bring the staging schema to the newest revision, whatever revision (or first-release state) it is in."""
    with named_lock(engine, "amzodoo:staging-schema"), engine.begin() as conn:
        config = _config(conn)
        tables = set(inspect(conn).get_table_names())
        if FIRST_RELEASE_TABLE in tables and VERSION_TABLE not in tables:
            command.stamp(config, FIRST_RELEASE)
        command.upgrade(config, "head")


def schema_differences(engine: Engine) -> list[Any]:
    """What differs between the database and ``schema.py`` (empty when the migrations are complete)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "version_table": VERSION_TABLE})
        return [d for d in compare_metadata(context, metadata) if not _is_version_table(d)]


def _is_version_table(difference: Any) -> bool:
    table = difference[1] if isinstance(difference, tuple) and len(difference) > 1 else None
    return getattr(table, "name", None) == VERSION_TABLE


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m amzodoo.staging.upgrade", description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--conn-id", help="Airflow connection of the staging database (as staging_conn_id)")
    where.add_argument("--url", help="SQLAlchemy URL of the staging database (default: the SQLite file)")
    parser.add_argument("--schema", help="PostgreSQL schema (default: the connection's extra, else public)")
    parser.add_argument("--show", action="store_true", help="print the current and newest revision only")
    parser.add_argument("--new", metavar="MESSAGE", help="write a new revision from what schema.py adds")
    args = parser.parse_args(argv)
    from amzodoo.staging.engine import engine_from_airflow, make_engine

    engine = engine_from_airflow(args.conn_id) if args.conn_id else make_engine(args.url, schema=args.schema)
    try:
        if args.new:
            upgrade_schema(engine)
            with engine.begin() as conn:
                command.revision(_config(conn), message=args.new, autogenerate=True,
                                 rev_id=f"{int(head_revision()) + 1:04d}")
        elif not args.show:
            upgrade_schema(engine)
        print(f"staging schema at revision {current_revision(engine)} (newest: {head_revision()})")
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
