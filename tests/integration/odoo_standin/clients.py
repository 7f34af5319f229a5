"""Clients and per-version vocabulary for tests that must pass against the stand-in and a real Odoo alike."""

from __future__ import annotations

import uuid
import xmlrpc.client
from typing import Any

import httpx
import odoorpc

from tests.fixtures.odoo import OdooTarget


def unique(prefix: str) -> str:
    """A name no earlier run used: a real Odoo database keeps everything tests ever created."""
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def odoorpc_client(target: OdooTarget) -> odoorpc.ODOO:
    client = odoorpc.ODOO(target.host, protocol=target.odoorpc_protocol, port=target.port, timeout=60)
    client.login(target.database, target.login, target.password)
    return client


class XmlRpc:
    def __init__(self, target: OdooTarget) -> None:
        self.target = target
        self.common = xmlrpc.client.ServerProxy(f"{target.url}/xmlrpc/2/common")
        self.object = xmlrpc.client.ServerProxy(f"{target.url}/xmlrpc/2/object")
        self.uid = self.common.login(target.database, target.login, target.password)

    def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        return self.object.execute_kw(self.target.database, self.uid, self.target.password, model, method,
                                      list(args), kwargs)


class Json2:
    def __init__(self, target: OdooTarget, api_key: str | None = None) -> None:
        headers = {"X-Odoo-Database": target.database}
        key = api_key if api_key is not None else target.api_key
        if key:
            headers["Authorization"] = f"bearer {key}"
        self.http = httpx.Client(base_url=f"{target.url}/json/2", headers=headers, timeout=60)

    def post(self, model: str, method: str, **named: Any) -> httpx.Response:
        return self.http.post(f"/{model}/{method}", json=named)

    def call(self, model: str, method: str, **named: Any) -> Any:
        reply = self.post(model, method, **named)
        assert reply.status_code == 200, reply.text[:500]
        return reply.json()

    def close(self) -> None:
        self.http.close()


class Vocabulary:
    """Field names and values that changed between Odoo 17, 18 and 19."""

    def __init__(self, major: int) -> None:
        self.major = major

    @property
    def line_uom(self) -> str:
        return "product_uom_id" if self.major >= 19 else "product_uom"

    @property
    def line_taxes(self) -> str:
        return "tax_ids" if self.major >= 19 else "tax_id"

    def storable(self) -> dict:
        return {"type": "product"} if self.major <= 17 else {"type": "consu", "is_storable": True}

    def tax_included(self, included: bool) -> dict:
        if self.major <= 17:
            return {"price_include": included}
        return {"price_include_override": "tax_included" if included else "tax_excluded"}


class Kit:
    """Small builders over execute_kw so tests read as the business story they check."""

    def __init__(self, odoo: odoorpc.ODOO, vocab: Vocabulary) -> None:
        self.odoo = odoo
        self.vocab = vocab

    def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        return self.odoo.execute_kw(model, method, list(args), kwargs)

    def ref(self, xmlid: str) -> int:
        module, name = xmlid.split(".")
        return self.call("ir.model.data", "check_object_reference", module, name)[1]

    def partner(self, **vals: Any) -> int:
        return self.call("res.partner", "create", {"name": unique("Buyer"), **vals})

    def tax(self, amount: float, included: bool = False, amount_type: str = "percent") -> int:
        return self.call("account.tax", "create", {
            "name": unique(f"T{amount}"), "amount": amount, "amount_type": amount_type, "type_tax_use": "sale",
            **self.vocab.tax_included(included)})

    def product(self, storable: bool = True, **vals: Any) -> int:
        kind = self.vocab.storable() if storable else {"type": vals.pop("type", "consu")}
        return self.call("product.product", "create", {
            "name": unique("Widget"), "default_code": unique("AMZ").replace(" ", "-"), "list_price": 10.0,
            "taxes_id": [(6, 0, [])], **kind, **vals})

    def stock(self, product_id: int, quantity: float, location_id: int | None = None) -> None:
        location = location_id or self.ref("stock.stock_location_stock")
        quant = self.call("stock.quant", "create", {"product_id": product_id, "location_id": location,
                                                    "inventory_quantity": quantity},
                          context={"inventory_mode": True})
        self.call("stock.quant", "action_apply_inventory", [quant])

    def line(self, product_id: int, qty: float, price: float, taxes: list[int] | None = None, **vals: Any) -> tuple:
        return (0, 0, {"product_id": product_id, "product_uom_qty": qty, "price_unit": price,
                       self.vocab.line_taxes: [(6, 0, taxes or [])], **vals})

    def order(self, partner_id: int, lines: list[tuple], **vals: Any) -> int:
        return self.call("sale.order", "create", {"partner_id": partner_id, "order_line": lines, **vals})

    def read_one(self, model: str, record_id: int, fields: list[str]) -> dict:
        return self.call(model, "read", [record_id], fields)[0]
