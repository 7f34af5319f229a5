"""``make airflow`` for real: scripts/airflow_standalone.py on a free port in a throwaway AIRFLOW_HOME.

Checks what a developer relies on: the API comes up healthy, the printed login works, the DAGs of ``dags/``
are all listed with no import errors, the connector's connection types have their forms, and Ctrl-C leaves
no process behind. About 30 s on 2 cores (startup ~10 s, stop 3-13 s).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "airflow_standalone.py"
DAGS_FOLDER = REPO_ROOT / "dags"
HEALTHY_WITHIN_SECONDS = 120.0
# The DAG processor parses dags/ right after it starts; a file that imports slowly may take a while.
DAGS_LISTED_WITHIN_SECONDS = 60.0
# The script's own bound: 30 s grace, then SIGTERM and SIGKILL with 5 s each.
STOPPED_WITHIN_SECONDS = 45.0
CONNECTOR_CONN_TYPES = {"amazon_sp_api", "odoo"}

# What the DAG processor should find, computed the same way (DagBag in safe mode) in a separate process
# with its own AIRFLOW_HOME, so it neither imports Airflow into pytest nor races the server's airflow.cfg.
PARSE_DAGS = """
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
print(json.dumps({"dag_ids": sorted(bag.dag_ids), "import_errors": sorted(bag.import_errors)}))
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment(airflow_home: Path) -> dict[str, str]:
    """The caller's environment without any Airflow setting (AMZODOO_CONFIG and the like stay)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AIRFLOW")}
    env["AIRFLOW_HOME"] = str(airflow_home)
    return env


@dataclass
class Standalone:
    process: subprocess.Popen[bytes]
    port: int
    home: Path
    log: Path
    seen: dict[int, psutil.Process] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self, tail: int = 60) -> str:
        lines = self.log.read_text(errors="replace").splitlines()
        return "\n".join(lines[-tail:])

    def remember_tree(self) -> None:
        for child in psutil.Process(self.process.pid).children(recursive=True):
            self.seen.setdefault(child.pid, child)

    def survivors(self) -> list[str]:
        """Processes seen below the script, or in standalone's session, that still run."""
        sessions = {proc.pid for proc in self.seen.values() if "standalone" in " ".join(_cmdline(proc))}
        candidates = dict(self.seen)
        for proc in psutil.process_iter():
            try:
                if os.getsid(proc.pid) in sessions:
                    candidates.setdefault(proc.pid, proc)
            except (psutil.Error, OSError):
                continue
        return [f"{proc.pid} {' '.join(_cmdline(proc))}" for proc in candidates.values() if _is_live(proc)]


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except psutil.Error:
        return []


def _is_live(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


@pytest.fixture
def standalone(tmp_path: Path) -> Iterator[Standalone]:
    home = tmp_path / "airflow_home"
    env = clean_environment(home)
    env["AIRFLOW_PORT"] = str(free_port())
    # Serve-logs ports are fixed (8793/8794) by default: a developer's own `make airflow` would hold them.
    env["AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"] = str(free_port())
    env["AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT"] = str(free_port())
    log = tmp_path / "standalone.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, str(SCRIPT)], env=env, stdout=sink, stderr=subprocess.STDOUT, cwd=REPO_ROOT
        )
    running = Standalone(process=process, port=int(env["AIRFLOW_PORT"]), home=home, log=log)
    try:
        yield running
    finally:
        # A failed assertion must not leave an Airflow behind for the rest of the session.
        if process.poll() is None:
            running.remember_tree()
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=STOPPED_WITHIN_SECONDS)
            except subprocess.TimeoutExpired:
                for proc in [*running.seen.values(), psutil.Process(process.pid)]:
                    if _is_live(proc):
                        proc.kill()
                process.wait(timeout=10)


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


def wait_until_healthy(server: Standalone) -> None:
    deadline = time.monotonic() + HEALTHY_WITHIN_SECONDS
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"the script exited early:\n{server.output()}"
        try:
            health = httpx.get(f"{server.url}/api/v2/monitor/health", timeout=2).json()
        except (httpx.HTTPError, ValueError):
            health = {}
        if health and all(part and part.get("status") == "healthy" for part in health.values()):
            return
        time.sleep(1)
    pytest.fail(f"not healthy within {HEALTHY_WITHIN_SECONDS:.0f} s:\n{server.output()}")


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
        conn_types = {hook["connection_type"] for hook in hook_meta.json()}
        assert conn_types >= CONNECTOR_CONN_TYPES, sorted(conn_types)

    stopping = time.monotonic()
    standalone.remember_tree()
    standalone.process.send_signal(signal.SIGINT)
    assert standalone.process.wait(timeout=STOPPED_WITHIN_SECONDS) == 0, standalone.output()
    # Re-parented zombies are reaped by init a moment after their parent exits.
    deadline = time.monotonic() + 5
    while standalone.survivors() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert standalone.survivors() == [], standalone.output()
    assert len(standalone.seen) >= 5, "expected scheduler, DAG processor, API server and triggerer to have run"
    print(
        f"healthy after {startup_seconds:.1f} s, {len(listed)} DAGs listed, "
        f"stopped in {time.monotonic() - stopping:.1f} s"
    )
