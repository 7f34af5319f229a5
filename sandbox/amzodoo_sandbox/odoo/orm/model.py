"""The generic model: Odoo's public ORM methods over one SQL table per model.

Business models subclass `Model`, declare fields as class attributes and override `_create` / `_write` /
`_unlink` (calling super) to add behaviour; the public methods go through those, so nested calls do too.
Methods decorated with `rpc_model` or `rpc_records` are the only ones a client may call, like Odoo's public
methods; `rpc_records` methods receive the ids first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..exceptions import ValidationError, missing_record
from . import commands
from . import fields as f
from .domain import compile_domain, mentions_field

if TYPE_CHECKING:
    from .registry import Env

CHUNK = 900


def rpc_model(fn: Callable) -> Callable:
    fn._rpc = "model"
    return fn


def rpc_records(fn: Callable) -> Callable:
    fn._rpc = "records"
    return fn


def now_string() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def foreign_key_error(model: Model, field: f.Field) -> ValidationError:
    return ValidationError(
        "The operation cannot be completed: Another model is using the record you are trying to delete.\n\n"
        f"The troublemaker is: '{model._description or model._name}' ({model._name})\n"
        f"Thanks to the following constraint: '{field.describe()['string']}' ({field.name})\n"
        "How about archiving the record instead?")


def chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[i:i + CHUNK]) for i in range(0, len(ids), CHUNK)] or [[]]


class Model:
    _name = ""
    _description = ""
    _order = "id"
    _rec_name = "name"
    _parent_name = "parent_id"
    _inherits: dict[str, str] = {}
    # Odoo's wizards (TransientModel); here they are stored like any model.
    _transient = False
    # Major versions (inclusive) in which Odoo has this model; None means "always".
    _since: int | None = None
    _until: int | None = None

    create_date = f.Datetime("Created on", readonly=True)
    write_date = f.Datetime("Last Updated on", readonly=True)
    display_name = f.Char("Display Name", compute="_compute_display_name", search="_search_display_name")

    def __init__(self, env: Env) -> None:
        self.env = env
        self._fields: dict[str, f.Field] = env.registry.fields[self._name]
        self._table: sa.Table = env.registry.tables[self._name]

    # ----------------------------------------------------------------- public ORM
    @rpc_model
    def search(self, domain: Sequence | None = None, offset: int = 0, limit: int | None = None,
               order: str | None = None) -> list[int]:
        return self._search(domain or [], offset=offset, limit=limit, order=order)

    @rpc_model
    def search_count(self, domain: Sequence | None = None, limit: int | None = None) -> int:
        matching = self._query(domain or [], limit=limit).subquery()
        return int(self.env.conn.execute(sa.select(sa.func.count()).select_from(matching)).scalar() or 0)

    @rpc_model
    def search_read(self, domain: Sequence | None = None, fields: Sequence[str] | None = None, offset: int = 0,
                    limit: int | None = None, order: str | None = None,
                    load: str | None = "_classic_read") -> list[dict]:
        ids = self._search(domain or [], offset=offset, limit=limit, order=order)
        return self.read(ids, fields, load=load) if ids else []

    @rpc_records
    def read(self, ids: Sequence[int], fields: Sequence[str] | None = None,
             load: str | None = "_classic_read") -> list[dict]:
        names = list(fields) if fields else [n for n, fd in self._fields.items() if fd.type != "binary"]
        for name in names:
            if name != "id" and name not in self._fields:
                raise ValueError(f"Invalid field {name!r} on {self._name!r}")
        # Like Odoo, read() silently leaves out ids that no longer exist; write() and unlink() refuse them.
        rows = self._read(ids, [n for n in names if n != "id"])
        return [self._export(row, names, load) for row in self._convert_relations(rows, names, load)]

    @rpc_model
    def create(self, vals_list: dict | list[dict]) -> int | list[int]:
        single = isinstance(vals_list, dict)
        ids = self._create([vals_list] if single else list(vals_list))
        return ids[0] if single else ids

    @rpc_records
    def write(self, ids: Sequence[int], vals: dict) -> bool:
        self._write(list(ids), vals)
        return True

    @rpc_records
    def unlink(self, ids: Sequence[int]) -> bool:
        self._unlink(list(ids))
        return True

    @rpc_records
    def exists(self, ids: Sequence[int]) -> list[int]:
        return self._existing(list(ids))

    @rpc_model
    def check_access_rights(self, operation: str, raise_exception: bool = True) -> bool | None:
        """Everyone may do everything here; Odoo 19 answers None, older versions True."""
        return None if self.env.profile.major >= 19 else True

    @rpc_records
    def get_external_id(self, ids: Sequence[int]) -> dict[str, str]:
        data = self.env["ir.model.data"]
        found = {r["res_id"]: f"{r['module']}.{r['name']}" for r in data._raw(
            data._search([("model", "=", self._name), ("res_id", "in", list(ids))], order="id desc"),
            ["res_id", "module", "name"])}
        return {str(i): found.get(i, "") for i in ids}

    @rpc_model
    def name_search(self, name: str = "", domain: Sequence | None = None, operator: str = "ilike",
                    limit: int | None = 100) -> list[list]:
        full = list(domain or [])
        if name:
            full += self._name_search_domain(name, operator)
        ids = self._search(full, limit=limit)
        names = self._compute_display_name(ids)
        return [[i, names[i]] for i in ids]

    @rpc_model
    def fields_get(self, allfields: Sequence[str] | None = None, attributes: Sequence[str] | None = None) -> dict:
        result: dict[str, dict] = {"id": {"type": "integer", "string": "ID", "readonly": True, "required": False,
                                          "store": True, "searchable": True, "sortable": True}}
        for name, field in self._fields.items():
            info = field.describe()
            if isinstance(field, f.Selection):
                info["selection"] = [list(o) for o in field.options(self.env.profile)]
            info["name"] = name
            result[name] = info
        if allfields:
            result = {k: v for k, v in result.items() if k in allfields}
        if attributes:
            result = {k: {a: v[a] for a in attributes if a in v} for k, v in result.items()}
        return result

    @rpc_model
    def default_get(self, fields: Sequence[str]) -> dict:
        defaults = {}
        for name in fields:
            value = self._default_value(name)
            if value is not None:
                defaults[name] = value
        return defaults

    # ----------------------------------------------------------------- internals
    def _default_value(self, name: str) -> Any:
        key = f"default_{name}"
        if key in self.env.context:
            return self.env.context[key]
        field = self._fields.get(name)
        if field is None or field.default is None:
            return None
        return field.default(self.env) if callable(field.default) else field.default

    def _name_search_domain(self, name: str, operator: str) -> list:
        return [(self._rec_name, operator, name)]

    def _search_display_name(self, operator: str, value: Any) -> list:
        return [(self._rec_name, operator, value)]

    def _compute_display_name(self, ids: Sequence[int]) -> dict[int, str]:
        field = self._fields.get(self._rec_name)
        if field is None or not field.has_column:
            return {i: f"{self._name},{i}" for i in ids}
        rows = self._raw(ids, [self._rec_name])
        return {r["id"]: r[self._rec_name] or "" for r in rows}

    def _order_by(self, order: str | None) -> list:
        clauses = []
        for part in (order or self._order).split(","):
            words = part.strip().split()
            if not words:
                continue
            name, direction = words[0], (words[1].lower() if len(words) > 1 else "asc")
            field = self._fields.get(name)
            if name != "id" and (field is None or not (field.has_column or field.related_via)):
                raise ValueError(f"Invalid field {name!r} on model {self._name!r}")
            if direction not in ("asc", "desc"):
                raise ValueError(f"Invalid order {order!r} for model {self._name!r}")
            column = self._table.c[name] if name == "id" or field.has_column else self._delegated_column(field)
            clauses.append(column.desc() if direction == "desc" else column.asc())
        clauses.append(self._table.c.id.asc())
        return clauses

    def _delegated_column(self, field: f.Field) -> Any:
        link, _, parent_field = field.related_via.partition(".")
        parent = self.env[self._fields[link].comodel]
        if not parent._fields[parent_field].has_column:
            raise ValueError(f"Invalid field {field.name!r} on model {self._name!r}")
        target = parent._table
        return sa.select(target.c[parent_field]).where(target.c.id == self._table.c[link]).scalar_subquery()

    def _query(self, domain: Sequence, offset: int = 0, limit: int | None = None, order: str | None = None,
               active_test: bool | None = None) -> sa.Select:
        domain = list(domain)
        if active_test is None:
            active_test = self.env.context.get("active_test", True)
        if active_test and "active" in self._fields and not mentions_field(domain, "active"):
            domain = [("active", "=", True), *domain]
        query = sa.select(self._table.c.id).where(compile_domain(self, domain)).order_by(*self._order_by(order))
        if offset:
            query = query.offset(int(offset))
        if limit:
            query = query.limit(int(limit))
        return query

    def _search(self, domain: Sequence, offset: int = 0, limit: int | None = None, order: str | None = None,
                active_test: bool | None = None) -> list[int]:
        query = self._query(domain, offset=offset, limit=limit, order=order, active_test=active_test)
        return list(self.env.conn.execute(query).scalars())

    def _existing(self, ids: Sequence[int]) -> list[int]:
        found: set[int] = set()
        for chunk in chunks(list(ids)):
            found |= set(self.env.conn.execute(sa.select(self._table.c.id).where(self._table.c.id.in_(chunk)))
                         .scalars())
        return [i for i in ids if i in found]

    def _raw(self, ids: Sequence[int], names: Sequence[str]) -> list[dict]:
        """Stored column values as SQL holds them, in no particular order."""
        columns = [self._table.c.id, *(self._table.c[n] for n in names)]
        out: list[dict] = []
        for chunk in chunks(list(ids)):
            out += [dict(r._mapping) for r in self.env.conn.execute(sa.select(*columns).where(
                self._table.c.id.in_(chunk)))]
        return out

    def _read(self, ids: Sequence[int], names: Sequence[str], strict: bool = False) -> list[dict]:
        """Internal values in the order of `ids`: many2one as id or None, x2many as id lists."""
        ids = list(dict.fromkeys(int(i) for i in ids))
        stored = [n for n in names if self._fields[n].has_column]
        rows = {r["id"]: r for r in self._raw(ids, stored)}
        if strict and len(rows) != len(ids):
            missing = [i for i in ids if i not in rows]
            raise missing_record(self._name, missing, self.env.uid)
        ids = [i for i in ids if i in rows]
        result = [rows[i] for i in ids]
        for name in names:
            field = self._fields[name]
            if field.has_column:
                continue
            values = self._field_values(field, ids, rows)
            for row in result:
                row[name] = values.get(row["id"])
        return result

    def _field_values(self, field: f.Field, ids: list[int], rows: dict[int, dict]) -> dict[int, Any]:
        if field.related_via:
            link, _, parent_field = field.related_via.partition(".")
            links = {i: v for i, v in ((r["id"], r.get(link)) for r in self._raw(ids, [link])) if v}
            parent = self.env[self._fields[link].comodel]
            parent_rows = {r["id"]: r[parent_field] for r in parent._read(list(set(links.values())), [parent_field])}
            return {i: parent_rows.get(p) for i, p in links.items()}
        if field.compute:
            return getattr(self, field.compute)(ids)
        comodel = self.env[field.comodel]
        values: dict[int, list[int]] = {i: [] for i in ids}
        if isinstance(field, f.One2many):
            inverse = comodel._table.c[field.inverse]
            for chunk in chunks(ids):
                query = sa.select(comodel._table.c.id, inverse).where(inverse.in_(chunk)).order_by(
                    *comodel._order_by(None))
                if "active" in comodel._fields:
                    query = query.where(comodel._table.c.active.is_(True))
                for child, parent in self.env.conn.execute(query):
                    values[parent].append(child)
        else:
            rel = self.env.registry.relation_table(field)
            for chunk in chunks(ids):
                query = sa.select(rel.c[field.column1], rel.c[field.column2]).where(
                    rel.c[field.column1].in_(chunk)).order_by(rel.c[field.column2])
                for owner, target in self.env.conn.execute(query):
                    values[owner].append(target)
        return values

    def _convert_relations(self, rows: list[dict], names: Sequence[str], load: str | None) -> list[dict]:
        if load != "_classic_read":
            return rows
        for name in names:
            field = self._fields.get(name)
            if isinstance(field, f.Many2one):
                targets = list({r[name] for r in rows if r.get(name)})
                labels = self.env[field.comodel]._compute_display_name(targets) if targets else {}
                for row in rows:
                    value = row.get(name)
                    row[name] = [value, labels.get(value, "")] if value else False
        return rows

    def _export(self, row: dict, names: Sequence[str], load: str | None) -> dict:
        out: dict[str, Any] = {"id": row["id"]}
        for name in names:
            if name == "id":
                continue
            field = self._fields[name]
            value = row.get(name)
            if isinstance(field, f.Many2one) and load == "_classic_read":
                out[name] = value
            elif isinstance(field, (f.One2many, f.Many2many)):
                out[name] = list(value or [])
            else:
                out[name] = field.from_db(value)
        return out

    def _check_vals(self, vals: dict) -> None:
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None:
                raise ValueError(f"Invalid field {name!r} in {self._name!r}")
            if isinstance(field, f.Selection) and value not in (False, None):
                allowed = {k for k, _ in field.options(self.env.profile)}
                if value not in allowed:
                    raise ValueError(f"Wrong value for {self._name}.{name}: {value!r}")

    def _split(self, vals: dict) -> tuple[dict, dict, dict[str, dict]]:
        columns, relations, inherited = {}, {}, {}
        for name, value in vals.items():
            field = self._fields[name]
            if field.related_via:
                link, _, parent_field = field.related_via.partition(".")
                inherited.setdefault(link, {})[parent_field] = value
            elif isinstance(field, (f.One2many, f.Many2many)):
                relations[name] = value
            elif field.has_column:
                columns[name] = field.to_db(value)
        return columns, relations, inherited

    def _missing_required(self, columns: dict) -> None:
        for name, field in self._fields.items():
            if field.required and field.has_column and columns.get(name) in (None, ""):
                raise ValidationError(
                    "The operation cannot be completed: "
                    f"Missing required value for the field '{field.describe()['string']}' ({name}).\n"
                    f"Model: '{self._description or self._name}' ({self._name})\n"
                    "- create/update: a mandatory field is not set\n"
                    "- delete: another model requires the record being deleted, you can archive it instead\n")

    def _check_references(self, columns: dict) -> None:
        """Refuse many2one values that point nowhere, as PostgreSQL's foreign keys make Odoo do."""
        for name, value in columns.items():
            field = self._fields.get(name)
            if not isinstance(field, f.Many2one) or value is None:
                continue
            known = self.env.known_ids.setdefault(field.comodel, set())
            if value in known:
                continue
            if not self.env[field.comodel]._existing([value]):
                # PostgreSQL reports a dangling reference and a blocked delete alike, and so does Odoo.
                raise foreign_key_error(self, field)
            known.add(value)

    def _create(self, vals_list: list[dict]) -> list[int]:
        ids = []
        stamp = now_string()
        for given in vals_list:
            vals = dict(given)
            for name, field in self._fields.items():
                # Delegated defaults only apply when a new parent record is created along with this one.
                if field.related_via and vals.get(field.related_via.partition(".")[0]):
                    continue
                if name not in vals:
                    default = self._default_value(name)
                    if default is not None:
                        vals[name] = default
            self._check_vals(vals)
            columns, relations, inherited = self._split(vals)
            for link, parent_vals in inherited.items():
                parent = self.env[self._fields[link].comodel]
                if columns.get(link):
                    parent._write([columns[link]], parent_vals)
                else:
                    columns[link] = parent._create([parent_vals])[0]
            columns.setdefault("create_date", stamp)
            columns.setdefault("write_date", stamp)
            self._missing_required(columns)
            self._check_references(columns)
            new_id = self.env.conn.execute(self._table.insert().values(**columns)).inserted_primary_key[0]
            for name, value in relations.items():
                commands.apply(self, self._fields[name], new_id, value)
            ids.append(new_id)
        return ids

    def _write(self, ids: list[int], vals: dict) -> None:
        if not ids:
            return
        existing = self._existing(ids)
        if len(existing) != len(set(ids)):
            raise missing_record(self._name, [i for i in ids if i not in existing], self.env.uid)
        self._check_vals(vals)
        columns, relations, inherited = self._split(vals)
        for name, value in columns.items():
            if self._fields[name].required and value in (None, ""):
                self._missing_required({name: value})
        self._check_references(columns)
        columns["write_date"] = now_string()
        for chunk in chunks(ids):
            self.env.conn.execute(self._table.update().where(self._table.c.id.in_(chunk)).values(**columns))
        for link, parent_vals in inherited.items():
            parents = [r[link] for r in self._raw(ids, [link]) if r[link]]
            self.env[self._fields[link].comodel]._write(parents, parent_vals)
        for name, value in relations.items():
            for record_id in ids:
                commands.apply(self, self._fields[name], record_id, value)

    def _unlink(self, ids: list[int]) -> None:
        existing = self._existing(ids)
        if len(existing) != len(set(ids)):
            raise missing_record(self._name, [i for i in ids if i not in existing], self.env.uid)
        ids = existing
        if not ids:
            return
        registry = self.env.registry
        for model_name, field in registry.inbound.get(self._name, []):
            other = self.env[model_name]
            column = other._table.c[field.name]
            doomed = set(ids) if model_name == self._name else set()
            referencing = [i for i in other._search([(field.name, "in", ids)], active_test=False) if i not in doomed]
            if not referencing:
                continue
            if field.ondelete == "cascade":
                other._unlink(referencing)
            elif field.ondelete == "restrict":
                raise foreign_key_error(other, field)
            else:
                self.env.conn.execute(other._table.update().where(column.in_(ids)).values({field.name: None}))
        for rel, column1, column2 in registry.relations_touching(self._name):
            for chunk in chunks(ids):
                if column1 is not None:
                    self.env.conn.execute(rel.delete().where(rel.c[column1].in_(chunk)))
                if column2 is not None:
                    self.env.conn.execute(rel.delete().where(rel.c[column2].in_(chunk)))
        if self._name != "ir.model.data" and "ir.model.data" in registry.tables:
            data = registry.tables["ir.model.data"]
            self.env.conn.execute(data.delete().where(data.c.model == self._name, data.c.res_id.in_(ids)))
        for chunk in chunks(ids):
            self.env.conn.execute(self._table.delete().where(self._table.c.id.in_(chunk)))

    # ----------------------------------------------------------------- helpers for business code
    def _update_rows(self, ids: Sequence[int], values: dict) -> None:
        """Store computed values without going through write(): no hooks, no validation (Odoo's compute)."""
        if ids:
            for chunk in chunks(list(ids)):
                self.env.conn.execute(self._table.update().where(self._table.c.id.in_(chunk)).values(**values))
