"""The daily reconciliation reports as the console shows them: read from where the reconciliation DAG stores
them (``<reports dir>/<YYYY-MM-DD>/<account>__<marketplace>.md``), turned into headings, tables and text.

Only the stored output is read, and generically (any markdown heading, pipe table or paragraph), so the console
keeps working when the report gains or renames rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DAY_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REPORT_FILE = re.compile(r"^(?P<account>[a-z0-9_]+?)__(?P<marketplace>[A-Z]{2,4})\.md$")


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Report:
    day: date
    account: str
    marketplace: str
    path: Path
    title: str = ""
    blocks: list[Table | str] = field(default_factory=list)  # tables and paragraphs, in file order

    @property
    def mismatch_count(self) -> int | None:
        """The 'mismatches' figure of the summary table, when the report has one."""
        for block in self.blocks:
            if isinstance(block, Table):
                for row in block.rows:
                    if len(row) >= 2 and row[0].strip().lower() == "mismatches" and row[1].strip().isdigit():
                        return int(row[1])
        return None


def report_days(directory: Path) -> list[date]:
    """Days that have at least one report, newest first."""
    if not directory.is_dir():
        return []
    days = [date.fromisoformat(p.name) for p in directory.iterdir()
            if p.is_dir() and DAY_DIR.match(p.name) and any(p.glob("*.md"))]
    return sorted(days, reverse=True)


def reports_of_day(directory: Path, day: date, allowed: Iterable[tuple[str, str]] | None = None,
                   account: str | None = None, marketplace: str | None = None) -> list[Report]:
    """The day's reports (only of ``allowed`` account x marketplace pairs when given), by account and marketplace."""
    folder = directory / day.isoformat()
    permitted = set(allowed) if allowed is not None else None
    found = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        match = REPORT_FILE.match(path.name)
        if not match:
            continue
        key = (match["account"], match["marketplace"])
        if permitted is not None and key not in permitted:
            continue
        if account not in (None, key[0]) or marketplace not in (None, key[1]):
            continue
        report = Report(day, key[0], key[1], path)
        report.title, report.blocks = parse_markdown(path.read_text(encoding="utf-8"))
        found.append(report)
    return found


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]


def _is_rule(line: str) -> bool:
    return bool(re.fullmatch(r"\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?", line.strip()))


def parse_markdown(text: str) -> tuple[str, list[Table | str]]:
    """(first heading, blocks): pipe tables become :class:`Table`, other non-empty lines paragraphs."""
    title = ""
    blocks: list[Table | str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            if not title:
                title = heading
            else:
                blocks.append(heading)
            i += 1
        elif line.lstrip().startswith("|") and i + 1 < len(lines) and _is_rule(lines[i + 1]):
            table = Table(_cells(line), [])
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                table.rows.append(_cells(lines[i]))
                i += 1
            blocks.append(table)
        else:
            if line.strip():
                blocks.append(line.strip())
            i += 1
    return title, blocks
