"""Run the SP-API sandbox: ``python -m amzodoo_sandbox.spapi --port 8801 --seed 7``.

Point python-amazon-sp-api (or the connector) at it with the endpoint override and these credentials:
  LWA client id      amzn1.application-oa2-client.amzodoo-sandbox
  LWA client secret  amzodoo-sandbox-client-secret
  refresh tokens     Atzr|amzodoo-sandbox-na_main (US, CA, MX)   Atzr|amzodoo-sandbox-eu_main (DE, FR, UK, IT, ES, NL)

Control interface (unauthenticated, JSON):
  GET  /_sandbox/clock                       POST /_sandbox/advance {"seconds": 3600}
  GET  /_sandbox/counters[?account=na_main]  POST /_sandbox/counters/reset
  GET|POST|DELETE /_sandbox/faults           e.g. {"operation": "orders.searchOrders", "kind": "5xx", "count": 2}
  POST /_sandbox/orders/generate {"account": "na_main", "marketplace": "US", "count": 50}
  POST /_sandbox/orders/load {"account": "eu_main", "orders": [<Orders 2026-01-01 Order>, ...]}
  GET  /_sandbox/orders/<orderId>            GET /_sandbox/shipments/<orderId>
  POST /_sandbox/fba-inventory {"account", "sku", "quantity"}    POST /_sandbox/tokens/expire
Fault kinds: 5xx, latency, drop, 429, truncate, fatal, cancelled, feed_error.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import threading

from .accounts import DEFAULT_ACCOUNTS
from .clock import SimClock
from .sandbox import SpApiSandbox


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m amzodoo_sandbox.spapi",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8801, help="port (default 8801; 0 picks a free one)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the data generator (default 7)")
    parser.add_argument(
        "--orders-per-marketplace",
        type=int,
        default=40,
        help="orders in the history window per marketplace (default 40)",
    )
    parser.add_argument("--history-days", type=float, default=3, help="days of order history before now (default 3)")
    parser.add_argument(
        "--clock-scale", type=float, default=1.0, help="simulated seconds per real second (default 1.0)"
    )
    parser.add_argument(
        "--orders-file",
        action="append",
        default=[],
        metavar="ACCOUNT=PATH",
        help="load Orders 2026-01-01 Order objects from a JSON file into ACCOUNT (repeatable)",
    )
    parser.add_argument("--no-quotas", action="store_true", help="do not enforce usage plans (no 429 for rate)")
    parser.add_argument(
        "--job-seconds", type=float, default=None,
        help="simulated seconds until a report or feed is done (default 60, as 20 queued + 40 processing)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    sandbox = SpApiSandbox(
        seed=args.seed,
        orders_per_marketplace=args.orders_per_marketplace,
        history_days=args.history_days,
        clock=SimClock(scale=args.clock_scale),
        enforce_quotas=not args.no_quotas,
        job_seconds=args.job_seconds,
    )
    for spec in args.orders_file:
        account, sep, path = spec.partition("=")
        if not sep:
            account, path = DEFAULT_ACCOUNTS[0].name, spec
        loaded = sandbox.load_orders_file(account, path)
        logging.info("loaded %d orders into %s from %s", len(loaded), account, path)
    url = sandbox.start(args.host, args.port)
    logging.info("SP-API sandbox listening on %s (%d orders)", url, len(sandbox.state.orders))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
