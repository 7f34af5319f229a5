"""Clients built exactly as the connector builds them, pointed at the sandbox."""

from __future__ import annotations

from datetime import timedelta

import pytest

from amzodoo.amazon.clients import build_client


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
