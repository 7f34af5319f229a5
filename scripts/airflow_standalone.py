"""Run Apache Airflow 3.3 standalone for local development: ``make airflow``.

Embedded defaults: SQLite metadata DB and LocalExecutor in a project-local ``AIRFLOW_HOME`` (``.airflow/``),
the repository's ``dags/`` folder, no example DAGs, API server and UI on http://127.0.0.1:<port>, sized for a
2-core machine. Settings are passed as ``AIRFLOW__*`` environment variables, so no airflow.cfg edit is needed;
the rest of the environment (``AMZODOO_CONFIG`` and the like) reaches every Airflow process unchanged.

Why a wrapper rather than plain ``airflow standalone``:
- started from a non-interactive shell ``airflow standalone`` inherits an ignored SIGINT and cannot be
  stopped with Ctrl-C, and SIGTERM to it orphans the scheduler, API server, DAG processor and triggerer.
  Here it runs in a session of its own with SIGINT restored; SIGINT/SIGTERM/SIGHUP to this script become
  one SIGINT to standalone, which stops its components; whatever is still alive in that session (or was
  ever seen below standalone) after a grace period is terminated, then killed. A second Ctrl-C skips
  the grace period;
- the login banner: the admin password is created here (if missing) in the simple auth manager's passwords
  file, so it can be printed on every start, not only on the first one.

On its own it can run the DAGs: once Airflow is healthy it looks at the connections the DAGs need
(``amazon_sp_api_<account>``, ``odoo_default``). Those that are missing, or were stored for stand-ins (by an
earlier run or by ``make demo``), are pointed at stand-ins that this script starts (the SP-API sandbox and the
Odoo stand-in of ``make demo``, from ``amzodoo.demo``) and stored encrypted through Airflow's REST API. A real
connection (one stored by a person, or an ``AIRFLOW_CONN_*`` variable) is left alone, and ``ODOO_URL``/
``ODOO_DB``/``ODOO_LOGIN``/``ODOO_PASSWORD``/``ODOO_API_KEY`` name a real Odoo instead of the stand-in. The
stand-ins stop with Airflow.

Usage: ``python scripts/airflow_standalone.py [--port N] [--no-standins]`` (or ``AIRFLOW_PORT=N``; default 8080).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType

import psutil

from amzodoo.airflow_local import NAMESPACE_LEVELS, fernet_key
from amzodoo.demo import STANDIN_DESCRIPTION

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PORT = 8080
API_HOST = "127.0.0.1"
ADMIN_USER = "admin"
PASSWORDS_FILE_NAME = "simple_auth_manager_passwords.json.generated"
# After the forwarded SIGINT the scheduler waits for its executor and the API server drains requests;
# 30 s covers that on a busy 2-core machine, after which leftovers get SIGTERM and then SIGKILL.
GRACEFUL_STOP_SECONDS = 30.0
TERMINATE_SECONDS = 5.0
READY_TIMEOUT_SECONDS = 180.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

# Defaults the calling environment may override, mostly sizing for 2 cores: the default parallelism of 32
# starts 32 LocalExecutor workers (~1.1 GiB idle); a second parsing process or API worker buys nothing here.
TUNING_DEFAULTS: dict[str, str] = {
    "AIRFLOW__CORE__PARALLELISM": "4",
    "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": "4",
    "AIRFLOW__CORE__MAX_ACTIVE_RUNS_PER_DAG": "2",
    "AIRFLOW__API__WORKERS": "1",
    "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
    # New DAG files show up within 30 s instead of the default 5 min while developing.
    "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
    "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
    # The Connections page's Test button (Airflow disables it by default; the connector's hooks implement it).
    "AIRFLOW__CORE__TEST_CONNECTION": "Enabled",
}
STANDINS_FILE = "standins.json"  # where the running stand-ins are (URLs only), for the operator and the tests


def airflow_environment(base: dict[str, str], airflow_home: Path, port: int) -> dict[str, str]:
    """The environment every Airflow process of the standalone run gets."""
    env = dict(base)
    for key, value in TUNING_DEFAULTS.items():
        env.setdefault(key, value)
    # The key `make demo` encrypted its connections with (an operator's own key wins).
    env.setdefault("AIRFLOW__CORE__FERNET_KEY", fernet_key(airflow_home))
    env.setdefault("AIRFLOW__LOGGING__NAMESPACE_LEVELS", NAMESPACE_LEVELS)
    base_url = f"http://{API_HOST}:{port}"
    env.update(
        {
            "AIRFLOW_HOME": str(airflow_home),
            # What makes this the project's embedded setup; an inherited value must not silently win.
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
            # The "Amazon ⇄ Odoo" console (plugins/amzodoo_console.py).
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home / 'airflow.db'}",
            "AIRFLOW__CORE__AUTH_MANAGER": (
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
            ),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": users_with_admin(env.get(USERS_VARIABLE)),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(airflow_home / PASSWORDS_FILE_NAME),
            "AIRFLOW__API__HOST": API_HOST,
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__BASE_URL": base_url,
            # Task processes report to the execution API; its default assumes localhost:8080.
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base_url}/execution/",
        }
    )
    # `airflow standalone` starts its components as plain `airflow ...`: make that the venv's airflow even
    # when the venv is not activated (make calls .venv/bin/python directly).
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([venv_bin, env.get("PATH", "")])
    return env


USERS_VARIABLE = "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"


def users_with_admin(users: str | None) -> str:
    """The simple auth manager's users (``name:role,...``): the caller's, always including ``admin:admin``."""
    entries = [entry.strip() for entry in (users or "").split(",") if entry.strip()]
    if not any(entry.split(":")[0] == ADMIN_USER for entry in entries):
        entries.insert(0, f"{ADMIN_USER}:admin")
    return ",".join(entries)


def admin_password(passwords_file: Path) -> str:
    """The admin password from the simple auth manager's file; created (0600) when missing."""
    passwords: dict[str, str] = {}
    if passwords_file.exists() and passwords_file.read_text().strip():
        passwords = json.loads(passwords_file.read_text())
    if ADMIN_USER not in passwords:
        passwords[ADMIN_USER] = secrets.token_urlsafe(12)
        passwords_file.touch(mode=0o600)
        passwords_file.write_text(json.dumps(passwords) + "\n")
    return passwords[ADMIN_USER]


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex((API_HOST, port)) == 0


def all_healthy(port: int) -> bool:
    """True when the metadata DB, scheduler, DAG processor and triggerer all report healthy."""
    try:
        with urllib.request.urlopen(f"http://{API_HOST}:{port}/api/v2/monitor/health", timeout=2) as resp:
            health = json.load(resp)
    except (OSError, ValueError):
        return False
    return all(isinstance(part, dict) and part.get("status") == "healthy" for part in health.values())


def _is_live(proc: psutil.Process) -> bool:
    """Running and not a zombie (a zombie is gone already; only its parent can reap it)."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _die_with_parent() -> None:
    """Runs in the child before exec: if this wrapper is SIGKILLed, standalone gets SIGINT and cleans up."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGINT)


_PR_SET_PDEATHSIG = 1
# Loaded before forking: dlopen in the forked child of a threaded process is not safe.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


class Supervisor:
    """Starts ``airflow standalone`` in its own session and tears the whole tree down on request."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.stop_signal: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        # Every process ever seen below the child: processes re-parented to init after their parent
        # died are no longer reachable through children(), but they still have to go.
        self.known: dict[int, psutil.Process] = {}

    def request_stop(self, signum: int, _frame: FrameType | None) -> None:
        print(f"[airflow_standalone] {signal.Signals(signum).name} received", flush=True)
        if self.stop_signal is not None:
            # Second Ctrl-C: the user does not want to wait for the graceful stop.
            self._kill_leftovers(graceful_seconds=0.0)
        self.stop_signal = signum

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "airflow", "standalone"],
            env=self.env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )

    def track_descendants(self) -> None:
        assert self.process is not None
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            return
        for child in children:
            self.known.setdefault(child.pid, child)

    def _alive_tree(self) -> list[psutil.Process]:
        """Known descendants plus anything still in the child's session, minus the child itself."""
        assert self.process is not None
        session = self.process.pid
        alive = dict(self.known)
        for proc in psutil.process_iter():
            with contextlib.suppress(psutil.Error, OSError):
                if proc.pid != session and os.getsid(proc.pid) == session:
                    alive.setdefault(proc.pid, proc)
        return [proc for pid, proc in alive.items() if pid != session and _is_live(proc)]

    def stop(self) -> list[str]:
        """Graceful stop of the whole tree; returns the processes that had to be terminated."""
        assert self.process is not None
        self.track_descendants()
        # SIGINT to standalone alone, not to its process group as Ctrl-C in a terminal would do: standalone
        # then sends each component one SIGTERM. A component that gets both signals exits from inside its
        # first exit handler; measured here, the scheduler then spins forever with its LocalExecutor
        # workers still attached.
        if self.process.poll() is not None:
            # Standalone died on its own: nobody will stop its components, SIGTERM (their stop) is next.
            return self._kill_leftovers(graceful_seconds=0.0)
        self.process.send_signal(signal.SIGINT)
        return self._kill_leftovers(graceful_seconds=GRACEFUL_STOP_SECONDS)

    def _kill_leftovers(self, graceful_seconds: float) -> list[str]:
        """Wait for the tree to exit, then SIGTERM and SIGKILL what is left; returns what was signalled."""
        assert self.process is not None
        deadline = time.monotonic() + graceful_seconds
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=graceful_seconds)
        psutil.wait_procs(self._alive_tree(), timeout=max(0.0, deadline - time.monotonic()))
        forced: list[str] = []
        for signum in (signal.SIGTERM, signal.SIGKILL):
            targets = self._alive_tree()
            if self.process.poll() is None:
                self.process.send_signal(signum)
                forced.append(f"airflow standalone ({self.process.pid})")
            for proc in targets:
                with contextlib.suppress(psutil.Error):
                    forced.append(f"{' '.join(proc.cmdline()[:3])} ({proc.pid})")
                    proc.send_signal(signum)
            _gone, remaining = psutil.wait_procs(targets, timeout=TERMINATE_SECONDS)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=TERMINATE_SECONDS)
            if not remaining and self.process.poll() is not None:
                break
        return forced


def needed_connections(config_path: Path) -> list[str]:
    """The connection ids the DAGs of the configuration use (Amazon per account, Odoo)."""
    from amzodoo.config.loader import load_config

    config = load_config(config_path)
    ids = {account.amazon_conn_id for account in config.accounts.values()}
    ids |= {config.odoo_conn_for(name) for name in config.accounts}
    return sorted(ids)


class AirflowApi:
    """The admin's view of the REST API of the Airflow this script runs."""

    def __init__(self, port: int, password: str) -> None:
        self.base = f"http://{API_HOST}:{port}"
        token = self._call("POST", "/auth/token", {"username": ADMIN_USER, "password": password})["access_token"]
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def _call(self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None) -> dict:
        request = urllib.request.Request(f"{self.base}{path}", method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers=headers or {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def connection(self, conn_id: str) -> dict | None:
        try:
            return self._call("GET", f"/api/v2/connections/{conn_id}", headers=self.headers)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise

    def store_connections(self, connections: dict[str, dict]) -> None:
        """Create or overwrite: Airflow encrypts password and extra with the Fernet key."""
        entities = [{"connection_id": conn_id, **spec} for conn_id, spec in sorted(connections.items())]
        self._call("PATCH", "/api/v2/connections", headers=self.headers, body={"actions": [
            {"action": "create", "entities": entities, "action_on_existence": "overwrite"}]})


def connections_to_provide(api: AirflowApi, conn_ids: list[str], env: dict[str, str]) -> list[str]:
    """Those that are missing or were stored for earlier stand-ins; a person's or an environment's stay."""
    wanted = []
    for conn_id in conn_ids:
        if f"AIRFLOW_CONN_{conn_id.upper()}" in env:
            continue
        if conn_id.startswith("odoo") and env.get("ODOO_URL"):
            wanted.append(conn_id)  # ODOO_URL names the real Odoo to use: stored from the environment
            continue
        existing = api.connection(conn_id)
        if existing is None or (existing.get("description") or "") == STANDIN_DESCRIPTION:
            wanted.append(conn_id)
    return wanted


def start_standins(airflow_home: Path, port: int, password: str, env: dict[str, str]):
    """Start the stand-ins the missing connections need and store those connections; None if none is needed."""
    from amzodoo import demo

    config_path = Path(env.get("AMZODOO_CONFIG") or REPO_ROOT / "dags" / "connector.yaml")
    api = AirflowApi(port, password)
    wanted = connections_to_provide(api, needed_connections(config_path), env)
    if not wanted:
        return None
    # Real time (a report takes 10 s, as quick as the UI wants it); the Odoo stand-in keeps its data between
    # starts (the file `make demo` fills), so orders loaded before are still there.
    args = demo.parser().parse_args(["--clock-scale", "1"])
    standins = demo.start_standins(airflow_home, args, reset_odoo=False, job_seconds=10.0)
    try:
        connections = standins.connections()
        api.store_connections({conn_id: spec for conn_id, spec in connections.items() if conn_id in wanted})
        url, database = standins.odoo[:2]
        (airflow_home / STANDINS_FILE).write_text(json.dumps({
            "spapi_sandbox": standins.sandbox_url, "odoo": url, "odoo_database": database,
            "odoo_standin": standins.odoo_standin is not None, "connections": sorted(wanted)}, indent=2) + "\n")
    except BaseException:
        standins.stop()
        raise
    print(f"[airflow_standalone] stand-ins: SP-API sandbox {standins.sandbox_url}, Odoo "
          f"{'stand-in ' if standins.odoo_standin is not None else ''}{url}; connections stored: "
          f"{', '.join(sorted(wanted))}", flush=True)
    return standins


def print_banner(port: int, password: str, passwords_file: Path, airflow_home: Path) -> None:
    lines = [
        "",
        f"Airflow is ready: http://{API_HOST}:{port}",
        f"  log in as   {ADMIN_USER} / {password}",
        f"  the connector's console: \"Amazon ⇄ Odoo\" in the navigation (http://{API_HOST}:{port}/plugin/amazon-odoo)",
        f"  (password kept in {passwords_file}; delete the file to get a new one on the next start)",
        f"  AIRFLOW_HOME {airflow_home}",
        f"  DAGs folder  {REPO_ROOT / 'dags'}",
        "  DAGs start paused: unpause them in the UI or with `airflow dags unpause <dag_id>`.",
        "  Stop with Ctrl-C.",
        "",
    ]
    print("\n".join(f"[airflow_standalone] {line}" for line in lines), flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("AIRFLOW_PORT", DEFAULT_PORT)),
        help="API server / UI port (env AIRFLOW_PORT, default %(default)s)",
    )
    parser.add_argument("--no-standins", action="store_true",
                        help="never start the SP-API sandbox and the Odoo stand-in for missing connections")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    airflow_home = Path(os.environ.get("AIRFLOW_HOME") or REPO_ROOT / ".airflow").resolve()
    airflow_home.mkdir(parents=True, exist_ok=True)
    if port_in_use(args.port):
        print(f"Port {args.port} is in use (another Airflow?). Use --port or AIRFLOW_PORT.", file=sys.stderr)
        return 2

    env = airflow_environment(dict(os.environ), airflow_home, args.port)
    passwords_file = Path(env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"])
    password = admin_password(passwords_file)

    supervisor = Supervisor(env)
    # Installed before the child starts: a handled signal is reset to default across exec, so the child
    # gets a working SIGINT even when this script was started with SIGINT ignored (background job).
    for signum in STOP_SIGNALS:
        signal.signal(signum, supervisor.request_stop)
    started = time.monotonic()
    supervisor.start()
    assert supervisor.process is not None

    announced = False
    standins = None
    try:
        while supervisor.stop_signal is None and supervisor.process.poll() is None:
            supervisor.track_descendants()
            if not announced and all_healthy(args.port):
                if not args.no_standins:
                    standins = start_standins(airflow_home, args.port, password, env)
                print_banner(args.port, password, passwords_file, airflow_home)
                print(f"[airflow_standalone] healthy after {time.monotonic() - started:.1f} s", flush=True)
                announced = True
            elif not announced and time.monotonic() - started > READY_TIMEOUT_SECONDS:
                print("[airflow_standalone] still not healthy, see the output above", file=sys.stderr, flush=True)
                announced = True
            time.sleep(0.5)
    finally:
        exited_on_its_own = supervisor.stop_signal is None
        print("[airflow_standalone] stopping Airflow ...", flush=True)
        for leftover in supervisor.stop():
            print(f"[airflow_standalone] had to terminate {leftover}", flush=True)
        if standins is not None:
            standins.stop()
            (airflow_home / STANDINS_FILE).unlink(missing_ok=True)
        print("[airflow_standalone] stopped", flush=True)
    if exited_on_its_own:
        return supervisor.process.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
