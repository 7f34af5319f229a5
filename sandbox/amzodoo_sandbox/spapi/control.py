"""The unauthenticated control interface under ``/_sandbox/`` (the same operations as SpApiSandbox's methods).

GET  /_sandbox/clock                      -> {"now": ...}
POST /_sandbox/advance {"seconds": 3600}  -> {"now": ...}
GET  /_sandbox/counters[?account=na_main] -> {"counters": {"orders.searchOrders": 3, ...}, "throttled": n}
POST /_sandbox/counters/reset
GET  /_sandbox/faults | POST /_sandbox/faults {"operation", "kind", "count", ...options} | DELETE /_sandbox/faults
POST /_sandbox/orders/generate {"account", "marketplace", "count", "start"?, "end"?, "fba_share"?,
                                           "business_share"?} -> {"orderIds"}
POST /_sandbox/orders/load {"account", "orders": [Order, ...]} -> {"orderIds"}
GET  /_sandbox/orders/<orderId>           -> Orders 2026-01-01 Order with all includedData, as of now
GET  /_sandbox/shipments/<orderId>        -> confirmShipment payloads accepted
POST /_sandbox/fba-inventory {"account", "sku", "quantity"}
POST /_sandbox/tokens/expire              -> every issued access token expires now
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from .http_types import Response
from .timefmt import iso, parse_iso

if TYPE_CHECKING:
    from .sandbox import SpApiSandbox


def _error(status: int, message: str) -> Response:
    return Response(status, {"errors": [{"code": "InvalidInput", "message": message}]})


def handle_control(sandbox: SpApiSandbox, method: str, path: str, query: dict[str, list[str]], body: bytes) -> Response:
    try:
        data = json.loads(body or b"{}")
        return _dispatch(sandbox, method, path, query, data)
    except (KeyError, ValueError, TypeError) as exc:
        return _error(400, f"{exc.__class__.__name__}: {exc}")


def _dispatch(sandbox: SpApiSandbox, method: str, path: str, query: dict[str, list[str]], data: dict) -> Response:
    route = (method, path.removeprefix("/_sandbox"))
    if route == ("GET", "/clock"):
        return Response(200, {"now": iso(sandbox.clock.now()), "scale": sandbox.clock.scale})
    if route == ("POST", "/advance"):
        sandbox.clock.advance(float(data["seconds"]))
        return Response(200, {"now": iso(sandbox.clock.now())})
    if route == ("GET", "/counters"):
        account = (query.get("account") or [None])[0]
        return Response(200, {"counters": sandbox.counters(account), "throttled": sandbox.throttled()})
    if route == ("POST", "/counters/reset"):
        sandbox.reset_counters()
        return Response(200, {})
    if route == ("GET", "/faults"):
        return Response(200, {"faults": sandbox.state.faults.pending()})
    if route == ("POST", "/faults"):
        options = {k: v for k, v in data.items() if k not in ("operation", "kind", "count")}
        sandbox.inject_fault(data["operation"], data["kind"], count=int(data.get("count", 1)), **options)
        return Response(201, {"faults": sandbox.state.faults.pending()})
    if route == ("DELETE", "/faults"):
        sandbox.clear_faults()
        return Response(200, {})
    if route == ("POST", "/orders/generate"):
        ids = sandbox.generate_orders(
            data["account"],
            data["marketplace"],
            int(data["count"]),
            start=parse_iso(data["start"]) if data.get("start") else None,
            end=parse_iso(data["end"]) if data.get("end") else None,
            fba_share=float(data.get("fba_share", 0.6)),
            business_share=float(data.get("business_share", 0.12)),
        )
        return Response(201, {"orderIds": ids})
    if route == ("POST", "/orders/load"):
        return Response(201, {"orderIds": sandbox.load_orders(data["account"], data["orders"])})
    if route == ("POST", "/fba-inventory"):
        sandbox.set_fba_inventory(data["account"], data["sku"], int(data["quantity"]))
        return Response(200, {})
    if route == ("POST", "/tokens/expire"):
        sandbox.state.expire_tokens()
        return Response(200, {})
    found = re.fullmatch(r"/(orders|shipments)/([^/]+)", route[1])
    if method == "GET" and found:
        kind, order_id = found.groups()
        if order_id not in sandbox.state.orders:
            return _error(404, f"unknown order {order_id}")
        if kind == "orders":
            return Response(200, {"order": sandbox.order(order_id)})
        return Response(200, {"shipments": sandbox.shipments(order_id)})
    return _error(404, f"no control operation {method} {path}")
