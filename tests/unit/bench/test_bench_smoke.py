"""Smoke test of the benchmark code on tiny sizes: the structure of what it writes, never its timings."""

from __future__ import annotations

import json
import re

import pytest

from amzodoo.bench import __main__ as bench
from amzodoo.bench import quota_wait, report


@pytest.fixture(autouse=True)
def tiny_sizes(monkeypatch):
    # Smaller than --quick so the whole test stays well under 20 s on a 2-core machine.
    monkeypatch.setitem(bench.SIZES, 1, (1000, 30))
    monkeypatch.setitem(bench.SIZES, 2, (10_000, 40))
    monkeypatch.setitem(bench.SIZES, 3, (2000, 6))
    monkeypatch.setitem(bench.SIZES, 5, (300, 10))
    monkeypatch.setattr("amzodoo.bench.odoo_load.PER_ORDER_SAMPLE", 3)
    # The bench reads a real Odoo from ODOO_URL & co. (as `make bench` documents); a unit test must not.
    for name in ("ODOO_URL", "ODOO_DB", "ODOO_LOGIN", "ODOO_PASSWORD", "ODOO_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_quick_run_writes_table_json_and_markdown(tmp_path, capsys):
    # Measurement 4 needs PostgreSQL and a child process; it has its own structure check below.
    results = bench.main(["--quick", "--only", "1", "--only", "2", "--only", "3", "--only", "5",
                          "--out", str(tmp_path)])
    assert set(results) == {"api_calls", "quota_wait", "odoo_load", "idle_run"}

    written = json.loads((tmp_path / "results.json").read_text())
    assert set(written) == {"meta", "table", "results"}
    assert [row["#"] for row in written["table"]] == ["1", "2a", "2b", "3", "5"]
    assert all(set(row) == set(report.HEADERS) for row in written["table"])

    paths = {p["path"] for p in written["results"]["api_calls"]["paths"]}
    assert paths == {"connector", "per-order (getOrders + getOrderItems)"}
    for scenario in written["results"]["quota_wait"]["scenarios"]:
        assert {p["path"] for p in scenario["paths"]} == {"connector", "searchOrders only",
                                                          "per-order (getOrders + getOrderItems)"}
        assert all(p["throttled"] == 0 for p in scenario["paths"])  # the limiter keeps inside the plans
        assert scenario["fbm"] + scenario["fba"] == 40
    load = written["results"]["odoo_load"]["targets"][0]
    assert set(load["variants"]) == {"ceiling", "ceiling_fba", "connector", "per_order"}
    assert load["variants"]["connector"]["counts"]["created"] == written["results"]["odoo_load"]["orders"]
    # The target's measure is the connector's create + confirm: its load less the FBA delivery step.
    connector = load["variants"]["connector"]
    assert {"create", "confirm", "FBA deliveries"} <= set(connector["seconds_by_step"])
    assert all(len(load["variants"][name]["runs_seconds"]) == 3 for name in ("ceiling", "ceiling_fba", "connector"))
    assert 0 < load["connector_create_confirm_s"] < connector["seconds"]
    assert load["ratio_connector_to_ceiling"] > load["ratio_full_load_to_ceiling"]
    idle = written["results"]["idle_run"]
    assert idle["idle_run"]["to_load"] == 0

    markdown = (tmp_path / "results.md").read_text()
    assert markdown.startswith("# Benchmarks")
    assert re.search(r"^\| #\s+\| measurement\s+\|", markdown, re.MULTILINE)  # the table, as markdown
    assert "How to read it" in markdown
    assert "measurement" in capsys.readouterr().out


def test_floor_follows_the_usage_plans():
    assert quota_wait.floor_seconds(0)[0] == 0.0
    assert quota_wait.floor_seconds(2000)[0] == 0.0  # 20 pages: inside searchOrders' burst
    # 3,000 FBM orders: 30 pages, 10 beyond the burst of 20, one per 1 / 0.0056 s.
    assert quota_wait.floor_seconds(3000)[0] == pytest.approx(10 / 0.0056, abs=0.1)
    # Two reports, their documents and a Restricted Data Token per range fit in their bursts.
    assert quota_wait.floor_seconds(0, 10_000)[1]["reports.createReport"] == 2
    # 1,200 shipped FBA business orders: a getOrder each, 1,170 beyond the burst of 30 at 0.5/s...
    assert quota_wait.floor_seconds(0, 10_000, 1200) == (2340.0, {
        "reports.createReport": 2, "reports.getReport": 2, "reports.getReportDocument": 2,
        "tokens.createRestrictedDataToken": 1, "orders.getOrder": 1200})
    # ...which wait in parallel with the FBM pages: the slower of the two decides.
    assert quota_wait.floor_seconds(3000, 7000, 840)[0] == pytest.approx(10 / 0.0056, abs=0.1)
    assert quota_wait.floor_seconds(3000, 7000, 1000)[0] == pytest.approx(970 / 0.5, abs=0.1)
    # With few FBA orders, reading all of them through searchOrders is the cheaper way to the company names.
    assert quota_wait.floor_seconds(0, 2000, 1500)[0] == 0.0


def test_report_rows_for_a_memory_result():
    table = report.rows({"backfill_memory": {"orders": 100_000, "peak_rss_mib": 512.0, "wall_s": 100.0,
                                             "met": True}})
    assert table[0][0] == "4" and table[0][-1] == "yes"


def test_secrets_never_reach_the_results():
    assert bench.masked(["--odoo-api-key", "k3y", "--odoo-password=pw", "--quick"]) == [
        "--odoo-api-key", "***", "--odoo-password=***", "--quick"]


def test_a_variant_run_several_times_is_reported_by_its_median_run():
    from amzodoo.bench.odoo_load import _median_of

    def run(seconds: float, create: float, fba: float) -> dict:
        return {"variant": "connector", "orders": 100, "seconds": seconds, "orders_per_s": 100 / seconds,
                "rpc_calls": 5, "seconds_by_method": {"sale.order.create": create},
                "seconds_by_step": {"create": create, "FBA deliveries": fba}, "create_confirm_seconds": seconds - fba}

    median = _median_of([run(10.0, 4.0, 1.0), run(30.0, 9.0, 2.0), run(12.0, 5.0, 3.0)])
    assert median["seconds"] == 12.0 and median["runs_seconds"] == [10.0, 30.0, 12.0]
    assert median["orders_per_s"] == 8.3 and median["rpc_calls"] == 5
    assert median["create_confirm_seconds"] == 9.0  # median of 9, 28 and 9: the slow outlier does not count
    assert median["seconds_by_method"] == {"sale.order.create": 6.0}
    assert median["seconds_by_step"] == {"create": 6.0, "FBA deliveries": 2.0}


def test_console_pages_row(tmp_path, monkeypatch):
    monkeypatch.setitem(bench.SIZES, 6, (100_000, 300))
    results = bench.main(["--quick", "--only", "6", "--out", str(tmp_path)])
    pages = results["console_pages"]
    assert pages["orders"] == 300 and pages["databases"][0]["database"] == "SQLite"
    for database in pages["databases"]:
        assert set(database["median_ms"]) == {"health", "orders, first page", "orders, account + marketplace + 30 days",
                                              f"orders, last page ({-(-database['needing_attention'] // 50)})",
                                              "one order by id"}
        assert database["states"]["error"] + database["states"]["waiting"] + database["states"]["loaded"] == 300
    written = json.loads((tmp_path / "results.json").read_text())
    assert [row["#"] for row in written["table"]] == ["6"]
    assert "### Console pages (row 6)" in (tmp_path / "results.md").read_text()
