"""`verify_audit` finds each way of rewriting history by SQL: an edited event, deleted last
events (with or without the head wound back), a deleted middle event, a chain recomputed
without the key, an edited memo or directive row, and (against a checkpoint kept outside
the database) a rollback to an older copy. Runs on SQLite and on PostgreSQL (where the
triggers are switched off first, as the table's owner could)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from directives.models import DirectiveEvent, Distribution
from directives.reminders import remind_overdue_distributions
from memos import services
from memos.audit import chain_verify
from memos.models import Memo, MemoEvent, MemoState
from memos.reference import reference_memo_input
from tests.factories import MemoEventFactory

from .conftest import decided_memo, reseal, sent_directive, sql_delete, with_sql_access

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OTHER_KEY = "a-key-that-is-not-the-systems-0123456789abcdef"


def verify(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def event(memo: Memo, action: str) -> MemoEvent:
    return MemoEvent.objects.get(memo=memo, action=action)


def test_an_untouched_history_verifies(roles):
    memo = decided_memo(roles)
    directive = sent_directive(memo, roles)
    # The overdue job writes its events in bulk: they are chained too.
    Distribution.objects.filter(directive=directive).update(due_date=dt.date(2020, 1, 1))
    assert remind_overdue_distributions() > 0
    # Returned to the drafter, corrected and signed again: the version on the memo row moves.
    returned = services.memo_create(user=roles.clerk, data=reference_memo_input())
    services.memo_submit(memo=returned, user=roles.clerk)
    services.memo_return(memo=returned, user=roles.director, position=returned.signing_position, reason="แก้ไขข้อ ๒")
    services.memo_resubmit(memo=returned, user=roles.clerk, note="แก้ไขแล้ว")
    services.memo_sign(memo=returned, user=roles.director)

    code, out = verify()

    assert code == 0, out
    assert "บันทึกข้อความ: ตรวจแล้ว 2 เรื่อง พบปัญหา 0 เรื่อง" in out
    assert "หนังสือเวียน: ตรวจแล้ว 1 ฉบับ พบปัญหา 0 ฉบับ" in out
    overdue = DirectiveEvent.objects.filter(directive=directive, action="overdue")
    assert overdue.count() == directive.distributions.count()
    assert sorted(DirectiveEvent.objects.filter(directive=directive).values_list("seq", flat=True)) == list(
        range(1, directive.events.count() + 1)
    )


def test_an_edited_event_is_named(roles):
    memo = decided_memo(roles)
    sign = event(memo, "sign")
    with with_sql_access():
        MemoEvent.objects.filter(pk=sign.pk).update(text="แก้ไขย้อนหลัง")

    code, out = verify()

    assert code == 1
    assert f"บันทึกข้อความ #{memo.pk}: เหตุการณ์ลำดับที่ {sign.seq} ไม่ถูกต้อง" in out
    assert "ถูกแก้ไขหลังบันทึก" in out
    assert "บันทึกข้อความ: ตรวจแล้ว 1 เรื่อง พบปัญหา 1 เรื่อง" in out


def test_a_deleted_last_event_is_found_by_the_head_on_the_memo(roles):
    memo = decided_memo(roles)
    decide = event(memo, "decide")
    sql_delete(MemoEvent, pk=decide.pk)  # the memo still reads "approved"

    report = chain_verify(memo_id=memo.pk)

    assert report.first_bad_seq == decide.seq
    assert "ท้ายห่วงโซ่ถูกลบ" in report.reason


def test_truncation_with_the_head_and_the_row_wound_back_is_found(roles):
    memo = decided_memo(roles)
    decide = event(memo, "decide")
    forward = event(memo, "forward")
    sql_delete(MemoEvent, pk=decide.pk)
    with with_sql_access():
        # Everything readable in the database put back as it was before the decision: the
        # head can only be guessed, since its seal is made with the key.
        Memo.objects.filter(pk=memo.pk).update(
            state=MemoState.IN_REVIEW, decided_at=None, chain_seq=forward.seq, chain_head=forward.hash
        )

    report = chain_verify(memo_id=memo.pk)

    assert report.first_bad_seq == forward.seq
    assert "หัวห่วงโซ่" in report.reason


def test_a_deleted_middle_event_is_found(roles):
    memo = decided_memo(roles)
    sign = event(memo, "sign")
    sql_delete(MemoEvent, pk=sign.pk)

    code, out = verify(str(memo.pk))

    assert code == 1
    assert f"เหตุการณ์ลำดับที่ {sign.seq} ไม่ถูกต้อง — เหตุการณ์ลำดับที่ {sign.seq} ถูกลบออกจากห่วงโซ่" in out


def test_all_events_deleted_and_the_head_reset_is_found(roles):
    memo = decided_memo(roles)
    sql_delete(MemoEvent, memo=memo)
    with with_sql_access():
        Memo.objects.filter(pk=memo.pk).update(chain_seq=0, chain_head="")

    report = chain_verify(memo_id=memo.pk)

    assert report.first_bad_seq == 1 and "ไม่พบบันทึกเหตุการณ์" in report.reason


def test_a_chain_recomputed_without_the_key_is_found(roles):
    memo = decided_memo(roles)
    decide = event(memo, "decide")
    with with_sql_access():
        MemoEvent.objects.filter(pk=decide.pk).update(text="ไม่อนุมัติ", payload={})
    reseal("memos", memo.pk, OTHER_KEY)
    # Faithfully recomputed: under the attacker's key every link holds...
    from django.test import override_settings

    with override_settings(AUDIT_HMAC_KEY=OTHER_KEY):
        assert chain_verify(memo_id=memo.pk).ok

    # ... but not under the system's, which is not in the database.
    code, out = verify()

    assert code == 1
    assert f"บันทึกข้อความ #{memo.pk}: เหตุการณ์ลำดับที่ 1 ไม่ถูกต้อง" in out
    assert "คำนวณใหม่โดยไม่มีกุญแจ" in out


def test_an_edited_memo_row_is_found(roles):
    memo = decided_memo(roles)
    decide = event(memo, "decide")
    with with_sql_access():
        Memo.objects.filter(pk=memo.pk).update(state=MemoState.IN_REVIEW)

    code, out = verify()

    assert code == 1
    assert f"บันทึกข้อความ #{memo.pk}: เหตุการณ์ลำดับที่ {decide.seq} ไม่ถูกต้อง" in out
    assert "state เป็น 'in_review' แต่เหตุการณ์ล่าสุดบันทึกไว้ 'approved'" in out


def test_a_changed_memo_number_is_found(roles):
    memo = decided_memo(roles)
    Memo.objects.filter(pk=memo.pk).update(number="กท ๐๔๐๑/๙๙")

    report = chain_verify(memo_id=memo.pk)

    assert not report.ok and "number" in report.reason


def test_directive_tampering_is_found_per_directive(roles):
    memo = decided_memo(roles)
    edited = sent_directive(memo, roles)
    truncated = sent_directive(memo, roles)
    renumbered = sent_directive(memo, roles)
    untouched = sent_directive(memo, roles)
    send = DirectiveEvent.objects.get(directive=edited, action="send")
    last = DirectiveEvent.objects.filter(directive=truncated).order_by("-seq").first()
    assert last is not None and last.action == "receive"
    with with_sql_access():
        DirectiveEvent.objects.filter(pk=send.pk).update(payload={"number": "กท ๐๔๐๑/ว ๙๙"})
        sql_delete(DirectiveEvent, pk=last.pk)
        type(renumbered).objects.filter(pk=renumbered.pk).update(number="กท ๐๔๐๑/ว ๙๙")

    code, out = verify("--kind", "directives")

    assert code == 1
    assert f"หนังสือเวียน #{edited.pk}: เหตุการณ์ลำดับที่ {send.seq} ไม่ถูกต้อง" in out
    assert f"หนังสือเวียน #{truncated.pk}: เหตุการณ์ลำดับที่ {last.seq} ไม่ถูกต้อง — เหตุการณ์ท้ายห่วงโซ่ถูกลบ" in out
    assert f"หนังสือเวียน #{renumbered.pk}: เหตุการณ์ลำดับที่ {renumbered.chain_seq} ไม่ถูกต้อง" in out
    assert f"#{untouched.pk}:" not in out
    assert "หนังสือเวียน: ตรวจแล้ว 4 ฉบับ พบปัญหา 3 ฉบับ" in out
    assert "บันทึกข้อความ:" not in out  # --kind directives checks only those


def test_a_rollback_to_an_older_copy_is_found_against_a_checkpoint(roles, tmp_path):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    services.memo_submit(memo=memo, user=roles.clerk)
    services.memo_sign(memo=memo, user=roles.director)
    before = Memo.objects.values("state", "chain_seq", "chain_head").get(pk=memo.pk)  # a copy kept by someone
    services.memo_forward(memo=memo, user=roles.deputy, note="เห็นควรอนุมัติ")
    checkpoint = tmp_path / "heads.json"
    code, _ = verify("--write-checkpoint", str(checkpoint))
    assert code == 0
    assert {"kind": "memos", "id": memo.pk, "seq": 4}.items() <= json.loads(checkpoint.read_text())[0].items()
    sql_delete(MemoEvent, memo=memo, action="forward")
    with with_sql_access():
        Memo.objects.filter(pk=memo.pk).update(current_step=0, **before)

    # Events, row and head are consistent again: the database alone cannot tell...
    assert verify()[0] == 0
    # ... the heads kept outside it can.
    code, out = verify("--checkpoint", str(checkpoint))
    assert code == 1
    assert f"บันทึกข้อความ #{memo.pk}: เหตุการณ์ลำดับที่ 4 ไม่ถูกต้อง — ห่วงโซ่สั้นกว่าจุดตรวจสอบ" in out


def test_an_event_appended_through_a_stale_copy_of_the_memo_still_chains(roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    stale = Memo.objects.get(pk=memo.pk)
    services.memo_submit(memo=memo, user=roles.clerk)  # moves the head; `stale` does not know

    MemoEventFactory(memo=stale, action="return", from_state="awaiting_signature", to_state="awaiting_signature")

    assert chain_verify(memo_id=memo.pk).ok
    assert list(MemoEvent.objects.filter(memo=memo).values_list("seq", flat=True)) == [1, 2, 3]
    assert stale.chain_seq == 3


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "saraban.example.go.th",
        "VAR_DIR": str(tmp_path),
    }
    env.pop("AUDIT_HMAC_KEY", None)
    env.pop("AUDIT_HMAC_KEY_FILE", None)
    run = [sys.executable, str(ROOT / "manage.py"), "check"]

    missing = subprocess.run(run, env=env, cwd=ROOT, capture_output=True, text=True)
    short = subprocess.run(run, env={**env, "AUDIT_HMAC_KEY": "short"}, cwd=ROOT, capture_output=True, text=True)

    assert missing.returncode != 0 and "AUDIT_HMAC_KEY is not set" in missing.stderr
    assert short.returncode != 0 and "at least 32 characters" in short.stderr


def test_appending_leaves_the_head_on_the_memo(roles):
    memo = decided_memo(roles)
    events = list(MemoEvent.objects.filter(memo=memo).order_by("seq"))
    assert memo.chain_seq == len(events) == events[-1].seq
    assert events[-1].owner_row["state"] == "approved"
    assert events[-1].owner_row["decided_at"] == memo.decided_at.astimezone(dt.UTC).isoformat()
    assert timezone.is_aware(memo.decided_at)
