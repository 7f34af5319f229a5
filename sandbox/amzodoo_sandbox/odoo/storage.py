"""Database engines: a SQLite file (WAL, case-sensitive LIKE as in PostgreSQL) or any SQLAlchemy URL."""

from __future__ import annotations

import sqlalchemy as sa


def make_engine(db_url: str) -> sa.Engine:
    if db_url.startswith("sqlite"):
        engine = sa.create_engine(db_url, connect_args={"check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Odoo's `like` is case-sensitive (PostgreSQL); SQLite's is not unless told.
            cursor.execute("PRAGMA case_sensitive_like=ON")
            cursor.close()

        return engine
    return sa.create_engine(db_url, pool_pre_ping=True)
