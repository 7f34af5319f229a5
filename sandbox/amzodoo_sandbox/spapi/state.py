"""Everything the sandbox remembers: accounts, orders, listings, FBA stock, tokens, reports, feeds, documents,
request counters and faults. One re-entrant lock guards it; handlers are short, so contention is low.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from amzodoo_sandbox.spapi.marketplaces import BY_MARKETPLACE_ID

from .accounts import SandboxAccount
from .catalog import Listing
from .clock import SimClock
from .errors import invalid_input
from .faults import FaultPlan
from .models import OrderRecord
from .quotas import QuotaBook

ACCESS_TOKEN_SECONDS = 3600


@dataclass
class AccessToken:
    account: str | None  # None for grantless (client_credentials) tokens
    expires_monotonic: float


@dataclass
class RestrictedToken:
    """A Restricted Data Token: valid only for the (method, path) resources it was issued for."""

    account: str
    resources: frozenset[tuple[str, str]]
    expires_monotonic: float


@dataclass
class Document:
    document_id: str
    account: str
    content: bytes = b""
    content_type: str = "text/plain"
    compressed: bool = False
    uploaded: bool = False
    truncate_next_downloads: int = 0


@dataclass
class AccountData:
    account: SandboxAccount
    listings: dict[str, Listing] = field(default_factory=dict)
    fba: dict[str, int] = field(default_factory=dict)
    generated_batches: int = 0


class SandboxState:
    def __init__(self, accounts: list[SandboxAccount], clock: SimClock, enforce_quotas: bool) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.enforce_quotas = enforce_quotas
        self.base_url = ""
        self.accounts: dict[str, AccountData] = {a.name: AccountData(a) for a in accounts}
        self.by_refresh_token = {a.refresh_token: a.name for a in accounts}
        self.by_seller_id = {a.seller_id: a.name for a in accounts}
        self.orders: dict[str, OrderRecord] = {}
        self.tokens: dict[str, AccessToken] = {}
        self.restricted_tokens: dict[str, RestrictedToken] = {}
        self.documents: dict[str, Document] = {}
        self.reports: dict = {}
        self.feeds: dict = {}
        self.pagination: dict[str, dict] = {}
        self.counters: Counter[tuple[str, str]] = Counter()
        self.throttled = 0
        self.quotas = QuotaBook()
        self.faults = FaultPlan()
        self._next_id = 50000000000
        # Simulated seconds a report or feed spends IN_QUEUE and IN_PROGRESS (Amazon: minutes).
        self.job_timing = {"queue_seconds": 20.0, "processing_seconds": 40.0}

    def now(self) -> datetime:
        return self.clock.now()

    def next_id(self) -> str:
        with self.lock:
            self._next_id += 1
            return str(self._next_id)

    def account(self, name: str) -> AccountData:
        try:
            return self.accounts[name]
        except KeyError:
            raise KeyError(f"unknown sandbox account {name!r}; known: {sorted(self.accounts)}") from None

    def issue_token(self, account: str | None) -> tuple[str, int]:
        # Token lifetimes run on wall time: python-amazon-sp-api caches tokens by wall time, and a simulated
        # day must not invalidate a token the library still considers fresh.
        prefix = "Atza|" if account else "Atc|"
        token = prefix + secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = AccessToken(account, time.monotonic() + ACCESS_TOKEN_SECONDS)
        return token, ACCESS_TOKEN_SECONDS

    def issue_restricted_token(self, account: str, resources: frozenset[tuple[str, str]]) -> tuple[str, int]:
        # Wall time, like access tokens (see issue_token); Amazon's RDTs also live an hour.
        token = "Atz.sprdt|" + secrets.token_urlsafe(24)
        with self.lock:
            self.restricted_tokens[token] = RestrictedToken(account, resources, time.monotonic() + ACCESS_TOKEN_SECONDS)
        return token, ACCESS_TOKEN_SECONDS

    def expire_tokens(self) -> None:
        with self.lock:
            for token in (*self.tokens.values(), *self.restricted_tokens.values()):
                token.expires_monotonic = 0.0

    def count(self, account: str, operation: str) -> None:
        with self.lock:
            self.counters[(account, operation)] += 1

    def counter_totals(self, account: str | None) -> dict[str, int]:
        with self.lock:
            totals: Counter[str] = Counter()
            for (acct, operation), n in self.counters.items():
                if account is None or acct == account:
                    totals[operation] += n
            return dict(sorted(totals.items()))

    def resolve_marketplaces(self, account: str, marketplace_ids: list[str]) -> list[str]:
        """Marketplace codes for ``marketplace_ids``; refuses ids the seller does not sell in."""
        acct = self.account(account).account
        codes = []
        for mid in marketplace_ids:
            mp = BY_MARKETPLACE_ID.get(mid)
            if mp is None or mp.code not in acct.marketplaces:
                where = "unknown marketplace" if mp is None else f"{mp.code} ({mp.region})"
                raise invalid_input(
                    f"Invalid marketplaceId {mid}",
                    f"{where} is not a marketplace this seller participates in ({acct.region} region).",
                )
            codes.append(mp.code)
        return codes

    def seller_orders(self, account: str, at: datetime) -> list[OrderRecord]:
        with self.lock:
            return [o for o in self.orders.values() if o.account == account and o.visible_at(at)]
