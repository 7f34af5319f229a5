"""The RPC services behind every protocol: authentication, dispatch to model methods, counters and faults.

Each call runs in one database transaction under one lock, like Odoo's one cursor per request: an error rolls
the whole call back. Calls are serialised, which keeps SQLite simple and is plenty for tests and benchmarks.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .exceptions import (
    AccessDenied,
    AccessError,
    InjectedOutage,
    NotFoundError,
    OdooError,
    ServerError,
    UnprocessableError,
    UserError,
    missing_record,
)
from .models.partner import check_password, user_for_api_key
from .orm.registry import Env, Registry


@dataclass
class Fault:
    kind: str
    remaining: int
    message: str


class OdooService:
    def __init__(self, registry: Registry, database: str) -> None:
        self.registry = registry
        self.database = database
        self.lock = threading.RLock()
        self._counters: Counter[str] = Counter()
        self._faults: dict[tuple[str, str], Fault] = {}
        self._requests = 0

    # ------------------------------------------------------------------ bookkeeping
    def count_request(self) -> None:
        with self.lock:
            self._requests += 1

    def _count(self, key: str) -> None:
        with self.lock:
            self._counters[key] += 1

    def requests(self) -> int:
        return self._requests

    def counters(self) -> dict[str, int]:
        with self.lock:
            return dict(self._counters)

    def reset_counters(self) -> None:
        with self.lock:
            self._counters.clear()
            self._requests = 0

    def inject_fault(self, model: str, method: str, kind: str, count: int, message: str) -> None:
        if kind not in ("down", "error"):
            raise ValueError(f"fault kind must be 'down' or 'error', not {kind!r}")
        with self.lock:
            self._faults[(model, method)] = Fault(kind, count, message)

    def _trip_fault(self, model: str, method: str) -> None:
        with self.lock:
            fault = self._faults.get((model, method)) or self._faults.get((model, "*"))
            if fault is None or fault.remaining <= 0:
                return
            fault.remaining -= 1
        if fault.kind == "down":
            raise InjectedOutage(f"{model}.{method}")
        raise UserError(fault.message or f"Injected failure in {model}.{method}")

    def env(self, conn: Any, uid: int, context: dict | None = None) -> Env:
        return Env(self.registry, conn, uid, context)

    # ------------------------------------------------------------------ authentication
    def _uid_for(self, conn: Any, login: str, secret: str) -> int | None:
        env = self.env(conn, 1)
        users = env["res.users"]
        found = users._search([("login", "=", login)], limit=1)
        if not found or not isinstance(secret, str):
            return None
        uid = found[0]
        if check_password(env, uid, secret) or user_for_api_key(env, secret) == uid:
            return uid
        return None

    def _check_database(self, db: str) -> None:
        if db != self.database:
            raise ServerError(f'connection to server failed: FATAL:  database "{db}" does not exist\n',
                              "psycopg2.OperationalError")

    def login(self, db: str, login: str, password: str) -> int | bool:
        self._check_database(db)
        with self.lock, self.registry.engine.begin() as conn:
            return self._uid_for(conn, login, password) or False

    def check(self, conn: Any, db: str, uid: Any, password: str) -> int:
        self._check_database(db)
        if not isinstance(uid, int):
            raise AccessDenied()
        env = self.env(conn, 1)
        rows = env["res.users"]._raw([uid], ["login", "active"])
        if not rows:
            raise missing_record("res.users", [uid], uid)
        if not rows[0]["active"] or self._uid_for(conn, rows[0]["login"], password) != uid:
            raise AccessDenied()
        return uid

    def uid_for_api_key(self, db: str | None, key: str) -> int | None:
        if db not in (None, self.database):
            return None
        with self.lock, self.registry.engine.begin() as conn:
            return user_for_api_key(self.env(conn, 1), key)

    # ------------------------------------------------------------------ services
    def common(self, method: str, args: list) -> Any:
        self._count(f"common.{method}")
        if method == "version":
            return self.registry.profile.rpc_version()
        if method == "login":
            db, login, password = args[:3]
            return self.login(db, login, password)
        if method == "authenticate":
            db, login, password = args[:3]
            return self.login(db, login, password)
        raise ServerError(f"'{method}' is not a method of the common service", "builtins.AttributeError")

    def object(self, method: str, args: list) -> Any:
        if method == "execute_kw":
            db, uid, password, model, name = args[:5]
            call_args = list(args[5]) if len(args) > 5 and args[5] else []
            call_kwargs = dict(args[6]) if len(args) > 6 and args[6] else {}
        elif method == "execute":
            db, uid, password, model, name, *call_args = args
            call_kwargs = {}
        else:
            raise ServerError(f"'{method}' is not a method of the object service", "builtins.AttributeError")
        self._count(f"{model}.{name}")
        self._trip_fault(model, name)
        with self.lock, self.registry.engine.begin() as conn:
            uid = self.check(conn, db, uid, password)
            return self._dispatch(conn, uid, model, name, call_args, call_kwargs, json2=False)

    def json2(self, uid: int, model: str, name: str, body: dict) -> Any:
        self._count(f"{model}.{name}")
        self._trip_fault(model, name)
        body = dict(body)
        ids = body.pop("ids", None)
        with self.lock, self.registry.engine.begin() as conn:
            result = self._dispatch(conn, uid, model, name, [], body, json2=True, ids=ids)
        # JSON-2 serialises recordsets as id lists, so create() answers a list even for one dict.
        return [result] if name == "create" and isinstance(result, int) else result

    def _dispatch(self, conn: Any, uid: int, model_name: str, name: str, args: list, kwargs: dict, *,
                  json2: bool, ids: Any = None) -> Any:
        kwargs = dict(kwargs)
        context = kwargs.pop("context", None) or {}
        env = self.env(conn, uid, context)
        if model_name not in env:
            if json2:
                raise NotFoundError(f"the model {model_name!r} does not exist")
            raise UserError(f"Object {model_name} doesn't exist")
        model = env[model_name]
        if name.startswith("_"):
            raise AccessError(f"Private methods (such as '{model_name}.{name}') cannot be called remotely.")
        function = getattr(type(model), name, None)
        kind = getattr(function, "_rpc", None)
        if kind is None:
            message = f"The method '{model_name}.{name}' does not exist"
            raise NotFoundError(message) if json2 else ServerError(message, "builtins.AttributeError")
        try:
            if kind == "records":
                if json2:
                    record_ids = [ids] if isinstance(ids, int) else list(ids or [])
                else:
                    if not args:
                        raise TypeError(f"{model_name}.{name}() missing the record ids")
                    first, args = args[0], args[1:]
                    record_ids = [first] if isinstance(first, int) else list(first or [])
                return function(model, record_ids, *args, **kwargs)
            if json2 and ids:
                raise UnprocessableError(f"cannot call {model_name}.{name} with ids")
            return function(model, *args, **kwargs)
        except OdooError:
            raise
        except TypeError as exc:
            if json2:
                raise UnprocessableError(str(exc)) from exc
            raise ServerError(str(exc), "builtins.TypeError") from exc
        except (ValueError, KeyError, AttributeError) as exc:
            raise ServerError(str(exc), f"builtins.{type(exc).__name__}") from exc
