"""Measurement 4: peak RSS and wall time of a 100,000-order backfill through extract (report) + transform +
staging on PostgreSQL, stopping before Odoo.

The sandbox (and the generation of its orders) lives in this process; the backfill runs in a child process that
talks to it over HTTP like a DAG task would, so the child's peak RSS is the connector's alone. Staging goes to
a fresh PostgreSQL schema, dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
from datetime import timedelta

import httpx

from amzodoo.bench.common import (
    ACCOUNT,
    MARKETPLACES,
    SIM_START,
    Stopwatch,
    bench_config,
    generate,
    pg_schema,
    pg_url,
    sim_amazon,
)
from amzodoo.timeutil import parse_timestamp

TARGET_BYTES = 1 << 30
# The mixed backlog's 70/30 (FBM payloads from searchOrders are the heavy ones); the sandbox scans every order
# for each searchOrders page, so more FBM pages cost the run minutes of sandbox time, not connector time.
FBA_SHARE = 0.7


def run(orders: int = 100_000, days: int = 25, fba_share: float = FBA_SHARE) -> dict:
    with sim_amazon(enforce_quotas=False) as amazon, pg_schema(pg_url()) as (url, schema):
        watch = Stopwatch()
        generate(amazon, orders, start=SIM_START - timedelta(days=days + 1), end=SIM_START - timedelta(days=1),
                 fba_share=fba_share)
        generated_s = watch.seconds
        start, end = SIM_START - timedelta(days=days + 2), amazon.clock.now()
        cmd = [sys.executable, "-m", "amzodoo.bench.backfill_memory", "--child", "--sandbox-url", amazon.sandbox.url,
               "--pg-url", url, "--schema", schema, "--start", start.isoformat(), "--end", end.isoformat()]
        watch = Stopwatch()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, env={**os.environ})
        wall = watch.seconds
        if proc.returncode != 0:
            raise RuntimeError(f"backfill child failed:\n{proc.stderr[-3000:]}")
        child = json.loads(proc.stdout.strip().splitlines()[-1])
        # Peak RSS of the waited-for children of this process (ru_maxrss is in KiB on Linux).
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        calls = amazon.api_calls()
    return {"orders": orders, "fba_share": fba_share, "generate_s": round(generated_s, 1),
            "wall_s": round(wall, 1), "peak_rss_bytes": peak, "peak_rss_mib": round(peak / 2**20, 1),
            "phases": child["phases"], "landed": child["landed"], "staged": child["staged"],
            "api_calls": sum(calls.values()), "calls_by_operation": calls,
            "target": "<= 1 GiB peak RSS", "met": peak <= TARGET_BYTES}


def _rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(args: argparse.Namespace) -> None:
    """The backfill itself, in its own process: extract once for the account, transform each marketplace."""
    from amzodoo.amazon.clients import SpApiCredentials
    from amzodoo.amazon.session import SpApiSession
    from amzodoo.jobs import JobClients, order_job
    from amzodoo.staging.store import StagingStore
    from amzodoo_sandbox.spapi import DEFAULT_ACCOUNTS, SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET

    account = next(a for a in DEFAULT_ACCOUNTS if a.name == ACCOUNT)
    creds = SpApiCredentials(SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, account.refresh_token,
                             seller_id=account.seller_id, region=account.region, endpoint=args.sandbox_url)
    session = SpApiSession(creds, account=ACCOUNT)
    control = httpx.Client(base_url=args.sandbox_url, timeout=60)

    def advance(seconds: float) -> None:  # report polling waits on the sandbox's simulated clock
        control.post("/_sandbox/advance", json={"seconds": seconds}).raise_for_status()

    store = StagingStore.from_url(args.pg_url, schema=args.schema)
    clients = JobClients(store=store, amazon=lambda _retry: session,
                         odoo=lambda: None,  # type: ignore[arg-type,return-value]  # tax rounding is configured
                         sleep=advance)
    config = bench_config()
    phases = []
    landed: dict = {}
    staged: dict = {}
    for i, code in enumerate(MARKETPLACES):
        job = order_job(config, ACCOUNT, code, clients)
        if i == 0:  # one extraction serves every marketplace of the account (siblings reuse the ledger)
            watch = Stopwatch()
            now = parse_timestamp(control.get("/_sandbox/clock").json()["now"])
            result = job.extract(interval_start=parse_timestamp(args.start), interval_end=parse_timestamp(args.end),
                                 now=now)
            landed = result["landed"]
            phases.append({"phase": "extract", "seconds": round(watch.seconds, 1), "peak_rss_mib": _rss_mib(),
                           "steps": result["steps"], "api_calls": result["api_calls"]})
        watch = Stopwatch()
        staged[code] = job.transform()["staged"]
        phases.append({"phase": f"transform+stage {code}", "seconds": round(watch.seconds, 1),
                       "peak_rss_mib": _rss_mib()})
    store.engine.dispose()
    print(json.dumps({"phases": phases, "landed": landed, "staged": staged}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--sandbox-url")
    parser.add_argument("--pg-url")
    parser.add_argument("--schema")
    parser.add_argument("--start")
    parser.add_argument("--end")
    child(parser.parse_args())


if __name__ == "__main__":
    main()
