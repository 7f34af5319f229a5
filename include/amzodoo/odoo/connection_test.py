"""The Connections page's "Test" for an Odoo connection: log in, read the user, and say exactly what failed.

A failed Test names the URL, database, login and protocol it tried, the HTTP status when Odoo answered with one,
and Odoo's own message (never the password or API key).
"""

from __future__ import annotations

from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.errors import OdooError
from amzodoo.odoo.transports import OdooCredentials


def check_odoo(creds: OdooCredentials, protocol: str) -> tuple[bool, str]:
    where = f"Odoo at {creds.url} (database {creds.database}, login {creds.login}, protocol {protocol})"
    try:
        client = OdooClient.connect(creds, protocol)
        try:
            users = client.search_read("res.users", [("login", "=", creds.login)], ["id", "name"], limit=1)
        finally:
            client.close()
    except OdooError as exc:
        status = f"HTTP {exc.http_status}, " if exc.http_status else ""
        label = exc.exception.rsplit(".", 1)[-1] if exc.exception else exc.kind
        return False, f"{where}: {exc.model}.{exc.method} refused ({status}{label}): {exc.server_message.strip()}"
    except Exception as exc:  # a URL that is no Odoo, a TLS problem...: say what came back
        return False, f"{where}: {type(exc).__name__}: {' '.join(str(exc).split())}"
    name = users[0]["name"] if users else creds.login
    return True, f"Connected to Odoo {client.version[2]} at {creds.url} over {client.protocol} as {name}."
