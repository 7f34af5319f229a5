"""The connector's marketplace table and the sandbox's own are kept apart (issue #14: a wrong id or currency must
not be wrong on both sides at once), so they are compared here, with each other and with the marketplaces in
Amazon's own model examples (tests/contracts)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from amzodoo.config import marketplaces as connector
from amzodoo_sandbox.spapi import marketplaces as sandbox
from tests.fixtures.contracts import SPAPI_MODELS_DIR

FIELDS = ("marketplace_id", "region", "country_code", "currency", "prices_include_tax", "sales_channel", "language")


def test_both_tables_have_the_same_marketplaces():
    assert set(connector.MARKETPLACES) == set(sandbox.MARKETPLACES)


@pytest.mark.parametrize("code", sorted(connector.MARKETPLACES))
def test_each_marketplace_is_the_same_in_both_tables(code):
    ours, theirs = connector.MARKETPLACES[code], sandbox.MARKETPLACES[code]
    assert {f: getattr(ours, f) for f in FIELDS} == {f: getattr(theirs, f) for f in FIELDS}


def _objects(node) -> Iterator[dict]:
    """Every JSON object in ``node``, itself included."""
    if isinstance(node, dict):
        yield node
        node = list(node.values())
    if isinstance(node, list):
        for value in node:
            yield from _objects(value)


def _currencies(order: dict) -> set[str]:
    return {o["currencyCode"] for o in _objects(order) if isinstance(o.get("currencyCode"), str)}


def _example_orders(model: dict) -> list[dict]:
    """Orders 2026-01-01 example orders: objects with a salesChannel object naming a marketplace."""
    return [o for o in _objects(model) if isinstance(o.get("salesChannel"), dict)
            and "marketplaceId" in o["salesChannel"]]


EXAMPLES = _example_orders(json.loads(
    (SPAPI_MODELS_DIR / "models" / "orders-api-model" / "orders_2026-01-01.json").read_text()))


def test_amazons_examples_cover_several_marketplaces():
    assert len({o["salesChannel"]["marketplaceId"] for o in EXAMPLES}) >= 5


@pytest.mark.parametrize("table", [connector, sandbox], ids=["connector", "sandbox"])
def test_amazons_example_orders_agree_with_the_table(table):
    """Id -> sales channel name, currency of every amount, country of the delivery address."""
    for order in EXAMPLES:
        channel = order["salesChannel"]
        mp = table.BY_MARKETPLACE_ID[channel["marketplaceId"]]
        assert mp.sales_channel == channel["marketplaceName"], order["orderId"]
        assert _currencies(order) == {mp.currency}, order["orderId"]
        country = (order.get("recipient") or {}).get("deliveryAddress", {}).get("countryCode")
        if country:
            assert mp.country_code == country, order["orderId"]


def test_the_sandbox_imports_nothing_from_the_connector():
    import pathlib
    import re

    root = pathlib.Path(sandbox.__file__).resolve().parents[1]
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if re.search(r"^\s*(from|import) amzodoo(\.|\s|$)", p.read_text(), re.M)]
    assert offenders == []
