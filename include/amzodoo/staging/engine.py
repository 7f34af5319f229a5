"""Where staging lives: a SQLite file by default, PostgreSQL (or any SQLAlchemy URL) in production."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

DEFAULT_FILE = "amzodoo_staging.sqlite"


def default_url() -> str:
    home = Path(os.environ.get("AIRFLOW_HOME") or Path.home() / "airflow")
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / DEFAULT_FILE}"


def normalise_url(url: str) -> str:
    """Airflow connection URIs say postgres://; SQLAlchemy wants postgresql+psycopg2://."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


def make_engine(url: str | None = None, *, schema: str | None = None) -> Engine:
    url = normalise_url(url or default_url())
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # several task processes share the file
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def engine_from_airflow(conn_id: str | None) -> Engine:
    """The staging engine for a DAG: the Airflow connection ``conn_id``, or the default SQLite file."""
    if not conn_id:
        return make_engine()
    from airflow.sdk import BaseHook

    conn = BaseHook.get_connection(conn_id)
    extra = conn.extra_dejson or {}
    if conn.conn_type == "sqlite":
        return make_engine(f"sqlite:///{conn.host}")
    if conn.conn_type == "postgres":
        from airflow.providers.postgres.hooks.postgres import PostgresHook

        # The provider's hook builds the URL (driver, SSL and the other connection extras) as Airflow does.
        schema = extra.get("schema")
        return PostgresHook(postgres_conn_id=conn_id).get_sqlalchemy_engine(engine_kwargs={
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={schema}"} if schema else {},
        })
    return make_engine(conn.get_uri().split("?")[0], schema=extra.get("schema"))
