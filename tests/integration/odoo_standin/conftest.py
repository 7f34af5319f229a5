"""Shared clients for the Odoo integration tests (the target comes from tests/fixtures/odoo.py)."""

from __future__ import annotations

from collections.abc import Iterator

import odoorpc
import pytest

from tests.fixtures.odoo import OdooTarget

from .clients import Json2, Kit, Vocabulary, XmlRpc, odoorpc_client


@pytest.fixture(scope="session")
def odoo(odoo_target: OdooTarget) -> odoorpc.ODOO:
    return odoorpc_client(odoo_target)


@pytest.fixture(scope="session")
def xml(odoo_target: OdooTarget) -> XmlRpc:
    return XmlRpc(odoo_target)


@pytest.fixture(scope="session")
def json2(odoo_target: OdooTarget) -> Iterator[Json2]:
    if not odoo_target.api_key:
        pytest.skip("JSON-2 needs an API key (set ODOO_API_KEY for a real Odoo)")
    client = Json2(odoo_target)
    yield client
    client.close()


@pytest.fixture(scope="session")
def vocab(odoo_target: OdooTarget) -> Vocabulary:
    return Vocabulary(odoo_target.major)


@pytest.fixture(scope="session")
def skip_sms() -> dict:
    """Real Odoo 19 may answer button_validate with an SMS wizard (stock_sms); this context key skips it."""
    return {"skip_sms": True}


@pytest.fixture(scope="session")
def kit(odoo: odoorpc.ODOO, vocab: Vocabulary) -> Kit:
    return Kit(odoo, vocab)
