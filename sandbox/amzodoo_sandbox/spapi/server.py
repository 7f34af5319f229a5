"""The HTTP server: stdlib ThreadingHTTPServer, one thread per connection, clean in-process start/stop."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from .control import handle_control
from .dispatch import DropConnection, encode, handle
from .errors import ApiError
from .http_types import Request, Response
from .routes import match

if TYPE_CHECKING:
    from .sandbox import SpApiSandbox

log = logging.getLogger(__name__)


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: SpApiSandbox) -> None:
        super().__init__(address, SandboxRequestHandler)
        self.sandbox = sandbox


class SandboxRequestHandler(BaseHTTPRequestHandler):
    server: SandboxHTTPServer
    server_version = "Server"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:
        # Request lines only, at debug level: no headers, so access tokens never reach the logs.
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        sandbox = self.server.sandbox
        parts = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        query = parse_qs(parts.query, keep_blank_values=True)
        path = parts.path.rstrip("/") or "/"
        is_control = path.startswith("/_sandbox/") and not path.startswith(
            ("/_sandbox/documents/", "/_sandbox/uploads/")
        )
        if is_control:
            self._send(handle_control(sandbox, self.command, path, query, body), truncate=False)
            return
        sandbox.settle()
        found = match(self.command, path)
        if found is None:
            error = ApiError(404, "NotFound", f"No operation at {self.command} {path}.")
            self._send(Response(404, error.body()), truncate=False)
            return
        route, params = found
        request = Request(
            method=self.command,
            path=path,
            query=query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            now=sandbox.clock.now(),
            params={k: unquote(v) for k, v in params.items()},
        )
        try:
            outcome = handle(sandbox.state, route, request)
        except DropConnection:
            self.close_connection = True
            return
        except Exception:
            # A sandbox bug must look like Amazon's own 500, not a dropped connection.
            log.exception("sandbox error in %s %s", self.command, path)
            error = ApiError(500, "InternalFailure", "We encountered an internal error. Please try again.")
            self._send(Response(500, error.body()), truncate=False)
            return
        self._send(outcome.response, truncate=outcome.truncate)

    def _send(self, response: Response, *, truncate: bool) -> None:
        payload = encode(response)
        if truncate:
            payload = payload[: max(len(payload) // 2, 1)]
        self.send_response(response.status)
        content_type = response.content_type
        if content_type == "application/json":
            content_type = "application/json; charset=UTF-8"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


def serve_in_thread(server: SandboxHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread
