"""Clients built exactly as the connector builds them, pointed at the sandbox."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from amzodoo.amazon.clients import build_client
from amzodoo.config.marketplaces import BY_MARKETPLACE_ID
from amzodoo_sandbox.spapi import SandboxAccount, SimClock, SpApiSandbox
from tests.fixtures.order_documents import HAND_MADE, amazon_example_orders
from tests.fixtures.spapi import RawSpApi


@pytest.fixture
def client_for(spapi_credentials):
    """client_for(ApiClass, account, marketplace, version=None) -> python-amazon-sp-api client."""

    def build(api_class, account="na_main", marketplace="US", version=None):
        return build_client(api_class, spapi_credentials[account], marketplace, version=version)

    return build


@pytest.fixture
def since(spapi_sandbox):
    """An ISO timestamp ``days`` before the sandbox clock's now."""

    def at(days: float = 10) -> str:
        return (spapi_sandbox.clock.now() - timedelta(days=days)).isoformat()

    return at


# Accounts covering every marketplace of Amazon's example orders (US, BR; UK, TR; JP) and of the hand-made ones.
LOAD_ACCOUNTS = [
    SandboxAccount("na_load", "A1NALOADTEST01", "Atzr|amzodoo-load-na", ("US", "BR")),
    SandboxAccount("eu_load", "A1EULOADTEST01", "Atzr|amzodoo-load-eu", ("UK", "DE", "TR")),
    SandboxAccount("fe_load", "A1FELOADTEST01", "Atzr|amzodoo-load-fe", ("JP",)),
]
LOAD_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@dataclass
class LoadedSandbox:
    sandbox: SpApiSandbox
    documents: dict[str, dict]  # order id -> the document as loaded
    accounts: dict[str, str]  # order id -> account
    raw: dict[str, RawSpApi]  # account -> plain HTTP client


def _account_of(document: dict) -> str:
    code = BY_MARKETPLACE_ID[document["salesChannel"]["marketplaceId"]].code
    return next(a.name for a in LOAD_ACCOUNTS if code in a.marketplaces)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Iterator[LoadedSandbox]:
    """A sandbox holding Amazon's example orders and the hand-made ones (tests/fixtures/order_documents.py),
    loaded over the control interface (and one account from an --orders-file), on a frozen clock."""
    sandbox = SpApiSandbox(accounts=LOAD_ACCOUNTS, orders_per_marketplace=0, clock=SimClock(LOAD_NOW, scale=0),
                           enforce_quotas=False)
    sandbox.start()
    documents = amazon_example_orders() + [build(f"{900 + n}-0000000-{n:07d}", LOAD_NOW)
                                           for n, build in enumerate(HAND_MADE.values())]
    by_account: dict[str, list[dict]] = {}
    for document in documents:
        by_account.setdefault(_account_of(document), []).append(document)
    for account, orders in sorted(by_account.items()):
        if account == "fe_load":
            path = tmp_path_factory.mktemp("orders") / "fe.json"
            path.write_text(json.dumps({"orders": orders}, ensure_ascii=False), encoding="utf-8")
            sandbox.load_orders_file(account, path)
        else:
            sent = copy.deepcopy(orders)
            response = httpx.post(sandbox.url + "/_sandbox/orders/load", json={"account": account, "orders": sent})
            assert response.status_code == 201, response.text
    raw = {a.name: RawSpApi(sandbox.url, a.refresh_token) for a in LOAD_ACCOUNTS}
    try:
        yield LoadedSandbox(sandbox, {d["orderId"]: d for d in documents},
                            {d["orderId"]: _account_of(d) for d in documents}, raw)
    finally:
        for client in raw.values():
            client.close()
        sandbox.stop()
