"""What every job of one seller account needs: its configuration, staging, and lazily opened clients."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from amzodoo.amazon.session import SpApiSession
from amzodoo.config.model import AccountConfig, ConnectorConfig
from amzodoo.odoo.client import OdooClient
from amzodoo.staging.store import StagingStore

log = logging.getLogger(__name__)


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

    def publish_summary(self, flow: str, counts: dict[str, Any], lines: list[str], *, marketplace: str | None = None,
                        failures: Sequence[str] = ()) -> dict[str, Any]:
        """Write what the run did to staging (``run_summaries``) and the task log; failed tasks come first."""
        if failures:
            lines = [f"{lines[0]}: RUN FAILED", *(f"  FAILED {failure}" for failure in failures), *lines[1:]]
        counts = {**counts, "failed_tasks": list(failures)}
        text = "\n".join(lines)
        self.store.record_summary(dag_id=self.dag_id, run_id=self.run_id, flow=flow, account=self.account,
                                  marketplace=marketplace, counts=counts, text=text)
        for line in lines:
            log.info("%s", line)
        return counts
