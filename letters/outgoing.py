"""Writes on outgoing external letters (หนังสือภายนอก): drafting, the approval chain
(submit, forward, return, resubmit, sign), sending and withdrawing.

Every service runs through the kernel (audit.kernel): one transaction, the letter's row
locked, an FSM transition refused in Thai, one hash-chained event. Signing takes the number
from the issuing unit's send register and asks for the official document in the same
transaction; sending by e-mail or e-CMS writes an outbox row (OutgoingDispatch) that a
Celery task works after commit (letters/outgoing_tasks.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from audit.kernel import Step, refusal, service
from directory.models import Position
from directory.selectors import positions_of_user, signature_for_appointment
from directory.services import acting_appointment, official_of
from documents import renderers
from documents.models import DocumentKind
from documents.services import letter_version_request
from documents.thai import thai_date, thai_time, to_thai_digits
from documents.uploads import upload_check
from registers.models import RegisterEntry, Series
from registers.services import document_number, register_allocate

from . import hooks
from .models import Agency, IncomingLetter, IncomingState, Secrecy, Urgency
from .outgoing_models import (
    EDITABLE_STATES,
    OUTGOING_CHAIN,
    DispatchStatus,
    OutgoingAction,
    OutgoingDispatch,
    OutgoingEvent,
    OutgoingFile,
    OutgoingLetter,
    OutgoingState,
    SendChannel,
)
from .services import letter_mark_answered

TOP_SECRET_REFUSAL = (
    "หนังสือชั้นลับที่สุดไม่ดำเนินการผ่านระบบอิเล็กทรอนิกส์ตามระเบียบว่าด้วยการรักษาความลับของทางราชการ กรุณาดำเนินการทางเอกสารกระดาษ"
)
SUBJECT_MAX = 255
ANSWERABLE = (IncomingState.BOOKED, IncomingState.ROUTED, IncomingState.ANSWERED)
MAX_REVIEWERS = 10
MAX_FILES = 10


class OutgoingStep(Step[OutgoingLetter]):
    kind = OUTGOING_CHAIN
    related = ("unit", "signing_position", "current_position")
    subject = "หนังสือฉบับนี้"

    def event_defaults(self) -> dict[str, Any]:
        return {"from_state": self.before, "to_state": self.owner.state}


def _state_label(state: str) -> str:
    return str(OutgoingState(state).label)


# --- Drafting -----------------------------------------------------------------------------------


@dataclass
class OutgoingInput:
    subject: str
    addressee: str
    body: str
    signing_position_id: int
    recipient_agency: Agency | None = None
    recipient_name: str = ""
    recipient_address: str = ""
    recipient_email: str = ""
    reference: str = ""
    enclosures: str = ""
    urgency: int = Urgency.NORMAL
    secrecy: int = Secrecy.NORMAL
    review_position_ids: tuple[int, ...] = ()
    phone: str = ""
    owner_unit_line: str = ""


def _validate(data: OutgoingInput) -> None:
    errors: dict[str, list[str]] = {}
    if not data.subject.strip():
        errors.setdefault("subject", []).append("กรุณาระบุเรื่อง")
    elif len(data.subject.strip()) > SUBJECT_MAX:
        errors.setdefault("subject", []).append(
            f"เรื่องยาวได้ไม่เกิน {to_thai_digits(SUBJECT_MAX)} ตัวอักษร (ขณะนี้ {to_thai_digits(len(data.subject.strip()))} ตัวอักษร)"
        )
    if not data.addressee.strip():
        errors.setdefault("addressee", []).append("กรุณาระบุคำขึ้นต้น (เรียน)")
    if not data.body.strip():
        errors.setdefault("body", []).append("กรุณาพิมพ์ข้อความของหนังสือ")
    if not (data.recipient_agency or data.recipient_name.strip()):
        errors.setdefault("recipient_name", []).append("กรุณาระบุหน่วยงานหรือบุคคลผู้รับ (ถึง)")
    if data.secrecy == Secrecy.TOP_SECRET:
        errors.setdefault("secrecy", []).append(TOP_SECRET_REFUSAL)
    if data.secrecy not in Secrecy.values:
        errors.setdefault("secrecy", []).append("ชั้นความลับไม่ถูกต้อง")
    if data.urgency not in Urgency.values:
        errors.setdefault("urgency", []).append("ชั้นความเร็วไม่ถูกต้อง")
    route = [*data.review_position_ids, data.signing_position_id]
    if len(data.review_position_ids) > MAX_REVIEWERS:
        errors.setdefault("review_positions", []).append(f"ผู้ตรวจเสนอมีได้ไม่เกิน {to_thai_digits(MAX_REVIEWERS)} ตำแหน่ง")
    if len(set(route)) != len(route):
        errors.setdefault("review_positions", []).append("ตำแหน่งในเส้นทางเสนอซ้ำกัน (รวมถึงผู้ลงนาม)")
    found = set(Position.objects.filter(pk__in=route, is_active=True).values_list("pk", flat=True))
    if set(route) - found:
        errors.setdefault("signing_position", []).append("มีตำแหน่งที่ไม่มีอยู่หรือเลิกใช้แล้วในเส้นทางเสนอ")
    if errors:
        raise ValidationError(errors)


def _apply(letter: OutgoingLetter, data: OutgoingInput) -> None:
    letter.subject = data.subject.strip()
    letter.addressee = data.addressee.strip()[:300]
    letter.body = data.body.replace("\r\n", "\n").strip()
    letter.recipient_agency = data.recipient_agency
    letter.recipient_name = (
        data.recipient_name.strip() or (data.recipient_agency.name if data.recipient_agency else "")
    )[:300]
    letter.recipient_address = data.recipient_address.strip() or (
        data.recipient_agency.address if data.recipient_agency else ""
    )
    letter.recipient_email = data.recipient_email.strip() or (
        data.recipient_agency.email if data.recipient_agency else ""
    )
    letter.reference = data.reference.replace("\r\n", "\n").strip()
    letter.enclosures = data.enclosures.replace("\r\n", "\n").strip()
    letter.urgency = data.urgency
    letter.secrecy = data.secrecy
    letter.signing_position_id = data.signing_position_id
    letter.review_position_ids = list(data.review_position_ids)
    letter.phone = data.phone.strip()[:100]
    letter.owner_unit_line = data.owner_unit_line.strip()[:300]


def reply_reference(incoming: IncomingLetter) -> str:
    """The อ้างถึง line naming the received letter, as official letters write it."""
    sender = incoming.sender_name or (incoming.sender_agency.name if incoming.sender_agency_id else "")  # type: ignore[union-attr]
    parts = [f"หนังสือ{sender}".strip()]
    if incoming.their_number:
        parts.append(f"ที่ {to_thai_digits(incoming.their_number)}")
    if incoming.their_date:
        parts.append(f"ลงวันที่ {thai_date(incoming.their_date)}")
    return " ".join(parts)


_EDITED = [
    "subject",
    "addressee",
    "body",
    "recipient_agency",
    "recipient_name",
    "recipient_address",
    "recipient_email",
    "reference",
    "enclosures",
    "urgency",
    "secrecy",
    "signing_position",
    "review_position_ids",
    "phone",
    "owner_unit_line",
]


@service
def outgoing_create(*, user: Any, data: OutgoingInput, in_reply_to: IncomingLetter | None = None) -> OutgoingLetter:
    """A new draft in the drafter's unit; `in_reply_to` (already checked visible to `user`)
    makes it the answer to a received letter."""
    official = official_of(user)
    _validate(data)
    letter = OutgoingLetter(unit=official.unit, drafted_by=user, in_reply_to=in_reply_to)
    _apply(letter, data)
    letter.save()
    step = OutgoingStep(letter, lock=False)
    step.record(
        OutgoingAction.CREATE,
        actor=user,
        actor_name=official.full_name,
        payload={"in_reply_to": in_reply_to.pk} if in_reply_to else {},
    )
    return letter


def _drafter(letter: OutgoingLetter, user: Any, doing: str) -> Any:
    official = official_of(user)
    if letter.drafted_by_id != user.pk:
        raise refusal(f"{doing}ได้เฉพาะผู้ร่างหนังสือฉบับนี้", code="not_drafter")
    return official


@service
def outgoing_update(*, letter: OutgoingLetter, user: Any, data: OutgoingInput) -> OutgoingLetter:
    step = OutgoingStep(letter)
    letter = step.owner
    official = _drafter(letter, user, "แก้ไขร่าง")
    if letter.state not in EDITABLE_STATES:
        raise refusal(f"แก้ไขไม่ได้ เนื่องจากหนังสืออยู่ในสถานะ “{_state_label(letter.state)}”", code="state")
    _validate(data)
    _apply(letter, data)
    step.record(OutgoingAction.EDIT, save=_EDITED, actor=user, actor_name=official.full_name)
    return letter


@service
def outgoing_attach(*, letter: OutgoingLetter, user: Any, upload: UploadedFile, title: str = "") -> OutgoingFile:
    """An enclosure file, checked by content (documents.uploads) before it is stored."""
    step = OutgoingStep(letter)
    letter = step.owner
    official = _drafter(letter, user, "แนบไฟล์")
    if letter.state not in EDITABLE_STATES:
        raise refusal(f"แนบไฟล์ไม่ได้ เนื่องจากหนังสืออยู่ในสถานะ “{_state_label(letter.state)}”", code="state")
    if letter.files.count() >= MAX_FILES:
        raise refusal(f"แนบไฟล์ได้ไม่เกิน {to_thai_digits(MAX_FILES)} ไฟล์ต่อหนังสือหนึ่งฉบับ", code="too_many")
    checked = upload_check(upload)
    upload.seek(0)
    content = upload.read()
    row = OutgoingFile(
        letter=letter,
        title=(title.strip() or checked.name)[:300],
        original_name=checked.name,
        size=len(content),
        content_type=checked.content_type[:100],
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )
    row.file.save(checked.name, ContentFile(content), save=False)
    row.save()
    step.record(
        OutgoingAction.ATTACH, actor=user, actor_name=official.full_name, text=row.title, payload={"file": row.pk}
    )
    return row


# --- The approval chain ---------------------------------------------------------------------


def _enter_review(letter: OutgoingLetter) -> None:
    letter.current_step = 0
    letter.current_position_id = letter.route_ids()[0]


@service
def outgoing_submit(*, letter: OutgoingLetter, user: Any) -> OutgoingLetter:
    """The drafter sends the letter up its chain (reviewers, then the signer)."""
    step = OutgoingStep(letter)
    letter = step.owner
    official = _drafter(letter, user, "เสนอลงนาม")
    if letter.secrecy == Secrecy.TOP_SECRET:
        raise refusal(TOP_SECRET_REFUSAL, code="secrecy")
    step.fire("fsm_submit", action_label="เสนอลงนาม")
    _enter_review(letter)
    step.record(
        OutgoingAction.SUBMIT,
        save=["state", "current_step", "current_position"],
        actor=user,
        actor_name=official.full_name,
        payload={"to_position": letter.current_position_id},
    )
    return letter


@service
def outgoing_resubmit(*, letter: OutgoingLetter, user: Any, note: str = "") -> OutgoingLetter:
    """After a return, the corrected letter starts up the chain again."""
    step = OutgoingStep(letter)
    letter = step.owner
    official = _drafter(letter, user, "เสนอใหม่")
    step.fire("fsm_resubmit", action_label="เสนอใหม่")
    _enter_review(letter)
    step.record(
        OutgoingAction.RESUBMIT,
        save=["state", "current_step", "current_position"],
        actor=user,
        actor_name=official.full_name,
        text=note.strip(),
        payload={"to_position": letter.current_position_id},
    )
    return letter


def _holder_of_current(letter: OutgoingLetter, user: Any, doing: str) -> Any:
    if letter.state != OutgoingState.IN_REVIEW or letter.current_position is None:
        raise refusal(f"{doing}ไม่ได้ เนื่องจากหนังสืออยู่ในสถานะ “{_state_label(letter.state)}”", code="state")
    return acting_appointment(user, letter.current_position, doing=doing)


@service
def outgoing_forward(*, letter: OutgoingLetter, user: Any, note: str = "") -> OutgoingLetter:
    """A reviewer passes the letter on to the next post of the chain."""
    step = OutgoingStep(letter)
    letter = step.owner
    appointment = _holder_of_current(letter, user, "เสนอต่อ")
    route = letter.route_ids()
    if letter.current_step >= len(route) - 1:
        raise refusal("ท่านเป็นผู้ลงนามหนังสือฉบับนี้ กรุณาลงนามหรือส่งคืนแก้ไข", code="is_signer")
    position = letter.current_position
    step.fire("fsm_forward", action_label="เสนอต่อ")
    letter.current_step += 1
    letter.current_position_id = route[letter.current_step]
    step.record(
        OutgoingAction.FORWARD,
        save=["state", "current_step", "current_position"],
        actor=user,
        actor_name=appointment.official.full_name,
        position=position,
        capacity=appointment.capacity,
        text=note.strip(),
        payload={"to_position": letter.current_position_id},
    )
    return letter


@service
def outgoing_return(*, letter: OutgoingLetter, user: Any, note: str) -> OutgoingLetter:
    """A reviewer or the signer sends the letter back to its drafter with a note."""
    step = OutgoingStep(letter)
    letter = step.owner
    if not note.strip():
        raise ValidationError({"note": ["กรุณาระบุเหตุผลที่ส่งคืน เพื่อให้ผู้ร่างแก้ไขได้ถูกต้อง"]})
    appointment = _holder_of_current(letter, user, "ส่งคืน")
    position = letter.current_position
    step.fire("fsm_return", action_label="ส่งคืน")
    letter.current_position = None
    step.record(
        OutgoingAction.RETURN,
        save=["state", "current_position"],
        actor=user,
        actor_name=appointment.official.full_name,
        position=position,
        capacity=appointment.capacity,
        text=note.strip(),
    )
    return letter


@service
def outgoing_sign(*, letter: OutgoingLetter, user: Any, at: dt.datetime | None = None) -> OutgoingLetter:
    """Whoever holds or acts for the signing post today signs: the letter takes the next
    number of the issuing unit's send register (gapless: a refused signing takes none) and
    the day's date, and its official document is asked for. A letter answering a received
    letter marks that letter answered."""
    step = OutgoingStep(letter)
    letter = step.owner
    appointment = _holder_of_current(letter, user, "ลงนาม")
    if letter.current_position_id != letter.signing_position_id:
        raise refusal(
            f"หนังสือยังอยู่ระหว่างการตรวจเสนอของ{letter.current_position.title if letter.current_position else ''} "
            "ยังลงนามไม่ได้",
            code="not_signer",
        )
    now = at or timezone.now()
    document_number(unit=letter.unit, number=1)  # a unit without a code fails before a number is taken
    step.fire("fsm_sign", action_label="ลงนาม")
    entry = register_allocate(
        unit=letter.unit,
        series=Series.SEND,
        at=now,
        document_date=timezone.localdate(now),
        sender=letter.unit.name,
        recipient=(letter.recipient_label or letter.addressee)[:500],
        subject=letter.subject[:500],
        position=letter.signing_position,
        action="ลงนามแล้ว รอส่ง",
    )
    letter.number = document_number(unit=letter.unit, number=entry.number)
    entry.document_number = letter.number
    entry.save(update_fields=["document_number"])
    letter.register_entry = entry
    letter.dated = timezone.localdate(now)
    letter.signed_by = user
    letter.signed_at = now
    letter.signature_lines = list(signature_for_appointment(appointment=appointment, on=letter.dated).lines)
    letter.current_position = None
    step.record(
        OutgoingAction.SIGN,
        save=[
            "state",
            "number",
            "dated",
            "register_entry",
            "signed_by",
            "signed_at",
            "signature_lines",
            "current_position",
        ],
        at=now,
        actor=user,
        actor_name=appointment.official.full_name,
        position=letter.signing_position,
        capacity=appointment.capacity,
        payload={"number": letter.number, "register_number": entry.number, "year": entry.year},
    )
    letter_version_request(letter_id=letter.pk)
    # A received letter filed meanwhile (or never booked in) stays as it is: its state says so.
    if letter.in_reply_to is not None and letter.in_reply_to.state in ANSWERABLE:
        letter_mark_answered(letter=letter.in_reply_to, user=user, number=letter.number, at=now)
    return letter


# --- Sending ----------------------------------------------------------------------------------


def _may_send(letter: OutgoingLetter, user: Any) -> Any:
    official = official_of(user)
    if letter.drafted_by_id != user.pk and not (official.is_clerk and official.unit_id == letter.unit_id):
        raise refusal("สั่งส่งหนังสือได้เฉพาะผู้ร่างหรือเจ้าหน้าที่สารบรรณของส่วนราชการเจ้าของหนังสือ", code="not_sender")
    return official


def channel_line(channel: str, at: dt.datetime) -> str:
    """What the send register records: the channel and when ("ส่งทางไปรษณีย์ ๓ ธ.ค. ๒๕๖๙ ๑๐.๐๕ น.")."""
    local = timezone.localtime(at)
    label = {
        SendChannel.POST: "ส่งทางไปรษณีย์",
        SendChannel.EMAIL: "ส่งทางไปรษณีย์อิเล็กทรอนิกส์",
        SendChannel.ECMS: "ส่งทางระบบ e-CMS",
    }[SendChannel(channel)]
    return f"{label} {thai_date(local, abbreviated=True)} {thai_time(local)}"


@service
def outgoing_send(*, letter: OutgoingLetter, user: Any, channel: str, at: dt.datetime | None = None) -> OutgoingLetter:
    """Send a signed letter once. By post it is sent now (the clerk posts the printed copy);
    by e-mail or e-CMS an outbox row is written and the Celery task sends it after commit.
    A second request for a letter already on its way changes nothing."""
    step = OutgoingStep(letter)
    letter = step.owner
    official = _may_send(letter, user)
    existing = OutgoingDispatch.objects.filter(letter=letter).first()
    if existing is not None or letter.state == OutgoingState.SENT:
        return letter  # a double click, or a second clerk: the first request stands
    if letter.state != OutgoingState.SIGNED:
        raise refusal(f"ส่งไม่ได้ เนื่องจากหนังสืออยู่ในสถานะ “{_state_label(letter.state)}”", code="state")
    if channel not in SendChannel.values:
        raise refusal("กรุณาเลือกช่องทางการส่ง", code="channel")
    now = at or timezone.now()
    if channel == SendChannel.POST:
        step.fire("fsm_sent", action_label="ส่งหนังสือ")
        letter.channel = channel
        letter.sent_at = now
        line = channel_line(channel, now)
        _register_sent(letter, line)
        step.record(
            OutgoingAction.SENT,
            save=["state", "channel", "sent_at"],
            at=now,
            actor=user,
            actor_name=official.full_name,
            text=line,
            payload={"channel": channel},
        )
        return letter
    if channel == SendChannel.EMAIL and not letter.recipient_email:
        raise refusal("ยังไม่ได้ระบุอีเมลผู้รับ กรุณาแก้ไขข้อมูลผู้รับก่อนส่งทางอีเมล", code="no_email")
    if channel == SendChannel.ECMS and hooks.sender("ecms") is None:
        raise refusal("ระบบยังไม่ได้ตั้งค่าการส่งหนังสือทางระบบ e-CMS กรุณาติดต่อผู้ดูแลระบบ หรือเลือกช่องทางอื่น", code="ecms_off")
    if channel == SendChannel.ECMS and not (letter.recipient_agency and letter.recipient_agency.ecms_code):
        raise refusal("หน่วยงานผู้รับยังไม่มีรหัสหน่วยงานในระบบ e-CMS จึงส่งทาง e-CMS ไม่ได้", code="no_ecms_code")
    from .outgoing_tasks import OUTBOX

    dispatch = OutgoingDispatch.objects.create(
        letter=letter, channel=channel, requested_by=user, created_at=now, next_attempt_at=now
    )
    letter.channel = channel
    step.record(
        OutgoingAction.SEND,
        save=["channel"],
        at=now,
        actor=user,
        actor_name=official.full_name,
        text=f"สั่งส่งทาง{SendChannel(channel).label}",
        payload={"channel": channel, "dispatch": dispatch.pk},
    )
    OUTBOX.hand_over_on_commit([dispatch.pk])
    return letter


@service
def outgoing_send_retry(*, letter: OutgoingLetter, user: Any) -> OutgoingLetter:
    """Send again a letter whose sending failed for good (after the fault was fixed): the same
    dispatch row, with a fresh retry budget. Nothing happens for a letter on its way or sent."""
    step = OutgoingStep(letter)
    letter = step.owner
    official = _may_send(letter, user)
    from .outgoing_tasks import OUTBOX

    dispatch = OutgoingDispatch.objects.filter(letter=letter, status=DispatchStatus.FAILED).first()
    if dispatch is None:
        return letter
    OUTBOX.retry([dispatch.pk])
    step.record(
        OutgoingAction.SEND,
        actor=user,
        actor_name=official.full_name,
        text=f"สั่งส่งอีกครั้งทาง{SendChannel(dispatch.channel).label}",
        payload={"channel": dispatch.channel, "dispatch": dispatch.pk, "retry": True},
    )
    return letter


def _register_sent(letter: OutgoingLetter, line: str) -> None:
    if letter.register_entry_id:
        RegisterEntry.objects.filter(pk=letter.register_entry_id).update(action=line[:300])


@service
def outgoing_mark_sent(*, dispatch: OutgoingDispatch, result: hooks.SendResult, at: dt.datetime) -> OutgoingLetter:
    """The channel took the letter (called by the send task): the letter is sent, and the
    send register says how and when."""
    step = OutgoingStep(dispatch.letter_id)
    letter = step.owner
    if letter.state == OutgoingState.SENT:
        return letter
    step.fire("fsm_sent", action_label="บันทึกการส่ง")
    letter.sent_at = at
    letter.send_reference = result.reference[:300]
    line = channel_line(dispatch.channel, at)
    _register_sent(letter, line)
    step.record(
        OutgoingAction.SENT,
        save=["state", "sent_at", "send_reference"],
        at=at,
        text=" ".join(p for p in (line, result.detail) if p),
        payload={"channel": dispatch.channel, "reference": result.reference},
    )
    return letter


@service
def outgoing_withdraw(*, letter: OutgoingLetter, user: Any, reason: str) -> OutgoingLetter:
    """The drafter withdraws a letter not yet sent; a number it took stays in the register, void."""
    step = OutgoingStep(letter)
    letter = step.owner
    official = _drafter(letter, user, "ถอนเรื่อง")
    if not reason.strip():
        raise ValidationError({"reason": ["กรุณาระบุเหตุผลที่ถอนเรื่อง"]})
    if OutgoingDispatch.objects.filter(letter=letter).exists():
        raise refusal("หนังสือนี้สั่งส่งแล้ว จึงถอนเรื่องไม่ได้", code="sending")
    step.fire("fsm_withdraw", action_label="ถอนเรื่อง")
    letter.current_position = None
    if letter.register_entry_id:
        RegisterEntry.objects.filter(pk=letter.register_entry_id).update(
            void=True, void_reason=f"ถอนเรื่อง: {reason.strip()}"[:300]
        )
    step.record(
        OutgoingAction.WITHDRAW,
        save=["state", "current_position"],
        actor=user,
        actor_name=official.full_name,
        text=reason.strip(),
    )
    return letter


# --- The e-mail channel -----------------------------------------------------------------------


def send_by_email(letter: hooks.OutboundLetter) -> hooks.SendResult:
    """Send a signed letter by e-mail with Django's mail settings: the signed PDF and the
    enclosures attached. Raises hooks.SendFailed (Thai) when the server cannot be reached
    or refuses, so the outbox retries."""
    if not letter.recipient_email:
        raise hooks.SendFailed("ไม่มีอีเมลผู้รับ")
    message_id = f"<saraban-out-{letter.letter_id}@{settings.DEFAULT_FROM_EMAIL.rsplit('@', 1)[-1].strip('>')}>"
    body = "\n".join(
        [
            f"เรียน {letter.addressee}",
            "",
            f"{letter.unit_name} ขอส่งหนังสือ ที่ {letter.number} ลงวันที่ {thai_date(letter.date)} "
            f"เรื่อง {letter.subject} มาพร้อมนี้ ตามไฟล์แนบ",
            "",
            "ขอแสดงความนับถือ",
            letter.unit_name,
        ]
    )
    mail = EmailMessage(
        subject=f"ที่ {letter.number} เรื่อง {letter.subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[letter.recipient_email],
        headers={"Message-ID": message_id},
        connection=get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", 10)),
    )
    for item in (letter.main, *letter.enclosures):
        mail.attach(item.name, item.content, item.content_type or "application/octet-stream")
    try:
        mail.send(fail_silently=False)
    except Exception as exc:  # smtplib and socket errors: the server is down or refused
        raise hooks.SendFailed(
            f"ส่งอีเมลถึง {letter.recipient_email} ไม่สำเร็จ (เครื่องแม่ข่ายอีเมลไม่ตอบรับ: {type(exc).__name__}) ระบบจะลองส่งใหม่อัตโนมัติ"
        ) from exc
    return hooks.SendResult(reference=message_id, detail=f"ถึง {letter.recipient_email}")


def register_outgoing() -> None:
    """Start-up registrations (LettersConfig.ready via letters.registrations): the e-mail
    sender and the renderer of the letter's document."""
    from . import outgoing_tasks  # noqa: F401  (the Celery tasks must be registered where rows are handed over)
    from .outgoing_selectors import outgoing_version_docx

    if hooks.sender(SendChannel.EMAIL) is None:
        hooks.register_sender(SendChannel.EMAIL, send_by_email)
    renderers.register(DocumentKind.LETTER, outgoing_version_docx)


def outgoing_positions(user: Any) -> list[int]:
    return [p.pk for p, _capacity in positions_of_user(user=user)]


def outgoing_events(letter: OutgoingLetter) -> list[OutgoingEvent]:
    return list(letter.events.select_related("position").order_by("seq"))


__all__ = [
    "DispatchStatus",
    "OutgoingInput",
    "outgoing_attach",
    "outgoing_create",
    "outgoing_forward",
    "outgoing_mark_sent",
    "outgoing_resubmit",
    "outgoing_return",
    "outgoing_send",
    "outgoing_sign",
    "outgoing_submit",
    "outgoing_update",
    "outgoing_withdraw",
    "reply_reference",
    "send_by_email",
]
