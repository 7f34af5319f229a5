#!/usr/bin/env bash
# One-shot setup of the docker-compose stack (service airflow-init), run as root through the image's
# /entrypoint (which waits for the metadata DB) before any other Airflow service starts.
set -euo pipefail

airflow_uid="${AIRFLOW_UID:-50000}"
config_dir="$(dirname "${AIRFLOW_CONFIG}")"
mkdir -p "${config_dir}" /opt/airflow/logs

# First run only: airflow.cfg with a random JWT secret, API secret key and Fernet key. Every component must
# use the same ones; they reach them through the shared airflow-config volume, so none is in the repository.
if [[ ! -s "${AIRFLOW_CONFIG}" ]]; then
  airflow config list > /dev/null
  echo "airflow-init: wrote ${AIRFLOW_CONFIG} with generated secrets"
fi

airflow db migrate

# "Create the user": the simple auth manager reads admin's password from this file. Rewritten on every run,
# so changing AIRFLOW_ADMIN_PASSWORD and restarting the stack changes the password.
python - <<'PY'
import json
import os
from pathlib import Path

path = Path(os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"])
path.write_text(json.dumps({"admin": os.environ.get("AIRFLOW_ADMIN_PASSWORD") or "admin"}) + "\n")
path.chmod(0o600)
PY
echo "airflow-init: user admin ready (password from AIRFLOW_ADMIN_PASSWORD, default admin)"

chown -R "${airflow_uid}:0" "${config_dir}" /opt/airflow/logs
