"""The "Amazon ⇄ Odoo" console in a real browser, against ``make airflow`` and its stand-ins.

A person logs in, opens the console from Airflow's navigation, finds an order in error with a message naming
account, marketplace, order and field, has the cause fixed at Amazon, recovers the order and sees it created in
Odoo; runs a reconciliation and reads the mismatch; ignores an order. Access: no login -> no data; a user whose
role grants no DAG access -> 403; a viewer may read but Airflow refuses the triggers and the console the ignore.

Two orders are made bad the way tests/integration/bad_input does (a payload without ``sellerSku`` landed in
staging as if Amazon had sent it); the "fix" is Amazon serving the order well formed (loaded into the sandbox).
"""

from __future__ import annotations

import copy
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from amzodoo.staging.store import StagingStore
from amzodoo.sync.extract import api_rows
from tests.browser.conftest import AirflowApi, log_in, screenshot
from tests.fixtures.standalone import Standalone

ACCOUNT, MARKETPLACE = "na_main", "US"
ORDER_DAG = f"amazon_orders__{ACCOUNT}__{MARKETPLACE}"
RECONCILIATION_DAG = f"amzodoo_reconciliation__{ACCOUNT}"
YESTERDAY = datetime.now(UTC).date() - timedelta(days=1)


@pytest.fixture(scope="module")
def bad_orders(airflow: Standalone, api: AirflowApi, standins: dict[str, Any]) -> dict[str, Any]:
    """Two orders of yesterday in error in staging after a run of the US order DAG, and their good versions."""
    sandbox = httpx.Client(base_url=standins["spapi_sandbox"], timeout=30)
    start = datetime.combine(YESTERDAY, datetime.min.time(), UTC) + timedelta(hours=6)
    ids = sandbox.post("/_sandbox/orders/generate", json={
        "account": ACCOUNT, "marketplace": MARKETPLACE, "count": 6, "fba_share": 0,
        "start": start.isoformat(), "end": (start + timedelta(hours=8)).isoformat()}).json()["orderIds"]
    documents = [sandbox.get(f"/_sandbox/orders/{order_id}").json()["order"] for order_id in ids]
    template = next(d for d in documents if d["fulfillment"]["fulfillmentStatus"] in ("UNSHIPPED", "SHIPPED"))
    prefix = f"114-{random.randrange(10**6, 10**7)}"
    good, bad = {}, {}
    for number in (1, 2):
        order = copy.deepcopy(template)
        order["orderId"] = f"{prefix}-000000{number}"
        good[number] = order
        broken = copy.deepcopy(order)
        del broken["orderItems"][0]["product"]["sellerSku"]
        # As old as the order: whatever Amazon serves later is newer and replaces it.
        broken["lastUpdatedTime"] = order["createdTime"]
        bad[number] = broken
    store = StagingStore.from_url(f"sqlite:///{airflow.home / 'amzodoo_staging.sqlite'}")
    store.create_schema()
    store.land_raw_orders(api_rows(bad.values(), ACCOUNT, {MARKETPLACE}, "searchOrders", "browser-test"))
    store.engine.dispose()
    # Unpaused, the DAG gets its first scheduled run at once (the latest tick of its schedule): with the
    # connections `make airflow` stored it succeeds, and it stages them: both in error.
    api.unpause(ORDER_DAG)
    scheduled = api.first_run(ORDER_DAG, "scheduled")
    assert api.wait_for_run(ORDER_DAG, scheduled) == "success", airflow.output()
    return {"good": good, "sandbox": sandbox, "ids": {n: o["orderId"] for n, o in good.items()}}


def open_console(page: Any) -> Any:
    """Through Airflow's navigation, as a person would: the console renders inside the Airflow UI."""
    page.get_by_role("link", name="Amazon ⇄ Odoo").click()
    page.wait_for_url("**/plugin/amazon-odoo**")
    frame = page.frame_locator("iframe")
    frame.get_by_role("heading", name="Amazon ⇄ Odoo").wait_for()
    return frame


def queued_run(console: Any, dag_id: str) -> str:
    """The run id the console's message announces ("<dag id>: run <run id> queued")."""
    text = console.get_by_role("status").inner_text()
    match = re.search(rf"{dag_id}: run (\S+) queued", text)
    assert match, text
    return match[1]


def test_without_login_the_console_gives_no_data(airflow: Standalone, browser: Any) -> None:
    assert httpx.get(f"{airflow.url}/amzodoo/orders").status_code == 401
    page_request = httpx.get(f"{airflow.url}/amzodoo/orders", headers={"Accept": "text/html"})
    assert page_request.status_code == 303 and "/auth/login" in page_request.headers["location"]
    posted = httpx.post(f"{airflow.url}/amzodoo/orders/action",
                        data={"action": "ignore", "account": ACCOUNT, "marketplace": MARKETPLACE, "order_id": "x"})
    assert posted.status_code == 401
    page = browser.new_page()
    page.goto(f"{airflow.url}/amzodoo/health")
    page.locator("input[name=username]").wait_for()  # Airflow's login form, not the console
    assert "/auth/login" in page.url and ACCOUNT not in page.content()
    page.close()


def test_a_user_without_dag_access_sees_nothing(airflow: Standalone) -> None:
    headers = {"Authorization": f"Bearer {airflow.token('nobody')}"}
    for path in ("/amzodoo/health", "/amzodoo/orders", "/amzodoo/reconciliation"):
        response = httpx.get(f"{airflow.url}{path}", headers=headers)
        assert response.status_code == 403, (path, response.status_code)
        assert ACCOUNT not in response.text and "eu_main" not in response.text
    action = httpx.post(f"{airflow.url}/amzodoo/orders/action", headers=headers,
                        data={"action": "ignore", "account": ACCOUNT, "marketplace": MARKETPLACE, "order_id": "x"})
    assert action.status_code == 403


def test_an_order_in_error_is_fixed_and_recovered_from_the_console(
        airflow: Standalone, api: AirflowApi, browser: Any, bad_orders: dict[str, Any], standins: dict[str, Any],
        tmp_path: Path) -> None:
    order_id = bad_orders["ids"][1]
    page = log_in(browser, airflow)
    console = open_console(page)
    screenshot(page, "console-health", tmp_path)
    health_row = console.locator(f"#marketplaces tr[data-account={ACCOUNT}][data-marketplace={MARKETPLACE}]")
    assert "2 order(s) in error" in health_row.inner_text()

    console.get_by_role("link", name="Orders needing attention").click()
    row = console.locator(f"tr[data-order='{order_id}']")
    why = row.locator("td.why").inner_text()
    assert why.startswith(f"account {ACCOUNT}, marketplace {MARKETPLACE}, order {order_id}: "), why
    assert "sellerSku" in why and row.locator("td.state").inner_text() == "error"
    screenshot(page, "console-orders", tmp_path)

    # The cause is fixed at Amazon: it now serves the order well formed.
    fixed = copy.deepcopy(bad_orders["good"][1])
    fixed["lastUpdatedTime"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    loaded = bad_orders["sandbox"].post("/_sandbox/orders/load", json={"account": ACCOUNT, "orders": [fixed]})
    assert loaded.status_code == 201, loaded.text

    row.get_by_role("button", name="Recover from Amazon").click()
    run_id = queued_run(console, ORDER_DAG)
    assert api.run(ORDER_DAG, run_id)["conf"] == {"order_id": order_id}
    assert api.wait_for_run(ORDER_DAG, run_id) == "success", airflow.output()

    console.get_by_role("textbox", name="Amazon order id (any state)").fill(order_id)
    console.get_by_role("button", name="Show").click()
    row = console.locator(f"tr[data-order='{order_id}']")
    expect(row.locator("td.state")).to_have_text("created in Odoo")
    assert row.get_by_role("link", name="sale.order").get_attribute("href").startswith(standins["odoo"])
    screenshot(page, "console-order-created", tmp_path)
    page.context.close()


def test_a_viewer_reads_but_may_neither_retry_nor_ignore(airflow: Standalone, bad_orders: dict[str, Any]) -> None:
    order_id = bad_orders["ids"][2]
    with httpx.Client(base_url=airflow.url, headers={"Authorization": f"Bearer {airflow.token('viewer')}"}) as ui:
        listed = ui.get("/amzodoo/orders")
        assert listed.status_code == 200 and order_id in listed.text
        form = {"account": ACCOUNT, "marketplace": MARKETPLACE, "order_id": order_id}
        retried = ui.post("/amzodoo/orders/action", data={**form, "action": "retry"})
        assert retried.status_code == 303
        assert "Airflow refused: you may not trigger" in httpx.URL(retried.headers["location"]).params["flash"]
        ignored = ui.post("/amzodoo/orders/action", data={**form, "action": "ignore"})
        assert ignored.status_code == 403
        assert order_id in ui.get("/amzodoo/orders").text


def test_a_reconciliation_is_run_and_its_mismatch_read_then_the_order_ignored(
        airflow: Standalone, api: AirflowApi, browser: Any, bad_orders: dict[str, Any], tmp_path: Path) -> None:
    order_id = bad_orders["ids"][2]
    api.unpause(RECONCILIATION_DAG)
    page = log_in(browser, airflow)
    console = open_console(page)
    console.get_by_role("link", name="Reconciliation").click()
    run_form = console.locator("form[action$='/reconciliation/run']")
    run_form.locator("select[name=account]").select_option(ACCOUNT)
    run_form.locator("input[name=day]").fill(YESTERDAY.isoformat())
    run_form.get_by_role("button", name="Run reconciliation").click()
    run_id = queued_run(console, RECONCILIATION_DAG)
    assert api.run(RECONCILIATION_DAG, run_id)["conf"] == {"day": YESTERDAY.isoformat()}
    assert api.wait_for_run(RECONCILIATION_DAG, run_id) == "success", airflow.output()

    console.get_by_role("link", name="Reconciliation").click()
    console.locator("select[name=day]").first.select_option(YESTERDAY.isoformat())
    console.get_by_role("button", name="Show").click()
    report = console.locator(f"section.report[data-account={ACCOUNT}][data-marketplace={MARKETPLACE}]")
    expect(report.locator("h2")).to_contain_text("mismatch")
    mismatch = report.locator("tr").filter(has_text=order_id)
    assert "error in staging" in mismatch.inner_text() and "sellerSku" in mismatch.inner_text()
    screenshot(page, "console-reconciliation", tmp_path)

    console.get_by_role("link", name="Orders needing attention").click()
    console.locator(f"tr[data-order='{order_id}']").get_by_role("button", name="Ignore").click()
    expect(console.get_by_role("status")).to_contain_text(f"{order_id} ignored")
    expect(console.locator(f"tr[data-order='{order_id}']")).to_have_count(0)
    page.context.close()
