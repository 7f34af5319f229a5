"""The request and response shapes handlers work with, independent of the HTTP server."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from .errors import invalid_input


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    now: datetime
    params: dict[str, str] = field(default_factory=dict)
    account: str | None = None
    operation: str = ""
    restricted: bool = False  # authorised by a Restricted Data Token for exactly this method and path

    def one(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def many(self, name: str) -> list[str] | None:
        """A list parameter; Amazon takes comma-separated values, python-amazon-sp-api also repeats keys."""
        values = self.query.get(name)
        if values is None:
            return None
        return [v for raw in values for v in raw.split(",") if v]

    def json(self) -> dict:
        try:
            data = json.loads(self.body or b"{}")
        except ValueError:
            raise invalid_input("The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise invalid_input("The request body must be a JSON object.")
        return data


@dataclass
class Response:
    status: int = 200
    body: dict | list | bytes | None = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
