"""An in-process environment on a seeded SQLite file: the ORM without HTTP, rolled back after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from amzodoo_sandbox.odoo.models import ALL_MODELS
from amzodoo_sandbox.odoo.orm.registry import Env, Registry
from amzodoo_sandbox.odoo.seed import seed
from amzodoo_sandbox.odoo.storage import make_engine
from amzodoo_sandbox.odoo.versions import profile_for


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    path: Path = tmp_path_factory.mktemp("odoo") / "unit.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    registry = Registry(engine, profile_for("19.0"), ALL_MODELS)
    with engine.begin() as conn:
        seed(Env(registry, conn, 1), "admin", "admin")
    yield registry
    engine.dispose()


@pytest.fixture
def env(registry: Registry) -> Iterator[Env]:
    conn = registry.engine.connect()
    transaction = conn.begin()
    try:
        yield Env(registry, conn, 2)
    finally:
        transaction.rollback()
        conn.close()


def ids(env: Env, model: str, domain: list) -> set[int]:
    return set(env[model]._search(domain))


def sql_of(env: Env, model: str, domain: list) -> str:
    from amzodoo_sandbox.odoo.orm.domain import compile_domain

    return str(compile_domain(env[model], domain).compile(compile_kwargs={"literal_binds": True},
                                                          dialect=sa.dialects.sqlite.dialect()))
