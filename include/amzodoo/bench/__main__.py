"""``python -m amzodoo.bench`` (``make bench``): run the measurements of issue #7 and print one table.

  --quick        small sizes, a smoke run of the code (numbers are not meaningful)
  --only N       run only measurement N (1-6; repeatable)
  --out DIR      where results.json and results.md go (default bench-results/)
  --odoo-url ... also load into a real Odoo (or ODOO_URL / ODOO_DB / ODOO_LOGIN / ODOO_PASSWORD / ODOO_API_KEY)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from amzodoo.bench import api_calls, backfill_memory, console_pages, idle_run, odoo_load, quota_wait, report

# (full size, quick size) per measurement
SIZES = {1: (1000, 200), 2: (10_000, 500), 3: (2000, 40), 4: (100_000, 2000), 5: (300, 40), 6: (100_000, 2000)}
NAMES = {1: "api_calls", 2: "quota_wait", 3: "odoo_load", 4: "backfill_memory", 5: "idle_run", 6: "console_pages"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m amzodoo.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks the code, not the numbers")
    parser.add_argument("--only", type=int, action="append", choices=sorted(NAMES), help="run only measurement N")
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    parser.add_argument("--odoo-url", default=env("ODOO_URL", ""))
    parser.add_argument("--odoo-db", default=env("ODOO_DB", ""))
    parser.add_argument("--odoo-login", default=env("ODOO_LOGIN", "admin"))
    parser.add_argument("--odoo-password", default=env("ODOO_PASSWORD", ""))
    parser.add_argument("--odoo-api-key", default=env("ODOO_API_KEY", ""))
    parser.add_argument("--odoo-protocol", default=env("ODOO_PROTOCOL", "auto"))
    parser.add_argument("--real-odoo-orders", type=int, default=None,
                        help="orders loaded into the real Odoo (default: as many as into the stand-in)")
    return parser.parse_args(argv)


SECRET_FLAGS = ("--odoo-password", "--odoo-api-key")


def masked(argv: list[str]) -> list[str]:
    """The command line as results show it: secrets never reach results.json or results.md."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        if i and argv[i - 1] in SECRET_FLAGS:
            out.append("***")
        elif arg.startswith(tuple(f"{flag}=" for flag in SECRET_FLAGS)):
            out.append(arg.split("=", 1)[0] + "=***")
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    size = {n: sizes[1 if args.quick else 0] for n, sizes in SIZES.items()}
    target = odoo_load.OdooTarget(args.odoo_url, args.odoo_db, args.odoo_login, args.odoo_password,
                                  args.odoo_api_key, args.odoo_protocol)
    runners: dict[int, Callable[[], dict]] = {
        1: lambda: api_calls.run(size[1]),
        2: lambda: quota_wait.run(size[2]),
        3: lambda: odoo_load.run(size[3], target, real_orders=args.real_odoo_orders),
        4: lambda: backfill_memory.run(size[4]),
        5: lambda: idle_run.run(size[5]),
        6: lambda: console_pages.run(size[6]),
    }
    started, t0 = report.now_utc(), time.perf_counter()
    results: dict = {}
    for number in sorted(set(args.only or NAMES)):
        print(f"[bench] {number}. {NAMES[number]} ...", file=sys.stderr, flush=True)
        t = time.perf_counter()
        results[NAMES[number]] = runners[number]()
        print(f"[bench] {number}. {NAMES[number]} done in {time.perf_counter() - t:.0f} s", file=sys.stderr,
              flush=True)
    shown_args = {"argv": masked(list(argv if argv is not None else sys.argv[1:])), "quick": args.quick,
                  "sizes": {NAMES[n]: size[n] for n in sorted(set(args.only or NAMES))},
                  "real_odoo": args.odoo_url or None}
    table = report.write(results, args.out, started=started, wall_s=time.perf_counter() - t0, args=shown_args)
    print(table)
    print(f"\nWritten: {args.out / 'results.json'}, {args.out / 'results.md'} (how to read it: docs/BENCHMARKS.md)")
    return results


if __name__ == "__main__":
    main()
