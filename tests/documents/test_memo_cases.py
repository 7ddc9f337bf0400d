"""memo_check's case table (tests/documents/memo_cases.py): every slip caught by its rule,
no finding at all on the correct passages. The counts are printed."""

from __future__ import annotations

import datetime as dt

import pytest

from documents.preflight import check_text

from .memo_cases import CASES, CLOSING_CASES, memo_text

TODAY = dt.date(2026, 11, 24)


def test_case_table_catches_every_slip_without_a_false_alarm(capsys: pytest.CaptureFixture[str]) -> None:
    false_alarms, missed, caught = [], [], 0
    for case in CASES:
        correct = check_text(memo_text(case.correct, where=case.where), today=TODAY)
        if correct:
            false_alarms.append((case.name, [f.format() for f in correct]))
        slip = check_text(memo_text(case.slip, where=case.where), today=TODAY)
        if case.code in {f.code for f in slip}:
            caught += 1
        else:
            missed.append((case.name, [f.format() for f in slip]))
    for case in CLOSING_CASES:
        if check_text(memo_text("", closing=case.correct), today=TODAY):
            false_alarms.append((case.name, []))
        if case.code in {f.code for f in check_text(memo_text("", closing=case.slip), today=TODAY)}:
            caught += 1
        else:
            missed.append((case.name, []))
    total = len(CASES) + len(CLOSING_CASES)
    with capsys.disabled():
        print(
            f"\nmemo_check case table: {2 * total} passages; slips caught {caught}/{total}; "
            f"false alarms {len(false_alarms)}/{total}"
        )
    assert 2 * total >= 30
    assert false_alarms == []
    assert missed == []
