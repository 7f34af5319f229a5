"""Alembic environment of the staging schema: runs on the connection ``amzodoo.staging.upgrade`` hands over.

SQLite alters tables in batch mode (copy and move), as it must.
"""

from __future__ import annotations

from alembic import context

from amzodoo.staging.schema import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
