"""The HTTP front (stdlib ThreadingHTTPServer) and `OdooStandin`, the object tests and tools start."""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import weakref
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .exceptions import InjectedOutage
from .models import ALL_MODELS
from .models.partner import new_api_key
from .orm.registry import Registry
from .protocols import json2, jsonrpc, xmlrpc
from .seed import seed
from .service import OdooService
from .storage import make_engine
from .versions import profile_for

XMLRPC_PATHS = {"/xmlrpc/2/common": ("common", True), "/xmlrpc/2/object": ("object", True),
                "/xmlrpc/common": ("common", False), "/xmlrpc/object": ("object", False)}


class _Handler(BaseHTTPRequestHandler):
    # Headers and body leave in separate writes; with Nagle's algorithm the second waits ~40 ms for an ACK.
    disable_nagle_algorithm = True
    service: OdooService
    protocol_version = "HTTP/1.1"
    server_version = "Werkzeug/3.1"

    def log_message(self, format: str, *args: Any) -> None:
        # Silent on purpose: request lines are noise in test output, and bodies carry passwords.
        return

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload, default=str).encode(), "application/json")

    def do_GET(self) -> None:
        self._send(404, b"Not Found", "text/html; charset=utf-8")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        self.service.count_request()
        try:
            if path in ("/jsonrpc", "/web/webclient/version_info"):
                self._send_json(200, jsonrpc.handle(self.service, path, raw))
            elif path in XMLRPC_PATHS:
                service_name, integer_codes = XMLRPC_PATHS[path]
                self._send(200, xmlrpc.handle(self.service, service_name, raw, integer_codes), "text/xml")
            elif path == "/json/2" or path.startswith("/json/2/"):
                self._send(*json2.handle(self.service, path, self.headers, raw))
            else:
                self._send(404, b"Not Found", "text/html; charset=utf-8")
        except InjectedOutage:
            self._send(503, b"<html><body>503 Service Unavailable</body></html>", "text/html; charset=utf-8")


class OdooStandin:
    """An Odoo 17/18/19 look-alike backed by a real database, served over HTTP.

    `db_url=None` keeps the data in a SQLite file in a fresh temporary directory, removed on stop().
    Any other SQLAlchemy URL (e.g. PostgreSQL) survives restarts; `reset=True` wipes it first.
    """

    def __init__(self, *, version: str = "19.0", db_url: str | None = None, database: str = "amzodoo",
                 admin_login: str = "admin", admin_password: str = "admin", reset: bool = False) -> None:
        self._profile = profile_for(version)
        self._tempdir: Path | None = None
        if db_url is None:
            self._tempdir = Path(tempfile.mkdtemp(prefix="odoo-standin-"))
            db_url = f"sqlite:///{self._tempdir / 'odoo.sqlite'}"
            # Removed at stop(), or when the object goes away / the interpreter exits without a stop().
            weakref.finalize(self, shutil.rmtree, self._tempdir, ignore_errors=True)
        self._engine = make_engine(db_url)
        registry = Registry(self._engine, self._profile, ALL_MODELS)
        if reset:
            registry.metadata.drop_all(self._engine)
            registry.metadata.create_all(self._engine)
        self._database = database
        self._service = OdooService(registry, database)
        with self._engine.begin() as conn:
            seed(self._service.env(conn, 1), admin_login, admin_password)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._url = ""

    @property
    def url(self) -> str:
        return self._url

    @property
    def database(self) -> str:
        return self._database

    @property
    def version(self) -> str:
        return self._profile.series

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._server is not None:
            return self._url
        handler = type("OdooStandinHandler", (_Handler,), {"service": self._service})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        bound_host, bound_port = self._server.server_address[:2]
        self._url = f"http://{bound_host}:{bound_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="odoo-standin", daemon=True)
        self._thread.start()
        return self._url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._engine.dispose()
        if self._tempdir is not None:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None

    def serve_forever(self, host: str = "127.0.0.1", port: int = 8069) -> None:
        self.start(host, port)
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()

    def create_api_key(self, login: str = "admin") -> str:
        with self._service.lock, self._engine.begin() as conn:
            env = self._service.env(conn, 1)
            found = env["res.users"]._search([("login", "=", login)], limit=1)
            if not found:
                raise ValueError(f"no user with login {login!r}")
            return new_api_key(env, found[0], "stand-in")

    def counters(self) -> dict[str, int]:
        return self._service.counters()

    def reset_counters(self) -> None:
        self._service.reset_counters()

    def rpc_requests(self) -> int:
        return self._service.requests()

    def inject_fault(self, model: str, method: str, kind: str = "down", count: int = 1, message: str = "") -> None:
        """Make the next `count` calls of model.method fail: "down" answers HTTP 503, "error" a UserError."""
        self._service.inject_fault(model, method, kind, count, message)
