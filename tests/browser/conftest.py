"""Browser tests: ``make airflow`` started as a user would (with its stand-ins), driven by Playwright for Python in
Debian's chromium (/usr/bin/chromium, installed by ``make chromium``; Playwright never downloads a browser here).

One Airflow for the whole directory (startup ~20 s), shared by the tests in file order, and one Chromium; both
end with the directory (package scope): Playwright's sync API keeps an asyncio loop running while it is open,
which other tests' ``asyncio.run`` must not meet. Users: ``admin``,
``viewer`` (may read DAGs, not trigger them) and ``nobody`` (a user whose role grants nothing).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures.standalone import Standalone, start_standalone, stop_standalone, wait_until_healthy

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
USERS = "admin:admin,viewer:viewer,nobody:"
RUN_WITHIN_SECONDS = 150.0
# Screenshots for the README: AMZODOO_SCREENSHOTS=docs/images python -m pytest tests/browser
SCREENSHOTS_ENV = "AMZODOO_SCREENSHOTS"


class AirflowApi:
    """Airflow's REST API as the admin: what a scheduler or an operator would do around the browser."""

    def __init__(self, server: Standalone) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=30,
                                 headers={"Authorization": f"Bearer {server.token('admin')}"})

    def unpause(self, dag_id: str) -> None:
        response = self.http.patch(f"/api/v2/dags/{dag_id}", json={"is_paused": False})
        assert response.status_code == 200, response.text

    def first_run(self, dag_id: str, run_type: str) -> str:
        """The id of the DAG's first run of that type, once the scheduler has created it."""
        deadline = time.monotonic() + RUN_WITHIN_SECONDS
        while time.monotonic() < deadline:
            runs = self.http.get(f"/api/v2/dags/{dag_id}/dagRuns", params={"run_type": run_type}).json()
            if runs["dag_runs"]:
                return runs["dag_runs"][0]["dag_run_id"]
            time.sleep(2)
        pytest.fail(f"no {run_type} run of {dag_id} within {RUN_WITHIN_SECONDS:.0f} s:\n{self.server.output()}")

    def run(self, dag_id: str, run_id: str) -> dict:
        return self.http.get(f"/api/v2/dags/{dag_id}/dagRuns/{run_id}").json()

    def wait_for_run(self, dag_id: str, run_id: str) -> str:
        deadline = time.monotonic() + RUN_WITHIN_SECONDS
        while time.monotonic() < deadline:
            state = self.run(dag_id, run_id)["state"]
            if state in ("success", "failed"):
                return state
            time.sleep(2)
        pytest.fail(f"{dag_id} run {run_id} not finished within {RUN_WITHIN_SECONDS:.0f} s:\n"
                    f"{self.server.output()}")


@pytest.fixture(scope="package")
def airflow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standalone]:
    root = tmp_path_factory.mktemp("browser")
    running = start_standalone(root / "airflow_home", root / "standalone.log", extra_env={
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": USERS,
        # Task retries and report polls as short as the demo's: a browser test waits on them.
        "AMZODOO_RETRY_DELAY_SECONDS": "2",
        "AMZODOO_REPORT_POLL_SECONDS": "1",
    })
    try:
        wait_until_healthy(running)
        yield running
    finally:
        stop_standalone(running)


@pytest.fixture(scope="package")
def api(airflow: Standalone) -> AirflowApi:
    return AirflowApi(airflow)


@pytest.fixture(scope="package")
def standins(airflow: Standalone) -> dict[str, Any]:
    return json.loads((airflow.home / "standins.json").read_text())


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def log_in(browser: Any, airflow: Standalone, user: str = "admin") -> Any:
    """A fresh browser context, logged in through Airflow's own login page."""
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    page.goto(airflow.url + "/")
    page.locator("input[name=username]").fill(user)
    page.locator("input[name=password]").fill(airflow.password(user))
    page.locator("button[type=submit]").click()
    page.wait_for_url(airflow.url + "/")
    return page


def screenshot(page: Any, name: str, tmp_path: Path) -> None:
    directory = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"{name}.png"))
