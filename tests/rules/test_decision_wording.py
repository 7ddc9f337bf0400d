"""The decider's note while a decision is still being made: what is not ruled on yet is not
written (memos/wording.py)."""

from __future__ import annotations

from memos.wording import compose_decision


def test_a_proposal_not_ruled_on_yet_is_left_out_and_the_rest_still_read() -> None:
    assert compose_decision([(1, ""), (2, "approve"), (3, "order")]) == ["อนุมัติในข้อ ๒", "ให้ดำเนินการในข้อ ๓"]
