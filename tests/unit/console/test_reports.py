"""The stored reconciliation reports as the console reads them: days newest first, tables, mismatches."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

from amzodoo.console.reports import Table, parse_markdown, report_days, reports_of_day
from amzodoo.sync.reconciliation import Reconciliation, write_report


def report(account: str, marketplace: str, day: str, mismatches: list[tuple[str, str]]) -> Reconciliation:
    return Reconciliation(account, marketplace, day, orders=3, in_odoo=2, amazon_total=Decimal("30.00"),
                          odoo_total=Decimal("30.00"), mismatches=mismatches,
                          states=Counter({"loaded": 2, "error": len(mismatches)}))


def test_reports_written_by_the_reconciliation_are_read_back_as_tables(tmp_path: Path) -> None:
    problem = ("111-0000001", "error in staging: account na_main, marketplace US, order 111-0000001: sellerSku")
    write_report(report("na_main", "US", "2026-11-26", [problem]), tmp_path)
    write_report(report("na_main", "CA", "2026-11-26", []), tmp_path)
    write_report(report("eu_main", "DE", "2026-11-26", []), tmp_path)
    write_report(report("na_main", "US", "2026-11-25", []), tmp_path)
    (tmp_path / "notes").mkdir()

    assert report_days(tmp_path) == [date(2026, 11, 26), date(2026, 11, 25)]
    found = reports_of_day(tmp_path, date(2026, 11, 26), [("na_main", "US"), ("na_main", "CA")])
    assert [(r.account, r.marketplace) for r in found] == [("na_main", "CA"), ("na_main", "US")]
    us = found[1]
    assert us.title == "Reconciliation na_main / US — orders purchased 2026-11-26 (UTC)"
    assert us.mismatch_count == 1 and found[0].mismatch_count == 0
    tables = [b for b in us.blocks if isinstance(b, Table)]
    assert tables[1].header == ["Amazon order", "mismatch"]
    assert tables[1].rows == [list(problem)]
    assert reports_of_day(tmp_path, date(2026, 11, 26), None, marketplace="DE")[0].account == "eu_main"
    assert reports_of_day(tmp_path, date(2026, 11, 24)) == []
    assert report_days(tmp_path / "missing") == []


def test_any_markdown_table_heading_and_paragraph_is_kept() -> None:
    title, blocks = parse_markdown("# Title\n\nA line.\n\n## Part\n| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert title == "Title"
    assert blocks == ["A line.", "Part", Table(["a", "b"], [["1", "2"]])]
