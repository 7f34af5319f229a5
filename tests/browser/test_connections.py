"""Both connection types added in Airflow's Connections form and tested with its Test button, in a real browser.

The form shows each field's help text; Test is enabled (the project's Airflow configuration) and works although
Airflow 3.3.2's page sends ``port: 0`` for these port-less types (apache/airflow#73298: 400 "The host or port to
test differs from the stored connection" without the console plugin's fix); a failing Test says what failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from amzodoo_sandbox.spapi import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET
from tests.browser.conftest import log_in, screenshot
from tests.fixtures.standalone import Standalone


def add_connection(page: Any, conn_id: str, conn_type: str, standard: dict[str, str], extra: dict[str, str],
                   help_text: str, tmp_path: Path, shot: str | None = None) -> None:
    page.get_by_role("button", name="Add Connection").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("input[name=connection_id]").fill(conn_id)
    dialog.get_by_role("combobox").first.fill(conn_type)
    page.keyboard.press("Enter")
    for name, value in standard.items():
        dialog.locator(f"input[name={name}]").fill(value)
    dialog.get_by_text("Extra Fields", exact=True).click()
    for name, value in extra.items():
        dialog.locator(f"input[name=element_{name}]").fill(value)
    expect(dialog.get_by_text(help_text)).to_be_visible()
    if shot:
        page.wait_for_timeout(500)  # the accordion's animation, for the picture only
        screenshot(page, shot, tmp_path)
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row").filter(has_text=conn_id)).to_have_count(1)


def press_test(page: Any, conn_id: str) -> tuple[dict, str]:
    """Click the row's Test button: (the request body the page sent, the message it shows)."""
    row = page.get_by_role("row").filter(has_text=conn_id)
    with page.expect_response("**/api/v2/connections/test") as answer:
        row.get_by_role("button", name="Test Connection").click()
    body = answer.value.request.post_data_json
    assert answer.value.status == 200, answer.value.text()
    message = answer.value.json()["message"]
    # The page shows the outcome as the button's icon and, on hover, the message.
    row.get_by_role("button", name="Test Connection").hover()
    expect(page.get_by_text(message).first).to_be_visible()
    return body, message


def test_both_connection_types_are_added_and_tested_in_the_form(
        airflow: Standalone, browser: Any, standins: dict[str, Any], tmp_path: Path) -> None:
    page = log_in(browser, airflow)
    page.goto(airflow.url + "/connections")

    add_connection(page, "odoo_browser", "Odoo", {
        "host": standins["odoo"], "login": "admin", "password": "admin", "schema": standins["odoo_database"]},
        {}, "auto: JSON-2 on Odoo 19+ with an API key, JSON-RPC otherwise.", tmp_path, shot="connection-form-odoo")
    sent, message = press_test(page, "odoo_browser")
    assert sent["port"] == 0  # what Airflow 3.3.2's page sends: the request the fix must let through
    assert message.startswith("Connected to Odoo ") and f"at {standins['odoo']}" in message, message
    screenshot(page, "connection-test-odoo", tmp_path)

    add_connection(page, "amazon_browser", "Amazon Selling Partner API", {
        "login": SANDBOX_LWA_APP_ID, "password": SANDBOX_LWA_CLIENT_SECRET},
        {"refresh_token": "Atzr|amzodoo-sandbox-na_main", "endpoint": standins["spapi_sandbox"]},
        "Leave empty for Amazon; http://127.0.0.1:8801 for the local sandbox.", tmp_path)
    sent, message = press_test(page, "amazon_browser")
    assert sent["port"] == 0
    assert message == (f"Connected to {standins['spapi_sandbox']}: the seller participates in 3 marketplace(s).")

    # A mistake is named: where, and what the other side answered.
    add_connection(page, "odoo_wrong_password", "Odoo", {
        "host": standins["odoo"], "login": "admin", "password": "not-the-password",
        "schema": standins["odoo_database"]}, {}, "auto: JSON-2 on Odoo 19+", tmp_path)
    _, message = press_test(page, "odoo_wrong_password")
    assert message.startswith(f"Odoo at {standins['odoo']} (database {standins['odoo_database']}, login admin"), (
        message)
    assert "res.users.login refused" in message and "not-the-password" not in message
    add_connection(page, "amazon_wrong_token", "Amazon Selling Partner API", {
        "login": SANDBOX_LWA_APP_ID, "password": SANDBOX_LWA_CLIENT_SECRET},
        {"refresh_token": "Atzr|no-such-token", "endpoint": standins["spapi_sandbox"]}, "Leave empty", tmp_path)
    _, message = press_test(page, "amazon_wrong_token")
    assert message.startswith(f"Login with Amazon at {standins['spapi_sandbox']}/auth/o2/token refused the "
                              "credentials: HTTP 400 invalid_grant"), message
    screenshot(page, "connection-test-failed", tmp_path)
    page.context.close()
