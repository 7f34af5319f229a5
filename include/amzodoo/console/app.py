"""The console's FastAPI application, mounted by Airflow's API server under ``URL_PREFIX``.

Access: every request needs Airflow's login (the ``_token`` cookie the UI sets, or a bearer token). Without one,
a page request is sent to Airflow's login page and anything else gets 401. What a user sees is limited to the
connector DAGs Airflow lets them read (account x marketplace by ``amazon_orders__<account>__<marketplace>``, the
account's other flows by their DAGs); a user who may read none of them gets 403 and no data. Retry and recover
trigger a DAG run through Airflow's REST API with the user's own token, so Airflow checks and logs them like
any trigger; ignore needs edit access to the order DAG and leaves a row in Airflow's audit log.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from amzodoo.console import airflow_side, queries, reports
from amzodoo.console.pages import amazon_order_url, odoo_order_url, render, state_label

URL_PREFIX = "/amzodoo"


def console_href() -> str:
    """The console's first page under Airflow's own base path (``[api] base_url``), for the navigation entry."""
    from airflow.configuration import conf

    path = urlsplit(conf.get("api", "base_url", fallback="") or "").path.rstrip("/")
    return f"{path}{URL_PREFIX}/health"


class NotLoggedIn(Exception):
    pass


@dataclass
class Scope:
    """What the signed-in user may see of the connector."""

    user: Any
    name: str
    config: Any
    readable: set[str]
    pairs: list[tuple[str, str]]  # (account, marketplace) whose order DAG the user may read
    flows: list[tuple[str, str]]  # (account, flow) whose DAG the user may read

    @property
    def accounts(self) -> list[str]:
        return sorted({a for a, _ in self.pairs} | {a for a, _ in self.flows})

    @property
    def empty(self) -> bool:
        return not self.pairs and not self.flows


def config_file() -> str:
    from amzodoo.config.loader import CONFIG_ENV

    if os.environ.get(CONFIG_ENV):
        return os.environ[CONFIG_ENV]
    from airflow.configuration import conf

    return str(Path(conf.get("core", "dags_folder")) / "connector.yaml")


def _store(config: Any):
    from amzodoo.runtime import store_for

    return store_for(config.staging_conn_id)


async def _user(request: Request) -> Any:
    from airflow.api_fastapi.app import get_auth_manager

    token = airflow_side.request_token(request.headers, request.cookies)
    if not token:
        raise NotLoggedIn()
    try:
        return await get_auth_manager().get_user_from_token(token)
    except Exception as exc:  # expired or forged token: the same as no login
        raise NotLoggedIn() from exc


def _scope(user: Any) -> Scope:
    from amzodoo.runtime import config_at

    config = config_at(config_file())
    readable = airflow_side.readable_dag_ids(user)
    pairs = [(a, m.code) for a, acc in sorted(config.accounts.items()) for m in acc.enabled_marketplaces()
             if queries.order_dag_id(a, m.code) in readable]
    flows = [(a, flow) for a in sorted(config.accounts) for flow in queries.REVERSE_FLOWS
             if queries.reverse_dag_id(flow, a) in readable]
    return Scope(user, airflow_side.user_name(user), config, readable, pairs, flows)


def _odoo_urls(config: Any, accounts: list[str]) -> dict[str, str | None]:
    """Each account's Odoo URL (for links), from its Odoo connection; None when it cannot be read."""
    from airflow.models import Connection

    from amzodoo.odoo.hook import credentials_from_connection

    urls: dict[str, str | None] = {}
    for account in accounts:
        try:
            conn = Connection.get_connection_from_secrets(config.odoo_conn_for(account))
            urls[account] = credentials_from_connection(conn)[0].url
        except Exception:
            urls[account] = None
    return urls


def _same_origin(request: Request) -> bool:
    """A POST must come from a page of this server (a cross-site form would carry no Lax cookie anyway)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return True
    return urlsplit(origin).netloc == request.headers.get("host", request.url.netloc)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _form(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


def create_app() -> FastAPI:
    app = FastAPI(title="Amazon ⇄ Odoo console", docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(NotLoggedIn)
    async def _login(request: Request, _exc: NotLoggedIn) -> Response:
        if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
            from airflow.api_fastapi.app import get_auth_manager

            return RedirectResponse(get_auth_manager().get_url_login(next_url=str(request.url)), status_code=303)
        return JSONResponse({"detail": "Not authenticated"}, status_code=401)

    def base(request: Request) -> str:
        return request.scope.get("root_path", "").rstrip("/")

    def airflow_base(request: Request) -> str:
        root = base(request)
        return root[: -len(URL_PREFIX)] if root.endswith(URL_PREFIX) else ""

    def page(request: Request, scope: Scope, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        params = request.query_params
        run = params.get("run")
        html = render(template, base=base(request), airflow=airflow_base(request), user=scope.name,
                      flash=params.get("flash"), flash_ok=params.get("ok") == "1",
                      flash_link=f"{airflow_base(request)}/dags/{run}" if run else None,
                      now=datetime.now(UTC), age=lambda moment: queries.age(moment, datetime.now(UTC)), **context)
        return HTMLResponse(html, status_code=status)

    def scope_or_denied(request: Request, user: Any) -> Scope | HTMLResponse:
        scope = _scope(user)
        if scope.empty:
            return page(request, scope, "denied.html", status=403, title="No access", page="")
        return scope

    async def serve(request: Request, handler: Any, *args: Any) -> Response:
        """Authenticate, then do the blocking work (staging and Airflow queries, calls to Airflow's own REST API)
        in a worker thread: on the event loop, a call back into this server would wait for itself."""
        user = await _user(request)
        return await run_in_threadpool(handler, request, user, *args)

    @app.get("/", include_in_schema=False)
    async def index(request: Request) -> Response:
        return RedirectResponse(f"{base(request)}/health", status_code=307)

    @app.get("/health", response_class=HTMLResponse)
    async def health(request: Request) -> Response:
        return await serve(request, health_page)

    def health_page(request: Request, user: Any) -> Response:
        scope = scope_or_denied(request, user)
        if isinstance(scope, Response):
            return scope
        store = _store(scope.config)
        dag_ids = [queries.order_dag_id(a, m) for a, m in scope.pairs] + [
            queries.reverse_dag_id(f, a) for a, f in scope.flows]
        successes = airflow_side.last_successes(dag_ids)
        return page(request, scope, "health.html", title="Health", page="health",
                    marketplaces=queries.marketplace_health(store, scope.pairs, successes),
                    flows=queries.flow_health(store, scope.flows, successes),
                    paused=airflow_side.paused_dags(dag_ids))

    @app.get("/orders", response_class=HTMLResponse)
    async def orders(request: Request) -> Response:
        return await serve(request, orders_page)

    def orders_page(request: Request, user: Any) -> Response:
        scope = scope_or_denied(request, user)
        if isinstance(scope, Response):
            return scope
        q = request.query_params
        try:
            number = int(q.get("page") or 1)
        except ValueError:
            number = 1
        wanted = queries.OrderFilter(account=q.get("account") or None, marketplace=q.get("marketplace") or None,
                                     day_from=_day(q.get("day_from")), day_to=_day(q.get("day_to")),
                                     order_id=(q.get("order_id") or "").strip() or None, page=number)
        result = queries.attention_orders(_store(scope.config), scope.pairs, wanted)
        urls = _odoo_urls(scope.config, sorted({o["account"] for o in result.rows}))
        kept = {k: v for k, v in q.items() if k not in ("page", "flash", "ok", "run") and v}

        def page_link(n: int) -> str:
            return f"{base(request)}/orders?{urlencode({**kept, 'page': n})}"

        return page(request, scope, "orders.html", title="Orders needing attention", page="orders", f=wanted,
                    result=result, accounts=sorted({a for a, _ in scope.pairs}),
                    marketplaces=sorted({m for _, m in scope.pairs}), page_link=page_link,
                    back=f"{base(request)}/orders?{urlencode(kept)}", state_label=state_label,
                    waiting=queries.age(datetime.now(UTC) - queries.WAITING_TOO_LONG, datetime.now(UTC)),
                    amazon_link=lambda o: amazon_order_url(o["marketplace"], o["amazon_order_id"]),
                    odoo_link=lambda o: odoo_order_url(urls.get(o["account"]), o["odoo_order_id"]))

    def back_to(request: Request, back: str | None, default: str, **flash: str) -> RedirectResponse:
        target = back if back and back.startswith(base(request) + "/") else default
        joiner = "&" if "?" in target else "?"
        return RedirectResponse(f"{target}{joiner}{urlencode(flash)}", status_code=303)

    def denied(message: str) -> JSONResponse:
        return JSONResponse({"detail": message}, status_code=403)

    @app.post("/orders/action")
    async def order_action(request: Request) -> Response:
        return await serve(request, act_on_order, _form(await request.body()))

    def act_on_order(request: Request, user: Any, form: dict[str, str]) -> Response:
        scope = _scope(user)
        if not _same_origin(request):
            return denied("cross-site request refused")
        action, account, marketplace = form.get("action"), form.get("account", ""), form.get("marketplace", "")
        order_id = form.get("order_id", "").strip()
        default = f"{base(request)}/orders"
        if (account, marketplace) not in scope.pairs:
            return denied(f"you may not read {queries.order_dag_id(account, marketplace)}")
        dag_id = queries.order_dag_id(account, marketplace)
        if action == "ignore":
            if not airflow_side.may_edit_dag(scope.user, dag_id):
                return denied(f"you may not change {dag_id}")
            if not queries.ignore_order(_store(scope.config), account, marketplace, order_id, scope.name):
                return back_to(request, form.get("back"), default, flash=f"{order_id} is not staged", ok="0")
            airflow_side.log_event("amzodoo.console.ignore_order", scope.name, dag_id=dag_id,
                                   extra={"account": account, "marketplace": marketplace, "order_id": order_id})
            return back_to(request, form.get("back"), default, ok="1",
                           flash=f"{order_id} ignored: no run will send it to Odoo until Amazon changes it")
        if action not in ("retry", "recover"):
            return JSONResponse({"detail": f"unknown action {action!r}"}, status_code=400)
        token = airflow_side.request_token(request.headers, request.cookies) or ""
        conf = {"order_id": order_id} if action == "recover" else {}
        what = f"recover {order_id} from Amazon" if action == "recover" else f"retry (asked for {order_id})"
        triggered = airflow_side.trigger_dag_run(dag_id, conf, token, f"Amazon ⇄ Odoo console: {what} by {scope.name}")
        if not triggered.ok:
            return back_to(request, form.get("back"), default, flash=triggered.message, ok="0")
        paused = dag_id in airflow_side.paused_dags([dag_id])
        message = triggered.message + (" — the DAG is paused: unpause it for the run to start" if paused else "")
        return back_to(request, form.get("back"), default, flash=message, ok="1",
                       run=f"{dag_id}/runs/{triggered.run_id}")

    @app.get("/reconciliation", response_class=HTMLResponse)
    async def reconciliation(request: Request) -> Response:
        return await serve(request, reconciliation_page)

    def reconciliation_page(request: Request, user: Any) -> Response:
        scope = scope_or_denied(request, user)
        if isinstance(scope, Response):
            return scope
        from amzodoo.runtime import reports_directory

        q = request.query_params
        directory = reports_directory(scope.config)
        days = reports.report_days(directory)
        day = _day(q.get("day")) or (days[0] if days else None)
        found = reports.reports_of_day(directory, day, scope.pairs, account=q.get("account") or None,
                                       marketplace=q.get("marketplace") or None) if day else []
        accounts = sorted(a for a, flow in scope.flows if flow == "reconciliation")
        return page(request, scope, "reconciliation.html", title="Reconciliation", page="reconciliation",
                    days=days, day=day, reports=found, accounts=accounts, account=q.get("account"),
                    marketplace=q.get("marketplace"), marketplaces=sorted({m for _, m in scope.pairs}),
                    yesterday=(datetime.now(UTC).date() - timedelta(days=1)).isoformat())

    @app.post("/reconciliation/run")
    async def run_reconciliation(request: Request) -> Response:
        return await serve(request, reconcile_now, _form(await request.body()))

    def reconcile_now(request: Request, user: Any, form: dict[str, str]) -> Response:
        scope = _scope(user)
        if not _same_origin(request):
            return denied("cross-site request refused")
        account, day = form.get("account", ""), _day(form.get("day"))
        if (account, "reconciliation") not in scope.flows:
            return denied(f"you may not read {queries.reverse_dag_id('reconciliation', account)}")
        dag_id = queries.reverse_dag_id("reconciliation", account)
        token = airflow_side.request_token(request.headers, request.cookies) or ""
        triggered = airflow_side.trigger_dag_run(dag_id, {"day": day.isoformat()} if day else {}, token,
                                                 f"Amazon ⇄ Odoo console: reconciliation of {day or 'yesterday'} "
                                                 f"by {scope.name}")
        target = f"{base(request)}/reconciliation" + (f"?{urlencode({'day': day.isoformat()})}" if day else "")
        if not triggered.ok:
            return back_to(request, target, target, flash=triggered.message, ok="0")
        return back_to(request, target, target, flash=triggered.message, ok="1",
                       run=f"{dag_id}/runs/{triggered.run_id}")

    return app
