"""What every job of one seller account needs: its configuration, staging, and lazily opened clients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from amzodoo.amazon.session import SpApiSession
from amzodoo.config.model import AccountConfig, ConnectorConfig
from amzodoo.odoo.client import OdooClient
from amzodoo.staging.store import StagingStore


@dataclass
class AccountJob:
    account: str
    config: ConnectorConfig
    store: StagingStore
    amazon: Callable[[], SpApiSession]  # opened on first use: a step with nothing to do never logs in
    odoo: Callable[[], OdooClient]
    dag_id: str = ""
    run_id: str = ""
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    @property
    def account_config(self) -> AccountConfig:
        return self.config.accounts[self.account]
