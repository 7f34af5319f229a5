"""Locks across processes on the staging database: per account, so that sibling DAGs never extract the same window
twice at once, and one for schema upgrades, so that tasks starting together upgrade staging once.

PostgreSQL: a session advisory lock. SQLite (one machine by nature): an flock on a file beside the database.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

if TYPE_CHECKING:
    from amzodoo.staging.store import StagingStore


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def named_lock(engine: Engine, name: str) -> Iterator[None]:
    """Hold the lock ``name`` on this staging database (schema, on PostgreSQL) until the block ends."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            # Advisory locks are per database; stores in other schemas of it must not wait for each other.
            name = f"{conn.execute(text('SELECT current_schema()')).scalar_one()}:{name}"
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _lock_key(name)})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _lock_key(name)})
                conn.commit()
        return
    database = engine.url.database
    lock_dir = Path(database).parent if database and database != ":memory:" else Path("/tmp")
    path = lock_dir / f".{name.replace(':', '_')}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def account_lock(store: StagingStore, account: str, purpose: str = "extract") -> Iterator[None]:
    with named_lock(store.engine, f"amzodoo:{purpose}:{account}"):
        yield
