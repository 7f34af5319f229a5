"""Translate Odoo domains into SQL, so searches stay fast on tens of thousands of rows.

A domain is Polish notation over leaves `(path, operator, value)`. Negation is pushed down to the leaves
(Odoo does the same), so `!` keeps Odoo's NULL semantics: `not name = 'x'` also matches rows without a name.
Dotted paths become `IN (SELECT ...)` subqueries on the related model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from . import fields as f

if TYPE_CHECKING:
    from .model import Model

TRUE_LEAF = (1, "=", 1)
FALSE_LEAF = (0, "=", 1)
NEGATIONS = {
    "=": "!=", "!=": "=", "in": "not in", "not in": "in", "<": ">=", ">=": "<", ">": "<=", "<=": ">",
    "like": "not like", "not like": "like", "ilike": "not ilike", "not ilike": "ilike",
    "=like": "not =like", "not =like": "=like", "=ilike": "not =ilike", "not =ilike": "=ilike",
    "<>": "=",
}
OPERATORS = set(NEGATIONS) | {"child_of", "parent_of"}


def compile_domain(model: Model, domain: Sequence[Any] | None) -> sa.ColumnElement[bool]:
    items = list(domain or [])
    position = 0

    def parse(negate: bool) -> sa.ColumnElement[bool]:
        nonlocal position
        if position >= len(items):
            raise ValueError(f"Invalid domain {domain!r}: an operator is missing operands")
        token = items[position]
        position += 1
        if token == "!":
            return parse(not negate)
        if token in ("&", "|"):
            left, right = parse(negate), parse(negate)
            use_and = (token == "&") != negate
            return sa.and_(left, right) if use_and else sa.or_(left, right)
        return compile_leaf(model, token, negate)

    parts = []
    while position < len(items):
        parts.append(parse(False))
    return sa.and_(sa.true(), *parts)


def mentions_field(domain: Sequence[Any] | None, name: str) -> bool:
    return any(isinstance(t, (list, tuple)) and len(t) == 3 and str(t[0]).split(".")[0] == name for t in domain or [])


def compile_leaf(model: Model, leaf: Any, negate: bool) -> sa.ColumnElement[bool]:
    if not isinstance(leaf, (list, tuple)) or len(leaf) != 3:
        raise ValueError(f"Invalid leaf {leaf!r}")
    path, operator, value = leaf
    if tuple(leaf) in (TRUE_LEAF, FALSE_LEAF):
        return sa.true() if (tuple(leaf) == TRUE_LEAF) != negate else sa.false()
    operator = str(operator).lower()
    if operator not in OPERATORS:
        raise ValueError(f"Invalid operator {operator!r} in domain term {leaf!r}")
    if negate:
        if operator in ("child_of", "parent_of"):
            return sa.not_(compile_leaf(model, leaf, False))
        operator = NEGATIONS[operator]
    if operator == "<>":
        operator = "!="
    head, _, rest = str(path).partition(".")
    table = model._table
    if head == "id":
        return _compare(table.c.id, "integer", operator, _child_ids(model, operator, value))
    field = model._fields.get(head)
    if field is None:
        raise ValueError(f"Invalid field {model._name}.{head} in condition {tuple(leaf)!r}")
    if field.related_via:
        link, _, parent_field = field.related_via.partition(".")
        parent = model.env[model._fields[link].comodel]
        sub_path = f"{parent_field}.{rest}" if rest else parent_field
        inner = compile_leaf(parent, (sub_path, operator, value), False)
        return table.c[link].in_(sa.select(parent._table.c.id).where(inner))
    if not field.store:
        if field.search is None:
            raise ValueError(f"Non-stored field {model._name}.{head} cannot be searched.")
        rewritten = getattr(model, field.search)(operator, value)
        return compile_domain(model, rewritten)
    if rest:
        return _compile_path(model, field, rest, operator, value)
    if isinstance(field, f.Many2one):
        return _compile_many2one(model, field, operator, value)
    if isinstance(field, (f.One2many, f.Many2many)):
        return _compile_x2many(model, field, operator, value)
    return _compare(table.c[head], field.type, operator, value)


def _compile_path(model: Model, field: f.Field, rest: str, operator: str, value: Any) -> sa.ColumnElement[bool]:
    comodel = model.env[field.comodel]
    inner = compile_leaf(comodel, (rest, operator, value), False)
    matching = sa.select(comodel._table.c.id).where(inner)
    if isinstance(field, f.Many2one):
        return model._table.c[field.name].in_(matching)
    if isinstance(field, f.One2many):
        inverse = comodel._table.c[field.inverse]
        return model._table.c.id.in_(sa.select(inverse).where(inner, inverse.is_not(None)))
    rel = model.env.registry.relation_table(field)
    return model._table.c.id.in_(sa.select(rel.c[field.column1]).where(rel.c[field.column2].in_(matching)))


def _name_matches(model: Model, comodel_name: str, operator: str, value: Any) -> sa.Select:
    comodel = model.env[comodel_name]
    domain = comodel._name_search_domain(str(value), operator)
    return sa.select(comodel._table.c.id).where(compile_domain(comodel, domain))


def _compile_many2one(model: Model, field: f.Many2one, operator: str, value: Any) -> sa.ColumnElement[bool]:
    column = model._table.c[field.name]
    if operator in ("child_of", "parent_of"):
        comodel = model.env[field.comodel]
        if field.name == model._parent_name and field.comodel == model._name:
            # On the hierarchy's own parent field Odoo reads the condition as `id child_of value`.
            column = model._table.c.id
        return _compare(column, "integer", "in", _child_ids(comodel, operator, value))
    if isinstance(value, str) and operator not in ("in", "not in"):
        positive = {"!=": "=", "not like": "like", "not ilike": "ilike", "not =like": "=like",
                    "not =ilike": "=ilike"}.get(operator)
        matches = _name_matches(model, field.comodel, positive or operator, value)
        if positive:
            return sa.or_(column.not_in(matches), column.is_(None))
        return column.in_(matches)
    if isinstance(value, (list, tuple)) and any(isinstance(v, str) for v in value):
        comodel = model.env[field.comodel]
        names = [v for v in value if isinstance(v, str)]
        matches = sa.select(comodel._table.c.id).where(
            compile_domain(comodel, [(comodel._rec_name, "in", names)]))
        return column.in_(matches) if operator == "in" else sa.or_(column.not_in(matches), column.is_(None))
    return _compare(column, "integer", operator, value)


def _owners_of(model: Model, field: f.Field, targets: Any) -> sa.Select:
    """Ids of `model` records whose x2many `field` holds one of `targets` (a list or a subquery)."""
    comodel = model.env[field.comodel]
    if isinstance(field, f.One2many):
        inverse = comodel._table.c[field.inverse]
        return sa.select(inverse).where(comodel._table.c.id.in_(targets), inverse.is_not(None))
    rel = model.env.registry.relation_table(field)
    return sa.select(rel.c[field.column1]).where(rel.c[field.column2].in_(targets))


def _owners_of_any(model: Model, field: f.Field) -> sa.Select:
    comodel = model.env[field.comodel]
    if isinstance(field, f.One2many):
        inverse = comodel._table.c[field.inverse]
        return sa.select(inverse).where(inverse.is_not(None))
    return sa.select(model.env.registry.relation_table(field).c[field.column1])


def _compile_x2many(model: Model, field: f.Field, operator: str, value: Any) -> sa.ColumnElement[bool]:
    ids_col = model._table.c.id
    if value is False or value is None or value == []:
        empty = operator in ("=", "in")
        linked = _owners_of_any(model, field)
        return ids_col.not_in(linked) if empty else ids_col.in_(linked)
    if isinstance(value, str):
        positive = operator.removeprefix("not ").replace("!=", "=")
        matches = _owners_of(model, field, _name_matches(model, field.comodel, positive, value))
        return ids_col.in_(matches) if positive == operator else ids_col.not_in(matches)
    values = [value] if isinstance(value, int) else list(value)
    if operator in ("=", "in"):
        return ids_col.in_(_owners_of(model, field, values))
    if operator in ("!=", "not in"):
        return ids_col.not_in(_owners_of(model, field, values))
    raise ValueError(f"Invalid operator {operator!r} on {model._name}.{field.name}")


def _child_ids(model: Model, operator: str, value: Any) -> Any:
    """Resolve child_of / parent_of to a list of ids by walking the parent field, as Odoo does."""
    if operator not in ("child_of", "parent_of"):
        return value
    parent = model._parent_name
    if isinstance(value, str):
        start = model._search(model._name_search_domain(value, "ilike"))
    else:
        start = [value] if isinstance(value, int) else list(value or [])
    found, frontier = set(start), set(start)
    table, conn = model._table, model.env.conn
    while frontier:
        if operator == "child_of":
            rows = conn.execute(sa.select(table.c.id).where(table.c[parent].in_(frontier))).scalars()
        else:
            rows = conn.execute(sa.select(table.c[parent]).where(
                table.c.id.in_(frontier), table.c[parent].is_not(None))).scalars()
        frontier = set(rows) - found
        found |= frontier
    return sorted(found)


def _escape_like(value: Any) -> str:
    return str(value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _compare(column: Any, ftype: str, operator: str, value: Any) -> sa.ColumnElement[bool]:
    textual = ftype in ("char", "text", "html", "selection")
    if operator in ("child_of", "parent_of"):
        operator = "in"
    if operator in ("=", "!="):
        if isinstance(value, (list, tuple)):
            operator = "in" if operator == "=" else "not in"
        elif value is False or value is None:
            empty = column.is_(None)
            if textual:
                empty = sa.or_(empty, column == "")
            elif ftype == "boolean":
                empty = sa.or_(empty, column.is_(False))
            return empty if operator == "=" else sa.not_(empty)
        elif ftype == "boolean":
            truthy = column.is_(True)
            return truthy if bool(value) == (operator == "=") else sa.or_(column.is_(None), column.is_(False))
        elif operator == "=":
            return column == value
        else:
            return sa.or_(column != value, column.is_(None))
    if operator in ("in", "not in"):
        values = [value] if not isinstance(value, (list, tuple, set)) else list(value)
        with_null = any(v is False or v is None for v in values) and ftype != "boolean"
        plain = [v for v in values if not (v is False or v is None)] if ftype != "boolean" else values
        if ftype == "boolean":
            truth = {bool(v) for v in plain}
            parts = [column.is_(True)] if True in truth else []
            if False in truth:
                parts.append(sa.or_(column.is_(None), column.is_(False)))
            positive = sa.or_(sa.false(), *parts)
            return positive if operator == "in" else sa.not_(positive)
        positive = sa.or_(column.in_(plain), column.is_(None)) if with_null else column.in_(plain)
        if operator == "in":
            return positive
        negative = sa.and_(column.not_in(plain), column.is_not(None)) if with_null else sa.or_(
            column.not_in(plain), column.is_(None))
        return negative
    if operator in ("<", "<=", ">", ">="):
        return {"<": column < value, "<=": column <= value, ">": column > value, ">=": column >= value}[operator]
    if value is False or value is None:
        return sa.true() if operator.startswith("not") else sa.false()
    pattern = str(value) if operator.removeprefix("not ").startswith("=") else f"%{_escape_like(value)}%"
    base = operator.removeprefix("not ").lstrip("=")
    expr = column.ilike(pattern, escape="\\") if base == "ilike" else column.like(pattern, escape="\\")
    if operator.startswith("not"):
        return sa.or_(sa.not_(expr), column.is_(None))
    return expr
