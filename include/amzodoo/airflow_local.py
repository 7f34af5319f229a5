"""The project-local Airflow (``make demo``, ``make airflow``): settings both must share.

Both write connections (with the sellers' refresh tokens and Odoo passwords) into the same metadata database in
``.airflow``, so they must encrypt with the same Fernet key; without one Airflow stores them in clear text.
"""

from __future__ import annotations

import os
from pathlib import Path

FERNET_KEY_FILE = "fernet.key"
# Airflow's [logging] namespace_levels for every Airflow this project configures (demo, make airflow, compose).
# airflow.models.connection.Connection warns on every connection lookup that RFC 3986 URI schemes hold no "_"
# (Airflow builds a cache URI from each connection; its own google_cloud_platform type has one as well). It is that
# logger's only warning: its errors (a connection that cannot be parsed) still show.
NAMESPACE_LEVELS = "airflow.models.connection.Connection=ERROR"


def fernet_key(airflow_home: Path) -> str:
    """The Fernet key of this ``AIRFLOW_HOME``: read from ``fernet.key`` (0600), created on first use."""
    path = airflow_home / FERNET_KEY_FILE
    existing = path.read_text().strip() if path.exists() else ""
    if existing:
        return existing
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    airflow_home.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key
