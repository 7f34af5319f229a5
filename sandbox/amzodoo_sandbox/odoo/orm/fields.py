"""Field declarations: what a model stores, how it reads back over RPC and what fields_get reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

FALSY_READ = {"integer": 0, "float": 0.0, "monetary": 0.0}


class Field:
    type = "char"
    column_type: Any = sa.String

    def __init__(
        self,
        string: str | None = None,
        *,
        required: bool = False,
        readonly: bool = False,
        default: Any = None,
        index: bool = False,
        since: int | None = None,
        until: int | None = None,
        compute: str | None = None,
        store: bool = True,
        search: str | None = None,
        related_via: str | None = None,
        name: str | None = None,
    ) -> None:
        self.string = string
        self.required = required
        self.readonly = readonly
        self.default = default
        self.index = index
        # Major versions (inclusive) in which Odoo has this field; None means "always".
        self.since = since
        self.until = until
        self.compute = compute
        self.store = store and compute is None
        self.search = search
        # "link.field": the value lives on the record the many2one `link` points to (Odoo's _inherits).
        self.related_via = related_via
        # An explicit name lets one class declare two spellings of a field for different versions.
        self.name = name or ""

    def __set_name__(self, owner: type, name: str) -> None:
        if not self.name:
            self.name = name

    def exists_in(self, major: int) -> bool:
        return (self.since is None or major >= self.since) and (self.until is None or major <= self.until)

    @property
    def has_column(self) -> bool:
        return self.store and self.related_via is None

    def sql_type(self) -> Any:
        return self.column_type

    def to_db(self, value: Any) -> Any:
        if value is False or value is None:
            return None
        return value

    def from_db(self, value: Any) -> Any:
        if value is None:
            return FALSY_READ.get(self.type, False)
        return value

    def describe(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "string": self.string or self.name.replace("_", " ").title(),
            "required": self.required,
            "readonly": self.readonly or (self.compute is not None and self.search is None and not self.store),
            "store": self.store,
            "searchable": self.store or self.search is not None,
            "sortable": self.has_column,
        }


class Char(Field):
    type = "char"
    column_type = sa.String


class Text(Field):
    type = "text"
    column_type = sa.Text


class Html(Text):
    type = "html"


class Integer(Field):
    type = "integer"
    column_type = sa.Integer


class Float(Field):
    type = "float"
    column_type = sa.Float

    def to_db(self, value: Any) -> Any:
        return None if value is False or value is None else float(value)


class Monetary(Float):
    type = "monetary"


class Boolean(Field):
    type = "boolean"
    column_type = sa.Boolean

    def to_db(self, value: Any) -> Any:
        return bool(value)

    def from_db(self, value: Any) -> Any:
        return bool(value)


class Date(Field):
    """Stored as Odoo sends it, 'YYYY-MM-DD'; a datetime string is cut to its date, as Odoo does."""

    type = "date"
    column_type = sa.String

    def to_db(self, value: Any) -> Any:
        if value is False or value is None or value == "":
            return None
        if isinstance(value, (date, datetime)):
            return value.strftime("%Y-%m-%d")
        return datetime.strptime(str(value)[:10], "%Y-%m-%d").strftime("%Y-%m-%d")


class Datetime(Field):
    """Stored as Odoo sends it, naive UTC 'YYYY-MM-DD HH:MM:SS'; anything else is refused like Odoo refuses it."""

    type = "datetime"
    column_type = sa.String
    FORMAT = "%Y-%m-%d %H:%M:%S"

    def to_db(self, value: Any) -> Any:
        if value is False or value is None or value == "":
            return None
        if isinstance(value, datetime):
            if value.tzinfo:
                raise ValueError(f"Datetime field expects a naive datetime: {value}")
            return value.strftime(self.FORMAT)
        if isinstance(value, date):
            return value.strftime("%Y-%m-%d 00:00:00")
        text = str(value)
        for pattern in (self.FORMAT, "%Y-%m-%d"):
            try:
                return datetime.strptime(text, pattern).strftime(self.FORMAT)
            except ValueError:
                continue
        raise ValueError(f"time data {text!r} does not match format '{self.FORMAT}'")


class ManyToOneReference(Integer):
    """An id whose model is named by another field (ir.model.data.res_id)."""

    type = "many2one_reference"


class Selection(Field):
    type = "selection"
    column_type = sa.String

    def __init__(
        self,
        selection: list[tuple[str, str]] | Callable[[Any], list[tuple[str, str]]],
        string: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(string, **kwargs)
        self.selection = selection

    def options(self, profile: Any) -> list[tuple[str, str]]:
        return list(self.selection(profile) if callable(self.selection) else self.selection)


class Many2one(Field):
    type = "many2one"
    column_type = sa.Integer

    def __init__(self, comodel: str, string: str | None = None, *, ondelete: str = "set null", **kwargs: Any):
        kwargs.setdefault("index", True)
        super().__init__(string, **kwargs)
        self.comodel = comodel
        self.ondelete = ondelete

    def to_db(self, value: Any) -> Any:
        if value is False or value is None:
            return None
        if isinstance(value, (list, tuple)):
            value = value[0]
        return int(value)

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "relation": self.comodel}


class One2many(Field):
    type = "one2many"

    def __init__(self, comodel: str, inverse: str, string: str | None = None, **kwargs: Any) -> None:
        super().__init__(string, **kwargs)
        self.comodel = comodel
        self.inverse = inverse

    @property
    def has_column(self) -> bool:
        return False

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "relation": self.comodel, "relation_field": self.inverse, "sortable": False}


class Many2many(Field):
    type = "many2many"

    def __init__(
        self,
        comodel: str,
        relation: str | None = None,
        column1: str | None = None,
        column2: str | None = None,
        string: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(string, **kwargs)
        self.comodel = comodel
        self.relation = relation
        self.column1 = column1
        self.column2 = column2

    @property
    def has_column(self) -> bool:
        return False

    def bind_relation(self, model_table: str) -> None:
        """Odoo's default relation name: both tables sorted, joined by `_rel`; columns are `<table>_id`."""
        comodel_table = self.comodel.replace(".", "_")
        if self.relation is None:
            self.relation = f"{'_'.join(sorted([model_table, comodel_table]))}_rel"
        if self.column1 is None:
            self.column1 = f"{model_table}_id"
        if self.column2 is None:
            self.column2 = f"{comodel_table}_id"
            if self.column2 == self.column1:
                self.column2 = f"{comodel_table}_id2"

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "relation": self.comodel, "sortable": False}

