"""A usage-plan limiter shared by every process that uses the same staging database.

The DAGs of one seller account run in parallel (one per marketplace, on several workers) but Amazon counts
their requests together. Token buckets kept in the staging database, updated with compare-and-swap so that no
lock is held while a caller waits, keep all of them inside the account's usage plan.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import select, update

from amzodoo.amazon.usage_plans import USAGE_PLANS, UsagePlan
from amzodoo.staging.schema import rate_limit_buckets as buckets
from amzodoo.staging.store import StagingStore


class SharedTokenBucketLimiter:
    def __init__(
        self,
        store: StagingStore,
        account: str,
        *,
        plans: dict[str, UsagePlan] | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.account = account
        self.plans = plans or USAGE_PLANS
        self.clock = clock
        self.sleep = sleep

    def _reserve(self, operation: str, plan: UsagePlan) -> float:
        """Take (or book) one token atomically; return the seconds until the booked token exists."""
        key = (buckets.c.account == self.account) & (buckets.c.operation == operation)
        self.store.upsert(
            buckets,
            [{"account": self.account, "operation": operation, "tokens": float(plan.burst),
              "updated_at": self.clock()}],
            update_columns=[],
        )
        while True:
            with self.store.engine.begin() as conn:
                tokens, at = conn.execute(select(buckets.c.tokens, buckets.c.updated_at).where(key)).one()
                now = max(self.clock(), at)
                left = min(float(plan.burst), tokens + (now - at) * plan.rate) - 1.0
                swapped = conn.execute(
                    update(buckets)
                    .where(key, buckets.c.tokens == tokens, buckets.c.updated_at == at)
                    .values(tokens=left, updated_at=now)
                ).rowcount
            if swapped:
                return 0.0 if left >= 0 else -left / plan.rate

    def ready_in(self, operation: str) -> float:
        """Seconds until a token of ``operation`` exists for the account (0 now); reads, books nothing."""
        plan = self.plans.get(operation)
        if plan is None:
            return 0.0
        key = (buckets.c.account == self.account) & (buckets.c.operation == operation)
        with self.store.engine.connect() as conn:
            row = conn.execute(select(buckets.c.tokens, buckets.c.updated_at).where(key)).one_or_none()
        if row is None:
            return 0.0
        tokens = min(float(plan.burst), row.tokens + max(self.clock() - row.updated_at, 0.0) * plan.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / plan.rate

    def acquire(self, operation: str) -> float:
        plan = self.plans.get(operation)
        if plan is None:
            return 0.0
        wait = self._reserve(operation, plan)
        if wait > 0:
            self.sleep(wait)
        return wait
