"""What the console asks Airflow: who the user is and which DAGs they may read or edit, when each DAG last
succeeded, and DAG runs triggered through Airflow's own REST API with the user's token (so Airflow checks the
permission and records the trigger like any other).

Runs inside Airflow's API server (the console is mounted there), so Airflow's auth manager and metadata
database are at hand.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

API_URL_ENV = "AMZODOO_AIRFLOW_API_URL"  # where the API server reaches itself, when host/port do not say it
TOKEN_COOKIE = "_token"  # Airflow's JWT cookie (airflow.api_fastapi.auth.managers.base_auth_manager)


def readable_dag_ids(user: Any) -> set[str]:
    from airflow.api_fastapi.app import get_auth_manager

    return set(get_auth_manager().get_authorized_dag_ids(user=user, method="GET"))


def may_edit_dag(user: Any, dag_id: str) -> bool:
    """PUT on the DAG: what changing its runs' data requires (the role that may trigger it)."""
    from airflow.api_fastapi.app import get_auth_manager
    from airflow.api_fastapi.auth.managers.models.resource_details import DagDetails

    return get_auth_manager().is_authorized_dag(method="PUT", details=DagDetails(id=dag_id), user=user)


def user_name(user: Any) -> str:
    getter = getattr(user, "get_name", None)
    return str(getter() if callable(getter) else getattr(user, "username", "?"))


def last_successes(dag_ids: Iterable[str]) -> dict[str, datetime | None]:
    """dag id -> end of its newest successful run (None: never)."""
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session
    from sqlalchemy import func, select

    ids = sorted(set(dag_ids))
    found: dict[str, datetime | None] = dict.fromkeys(ids)
    if not ids:
        return found
    with create_session() as session:
        query = (select(DagRun.dag_id, func.max(DagRun.end_date))
                 .where(DagRun.dag_id.in_(ids), DagRun.state == "success").group_by(DagRun.dag_id))
        for dag_id, end in session.execute(query):
            found[dag_id] = end
    return found


def paused_dags(dag_ids: Iterable[str]) -> set[str]:
    from airflow.models.dag import DagModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    ids = sorted(set(dag_ids))
    with create_session() as session:
        return set(session.scalars(select(DagModel.dag_id).where(DagModel.dag_id.in_(ids), DagModel.is_paused)))


def log_event(event: str, user: str, *, dag_id: str | None = None, extra: dict[str, Any] | None = None) -> None:
    """A row in Airflow's audit log (Browse → Audit Log), as Airflow's own actions leave one."""
    from airflow.models.log import Log
    from airflow.utils.session import create_session

    with create_session() as session:
        session.add(Log(event=event, owner=user, dag_id=dag_id, extra=json.dumps(extra or {})))


def request_token(headers: Any, cookies: Any) -> str | None:
    """The caller's Airflow JWT: an explicit bearer token wins over the session cookie, as in Airflow."""
    auth = headers.get("authorization") or ""
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return cookies.get(TOKEN_COOKIE) or None


def api_base_url() -> str:
    """The API server's own address (plus Airflow's base path) for calls from inside it."""
    if override := os.environ.get(API_URL_ENV):
        return override.rstrip("/")
    from airflow.configuration import conf

    host = conf.get("api", "host", fallback="127.0.0.1") or "127.0.0.1"
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    port = conf.get("api", "port", fallback="8080")
    path = urlsplit(conf.get("api", "base_url", fallback="") or "").path.rstrip("/")
    return f"http://{host}:{port}{path}"


@dataclass
class Triggered:
    ok: bool
    status: int
    message: str
    run_id: str | None = None


def trigger_dag_run(dag_id: str, conf: dict[str, Any], token: str, note: str, *,
                    base_url: str | None = None, timeout: float = 30.0) -> Triggered:
    """POST /api/v2/dags/{dag_id}/dagRuns as the user: Airflow decides whether they may, and logs it."""
    url = f"{base_url or api_base_url()}/api/v2/dags/{dag_id}/dagRuns"
    try:
        response = httpx.post(url, json={"logical_date": None, "conf": conf, "note": note},
                              headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
    except httpx.HTTPError as exc:
        return Triggered(False, 0, f"Airflow's API at {url} did not answer: {type(exc).__name__}: {exc}")
    if response.status_code in (200, 201):
        run_id = response.json().get("dag_run_id")
        return Triggered(True, response.status_code, f"{dag_id}: run {run_id} queued", run_id)
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = response.text[:300]
    if response.status_code == 403:
        return Triggered(False, 403, f"Airflow refused: you may not trigger {dag_id} ({detail})")
    return Triggered(False, response.status_code,
                     f"Airflow answered HTTP {response.status_code} for {dag_id}: {detail}")
