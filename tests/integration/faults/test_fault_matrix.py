"""The fault matrix (include/amzodoo/faults): every case against fresh stand-ins, through the same runner that
``python -m amzodoo.faults`` uses, so the command and the tests cannot disagree."""

from __future__ import annotations

import pytest

from amzodoo.faults.__main__ import main, render
from amzodoo.faults.matrix import CASES
from amzodoo.faults.runner import ACCOUNT, run_case


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(reason=c.known_bug, strict=True)) if c.known_bug else c
    for c in CASES], ids=[c.name for c in CASES])
def test_case_loses_nothing_and_duplicates_nothing(case):
    result = run_case(case)
    assert result.passed, "\n".join(result.problems)
    # The runner checked these; asserting them again documents what "passed" means.
    assert result.orders_in_odoo == result.orders_expected > 0
    assert not any(result.duplicates.values())
    assert result.throttled == 0
    assert result.task_retries >= case.min_task_retries
    refused = {f.message for f in case.odoo if f.kind == "error"}
    for message in result.errors_after_first_run:
        assert f"account {ACCOUNT}, marketplace " in message and ", order " in message
        assert "Odoo refused to " in message and any(m in message for m in refused)


def test_command_lists_cases_and_renders_a_table(capsys):
    assert main(["--list"]) == 0
    listed = capsys.readouterr().out
    assert all(c.name in listed for c in CASES)
    table = render([("a", "b", "c", "1/1", "0", "0", "PASS")])
    assert table.splitlines()[0].startswith("| case ")
