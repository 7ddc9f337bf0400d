"""An external letter through its approval chain: submit, return with a note, resubmit,
review, sign (a number from the send register, Thai digits on paper, acting signature)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from directory.models import Capacity, Position
from documents.models import DocumentKind, DocumentVersion, VersionStatus
from documents.tasks import render_version
from letters.models import IncomingLetter, IncomingState
from letters.outgoing import (
    outgoing_forward,
    outgoing_resubmit,
    outgoing_return,
    outgoing_sign,
    outgoing_submit,
    outgoing_update,
    outgoing_withdraw,
)
from letters.outgoing_models import OutgoingAction, OutgoingLetter, OutgoingState
from letters.outgoing_selectors import outgoing_tasks_for
from registers.models import RegisterEntry, Series
from tests.conftest import official

from .out_helpers import docx_text, draft, letter_input, received, reviewer

pytestmark = pytest.mark.django_db


def test_draft_review_return_resubmit_sign_takes_the_send_registers_number(roles):
    checker = reviewer()
    admin_post = Position.objects.get(key="hrd-admin-director")
    letter = draft(roles.clerk, review_position_ids=(admin_post.pk,))
    RegisterEntry.objects.create(  # the register already holds a letter this year
        unit=letter.unit,
        year=2569,
        series=Series.SEND,
        number=1,
        registered_at=letter.created_at,
        sender="x",
        recipient="y",
        subject="z",
    )
    from registers.models import RegisterCounter

    RegisterCounter.objects.create(unit=letter.unit, year=2569, series=Series.SEND, last_number=131)

    letter = outgoing_submit(letter=letter, user=roles.clerk)
    assert letter.state == OutgoingState.IN_REVIEW and letter.current_position == admin_post
    assert [t.action for t in outgoing_tasks_for(checker)] == ["review"]
    assert outgoing_tasks_for(roles.director) == []

    # The signer cannot sign before the reviewer has passed it on.
    with pytest.raises(ValidationError) as refused:
        outgoing_sign(letter=letter, user=roles.director)
    assert refused.value.code == "not_acting"

    letter = outgoing_return(letter=letter, user=checker, note="แก้คำขึ้นต้นให้ถูกต้อง")
    assert letter.state == OutgoingState.RETURNED and letter.current_position is None
    assert [t.action for t in outgoing_tasks_for(roles.clerk)] == ["revise"]
    letter = outgoing_update(
        letter=letter,
        user=roles.clerk,
        data=letter_input(addressee="เลขาธิการ ก.พ.", review_position_ids=(admin_post.pk,)),
    )
    letter = outgoing_resubmit(letter=letter, user=roles.clerk, note="แก้ไขแล้ว")
    assert letter.current_position == admin_post

    letter = outgoing_forward(letter=letter, user=checker, note="เห็นควรลงนาม")
    assert letter.current_position.key == "ops-hrd-head"
    assert [t.action for t in outgoing_tasks_for(roles.director)] == ["sign"]

    letter = outgoing_sign(letter=letter, user=roles.director)
    assert letter.state == OutgoingState.SIGNED
    assert letter.number == "กท ๐๔๐๑/๑๓๒"
    entry = RegisterEntry.objects.get(pk=letter.register_entry_id)
    assert (entry.series, entry.number, entry.document_number) == (Series.SEND, 132, "กท ๐๔๐๑/๑๓๒")
    # The director acts in the institute head's post: the signature says so.
    assert letter.signature_lines == [
        "(นายสันติ ตั้งชาญรัชชัย)",
        "ผู้อำนวยการส่วนยุทธศาสตร์การพัฒนา รักษาการในตำแหน่ง",
        "ผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
    ]
    actions = list(letter.events.order_by("seq").values_list("action", flat=True))
    assert actions == [
        OutgoingAction.CREATE,
        OutgoingAction.SUBMIT,
        OutgoingAction.RETURN,
        OutgoingAction.EDIT,
        OutgoingAction.RESUBMIT,
        OutgoingAction.FORWARD,
        OutgoingAction.SIGN,
    ]
    assert letter.events.get(action=OutgoingAction.RETURN).text == "แก้คำขึ้นต้นให้ถูกต้อง"

    # The official document: number and date in Thai digits, the acting signature.
    version = DocumentVersion.objects.get(kind=DocumentKind.LETTER, letter_id=letter.pk)
    assert render_version(version.pk) == VersionStatus.DONE
    version.refresh_from_db()
    text = docx_text(version.file.read())
    assert "กท ๐๔๐๑/๑๓๒" in text
    assert "๒๕๖๙" in text and "2569" not in text
    assert "รักษาการในตำแหน่ง" in text and "เลขาธิการ ก.พ." in text


def test_signing_twice_takes_one_number(roles):
    letter = outgoing_submit(letter=draft(roles.clerk), user=roles.clerk)
    outgoing_sign(letter=letter, user=roles.director)
    with pytest.raises(ValidationError) as refused:
        outgoing_sign(letter=letter, user=roles.director)
    assert refused.value.code == "state"
    assert RegisterEntry.objects.filter(series=Series.SEND, unit=letter.unit).count() == 1


def test_submitting_twice_is_refused_in_thai(roles):
    letter = draft(roles.clerk)
    outgoing_submit(letter=letter, user=roles.clerk)
    with pytest.raises(ValidationError) as refused:
        outgoing_submit(letter=letter, user=roles.clerk)
    assert refused.value.code == "state" and "เสนอลงนาม" in refused.value.messages[0]
    assert letter.events.filter(action=OutgoingAction.SUBMIT).count() == 1


def test_acting_for_the_post_signs_with_raksa_ratchakan_thaen(roles):
    post = Position.objects.get(key="hrd-competency-director")
    official(
        "acting",
        "นาย",
        "ประยุทธ",
        "แทนดี",
        "hrd-executive",
        posts=(("hrd-executive-director", Capacity.HOLDER), ("hrd-competency-director", Capacity.ACTING_FOR)),
    )
    from django.contrib.auth import get_user_model

    acting = get_user_model().objects.get(username="acting")
    letter = outgoing_submit(letter=draft(roles.clerk, signing_position_id=post.pk), user=roles.clerk)
    letter = outgoing_sign(letter=letter, user=acting)
    assert letter.signature_lines == [
        "(นายประยุทธ แทนดี)",
        "ผู้อำนวยการส่วนพัฒนานักบริหาร รักษาราชการแทน",
        "ผู้อำนวยการส่วนพัฒนาสมรรถนะ",
    ]
    assert letter.events.get(action=OutgoingAction.SIGN).capacity == Capacity.ACTING_FOR


def test_answer_marks_the_received_letter_answered(roles):
    incoming = received(roles)
    from letters.outgoing import outgoing_create

    letter = outgoing_create(user=roles.clerk, data=letter_input(), in_reply_to=incoming)
    outgoing_submit(letter=letter, user=roles.clerk)
    letter = outgoing_sign(letter=letter, user=roles.director)
    incoming = IncomingLetter.objects.get(pk=incoming.pk)
    assert incoming.state == IncomingState.ANSWERED
    assert incoming.events.last().text == f"ตอบแล้วด้วยหนังสือที่ {letter.number}"


def test_withdrawing_a_signed_letter_voids_its_number(roles):
    letter = outgoing_submit(letter=draft(roles.clerk), user=roles.clerk)
    letter = outgoing_sign(letter=letter, user=roles.director)
    with pytest.raises(ValidationError):
        outgoing_withdraw(letter=letter, user=roles.clerk, reason="  ")
    letter = outgoing_withdraw(letter=letter, user=roles.clerk, reason="ผู้รับแจ้งยกเลิกเรื่อง")
    assert letter.state == OutgoingState.WITHDRAWN
    entry = RegisterEntry.objects.get(pk=letter.register_entry_id)
    assert entry.void and "ผู้รับแจ้งยกเลิกเรื่อง" in entry.void_reason


def test_a_unit_without_a_document_code_cannot_sign_and_takes_no_number(roles):
    letter = outgoing_submit(letter=draft(roles.clerk), user=roles.clerk)
    letter.unit.doc_code = ""
    letter.unit.save(update_fields=["doc_code"])
    with pytest.raises(ValidationError) as refused:
        outgoing_sign(letter=letter, user=roles.director)
    assert refused.value.code == "no_doc_code"
    assert not RegisterEntry.objects.filter(series=Series.SEND).exists()
    assert OutgoingLetter.objects.get(pk=letter.pk).state == OutgoingState.IN_REVIEW


def test_the_history_is_a_verified_chain_and_append_only_on_postgresql(roles):
    from django.db import DatabaseError, connection, transaction

    from audit.chain import chain_verify
    from letters.outgoing_models import OUTGOING_CHAIN, OutgoingEvent

    letter = outgoing_sign(letter=outgoing_submit(letter=draft(roles.clerk), user=roles.clerk), user=roles.director)
    assert chain_verify(OUTGOING_CHAIN, letter.pk).ok
    assert OutgoingEvent.objects.filter(letter=letter).count() == 3
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            OutgoingEvent.objects.filter(letter=letter).update(text="แก้ประวัติ")
    # Edited behind the service's back, the chain no longer verifies.
    OutgoingLetter.objects.filter(pk=letter.pk).update(number="กท ๐๔๐๑/๙๙๙")
    assert not chain_verify(OUTGOING_CHAIN, letter.pk).ok


def test_an_answer_to_a_letter_filed_meanwhile_is_still_signed(roles):
    from letters.outgoing import outgoing_create

    incoming = received(roles)
    letter = outgoing_create(user=roles.clerk, data=letter_input(), in_reply_to=incoming)
    outgoing_submit(letter=letter, user=roles.clerk)
    IncomingLetter.objects.filter(pk=incoming.pk).update(state=IncomingState.CLOSED)
    letter = outgoing_sign(letter=letter, user=roles.director)
    assert letter.state == OutgoingState.SIGNED
    assert IncomingLetter.objects.get(pk=incoming.pk).state == IncomingState.CLOSED
