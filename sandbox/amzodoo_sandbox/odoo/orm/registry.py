"""The registry: model classes bound to one database and one Odoo version, and the per-call environment."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ..versions import VersionProfile
from . import fields as f
from .model import Model


class Registry:
    def __init__(self, engine: sa.Engine, profile: VersionProfile, model_classes: Iterable[type[Model]]) -> None:
        self.engine = engine
        self.profile = profile
        self.metadata = sa.MetaData()
        self.models: dict[str, type[Model]] = {}
        self.fields: dict[str, dict[str, f.Field]] = {}
        self.tables: dict[str, sa.Table] = {}
        self.relations: dict[str, sa.Table] = {}
        self.inbound: dict[str, list[tuple[str, f.Many2one]]] = {}
        major = profile.major
        classes = [cls for cls in model_classes if (cls._since is None or major >= cls._since)
                   and (cls._until is None or major <= cls._until)]
        for cls in classes:
            self.models[cls._name] = cls
            self.fields[cls._name] = self._collect_fields(cls)
        for cls in classes:
            for parent_name, link in cls._inherits.items():
                own = self.fields[cls._name]
                for name, field in self.fields[parent_name].items():
                    if name in own or name in ("create_date", "write_date", "display_name") or field.related_via:
                        continue
                    delegated = copy.copy(field)
                    delegated.related_via = f"{link}.{name}"
                    delegated.store = True
                    own[name] = delegated
        for cls in classes:
            self._build_table(cls)
        self.internal = sa.Table(
            "standin_sequence", self.metadata,
            sa.Column("code", sa.String, primary_key=True), sa.Column("next_number", sa.Integer, nullable=False))
        self.api_keys = sa.Table(
            "standin_api_key", self.metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("user_id", sa.Integer, nullable=False), sa.Column("key_hash", sa.String, nullable=False),
            sa.Column("name", sa.String))
        self.meta = sa.Table(
            "standin_meta", self.metadata,
            sa.Column("key", sa.String, primary_key=True), sa.Column("value", sa.String))
        self.metadata.create_all(engine)

    def _collect_fields(self, cls: type[Model]) -> dict[str, f.Field]:
        collected: dict[str, f.Field] = {}
        for klass in reversed(cls.__mro__):
            for value in vars(klass).values():
                if isinstance(value, f.Field) and value.exists_in(self.profile.major):
                    collected[value.name] = value
        return collected

    def _build_table(self, cls: type[Model]) -> None:
        table_name = cls._name.replace(".", "_")
        columns = [sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)]
        for name, field in self.fields[cls._name].items():
            if field.has_column:
                columns.append(sa.Column(name, field.sql_type(), index=field.index))
            if isinstance(field, f.Many2one) and field.has_column:
                self.inbound.setdefault(field.comodel, []).append((cls._name, field))
            if isinstance(field, f.Many2many) and not field.related_via:
                field.bind_relation(table_name)
                if field.relation not in self.relations:
                    self.relations[field.relation] = sa.Table(
                        field.relation, self.metadata,
                        sa.Column(field.column1, sa.Integer, primary_key=True),
                        sa.Column(field.column2, sa.Integer, primary_key=True, index=True))
        self.tables[cls._name] = sa.Table(table_name, self.metadata, *columns)

    def relation_table(self, field: f.Field) -> sa.Table:
        return self.relations[field.relation]

    def relations_touching(self, model_name: str) -> list[tuple[sa.Table, str | None, str | None]]:
        """Relation tables and the column(s) in them that hold ids of `model_name`."""
        touching = []
        for owner, fields_ in self.fields.items():
            for field in fields_.values():
                if not isinstance(field, f.Many2many) or field.related_via:
                    continue
                column1 = field.column1 if owner == model_name else None
                column2 = field.column2 if field.comodel == model_name else None
                if column1 or column2:
                    touching.append((self.relations[field.relation], column1, column2))
        return touching


class Env:
    """What one RPC call runs with: the connection (one transaction), the user and the context."""

    def __init__(self, registry: Registry, conn: sa.Connection, uid: int, context: dict | None = None) -> None:
        self.registry = registry
        self.conn = conn
        self.uid = uid
        self.context: dict[str, Any] = dict(context or {})
        # Ids confirmed to exist during this call (foreign-key checks), shared by every model of the call.
        self.known_ids: dict[str, set[int]] = {}
        # Per-call memo for lookups that cannot change during the call (xmlids, tax specs, roundings).
        self.cache: dict[Any, Any] = {}

    @property
    def profile(self) -> VersionProfile:
        return self.registry.profile

    def __getitem__(self, model_name: str) -> Any:
        return self.registry.models[model_name](self)

    def __contains__(self, model_name: str) -> bool:
        return model_name in self.registry.models

    def with_context(self, **values: Any) -> Env:
        env = Env(self.registry, self.conn, self.uid, {**self.context, **values})
        env.known_ids = self.known_ids
        env.cache = self.cache
        return env

    def memo(self, key: Any, compute: Any) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def next_sequence(self, code: str) -> int:
        table = self.registry.internal
        current = self.conn.execute(sa.select(table.c.next_number).where(table.c.code == code)).scalar()
        if current is None:
            self.conn.execute(table.insert().values(code=code, next_number=2))
            return 1
        self.conn.execute(table.update().where(table.c.code == code).values(next_number=current + 1))
        return current

    def ref(self, xmlid: str) -> int:
        return self.memo(("ref", xmlid), lambda: self._lookup_ref(xmlid))

    def _lookup_ref(self, xmlid: str) -> int:
        module, _, name = xmlid.partition(".")
        data = self.registry.tables["ir.model.data"]
        res_id = self.conn.execute(sa.select(data.c.res_id).where(data.c.module == module, data.c.name == name))\
            .scalar()
        if res_id is None:
            raise ValueError(f"External ID not found in the system: {xmlid}")
        return res_id
