"""``python -m amzodoo.faults [case ...] [--list]``: run the fault matrix and print one row per case.

Exits non-zero if any case fails. Each case starts its own SP-API sandbox and Odoo stand-in (≈ 5 s a case).
"""

from __future__ import annotations

import argparse
import logging
import sys

from tabulate import tabulate

from amzodoo.faults.matrix import BY_NAME, CASES
from amzodoo.faults.runner import CaseResult, run_case

HEADER = ("case", "injected", "outcome", "orders in Odoo", "duplicates", "retries used", "verdict")


def row(result: CaseResult) -> tuple[str, ...]:
    dup = sum(result.duplicates.values())
    return (result.case.name, result.case.injected(), result.outcome,
            f"{result.orders_in_odoo}/{result.orders_expected}", str(dup), str(result.task_retries),
            verdict(result))


def verdict(result: CaseResult) -> str:
    if result.case.known_bug:
        return "KNOWN BUG" if not result.passed else "FIXED? (remove known_bug)"
    return "PASS" if result.passed else "FAIL"


def unexpected(result: CaseResult) -> bool:
    """A failure nobody knew about, or a known bug that no longer shows (the matrix must be updated)."""
    return result.passed == bool(result.case.known_bug)


def render(rows: list[tuple[str, ...]]) -> str:
    return tabulate(rows, HEADER, tablefmt="github", disable_numparse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m amzodoo.faults", description=__doc__)
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the cases and what each injects")
    args = parser.parse_args(argv)
    if args.list:
        for case in CASES:
            print(f"{case.name}: {case.injected()} -> {case.expect}")
        return 0
    unknown = [n for n in args.cases if n not in BY_NAME]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}")
    # The connector logs every retry and refused order; the table is what this command is for.
    logging.basicConfig(level=logging.ERROR)
    results = []
    for case in [BY_NAME[n] for n in args.cases] or CASES:
        result = run_case(case)
        results.append(result)
        print(f"{case.name}: {verdict(result)} ({result.seconds} s)", file=sys.stderr,
              flush=True)
    print(render([row(r) for r in results]))
    failed = [r for r in results if unexpected(r)]
    for result in results:
        if not result.passed:
            label = f"KNOWN BUG: {result.case.known_bug}" if result.case.known_bug else "FAILED"
            print(f"\n{result.case.name} {label}", *(f"  - {p}" for p in result.problems[:8]), sep="\n")
    known = sum(1 for r in results if r.case.known_bug and not r.passed)
    print(f"\n{sum(r.passed for r in results)}/{len(results)} cases passed, {known} known bug(s), "
          f"{len(failed)} unexpected")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
