"""Batched access to Odoo's ORM over whichever transport the connection uses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from amzodoo.odoo.transports import OdooCredentials, Transport, open_transport

T = TypeVar("T")
DEFAULT_BATCH = 500


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class OdooClient:
    """ORM calls with batching; every call is counted so runs can report how many RPCs they made."""

    def __init__(self, transport: Transport, version: tuple[int, int, str], *, context: dict | None = None):
        self.transport = transport
        self.version = version
        self.context = dict(context or {})
        self.calls: Counter[str] = Counter()

    @classmethod
    def connect(cls, creds: OdooCredentials, protocol: str = "auto", context: dict | None = None) -> OdooClient:
        transport, version = open_transport(creds, protocol)
        return cls(transport, version, context=context)

    @property
    def major_version(self) -> int:
        return self.version[0]

    @property
    def protocol(self) -> str:
        return self.transport.protocol

    def execute(
        self, model: str, method: str, ids: list[int] | None = None, context: dict | None = None, **kwargs: Any
    ) -> Any:
        merged = {**self.context, **(context or {})}
        if merged:
            kwargs["context"] = merged
        self.calls[f"{model}.{method}"] += 1
        return self.transport.execute(model, method, ids, kwargs)

    def search_read(
        self,
        model: str,
        domain: list,
        fields: list[str],
        *,
        order: str = "id",
        limit: int | None = None,
        batch_size: int = 2000,
        context: dict | None = None,
    ) -> list[dict[str, Any]]:
        """All matching records, fetched in pages of ``batch_size`` (stable order by id by default)."""
        rows: list[dict[str, Any]] = []
        offset = 0
        while True:
            page_limit = batch_size if limit is None else min(batch_size, limit - len(rows))
            page = self.execute(
                model, "search_read", domain=domain, fields=fields, offset=offset, limit=page_limit,
                order=order, context=context,
            )
            rows.extend(page)
            offset += len(page)
            if len(page) < page_limit or (limit is not None and len(rows) >= limit):
                return rows

    def search_read_in(
        self, model: str, field: str, values: Iterable[Any], fields: list[str], *, extra_domain: list | None = None,
        batch_size: int = 1000, context: dict | None = None,
    ) -> list[dict[str, Any]]:
        """Records whose ``field`` is one of ``values``: one call per ``batch_size`` values, not per value."""
        wanted = sorted({v for v in values if v not in (None, "", False)}, key=str)
        rows: list[dict[str, Any]] = []
        for part in chunks(wanted, batch_size):
            domain = [(field, "in", list(part)), *(extra_domain or [])]
            rows.extend(self.search_read(model, domain, fields, context=context))
        return rows

    def create(
        self, model: str, vals_list: Sequence[dict[str, Any]], *, batch_size: int = DEFAULT_BATCH,
        context: dict | None = None,
    ) -> list[int]:
        ids: list[int] = []
        for part in chunks(list(vals_list), batch_size):
            created = self.execute(model, "create", vals_list=list(part), context=context)
            ids.extend(created if isinstance(created, list) else [created])
        return ids

    def write(self, model: str, ids: Sequence[int], vals: dict[str, Any], *, context: dict | None = None) -> None:
        for part in chunks(list(ids), DEFAULT_BATCH):
            self.execute(model, "write", list(part), vals=vals, context=context)

    def call(
        self, model: str, method: str, ids: Sequence[int], *, batch_size: int = DEFAULT_BATCH,
        context: dict | None = None, **kwargs: Any,
    ) -> list[Any]:
        """A record method (action_confirm, button_validate, ...) on ``ids`` in batches; one result per batch."""
        return [
            self.execute(model, method, list(part), context=context, **kwargs)
            for part in chunks(list(ids), batch_size)
        ]

    def close(self) -> None:
        self.transport.close()
