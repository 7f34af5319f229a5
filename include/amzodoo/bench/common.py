"""What every measurement shares: a sandbox on a frozen simulated clock, sessions that wait on that clock,
the benchmark's connector configuration and throw-away staging stores."""

from __future__ import annotations

import math
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sp_api.auth import access_token_client
from sqlalchemy import create_engine, text

from amzodoo.amazon.clients import SpApiCredentials
from amzodoo.amazon.limiter import TokenBucketLimiter
from amzodoo.amazon.retry import RetryPolicy
from amzodoo.amazon.session import SpApiSession
from amzodoo.config.loader import parse_config
from amzodoo.config.model import ConnectorConfig
from amzodoo.staging.store import StagingStore
from amzodoo_sandbox.spapi import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, SimClock, SpApiSandbox

ACCOUNT = "na_main"
MARKETPLACES = ("US", "CA", "MX")
# A fixed simulated "now" keeps every run of the benchmark identical (same orders, same windows).
SIM_START = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
DEFAULT_PG_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"

# The embedded defaults' North American account, with the tax rounding fixed so that transforming never needs
# an Odoo connection (a fresh Odoo 19 rounds globally, as the stand-in does).
BENCH_CONFIG = """
odoo_conn_id: odoo_default
staging_conn_id: null
accounts:
  na_main:
    amazon_conn_id: amazon_sp_api_na_main
    marketplaces: [US, CA, MX]
    odoo:
      warehouse: WH
      fba_warehouse: FBANA
      sales_team: Amazon
      tax_rounding: round_globally
      products: {default: AMZ-SALE, shipping: AMZ-SHIPPING, gift_wrap: AMZ-GIFTWRAP, promotion: AMZ-PROMOTION}
"""


def bench_config() -> ConnectorConfig:
    return parse_config(BENCH_CONFIG, Path("<bench>"))


def clear_token_cache() -> None:
    """python-amazon-sp-api caches access tokens module-wide by refresh token; every sandbox issues new ones."""
    access_token_client.cache.clear()
    access_token_client.grantless_cache.clear()


@dataclass
class SimAmazon:
    """A sandbox whose clock moves only when someone waits: waiting costs no real time and is exact."""

    sandbox: SpApiSandbox
    credentials: SpApiCredentials
    sessions: list[SpApiSession] = field(default_factory=list)
    backoff_seconds: float = 0.0  # 429/5xx retry waits (the limiter's waits are on each session)

    @property
    def clock(self) -> SimClock:
        return self.sandbox.clock

    def sim_seconds(self) -> float:
        return self.sandbox.clock.now().timestamp()

    def advance(self, seconds: float) -> None:
        # The simulated clock keeps whole microseconds; rounding a wait down would leave the sandbox's bucket a
        # hair short of a token (a 429 that only the rounding caused), so round up.
        if seconds > 0:
            self.sandbox.clock.advance(math.ceil(seconds * 1e6) / 1e6 + 1e-6)

    def session(self, *, limited: bool = True) -> SpApiSession:
        """A session whose limiter and 429 backoff sleep on the simulated clock."""
        limiter = TokenBucketLimiter(clock=self.sim_seconds, sleep=self.advance) if limited else None
        session = SpApiSession(self.credentials, account=ACCOUNT, limiter=limiter,
                               retry=RetryPolicy(sleep=self._backoff))
        self.sessions.append(session)
        return session

    def _backoff(self, seconds: float) -> None:
        self.backoff_seconds += seconds
        self.advance(seconds)

    def api_calls(self) -> dict[str, int]:
        """SP-API requests the sandbox received for the account, LWA token requests left out."""
        return {op: n for op, n in self.sandbox.counters(ACCOUNT).items() if not op.startswith("lwa.")}

    def reset(self) -> None:
        self.sandbox.reset_counters()
        self.backoff_seconds = 0.0


@contextmanager
def sim_amazon(*, enforce_quotas: bool = True, scale: float = 0.0, seed: int = 7) -> Iterator[SimAmazon]:
    clear_token_cache()
    sandbox = SpApiSandbox(seed=seed, orders_per_marketplace=0, clock=SimClock(SIM_START, scale=scale),
                           enforce_quotas=enforce_quotas)
    url = sandbox.start()
    account = sandbox.state.account(ACCOUNT).account
    creds = SpApiCredentials(SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, account.refresh_token,
                             seller_id=account.seller_id, region=account.region, endpoint=url)
    amazon = SimAmazon(sandbox, creds)
    try:
        yield amazon
    finally:
        for session in amazon.sessions:
            session.close()
        sandbox.stop()
        clear_token_cache()


def generate(amazon: SimAmazon, count: int, *, start: datetime, end: datetime, fba_share: float) -> list[str]:
    """``count`` orders of the account spread over its marketplaces (US gets the remainder)."""
    ids: list[str] = []
    share, rest = divmod(count, len(MARKETPLACES))
    for i, code in enumerate(MARKETPLACES):
        n = share + (rest if i == 0 else 0)
        if n:
            ids += amazon.sandbox.generate_orders(ACCOUNT, code, n, start=start, end=end, fba_share=fba_share)
    return ids


@contextmanager
def sqlite_store() -> Iterator[StagingStore]:
    """A staging store in a fresh SQLite file, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="amzodoo-bench-") as tmp:
        store = StagingStore.from_url(f"sqlite:///{tmp}/staging.sqlite")
        store.create_schema()
        try:
            yield store
        finally:
            store.engine.dispose()


@contextmanager
def pg_schema(url: str = DEFAULT_PG_URL) -> Iterator[tuple[str, str]]:
    """A fresh PostgreSQL schema (yields url, schema name), dropped afterwards whatever happens."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield url, name
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


def pg_url() -> str:
    return os.environ.get("AMZODOO_BENCH_PG_URL", DEFAULT_PG_URL)


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.start


def per_thousand(calls: int, orders: int) -> float | None:
    return round(1000 * calls / orders, 2) if orders else None
