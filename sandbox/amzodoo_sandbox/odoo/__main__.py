"""`python -m amzodoo_sandbox.odoo --port 8069 --version 19.0` serves a stand-in until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Any

from . import SUPPORTED_VERSIONS, OdooStandin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m amzodoo_sandbox.odoo", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--version", default="19.0", choices=SUPPORTED_VERSIONS)
    parser.add_argument("--db-url", default=None, help="SQLAlchemy URL; default: SQLite in a temporary directory")
    parser.add_argument("--database", default="amzodoo", help="database name clients log in to")
    parser.add_argument("--admin-login", default="admin")
    parser.add_argument("--admin-password", default="admin")
    parser.add_argument("--reset", action="store_true", help="wipe the database before seeding")
    args = parser.parse_args(argv)
    standin = OdooStandin(version=args.version, db_url=args.db_url, database=args.database,
                          admin_login=args.admin_login, admin_password=args.admin_password, reset=args.reset)
    # SIGTERM stops as cleanly as Ctrl-C: the temporary SQLite directory is removed either way.
    signal.signal(signal.SIGTERM, _interrupt)
    url = standin.start(args.host, args.port)
    print(f"Odoo {standin.version} stand-in serving database {standin.database!r} on {url}", flush=True)
    try:
        standin.serve_forever(args.host, args.port)
    except KeyboardInterrupt:
        standin.stop()
    return 0


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
