"""The three ways to call Odoo's ORM: JSON-2 (Odoo 19+), JSON-RPC (through odoorpc) and XML-RPC.

Every transport exposes ``execute(model, method, ids, kwargs)``: ``ids`` is None for model methods (create,
search_read, ...) and a list for record methods (write, action_confirm, ...); everything else is passed by
name, which all three protocols accept and which JSON-2 requires.
"""

from __future__ import annotations

import urllib.error
import xmlrpc.client
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from amzodoo.odoo.errors import OdooError, OdooUnavailable, kind_of


@dataclass(frozen=True)
class OdooCredentials:
    url: str
    database: str
    login: str
    password: str = field(repr=False, default="")
    api_key: str = field(repr=False, default="")
    timeout: float = 120.0

    @property
    def secret(self) -> str:
        """What authenticates RPC calls: the API key when there is one (Odoo accepts it as a password)."""
        return self.api_key or self.password


class Transport(Protocol):
    protocol: str

    def execute(self, model: str, method: str, ids: list[int] | None, kwargs: dict[str, Any]) -> Any: ...

    def close(self) -> None: ...


def server_version(url: str, timeout: float = 30.0) -> tuple[int, int, str]:
    """(major, minor, full string) of the Odoo server at ``url``, through JSON-RPC ``common.version``."""
    payload = {"jsonrpc": "2.0", "method": "call", "params": {"service": "common", "method": "version",
                                                                "args": []}, "id": 1}
    try:
        response = httpx.post(url.rstrip("/") + "/jsonrpc", json=payload, timeout=timeout)
        response.raise_for_status()
        result = response.json()["result"]
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        raise OdooUnavailable("common", "version", f"cannot read the server version at {url}: {exc}") from None
    info = result.get("server_version_info") or [0, 0]
    major = int(info[0]) if str(info[0]).isdigit() else int(str(info[0]).split("~")[-1].split(".")[0] or 0)
    return major, int(info[1] or 0), str(result.get("server_version", ""))


class Json2Transport:
    """``POST /json/2/<model>/<method>`` with a bearer API key (Odoo 19+)."""

    protocol = "json2"

    def __init__(self, creds: OdooCredentials) -> None:
        if not creds.api_key:
            raise ValueError("JSON-2 needs an API key (the connection's api_key field)")
        self._base = creds.url.rstrip("/") + "/json/2/"
        self._http = httpx.Client(
            timeout=creds.timeout,
            headers={
                "Authorization": f"bearer {creds.api_key}",
                "X-Odoo-Database": creds.database,
                "Content-Type": "application/json; charset=utf-8",
            },
        )

    def execute(self, model: str, method: str, ids: list[int] | None, kwargs: dict[str, Any]) -> Any:
        body = dict(kwargs)
        if ids is not None:
            body["ids"] = ids
        try:
            response = self._http.post(f"{self._base}{model}/{method}", json=body)
        except httpx.TransportError as exc:
            raise OdooUnavailable(model, method, f"{type(exc).__name__}") from None
        if response.is_success:
            return response.json()
        try:
            fault = response.json()
        except ValueError:
            fault = None
        if not isinstance(fault, dict):
            raise OdooUnavailable(model, method, f"HTTP {response.status_code} without an Odoo error body")
        name = str(fault.get("name", ""))
        kind = kind_of(name)
        if response.status_code == 401:
            kind = "access_denied"
        elif response.status_code == 404 and kind == "server":
            kind = "missing"
        elif response.status_code >= 500 and kind == "server" and not name:
            kind = "unavailable"
        raise OdooError(model, method, str(fault.get("message") or response.reason_phrase), kind=kind,
                        exception=name, http_status=response.status_code)

    def close(self) -> None:
        self._http.close()


class JsonRpcTransport:
    """``/jsonrpc`` through odoorpc (Odoo 17/18, and 19 without an API key)."""

    protocol = "jsonrpc"

    def __init__(self, creds: OdooCredentials, version: str | None = None) -> None:
        import odoorpc

        parts = urlsplit(creds.url)
        ssl = parts.scheme == "https"
        self._odoorpc_error = odoorpc.error.RPCError
        try:
            self._odoo = odoorpc.ODOO(
                parts.hostname or "localhost",
                protocol="jsonrpc+ssl" if ssl else "jsonrpc",
                port=parts.port or (443 if ssl else 80),
                timeout=creds.timeout,
                version=version,
            )
            self._odoo.login(creds.database, creds.login, creds.secret)
        except self._odoorpc_error as exc:
            raise _from_rpc_error("res.users", "login", exc) from None
        except (urllib.error.URLError, OSError) as exc:
            raise OdooUnavailable("res.users", "login", f"{type(exc).__name__}: {exc}") from None

    def execute(self, model: str, method: str, ids: list[int] | None, kwargs: dict[str, Any]) -> Any:
        args = [] if ids is None else [ids]
        try:
            return self._odoo.execute_kw(model, method, args, kwargs)
        except self._odoorpc_error as exc:
            raise _from_rpc_error(model, method, exc) from None
        except (urllib.error.URLError, OSError) as exc:
            raise OdooUnavailable(model, method, f"{type(exc).__name__}: {exc}") from None

    def close(self) -> None:
        self._odoo = None


def _from_rpc_error(model: str, method: str, exc: Exception) -> OdooError:
    info = getattr(exc, "info", None) or {}
    data = info.get("data") or {}
    name = str(data.get("name", ""))
    message = str(data.get("message") or info.get("message") or exc)
    kind = kind_of(name)
    if "Wrong login" in message or "Access Denied" in message:
        kind = "access_denied"
    return OdooError(model, method, message, kind=kind, exception=name)


class XmlRpcTransport:
    """``/xmlrpc/2/object``. XML-RPC cannot marshal None: methods returning None fail although they ran."""

    protocol = "xmlrpc"

    def __init__(self, creds: OdooCredentials) -> None:
        base = creds.url.rstrip("/")
        self._creds = creds
        self._object = xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/object", allow_none=True)
        common = xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/common", allow_none=True)
        uid = self._guard("res.users", "login", lambda: common.login(creds.database, creds.login, creds.secret))
        if not uid:
            raise OdooError("res.users", "login", "wrong login or password", kind="access_denied")
        self._uid = uid

    def _guard(self, model: str, method: str, fn: Any) -> Any:
        try:
            return fn()
        except xmlrpc.client.Fault as fault:
            text = str(fault.faultString)
            first = text.strip().splitlines()[-1] if text.strip() else text
            name = first.split(":", 1)[0] if ":" in first else ""
            message = first.split(":", 1)[1].strip() if ":" in first else text
            raise OdooError(model, method, message, kind=kind_of(name), exception=name) from None
        except (TimeoutError, OSError, xmlrpc.client.ProtocolError) as exc:
            raise OdooUnavailable(model, method, f"{type(exc).__name__}: {exc}") from None

    def execute(self, model: str, method: str, ids: list[int] | None, kwargs: dict[str, Any]) -> Any:
        args = [] if ids is None else [ids]
        creds = self._creds
        return self._guard(
            model,
            method,
            lambda: self._object.execute_kw(creds.database, self._uid, creds.secret, model, method, args, kwargs),
        )

    def close(self) -> None:
        self._object("close")()


def open_transport(creds: OdooCredentials, protocol: str = "auto") -> tuple[Transport, tuple[int, int, str]]:
    """Detect the server version and open the transport the connection asks for (``auto`` picks)."""
    version = server_version(creds.url, timeout=min(creds.timeout, 30.0))
    if protocol == "auto":
        protocol = "json2" if version[0] >= 19 and creds.api_key else "jsonrpc"
    if protocol == "json2":
        if version[0] < 19:
            raise ValueError(f"JSON-2 needs Odoo 19 or later; {creds.url} runs {version[2]}")
        return Json2Transport(creds), version
    if protocol == "jsonrpc":
        return JsonRpcTransport(creds, version=version[2] or None), version
    if protocol == "xmlrpc":
        return XmlRpcTransport(creds), version
    raise ValueError(f"unknown Odoo protocol {protocol!r}; use auto, json2, jsonrpc or xmlrpc")
