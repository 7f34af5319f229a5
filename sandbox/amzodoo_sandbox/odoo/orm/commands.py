"""x2many write commands 0-6, applied after the owning record exists (as Odoo does)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from . import fields as f

if TYPE_CHECKING:
    from .model import Model

CREATE, UPDATE, DELETE, UNLINK, LINK, CLEAR, SET = range(7)


def normalise(value: Any) -> list[tuple]:
    """Accept Odoo's command lists, and a bare list of ids (Odoo reads that as SET)."""
    if value is False or value is None:
        return [(CLEAR,)]
    commands = list(value)
    if commands and all(isinstance(c, int) for c in commands):
        return [(SET, 0, commands)]
    if not commands:
        return [(SET, 0, [])]
    return [tuple(c) for c in commands]


def apply(model: Model, field: f.Field, record_id: int, value: Any) -> None:
    comodel = model.env[field.comodel]
    for command in normalise(value):
        code = command[0]
        if isinstance(field, f.One2many):
            _apply_one2many(comodel, field, record_id, code, command)
        else:
            _apply_many2many(model, comodel, field, record_id, code, command)


def _apply_one2many(comodel: Model, field: f.One2many, record_id: int, code: int, command: Sequence) -> None:
    inverse = field.inverse
    cascade = getattr(comodel._fields[inverse], "ondelete", "") == "cascade"
    if code == CREATE:
        comodel.create([{**command[2], inverse: record_id}])
    elif code == UPDATE:
        comodel.write([command[1]], command[2])
    elif code == DELETE:
        comodel.unlink([command[1]])
    elif code == UNLINK:
        if cascade:
            comodel.unlink([command[1]])
        else:
            comodel.write([command[1]], {inverse: False})
    elif code == LINK:
        comodel.write([command[1]], {inverse: record_id})
    elif code in (CLEAR, SET):
        keep = set(command[2]) if code == SET else set()
        current = comodel._search([(inverse, "=", record_id)], active_test=False)
        dropped = [i for i in current if i not in keep]
        if dropped:
            if cascade:
                comodel.unlink(dropped)
            else:
                comodel.write(dropped, {inverse: False})
        added = [i for i in keep if i not in current]
        if added:
            comodel.write(added, {inverse: record_id})
    else:
        raise ValueError(f"Unknown x2many command {command!r}")


def _apply_many2many(model: Model, comodel: Model, field: f.Many2many, record_id: int, code: int,
                     command: Sequence) -> None:
    rel = model.env.registry.relation_table(field)
    c1, c2 = rel.c[field.column1], rel.c[field.column2]
    conn = model.env.conn

    def link(ids: list[int]) -> None:
        existing = set(conn.execute(sa.select(c2).where(c1 == record_id, c2.in_(ids))).scalars())
        rows = [{field.column1: record_id, field.column2: i} for i in dict.fromkeys(ids) if i not in existing]
        if rows:
            conn.execute(rel.insert(), rows)

    if code == CREATE:
        new_id = comodel.create([command[2]])[0]
        link([new_id])
    elif code == UPDATE:
        comodel.write([command[1]], command[2])
        link([command[1]])
    elif code == DELETE:
        conn.execute(rel.delete().where(c1 == record_id, c2 == command[1]))
        comodel.unlink([command[1]])
    elif code == UNLINK:
        conn.execute(rel.delete().where(c1 == record_id, c2 == command[1]))
    elif code == LINK:
        link([command[1]])
    elif code == CLEAR:
        conn.execute(rel.delete().where(c1 == record_id))
    elif code == SET:
        conn.execute(rel.delete().where(c1 == record_id))
        link(list(command[2]))
    else:
        raise ValueError(f"Unknown x2many command {command!r}")
