"""Makes the Connections page's "Test" work for the connector's connection types on Airflow 3.3.2.

The form posts ``port: 0`` for a connection without a port (the UI's ``Number(null)``), and 3.3.2's
``POST /api/v2/connections/test`` then takes 0 for another destination than the stored NULL and refuses with 400
"The host or port to test differs from the stored connection" (apache/airflow#73298, fixed upstream by treating
0 as no port). Neither connection type has a port (the URL carries it), so for exactly these types and exactly
that request, ``port: 0`` is sent on as no port. Registered as a root middleware by the console plugin.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

CONNECTOR_CONN_TYPES = frozenset({"amazon_sp_api", "odoo"})
TEST_PATH = "/api/v2/connections/test"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def without_port_zero(body: bytes) -> bytes:
    """The request body with ``port: 0`` removed when it tests one of the connector's connection types."""
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if not isinstance(data, dict) or data.get("conn_type") not in CONNECTOR_CONN_TYPES or data.get("port") != 0:
        return body
    data.pop("port")
    return json.dumps(data).encode()


class ConnectionTestPortZero:
    """ASGI middleware: rewrites only POST .../api/v2/connections/test bodies (see :func:`without_port_zero`)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or not scope.get("path", "").endswith(TEST_PATH):
            await self.app(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        fixed = without_port_zero(body)
        if fixed is not body:
            headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
            scope = {**scope, "headers": [*headers, (b"content-length", str(len(fixed)).encode())]}
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": fixed, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
