"""One table for all measurements: printed, and written as results.json and results.md."""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
from tabulate import tabulate

HEADERS = ["#", "measurement", "connector", "per-order path", "searchOrders only", "ceiling / floor", "target",
           "met"]

HOW_TO_READ = """\
How to read it
- Row 1: SP-API requests (LWA token requests left out) per 1,000 orders read by an incremental run; the
  per-order path is Orders v0 getOrders + getOrderItems per order, what Odoo's own connector does.
- Rows 2: seconds of waiting that Amazon's default usage plans impose on reading a 10,000-order backlog,
  measured on the sandbox's simulated clock (limiter waits + 429 backoff; the sandbox enforces the plans and
  counts 429s). "floor" is the least waiting the published plans allow for the data Odoo needs (formula
  below). Report processing time (the sandbox takes 60 s) is not quota waiting and is shown separately.
- Rows 3: orders per second loaded into Odoo (customers included, created and confirmed), storable products
  with stock on hand (FBA location and the seller's warehouse). The ceiling is plain batched create +
  action_confirm with no lookups. The connector's "create + confirm" is its load less the step that
  validates FBA deliveries (timed by the loader), so it does the ceiling's work plus its own logic
  (exactly-once lookups, customer matching, FBM gift notes, total read-back): that ratio is the target. Its
  whole load is also compared with the ceiling and with "with FBA delivery", a ceiling that also validates
  the FBA deliveries and so reaches the connector's end state. The ceilings and the connector run three
  times each, in alternating order; each shows its median run. The one-call-per-order path is timed once,
  on a sample of 300 orders.
- Row 4: peak resident memory and wall time of a child process backfilling 100,000 orders through extract
  (All Orders report + FBM searchOrders) + transform + staging on PostgreSQL.
- Row 5: an incremental run fifteen minutes after a sync, with nothing changed at Amazon.
- Row 6: the operator's console on a staging database of 100,000 staged orders (2 % in error, 3 % waiting):
  the slowest page (median of 5) among Health, orders needing attention (first page, filtered, last page) and
  one order by id; staging queries and HTML rendering, on SQLite and on PostgreSQL.
- Waits are simulated seconds (exact, independent of the machine); throughput, memory and wall times are
  this machine's.
"""


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        value = f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value}{unit}"


def _ratio(value: float | None) -> str:
    # Three decimals: 0.846 must not read as the 0.85 it misses.
    return "—" if value is None else f"{value:.3f}"


def _met(flag: bool | None) -> str:
    return "—" if flag is None else ("yes" if flag else "NO")


def rows(results: dict) -> list[list[str]]:
    out: list[list[str]] = []
    if "api_calls" in results:
        r = results["api_calls"]
        paths = {p["path"]: p for p in r["paths"]}
        c, p = paths["connector"], paths["per-order (getOrders + getOrderItems)"]
        out.append(["1", f"SP-API calls / 1,000 orders, incremental run ({c['orders']} orders)",
                    f"{_fmt(c['per_1000_orders'])} ({c['api_calls']} calls)",
                    f"{_fmt(p['per_1000_orders'])} ({p['api_calls']} calls)", "—", "—", "<= 11", _met(r["met"])])
    if "quota_wait" in results:
        for i, sc in enumerate(results["quota_wait"]["scenarios"]):
            paths = {p["path"]: p for p in sc["paths"]}
            c = paths["connector"]
            per, search = paths["per-order (getOrders + getOrderItems)"], paths["searchOrders only"]
            target = "<= floor + 10 %"
            out.append([f"2{'ab'[i]}", f"quota wait, {sc['backlog']:,}-order backlog, {sc['label']} (s)",
                        f"{_fmt(c['quota_wait_s'])} ({c['api_calls']} calls, {c['throttled']} throttled)",
                        f"{_fmt(per['quota_wait_s'])} ({per['api_calls']} calls)",
                        f"{_fmt(search['quota_wait_s'])} ({search['api_calls']} calls)",
                        f"floor {_fmt(sc['floor_s'])}", target, _met(sc["met"])])
    if "odoo_load" in results:
        r = results["odoo_load"]
        for t in r["targets"]:
            v = t["variants"]
            out.append(["3", f"Odoo load, {v['connector']['orders']:,} orders, {t['odoo']} (orders/s)",
                        f"create + confirm {_fmt(t['connector_create_confirm_per_s'])} (ratio "
                        f"{_ratio(t['ratio_connector_to_ceiling'])}); whole load with FBA delivery "
                        f"{_fmt(v['connector']['orders_per_s'])} ({v['connector']['rpc_calls']} calls)",
                        f"{_fmt(v['per_order']['orders_per_s'])} ({v['per_order']['orders']} orders sampled)",
                        "—", f"ceiling {_fmt(v['ceiling']['orders_per_s'])}; with FBA delivery "
                        f"{_fmt(v['ceiling_fba']['orders_per_s'])}. Whole load / ceiling "
                        f"{_ratio(t['ratio_full_load_to_ceiling'])}, / ceiling with FBA delivery "
                        f"{_ratio(t['ratio_full_load_to_ceiling_fba'])}",
                        "create + confirm >= 0.85 x ceiling", _met(t["met"])])
    if "backfill_memory" in results:
        r = results["backfill_memory"]
        out.append(["4", f"{r['orders']:,}-order backfill: peak RSS, wall time",
                    f"{_fmt(r['peak_rss_mib'])} MiB, {_fmt(r['wall_s'])} s", "—", "—", "—", "<= 1,024 MiB",
                    _met(r["met"])])
    if "idle_run" in results:
        r = results["idle_run"]
        out.append(["5", "nothing changed: SP-API calls, Odoo calls, wall time",
                    f"{r['spapi_calls']} SP-API, {r['odoo_calls']} Odoo, {_fmt(r['wall_s'])} s", "—", "—", "—",
                    "<= 1 SP-API, <= 2 Odoo", _met(r["met"])])
    if "console_pages" in results:
        r = results["console_pages"]
        slowest = "; ".join(f"{d['database']} {_fmt(d['slowest_ms'])} ms" for d in r["databases"])
        out.append(["6", f"console pages, {r['orders']:,} staged orders: slowest page (ms)", slowest, "—", "—",
                    "—", f"< {_fmt(r['target_ms'])} ms", _met(r["met"])])
    return out


def text_table(table: list[list[str]]) -> str:
    return tabulate(table, HEADERS, tablefmt="simple", disable_numparse=True)


def markdown_table(table: list[list[str]]) -> str:
    return tabulate([[c.replace("|", "\\|") for c in r] for r in table], HEADERS, tablefmt="github",
                    disable_numparse=True)


def machine() -> dict:
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": psutil.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1), "processor": platform.processor() or ""}


def details_markdown(results: dict) -> str:
    parts: list[str] = []
    if "quota_wait" in results:
        q = results["quota_wait"]
        parts.append("### Quota wait (row 2)\n\n" + q["floor_formula"] + "\n")
        for sc in q["scenarios"]:
            parts.append(f"**{sc['label']}** — {sc['fba']:,} FBA, {sc['fbm']:,} FBM; floor calls "
                         f"{sc['floor_calls']} → {sc['floor_s']} s.\n")
            parts.append("| path | orders | calls | quota wait (s) | 429s | simulated elapsed (s) "
                         "| calls by operation |")
            parts.append("|---|---|---|---|---|---|---|")
            for p in sc["paths"]:
                ops = ", ".join(f"{k} {v}" for k, v in p["calls_by_operation"].items())
                parts.append(f"| {p['path']} | {p['orders']:,} | {p['api_calls']:,} | {p['quota_wait_s']:,} | "
                             f"{p['throttled']} | {p['sim_elapsed_s']:,} | {ops} |")
            parts.append("")
    if "odoo_load" in results:
        r = results["odoo_load"]
        parts.append(f"### Odoo load (row 3)\n\n{r['orders']:,} orders ({r['fba']:,} FBA, {r['fbm']:,} FBM, "
                     f"{r['lines']:,} lines). Time per RPC method (s), heaviest first:\n")
        for t in r["targets"]:
            parts.append(f"**{t['odoo']}** ({t['url']})\n")
            parts.append("| variant | orders | seconds | orders/s | RPC calls | heaviest methods (s) |")
            parts.append("|---|---|---|---|---|---|")
            for v in t["variants"].values():
                heavy = ", ".join(f"{k} {s}" for k, s in list(v["seconds_by_method"].items())[:6])
                seconds = v["seconds"]
                if v.get("runs_seconds"):  # the median of runs in alternating order
                    seconds = f"{seconds} (median of {', '.join(str(x) for x in v['runs_seconds'])})"
                parts.append(f"| {v['variant']} | {v['orders']:,} | {seconds} | {v['orders_per_s']} | "
                             f"{v['rpc_calls']} | {heavy} |")
            steps = t["variants"]["connector"].get("seconds_by_step") or {}
            if steps:
                parts.append("Connector, seconds by load step (the loader's own timers): " + ", ".join(
                    f"{k} {v}" for k, v in steps.items()) + " (means over the runs); create + confirm = "
                    f"{t['connector_create_confirm_s']} s (median over the runs of the whole load less FBA "
                    "deliveries).\n")
            parts.append("")
    if "backfill_memory" in results:
        r = results["backfill_memory"]
        parts.append(f"### 100k backfill (row 4)\n\n{r['orders']:,} orders ({r['fba_share']:.0%} FBA), "
                     f"{r['api_calls']} SP-API calls ({r['calls_by_operation']}).\n")
        parts.append("| phase | seconds | peak RSS so far (MiB) |\n|---|---|---|")
        for p in r["phases"]:
            parts.append(f"| {p['phase']} | {p['seconds']} | {p['peak_rss_mib']} |")
        parts.append("")
    if "idle_run" in results:
        r = results["idle_run"]
        parts.append(f"### Nothing changed (row 5)\n\nSteps: {r['idle_run']['steps']}; SP-API "
                     f"{r['spapi_by_operation']}; Odoo requests {r['odoo_calls']}.\n")
    if "console_pages" in results:
        r = results["console_pages"]
        names = list(r["databases"][0]["median_ms"])
        parts.append(f"### Console pages (row 6)\n\n{r['orders']:,} staged orders; median of 5 (ms) per page.\n")
        parts.append("| database | needing attention | " + " | ".join(names) + " |")
        parts.append("|---|---|" + "---|" * len(names))
        for d in r["databases"]:
            parts.append(f"| {d['database']} | {d['needing_attention']:,} | "
                         + " | ".join(str(d["median_ms"][n]) for n in names) + " |")
        parts.append("")
    return "\n".join(parts)


def write(results: dict, out_dir: Path, *, started: datetime, wall_s: float, args: dict) -> str:
    table = rows(results)
    meta = {"started": started.isoformat(timespec="seconds"), "wall_s": round(wall_s, 1), "machine": machine(),
            "args": args}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps({"meta": meta, "table": [dict(zip(HEADERS, r, strict=True))
                                                                              for r in table],
                                                      "results": results}, indent=2, default=str) + "\n")
    m = meta["machine"]
    md = [
        "# Benchmarks (issue #7)",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC on {m['cpus']} CPUs, {m['memory_gib']} GiB RAM, Python {m['python']}, "
        f"{m['platform']}; `python -m amzodoo.bench {' '.join(args.get('argv') or [])}`".rstrip() + f" took "
        f"{wall_s:,.0f} s.",
        "",
        markdown_table(table),
        "",
        HOW_TO_READ,
        details_markdown(results),
    ]
    text = "\n".join(md).rstrip() + "\n"
    (out_dir / "results.md").write_text(text)
    return text_table(table)


def now_utc() -> datetime:
    return datetime.now(UTC)
