"""``make airflow`` for real: scripts/airflow_standalone.py on a free port in a throwaway AIRFLOW_HOME.

Checks what a developer relies on: the API comes up healthy, the printed login works, the DAGs of ``dags/``
are all listed with no import errors, the connector's connection types have their forms (with their help
text), the console plugin is registered, the connections the DAGs need are stored encrypted and point at
running stand-ins (their Test passes, as the form sends it, with ``port: 0``), and Ctrl-C leaves no process and
no stand-in behind. About 40 s on 2 cores (startup ~20 s, stop 3-13 s).
"""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from amzodoo.demo import STANDIN_DESCRIPTION
from tests.fixtures.standalone import (
    REPO_ROOT,
    STOPPED_WITHIN_SECONDS,
    Standalone,
    clean_environment,
    start_standalone,
    stop_standalone,
    wait_until_healthy,
)

DAGS_FOLDER = REPO_ROOT / "dags"
# The DAG processor parses dags/ right after it starts; a file that imports slowly may take a while.
DAGS_LISTED_WITHIN_SECONDS = 60.0
CONNECTOR_CONN_TYPES = {"amazon_sp_api", "odoo"}
REAL_AMAZON = {"conn_type": "amazon_sp_api", "login": "amzn1.application-oa2-client.real", "password": "secret",
               "extra": {"refresh_token": "Atzr|real", "region": "EU"}}

# What the DAG processor should find, computed the same way (DagBag in safe mode) in a separate process
# with its own AIRFLOW_HOME, so it neither imports Airflow into pytest nor races the server's airflow.cfg.
PARSE_DAGS = """
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
print(json.dumps({"dag_ids": sorted(bag.dag_ids), "import_errors": sorted(bag.import_errors)}))
"""


@pytest.fixture
def standalone(tmp_path: Path) -> Iterator[Standalone]:
    # A real Amazon connection of one account, as an operator would give it: it must be used, not replaced.
    running = start_standalone(tmp_path / "airflow_home", tmp_path / "standalone.log", extra_env={
        "AIRFLOW_CONN_AMAZON_SP_API_EU_MAIN": json.dumps(REAL_AMAZON)})
    try:
        yield running
    finally:
        stop_standalone(running)


def expected_dags(tmp_path: Path) -> subprocess.Popen[str]:
    env = clean_environment(tmp_path / "parse_home")
    env["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    env["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS_FOLDER)
    return subprocess.Popen(
        [sys.executable, "-c", PARSE_DAGS, str(DAGS_FOLDER)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def fetch_all(api: httpx.Client, path: str, key: str) -> list[dict]:
    """Every entry of a paginated collection (the API caps a page at 100)."""
    entries: list[dict] = []
    while True:
        page = api.get(path, params={"limit": 100, "offset": len(entries)})
        page.raise_for_status()
        body = page.json()
        entries.extend(body[key])
        if not body[key] or len(entries) >= body["total_entries"]:
            return entries


def test_make_airflow_serves_the_project_and_stops_cleanly(standalone: Standalone, tmp_path: Path) -> None:
    parsing = expected_dags(tmp_path)
    started = time.monotonic()
    wait_until_healthy(standalone)
    startup_seconds = time.monotonic() - started
    standalone.remember_tree()

    # The banner names the user and the password that is in the passwords file.
    passwords = json.loads((standalone.home / "simple_auth_manager_passwords.json.generated").read_text())
    time.sleep(1)  # the script prints the banner right after its own health check
    assert f"admin / {passwords['admin']}" in standalone.log.read_text(), standalone.output()

    login = httpx.post(
        f"{standalone.url}/auth/token", json={"username": "admin", "password": passwords["admin"]}, timeout=10
    )
    assert login.status_code == 201, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

    stdout, stderr = parsing.communicate(timeout=DAGS_LISTED_WITHIN_SECONDS)
    assert parsing.returncode == 0, stderr
    expected = json.loads(stdout.strip().splitlines()[-1])

    with httpx.Client(base_url=standalone.url, headers=headers, timeout=10) as api:
        deadline = time.monotonic() + DAGS_LISTED_WITHIN_SECONDS
        while True:
            listed = {dag["dag_id"] for dag in fetch_all(api, "/api/v2/dags", "dags")}
            errors = fetch_all(api, "/api/v2/importErrors", "import_errors")
            parsed = set(expected["dag_ids"]) <= listed and len(errors) >= len(expected["import_errors"])
            if parsed or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert errors == [], [f"{e['filename']}: {e['stack_trace'][-500:]}" for e in errors]
        assert listed == set(expected["dag_ids"])

        # The connection form's source: GET /ui/connections/hook_meta (what the UI's Connections page calls).
        hook_meta = api.get("/ui/connections/hook_meta")
        hook_meta.raise_for_status()
        hooks = {hook["connection_type"]: hook for hook in hook_meta.json()}
        assert set(hooks) >= CONNECTOR_CONN_TYPES, sorted(hooks)
        # The fields' help text (a description inside `schema` was never shown).
        assert hooks["odoo"]["extra_fields"]["protocol"]["description"].startswith("auto: JSON-2")
        assert hooks["amazon_sp_api"]["extra_fields"]["endpoint"]["description"].startswith("Leave empty")

        # The console plugin is registered, with its place in the navigation.
        plugins = {p["name"]: p for p in api.get("/api/v2/plugins").json()["plugins"]}
        console = plugins["amzodoo_console"]
        assert console["fastapi_apps"][0]["url_prefix"] == "/amzodoo"
        assert console["external_views"][0]["name"] == "Amazon ⇄ Odoo"

        # The connections the DAGs need exist, point at the running stand-ins, and their Test passes as the
        # Connections page sends it: the stored row with the masked password and `port: 0`.
        standins = json.loads((standalone.home / "standins.json").read_text())
        assert standins["connections"] == ["amazon_sp_api_na_main", "odoo_default"]
        assert api.get("/api/v2/connections/amazon_sp_api_eu_main").status_code == 404  # the real one is used
        for conn_id in ("amazon_sp_api_na_main", "odoo_default"):
            stored = api.get(f"/api/v2/connections/{conn_id}").json()
            # A real Odoo given by ODOO_URL... is stored as given, not described as a stand-in.
            stand_in = conn_id.startswith("amazon") or standins["odoo_standin"]
            assert stored["description"] == (STANDIN_DESCRIPTION if stand_in else None)
            body = {k: stored[k] for k in ("connection_id", "conn_type", "host", "login", "password", "schema",
                                           "extra", "description") if stored[k] is not None}
            tested = api.post("/api/v2/connections/test", json={**body, "port": 0})
            assert tested.status_code == 200 and tested.json()["status"], (conn_id, tested.text)
        assert json.loads(api.get("/api/v2/connections/amazon_sp_api_na_main").json()["extra"])["endpoint"] == (
            standins["spapi_sandbox"])
        assert api.get("/api/v2/connections/odoo_default").json()["host"] == standins["odoo"]
    with sqlite3.connect(standalone.home / "airflow.db") as db:
        encrypted = db.execute("select conn_id, is_encrypted, is_extra_encrypted from connection").fetchall()
    assert encrypted and all(row[1] and row[2] for row in encrypted), encrypted
    sandbox_port = urlsplit(standins["spapi_sandbox"]).port

    stopping = time.monotonic()
    standalone.remember_tree()
    standalone.process.send_signal(signal.SIGINT)
    assert standalone.process.wait(timeout=STOPPED_WITHIN_SECONDS) == 0, standalone.output()
    # Re-parented zombies are reaped by init a moment after their parent exits.
    deadline = time.monotonic() + 5
    while standalone.survivors() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert standalone.survivors() == [], standalone.output()
    # The stand-ins stopped with it.
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", sandbox_port)) != 0
    assert not (standalone.home / "standins.json").exists()
    assert len(standalone.seen) >= 5, "expected scheduler, DAG processor, API server and triggerer to have run"
    print(
        f"healthy after {startup_seconds:.1f} s, {len(listed)} DAGs listed, "
        f"stopped in {time.monotonic() - stopping:.1f} s"
    )
