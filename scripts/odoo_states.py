"""Write Odoo's state list (res.country.state) as the CSV the Odoo stand-in seeds from.

The stand-in must hold exactly the states a real Odoo database holds, so that resolving Amazon's regions is tested
against Odoo's own codes and names. Two sources, nothing downloaded:

- a running Odoo, over RPC (what a fresh database really holds, add-ons included):
  ``python scripts/odoo_states.py --url http://127.0.0.1:8169 --db odoo19 --login admin --password admin``
  (``--api-key`` instead of the password works too);
- an Odoo source tree: ``python scripts/odoo_states.py --source /path/to/odoo`` reads the base module's
  ``res.country.state.csv`` and ``res_country_data.xml`` (the base module's states only).

Output: ``sandbox/amzodoo_sandbox/odoo/data/res_country_state.csv`` (``--out`` to change), rows in Odoo's id
order with the country's ISO code, the state's code, name and XML id. The data is Odoo S.A.'s, under LGPL-3.0
(see the NOTICE next to the CSV).
"""

from __future__ import annotations

import argparse
import csv
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "sandbox" / "amzodoo_sandbox" / "odoo" / "data" / "res_country_state.csv"
COLUMNS = ["country_code", "code", "name", "xml_id"]
HEADER = """\
# Odoo {version} res.country.state: the states a fresh Odoo database holds, written by scripts/odoo_states.py
# from {source}.
# Data from Odoo (odoo/addons/base/data/res.country.state.csv), (c) Odoo S.A., LGPL-3.0; see NOTICE in this
# folder. Regenerate rather than edit.
"""


def from_rpc(args: argparse.Namespace) -> tuple[str, list[dict[str, str]]]:
    sys.path.insert(0, str(REPO / "include"))
    from amzodoo.odoo.client import OdooClient
    from amzodoo.odoo.transports import OdooCredentials

    client = OdooClient.connect(OdooCredentials(args.url, args.db, args.login, args.password, args.api_key or ""))
    try:
        countries = {r["id"]: r["code"] for r in client.search_read("res.country", [], ["code"],
                                                                     context={"active_test": False})}
        states = client.search_read("res.country.state", [], ["code", "name", "country_id"], order="id")
        xml_ids = {r["res_id"]: f"{r['module']}.{r['name']}" for r in client.search_read(
            "ir.model.data", [("model", "=", "res.country.state")], ["module", "name", "res_id"])}
        version = ".".join(str(part) for part in client.version[:2])
    finally:
        client.close()
    rows = [{"country_code": countries[s["country_id"][0]], "code": s["code"], "name": s["name"],
             "xml_id": xml_ids.get(s["id"], "")} for s in states]
    return version, rows


def from_source(root: Path) -> tuple[str, list[dict[str, str]]]:
    data = root / "odoo" / "addons" / "base" / "data"
    if not data.is_dir():
        data = root / "addons" / "base" / "data"  # the tree's odoo/ folder itself
    countries: dict[str, str] = {}
    for record in ET.parse(data / "res_country_data.xml").getroot().iter("record"):
        if record.get("model") == "res.country":
            code = next(f.text for f in record.iter("field") if f.get("name") == "code")
            countries[record.get("id", "")] = (code or "").upper()
    rows = []
    with (data / "res.country.state.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            country = row["country_id:id"].removeprefix("base.")
            rows.append({"country_code": countries[country], "code": row["code"], "name": row["name"],
                         "xml_id": f"base.{row['id']}"})
    return "19.0", rows


def write(rows: list[dict[str, str]], out: Path, version: str, source: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER.format(version=version, source=source))
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running Odoo, e.g. http://127.0.0.1:8169")
    parser.add_argument("--db")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="")
    parser.add_argument("--api-key", default="")
    parser.add_argument("--source", type=Path, help="an Odoo source tree instead of a running Odoo")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if bool(args.url) == bool(args.source):
        parser.error("give either --url (with --db) or --source")
    if args.url:
        version, rows = from_rpc(args)
        source = f"a fresh database over RPC (sale_management, stock, sale_stock, delivery; {len(rows)} states)"
    else:
        version, rows = from_source(args.source)
        source = f"the Odoo source's base module ({len(rows)} states)"
    write(rows, args.out, version, source)
    print(f"{len(rows)} states of {len({r['country_code'] for r in rows})} countries written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
