"""The distributed run (issue #8, item 7): scripts/celery_run.py end to end. It starts an api-server, a
scheduler, a dag-processor and two Celery workers on a 2-core machine (≈ 90 s, heavy while other suites run),
so it only runs when asked: ``AMZODOO_CELERY_RUN=1 pytest tests/integration/faults/test_celery_run.py``."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.fixtures.airflow_env import REPO
from tests.fixtures.staging import postgres_available

pytestmark = pytest.mark.skipif(os.environ.get("AMZODOO_CELERY_RUN") != "1",
                                reason="set AMZODOO_CELERY_RUN=1 to run the CeleryExecutor run (≈ 90 s)")


def test_six_dags_two_workers_zero_duplicates_zero_429s():
    if not postgres_available():
        pytest.skip("PostgreSQL is not reachable")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "AMZODOO"))}
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "celery_run.py")], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=1200)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert "OK: zero duplicates, zero 429s" in output
    assert "duplicate_orders: 0" in output and "throttled_429: 0" in output
