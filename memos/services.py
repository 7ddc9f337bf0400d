"""Writes. Every change to the domain goes through a function here, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from directory.models import Position, Unit
from directory.selectors import signature_for_appointment
from directory.services import acting_appointment, official_of
from documents.preflight import check_memo
from documents.services import document_version_request
from documents.thai import item_list, thai_date, thai_time, to_thai_digits
from documents.uploads import upload_check
from registers.models import RegisterEntry, Series
from registers.services import document_number, register_allocate

from . import audit, notify
from .models import (
    Ask,
    Attachment,
    EventAction,
    ItemStyle,
    Memo,
    MemoEvent,
    MemoRevision,
    MemoSection,
    MemoState,
    Proposal,
    RouteStep,
    Ruling,
    Secrecy,
    SectionItem,
    Urgency,
)
from .wording import compose_decision, decision_outcome

TOP_SECRET_REFUSAL = (
    "หนังสือชั้นลับที่สุดไม่ดำเนินการผ่านระบบอิเล็กทรอนิกส์ตามระเบียบว่าด้วยการรักษาความลับของทางราชการ "
    "กรุณาดำเนินการทางเอกสารกระดาษโดยเจ้าหน้าที่นายทะเบียนผู้รับผิดชอบ"
)


def _fail(message: str, code: str = "invalid") -> ValidationError:
    return ValidationError(message, code=code)


def _state_label(state: str) -> str:
    return str(MemoState(state).label)


def _fire(memo: Memo, transition_name: str, *args: Any, action_label: str) -> str:
    """Run one FSM transition; an illegal one becomes a Thai message, never a 500."""
    before = memo.state
    try:
        getattr(memo, transition_name)(*args)
    except TransitionNotAllowed:
        raise _fail(
            f"ไม่สามารถ{action_label}ได้ เนื่องจากบันทึกข้อความนี้อยู่ในสถานะ “{_state_label(before)}”",
            code="state",
        )
    return before


def _lock(memo: Memo) -> Memo:
    """Re-read the memo under a row lock (refresh_from_db cannot reload a protected FSM field).

    Only the memo's own row: FOR UPDATE over a join would also lock the unit and the posts,
    and every memo saved in that unit meanwhile (its foreign keys are checked against them)
    would wait, or deadlock, under load (bench/b9_load.py: 13 deadlocks, 500s, in 60 s)."""
    return (
        Memo.objects.select_for_update(of=("self",), no_key=True)
        .select_related("unit", "signing_position", "addressee")
        .get(pk=memo.pk)
    )


def _official(user: Any) -> Any:
    return official_of(user)


# --- Drafting -------------------------------------------------------------------------------


@dataclass
class SectionInput:
    heading: str
    intro: str = ""
    items: list[tuple[int, str, str]] = field(default_factory=list)  # (level, style, text)


@dataclass
class ProposalInput:
    text: str
    ask: str = Ask.APPROVE


@dataclass
class MemoInput:
    subject: str
    addressee_id: int
    signing_position_id: int
    route_position_ids: list[int]
    sections: list[SectionInput]
    proposals: list[ProposalInput]
    urgency: int = Urgency.NORMAL
    secrecy: int = Secrecy.NORMAL
    phone: str = ""
    authority: str = ""


# The subject line of the paper form holds about two printed lines; longer overflows it.
SUBJECT_MAX_LENGTH = 255
# Bounds on what one memo may hold, also the forms' absolute_max: a forged TOTAL_FORMS of
# 999999 is refused at once instead of building a million forms.
MAX_SECTIONS = 20
MAX_PROPOSALS = 20
MAX_ROUTE_STEPS = 15


def subject_too_long(length: int) -> str:
    return (
        f"เรื่องยาวได้ไม่เกิน {to_thai_digits(SUBJECT_MAX_LENGTH)} ตัวอักษร "
        f"(ขณะนี้ {to_thai_digits(length)} ตัวอักษร) กรุณาย่อให้สั้นลง"
    )


def _validate_input(data: MemoInput) -> None:
    errors: dict[str, list[str]] = {}
    if data.secrecy == Secrecy.TOP_SECRET:
        errors.setdefault("secrecy", []).append(TOP_SECRET_REFUSAL)
    if data.secrecy not in Secrecy.values:
        errors.setdefault("secrecy", []).append("ชั้นความลับไม่ถูกต้อง")
    if data.urgency not in Urgency.values:
        errors.setdefault("urgency", []).append("ชั้นความเร็วไม่ถูกต้อง")
    if not data.subject.strip():
        errors.setdefault("subject", []).append("กรุณาระบุเรื่อง")
    elif len(data.subject.strip()) > SUBJECT_MAX_LENGTH:
        errors.setdefault("subject", []).append(subject_too_long(len(data.subject.strip())))
    if len(data.sections) > MAX_SECTIONS or len(data.proposals) > MAX_PROPOSALS:
        errors.setdefault("sections", []).append(
            f"บันทึกข้อความหนึ่งฉบับมีได้ไม่เกิน {to_thai_digits(MAX_SECTIONS)} หัวข้อ และ {to_thai_digits(MAX_PROPOSALS)} ข้อเสนอ"
        )
    if len(data.route_position_ids) > MAX_ROUTE_STEPS:
        errors.setdefault("route", []).append(f"เส้นทางเสนอมีได้ไม่เกิน {to_thai_digits(MAX_ROUTE_STEPS)} ตำแหน่ง")
    if not data.route_position_ids:
        errors.setdefault("route", []).append("กรุณากำหนดเส้นทางเสนออย่างน้อยหนึ่งตำแหน่ง (ตำแหน่งสุดท้ายเป็นผู้สั่งการ)")
    if len(set(data.route_position_ids)) != len(data.route_position_ids):
        errors.setdefault("route", []).append("เส้นทางเสนอมีตำแหน่งซ้ำกัน")
    wanted = {data.addressee_id, data.signing_position_id, *data.route_position_ids}
    found = set(Position.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True))
    if wanted - found:
        errors.setdefault("route", []).append("มีตำแหน่งที่ไม่มีอยู่หรือเลิกใช้แล้วในเส้นทางเสนอ")
    if not data.proposals:
        errors.setdefault("proposals", []).append("กรุณาระบุข้อเสนออย่างน้อยหนึ่งข้อ เพื่อให้ผู้สั่งการพิจารณา")
    for index, proposal in enumerate(data.proposals, start=1):
        if not proposal.text.strip():
            errors.setdefault("proposals", []).append(f"ข้อเสนอข้อ {to_thai_digits(index)} ว่างอยู่")
        if proposal.ask not in Ask.values:
            errors.setdefault("proposals", []).append(f"ข้อเสนอข้อ {to_thai_digits(index)} ระบุสิ่งที่ขอไม่ถูกต้อง")
    for section in data.sections:
        if not section.heading.strip():
            errors.setdefault("sections", []).append("ทุกส่วนของเนื้อหาต้องมีหัวข้อ")
        for _level, style, _text in section.items:
            if style not in ItemStyle.values:
                errors.setdefault("sections", []).append("รูปแบบข้อย่อยไม่ถูกต้อง")
    if errors:
        raise ValidationError(errors)


def _write_content(memo: Memo, data: MemoInput) -> None:
    memo.sections.all().delete()
    memo.proposals.all().delete()
    memo.route.all().delete()
    for s_order, section in enumerate(data.sections, start=1):
        sec = MemoSection.objects.create(memo=memo, order=s_order, heading=section.heading.strip(), intro=section.intro)
        SectionItem.objects.bulk_create(
            SectionItem(section=sec, order=i, level=level, style=style, text=text)
            for i, (level, style, text) in enumerate(section.items, start=1)
        )
    Proposal.objects.bulk_create(
        Proposal(memo=memo, number=n, text=p.text.strip(), ask=p.ask) for n, p in enumerate(data.proposals, start=1)
    )
    RouteStep.objects.bulk_create(
        RouteStep(memo=memo, order=i, position_id=pid) for i, pid in enumerate(data.route_position_ids)
    )


def default_sections() -> list[SectionInput]:
    return [SectionInput("ต้นเรื่อง"), SectionInput("ข้อเท็จจริง"), SectionInput("ข้อพิจารณาและเสนอแนะ")]


@transaction.atomic
def memo_create(*, user: Any, data: MemoInput) -> Memo:
    official = _official(user)
    _validate_input(data)
    unit: Unit = official.unit
    memo = Memo.objects.create(
        unit=unit,
        phone=data.phone or unit.phone,
        subject=data.subject.strip(),
        addressee_id=data.addressee_id,
        signing_position_id=data.signing_position_id,
        urgency=data.urgency,
        secrecy=data.secrecy,
        authority=data.authority.strip(),
        drafted_by=user,
    )
    _write_content(memo, data)
    audit.event_append(
        memo=memo,
        action=EventAction.CREATE,
        from_state="",
        to_state=memo.state,
        actor=user,
        actor_name=official.full_name,
    )
    return memo


@transaction.atomic
def memo_update(*, memo: Memo, user: Any, data: MemoInput) -> Memo:
    memo = _lock(memo)
    if memo.state not in (MemoState.DRAFT, MemoState.RETURNED):
        raise _fail(f"แก้ไขไม่ได้ เนื่องจากบันทึกข้อความอยู่ในสถานะ “{_state_label(memo.state)}”", code="state")
    _validate_input(data)
    Memo.objects.filter(pk=memo.pk).update(
        subject=data.subject.strip(),
        addressee_id=data.addressee_id,
        signing_position_id=data.signing_position_id,
        urgency=data.urgency,
        secrecy=data.secrecy,
        phone=data.phone or memo.unit.phone,
        authority=data.authority.strip(),
        updated_at=timezone.now(),
    )
    _write_content(memo, data)
    return _lock(memo)


def attachment_add(*, memo: Memo, user: Any, upload: UploadedFile, title: str = "") -> Attachment:
    checked = upload_check(upload)
    with transaction.atomic():
        memo = _lock(memo)
        if memo.state not in (MemoState.DRAFT, MemoState.RETURNED):
            raise _fail("แนบไฟล์ได้เฉพาะเมื่อบันทึกข้อความยังเป็นร่างหรือถูกส่งคืนแก้ไข", code="state")
        return Attachment.objects.create(
            memo=memo,
            title=title.strip() or checked.name,
            file=upload,
            original_name=checked.name,
            size=checked.size,
            content_type=checked.content_type,
            uploaded_by=user,
        )


def memo_snapshot(memo: Memo) -> dict[str, Any]:
    return {
        "subject": memo.subject,
        "addressee": memo.addressee.addressee,
        "signing_position": memo.signing_position.title,
        "urgency": memo.urgency,
        "secrecy": memo.secrecy,
        "authority": memo.authority,
        "sections": [
            {
                "heading": s.heading,
                "intro": s.intro,
                "items": [{"level": i.level, "style": i.style, "text": i.text} for i in s.items.all()],
            }
            for s in memo.sections.prefetch_related("items")
        ],
        "proposals": [{"number": p.number, "text": p.text, "ask": p.ask} for p in memo.proposals.all()],
        "route": [r.position.title for r in memo.route.select_related("position")],
        "attachments": [a.title for a in memo.attachments.all()],
    }


def _check_ready(memo: Memo) -> None:
    from .selectors import memo_document_data

    errors = [f for f in check_memo(memo_document_data(memo=memo)) if f.severity == "error"]
    if errors:
        raise ValidationError(
            ["ส่งไม่ได้ เนื่องจากพบข้อผิดพลาดที่ต้องแก้ไขก่อน:"] + [f"{f.message} ({f.text})" for f in errors],
            code="preflight",
        )


@transaction.atomic
def memo_submit(*, memo: Memo, user: Any) -> Memo:
    """The drafter sends the memo to the signer (workflow.services.memo_submit then starts
    the memo's flow in the same transaction)."""
    memo = _lock(memo)
    official = _official(user)
    if memo.state != MemoState.DRAFT:
        raise _fail(f"ส่งลงนามไม่ได้ เนื่องจากบันทึกข้อความอยู่ในสถานะ “{_state_label(memo.state)}”", code="state")
    if memo.secrecy == Secrecy.TOP_SECRET:
        raise _fail(TOP_SECRET_REFUSAL, code="secrecy")
    _check_ready(memo)
    before = _fire(memo, "fsm_submit", action_label="ส่งลงนาม")
    memo.save(update_fields=["state", "updated_at"])
    MemoRevision.objects.create(memo=memo, version=memo.version, snapshot=memo_snapshot(memo))
    event = audit.event_append(
        memo=memo,
        action=EventAction.SUBMIT,
        from_state=before,
        to_state=memo.state,
        actor=user,
        actor_name=official.full_name,
    )
    document_version_request(memo=memo, event=event)
    return memo


@transaction.atomic
def memo_resubmit(*, memo: Memo, user: Any, note: str = "") -> Memo:
    """Called from the drafter's revise task: the corrected memo goes back to the signer."""
    memo = _lock(memo)
    official = _official(user)
    _check_ready(memo)
    before = _fire(memo, "fsm_resubmit", action_label="เสนอใหม่")
    memo.version += 1
    memo.current_step = 0
    memo.save(update_fields=["state", "version", "current_step", "updated_at"])
    MemoRevision.objects.create(memo=memo, version=memo.version, snapshot=memo_snapshot(memo))
    event = audit.event_append(
        memo=memo,
        action=EventAction.RESUBMIT,
        from_state=before,
        to_state=memo.state,
        actor=user,
        actor_name=official.full_name,
        text=note.strip(),
    )
    document_version_request(memo=memo, event=event)
    return memo


# --- Registers ------------------------------------------------------------------------------


# --- Signing, routing, deciding -------------------------------------------------------------


def _signature(appointment: Any) -> list[str]:
    return list(signature_for_appointment(appointment=appointment).lines)


@transaction.atomic
def memo_sign(*, memo: Memo, user: Any) -> Memo:
    """The signer signs: the memo takes its number and date and starts along its route."""
    memo = _lock(memo)
    appointment = acting_appointment(user, memo.signing_position)
    if memo.state != MemoState.AWAITING_SIGNATURE:
        raise _fail(f"ลงนามไม่ได้ เนื่องจากบันทึกข้อความอยู่ในสถานะ “{_state_label(memo.state)}”", code="state")
    now = timezone.now()
    if not memo.number:
        # A returned-and-resubmitted memo keeps the number it was given the first time.
        document_number(unit=memo.unit, number=1)  # a missing code fails before a number is taken
        entry = register_allocate(
            unit=memo.unit,
            series=Series.SEND,
            at=now,
            sender=memo.unit.name,
            recipient=memo.addressee.addressee,
            subject=memo.subject,
            memo=memo,
            position=memo.signing_position,
            action="เสนอ",
        )
        memo.number = document_number(unit=memo.unit, number=entry.number)
        entry.document_number = memo.number
        entry.document_date = timezone.localdate(now)
        entry.save(update_fields=["document_number", "document_date"])
        memo.dated = timezone.localdate(now)
    before = _fire(memo, "fsm_sign", action_label="ลงนาม")
    memo.current_step = 0
    memo.save(update_fields=["state", "number", "dated", "current_step", "updated_at"])
    event = audit.event_append(
        memo=memo,
        action=EventAction.SIGN,
        from_state=before,
        to_state=memo.state,
        actor=user,
        actor_name=appointment.official.full_name,
        position=memo.signing_position,
        capacity=appointment.capacity,
        signature_lines=_signature(appointment),
        payload={"number": memo.number},
    )
    document_version_request(memo=memo, event=event)
    return memo


@transaction.atomic
def memo_return(*, memo: Memo, user: Any, position: Position, reason: str) -> Memo:
    """The signer or a reviewer sends the memo back to its drafter with a reason."""
    memo = _lock(memo)
    if not reason.strip():
        raise ValidationError({"reason": ["กรุณาระบุเหตุผลที่ส่งคืน เพื่อให้ผู้ร่างแก้ไขได้ถูกต้อง"]})
    appointment = acting_appointment(user, position)
    before = _fire(memo, "fsm_return", action_label="ส่งคืน")
    memo.save(update_fields=["state", "updated_at"])
    audit.event_append(
        memo=memo,
        action=EventAction.RETURN,
        from_state=before,
        to_state=memo.state,
        actor=user,
        actor_name=appointment.official.full_name,
        position=position,
        capacity=appointment.capacity,
        signature_lines=_signature(appointment),
        step=memo.current_step if before == MemoState.IN_REVIEW else None,
        text=reason.strip(),
    )
    notify.memo_returned(memo=memo, reason=reason.strip(), by=appointment.official.full_name)
    return memo


def memo_route_state(memo: Memo) -> tuple[Position | None, bool]:
    """The post holding the memo now and whether it is the last (deciding) one: one query."""
    steps = list(memo.route.select_related("position__unit", "position__receiving_unit"))
    current = next((s.position for s in steps if s.order == memo.current_step), None)
    return current, memo.current_step >= len(steps) - 1


def memo_current_position(memo: Memo) -> Position | None:
    step = (
        memo.route.select_related("position", "position__unit", "position__receiving_unit")
        .filter(order=memo.current_step)
        .first()
    )
    return step.position if step else None


def memo_is_last_step(memo: Memo) -> bool:
    return memo.current_step >= memo.route.count() - 1


@transaction.atomic
def memo_arrive(
    *, memo: Memo, position: Position, at: dt.datetime | None = None, clerk: Any = None, note: str = ""
) -> RegisterEntry:
    """The memo reaches a post on its route: the post's office books it in (เลขรับ, date,
    time). Done by the system the moment it arrives, or by the office's clerk (memo_book_in)
    with the time the clerk records."""
    memo = _lock(memo)
    office = position.registering_unit
    entry = register_allocate(
        unit=office,
        series=Series.RECEIVE,
        at=at,
        document_number=memo.number,
        document_date=memo.dated,
        sender=memo.unit.name,
        recipient=position.addressee,
        subject=memo.subject,
        memo=memo,
        position=position,
        action="เสนอ" + position.title,
        remarks=note[:300],
    )
    event = audit.event_append(
        memo=memo,
        action=EventAction.RECEIVE,
        from_state=memo.state,
        to_state=memo.state,
        actor=clerk,
        actor_name=clerk.official.full_name if clerk is not None else (office.short_name or office.name),
        position=position,
        step=memo.current_step,
        text=note,
        payload={
            "unit": office.name,
            "unit_short": office.short_name or office.name,
            "receive_number": entry.number,
            "received_at": entry.registered_at.isoformat(),
            "by_hand": clerk is not None,
        },
    )
    document_version_request(memo=memo, event=event)
    return entry


def _last_move(memo: Memo) -> MemoEvent | None:
    """The latest signature or note that sent the memo on to its next post."""
    return (
        MemoEvent.objects.filter(memo=memo, action__in=[EventAction.SIGN, EventAction.FORWARD]).order_by("-seq").first()
    )


def memo_awaits_receipt(memo: Memo) -> bool:
    """Sent on to a post whose office has not booked it in yet: of the events that move or
    book the memo, the latest is a move. One query (it runs as every review task is made)."""
    if memo.state != MemoState.IN_REVIEW:
        return False
    latest = (
        MemoEvent.objects.filter(memo=memo, action__in=[EventAction.SIGN, EventAction.FORWARD, EventAction.RECEIVE])
        .order_by("-seq")
        .values_list("action", flat=True)
        .first()
    )
    return latest in (EventAction.SIGN, EventAction.FORWARD)


def memo_books_in_by_hand(memo: Memo) -> bool:
    """Whether the office of the memo's current post books it in through its clerk. Secret
    memos are booked in by the system: only the officials named on the route may open them."""
    position = memo_current_position(memo)
    if position is None or memo.secrecy != Secrecy.NORMAL:
        return False
    return bool(position.registering_unit.books_in_by_hand) and memo_awaits_receipt(memo)


@transaction.atomic
def memo_book_in(*, memo: Memo, user: Any, received_at: dt.datetime | None = None, note: str = "") -> RegisterEntry:
    """The receiving office's clerk books the memo in and passes it to the post's holder.

    The time is now, or an earlier moment for a paper copy that arrived before it was
    booked in: never in the future, never before the memo was sent.
    """
    memo = _lock(memo)
    official = _official(user)
    position = memo_current_position(memo)
    if position is None or not memo_awaits_receipt(memo):
        raise _fail("บันทึกข้อความนี้ลงทะเบียนรับไปแล้ว หรือไม่ได้รอลงทะเบียนรับ", code="state")
    office = position.registering_unit
    if not official.is_clerk or official.unit_id != office.pk:
        raise _fail(f"ลงทะเบียนรับได้เฉพาะเจ้าหน้าที่สารบรรณของ{office.name}", code="not_clerk")
    now = timezone.now()
    at = received_at or now
    move = _last_move(memo)
    if at > now:
        raise ValidationError({"received_at": ["วันเวลาที่รับต้องไม่เป็นเวลาในอนาคต"]})
    if move is not None and at < move.created_at:
        raise ValidationError(
            {
                "received_at": [
                    f"วันเวลาที่รับต้องไม่ก่อนเวลาที่ส่งหนังสือ ({thai_date(move.created_at)} {thai_time(move.created_at)})"
                ]
            }
        )
    return memo_arrive(memo=memo, position=position, at=at, clerk=user, note=note.strip())


DEFAULT_NOTE = "เพื่อโปรดพิจารณา"


@transaction.atomic
def memo_forward(*, memo: Memo, user: Any, note: str) -> Memo:
    """A reviewer writes a note (เกษียน) and sends the memo on to the next post."""
    memo = _lock(memo)
    position, is_last = memo_route_state(memo)
    if position is None or memo.state != MemoState.IN_REVIEW:
        raise _fail(f"เสนอต่อไม่ได้ เนื่องจากบันทึกข้อความอยู่ในสถานะ “{_state_label(memo.state)}”", code="state")
    if is_last:
        raise _fail("ตำแหน่งนี้เป็นผู้สั่งการ ต้องพิจารณาสั่งการในแต่ละข้อ ไม่ใช่เสนอต่อ", code="last_step")
    appointment = acting_appointment(user, position)
    if not note.strip():
        raise ValidationError({"note": ["กรุณาเขียนข้อความเกษียน"]})
    before = _fire(memo, "fsm_forward", action_label="เสนอต่อ")
    step = memo.current_step
    memo.current_step += 1
    memo.save(update_fields=["state", "current_step", "updated_at"])
    event = audit.event_append(
        memo=memo,
        action=EventAction.FORWARD,
        from_state=before,
        to_state=memo.state,
        actor=user,
        actor_name=appointment.official.full_name,
        position=position,
        capacity=appointment.capacity,
        signature_lines=_signature(appointment),
        step=step,
        text=note.strip(),
    )
    document_version_request(memo=memo, event=event)
    return memo


@transaction.atomic
def memo_decide(
    *,
    memo: Memo,
    user: Any,
    rulings: Mapping[int, str],
    notes: Mapping[int, str] | None = None,
    actors: Mapping[int, str] | None = None,
    tails: Mapping[int, str] | None = None,
    order_actor: str = "",
    order_tail: str = "",
    extra: str = "",
) -> Memo:
    """The decider rules on every proposal; the Thai decision text is composed from the rulings
    and, per proposal, who is to act and who proposed it (memos.wording.compose_decision)."""
    memo = _lock(memo)
    position, is_last = memo_route_state(memo)
    if position is None or memo.state != MemoState.IN_REVIEW:
        raise _fail(f"สั่งการไม่ได้ เนื่องจากบันทึกข้อความอยู่ในสถานะ “{_state_label(memo.state)}”", code="state")
    if not is_last:
        raise _fail("ตำแหน่งนี้ยังไม่ใช่ผู้สั่งการตามเส้นทางเสนอ", code="not_last_step")
    appointment = acting_appointment(user, position)
    proposals = list(memo.proposals.all())
    missing = [p.number for p in proposals if rulings.get(p.number) not in Ruling.values]
    if missing:
        raise ValidationError({"rulings": [f"กรุณาพิจารณาให้ครบทุกข้อ ยังไม่ได้พิจารณา{item_list(missing)}"]})
    notes = {n: t for n, t in (notes or {}).items() if t and t.strip()}
    for proposal in proposals:
        proposal.ruling = rulings[proposal.number]
        proposal.ruling_note = notes.get(proposal.number, "").strip()[:500]
    Proposal.objects.bulk_update(proposals, ["ruling", "ruling_note"])
    numbers = {p.number for p in proposals}
    actors = {n: t.strip() for n, t in (actors or {}).items() if n in numbers and t and t.strip()}
    tails = {n: t.strip() for n, t in (tails or {}).items() if n in numbers and t and t.strip()}
    lines = compose_decision(
        [(p.number, p.ruling) for p in proposals],
        order_actor=order_actor,
        order_tail=order_tail,
        actors=actors,
        tails=tails,
        notes=notes,
        extra=extra,
    )
    outcome = decision_outcome(p.ruling for p in proposals)
    before = _fire(memo, "fsm_decide", outcome, action_label="สั่งการ")
    memo.decided_at = timezone.now()
    memo.save(update_fields=["state", "decided_at", "updated_at"])
    event = audit.event_append(
        memo=memo,
        action=EventAction.DECIDE,
        from_state=before,
        to_state=memo.state,
        actor=user,
        actor_name=appointment.official.full_name,
        position=position,
        capacity=appointment.capacity,
        signature_lines=_signature(appointment),
        step=memo.current_step,
        text="\n".join(lines),
        payload={
            "rulings": {str(p.number): p.ruling for p in proposals},
            "lines": lines,
            "order_actor": order_actor.strip(),
            "order_tail": order_tail.strip(),
            "actors": {str(n): t for n, t in sorted(actors.items())},
            "tails": {str(n): t for n, t in sorted(tails.items())},
        },
    )
    document_version_request(memo=memo, event=event)
    notify.memo_decided(memo=memo, lines=lines, by=appointment.official.full_name)
    return memo


@transaction.atomic
def memo_withdraw(*, memo: Memo, user: Any, reason: str) -> Memo:
    """The drafter withdraws a memo nobody has decided; its number stays in the register, void.
    workflow.services.memo_withdraw also cancels the memo's open tasks."""
    memo = _lock(memo)
    official = _official(user)
    if memo.drafted_by_id != user.pk:
        raise _fail("ถอนเรื่องได้เฉพาะผู้ร่างบันทึกข้อความนี้", code="not_drafter")
    if not reason.strip():
        raise ValidationError({"reason": ["กรุณาระบุเหตุผลที่ถอนเรื่อง"]})
    before = _fire(memo, "fsm_withdraw", action_label="ถอนเรื่อง")
    memo.save(update_fields=["state", "updated_at"])
    RegisterEntry.objects.filter(memo=memo, series=Series.SEND, unit=memo.unit).update(
        void=True, void_reason=f"ถอนเรื่อง: {reason.strip()}"[:300]
    )
    audit.event_append(
        memo=memo,
        action=EventAction.WITHDRAW,
        from_state=before,
        to_state=memo.state,
        actor=user,
        actor_name=official.full_name,
        text=reason.strip(),
    )
    return memo
