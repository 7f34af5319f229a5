"""The Connections page's Test with ``port: 0`` (Airflow 3.3.2, apache/airflow#73298), through the real ASGI
middleware in front of a small app that answers like Airflow's endpoint does for a stored port-less row."""

from __future__ import annotations

import asyncio
import json

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from amzodoo.console.connection_test_port import ConnectionTestPortZero, without_port_zero


async def stored_row_without_port(request: Request) -> JSONResponse:
    """As 3.3.2's _same_endpoint: a body port other than the stored NULL is another destination."""
    body = await request.json()
    assert int(request.headers["content-length"]) == len(await request.body())
    if body.get("port") not in (None, ""):
        return JSONResponse({"detail": "The host or port to test differs from the stored connection."}, 400)
    return JSONResponse({"status": True, "message": "tested"})


APP = Starlette(routes=[Route("/api/v2/connections/test", stored_row_without_port, methods=["POST"])])


def post(app, body: dict) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://airflow") as client:
            return await client.post("/api/v2/connections/test", content=json.dumps(body))
    return asyncio.run(go())


def test_port_zero_of_the_connector_types_means_no_port() -> None:
    for conn_type in ("odoo", "amazon_sp_api"):
        body = {"connection_id": "c", "conn_type": conn_type, "password": "***", "port": 0}
        assert post(APP, body).status_code == 400  # Airflow 3.3.2 as it is
        answer = post(ConnectionTestPortZero(APP), body)
        assert answer.status_code == 200 and answer.json()["status"] is True


def test_other_types_and_real_ports_are_left_alone() -> None:
    wrapped = ConnectionTestPortZero(APP)
    assert post(wrapped, {"connection_id": "c", "conn_type": "postgres", "port": 0}).status_code == 400
    assert post(wrapped, {"connection_id": "c", "conn_type": "odoo", "port": 8069}).status_code == 400
    assert without_port_zero(b"not json") == b"not json"
    assert json.loads(without_port_zero(b'{"conn_type": "odoo", "port": 0, "host": "h"}')) == {
        "conn_type": "odoo", "host": "h"}
