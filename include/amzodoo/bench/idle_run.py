"""Measurement 5: what an incremental run costs when nothing changed at Amazon.

A first run syncs a settled set of orders (extract, transform, load into a stand-in); fifteen simulated minutes
later the next scheduled run (its window plus the configured overlap) runs extract + transform + load again.
Odoo is connected lazily, as the DAG's hook does, so a run with nothing to load may not talk to Odoo at all;
the stand-in's request counter (version detection and login included) is the judge.
"""

from __future__ import annotations

from datetime import timedelta

from amzodoo.bench.common import ACCOUNT, SIM_START, Stopwatch, bench_config, generate, sim_amazon, sqlite_store
from amzodoo.jobs import JobClients, order_job
from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.transports import OdooCredentials
from amzodoo.sync.orders import OrderSyncJob

MARKETPLACE = "US"
TARGET_SPAPI = 1
TARGET_ODOO = 2


def run(orders: int = 300) -> dict:
    from amzodoo_sandbox.odoo import OdooStandin

    config = bench_config()
    standin = OdooStandin(version="19.0")
    url = standin.start()
    key = standin.create_api_key()
    clients: list[OdooClient] = []

    def odoo() -> OdooClient:  # connects on first use, like OdooHook(...).client in the DAG
        if not clients:
            clients.append(OdooClient.connect(OdooCredentials(url, standin.database, "admin", "admin", key)))
        return clients[0]

    try:
        with sim_amazon() as amazon, sqlite_store() as store:
            # Orders whose lifecycle is over (FBA shipped, FBM waiting for the seller): nothing moves on its own.
            generate(amazon, orders, start=SIM_START - timedelta(days=3), end=SIM_START - timedelta(days=2),
                     fba_share=0.6)
            session = amazon.session()

            def job(run_id: str) -> OrderSyncJob:
                wiring = JobClients(store=store, amazon=lambda _retry: session, odoo=odoo, sleep=amazon.advance)
                return order_job(config, ACCOUNT, MARKETPLACE, wiring, run_id=run_id)

            now = amazon.clock.now()
            first = job("first")
            first.extract(interval_start=now - timedelta(days=4), interval_end=now, now=now)
            first_transform = first.transform()
            first_load = first.load()
            previous_end = now

            # The next run: fifteen minutes later, nothing changed at Amazon.
            amazon.advance(15 * 60)
            amazon.reset()
            session.calls.clear()
            standin.reset_counters()
            requests_before = standin.rpc_requests()
            clients.clear()  # a new task process opens its own connection
            now = amazon.clock.now()
            second = job("idle")
            watch = Stopwatch()
            extract = second.extract(interval_start=previous_end, interval_end=now, now=now)
            transform = second.transform()
            load = second.load()
            wall = watch.seconds
            spapi = amazon.api_calls()
            odoo_requests = standin.rpc_requests() - requests_before
    finally:
        for client in clients:
            client.close()
        standin.stop()
    return {
        "first_run": {"staged": first_transform["staged"], "loaded": first_load.get("counts", {}).get("created", 0)},
        "idle_run": {"steps": extract["steps"], "staged": transform["staged"], "to_load": load["to_load"]},
        "spapi_calls": sum(spapi.values()), "spapi_by_operation": spapi,
        "odoo_calls": odoo_requests, "odoo_by_method": standin.counters(), "wall_s": round(wall, 3),
        "target": f"<= {TARGET_SPAPI} SP-API call and <= {TARGET_ODOO} Odoo calls",
        "met": sum(spapi.values()) <= TARGET_SPAPI and odoo_requests <= TARGET_ODOO,
    }
