"""Writes on received letters: intake (an item waiting to be booked in), booking in with a
เลขรับ from the receiving unit's incoming register, refusal.

Every service runs through the kernel (audit.kernel): one transaction, the letter's row
locked, an FSM transition with a Thai refusal, one hash-chained event; side effects (OCR,
notifications, the e-CMS accept notifier) are outbox rows in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.kernel import Step, refusal, service
from directory.models import Official, Unit
from documents.display import display_name
from documents.thai import thai_date, to_arabic_digits, to_thai_digits
from registers.models import Series
from registers.services import register_allocate

from . import hooks
from .models import (
    INCOMING_CHAIN,
    Agency,
    Channel,
    FileRole,
    IncomingEvent,
    IncomingLetter,
    IncomingState,
    LetterAction,
    LetterFile,
    OcrState,
)


class IncomingStep(Step[IncomingLetter]):
    kind = INCOMING_CHAIN
    related = ("unit",)
    subject = "หนังสือรับฉบับนี้"

    def event_defaults(self) -> dict[str, Any]:
        return {"from_state": self.before, "to_state": self.owner.state}


# --- Recognising the same letter ------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def number_key(number: str) -> str:
    """A letter number as compared: Thai digits read as Arabic, no spaces, no dots after
    initials ("กท ๐๔๐๑/๑๒๓" = "กท0401/123" = "กท. 0401/123")."""
    return _SPACE.sub("", to_arabic_digits(number or "")).replace(".", "").lower()


def sender_key(*, agency: Agency | None, name: str) -> str:
    if agency is not None:
        return f"agency:{agency.pk}"
    return "name:" + _SPACE.sub("", to_arabic_digits(name or "")).lower()


def _first_booking(*, unit: Unit, skey: str, nkey: str, their_date: dt.date | None) -> IncomingLetter | None:
    if not nkey:
        return None
    return (
        IncomingLetter.objects.filter(
            unit=unit, sender_key=skey, number_key=nkey, their_date=their_date, receive_number__isnull=False
        )
        .order_by("pk")
        .first()
    )


def duplicate_message(first: IncomingLetter) -> str:
    when = thai_date(timezone.localtime(first.received_at)) if first.received_at else ""
    return (
        f"หนังสือฉบับนี้ (ที่ {first.their_number} ลงวันที่ {thai_date(first.their_date) if first.their_date else '-'}) "
        f"ลงทะเบียนรับไว้แล้ว เลขรับ {to_thai_digits(first.receive_number)}/{to_thai_digits(first.year)} "
        f"เมื่อ {when} จึงไม่ลงรับซ้ำ"
    )


# --- Files -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingFile:
    """A file as it arrived (an upload already checked by documents.uploads, an e-mail
    attachment, an e-CMS binary object)."""

    name: str
    content: bytes
    content_type: str = ""
    role: str = FileRole.MAIN
    title: str = ""


def _store_files(letter: IncomingLetter, files: Sequence[IncomingFile], *, user: Any = None) -> list[LetterFile]:
    stored = []
    for item in files:
        row = LetterFile(
            letter=letter,
            role=item.role,
            title=item.title[:300],
            original_name=item.name[:255],
            size=len(item.content),
            content_type=item.content_type[:100],
            sha256=hashlib.sha256(item.content).hexdigest(),
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        row.file.save(item.name, ContentFile(item.content), save=False)
        row.save()
        stored.append(row)
    return stored


def _needs_ocr(files: Sequence[IncomingFile]) -> bool:
    """A scan (an image, or a PDF) of a paper letter is read by OCR so its text is searchable."""
    return any(
        f.role == FileRole.MAIN and f.name.lower().rsplit(".", 1)[-1] in {"pdf", "jpg", "jpeg", "png"} for f in files
    )


# --- Intake and booking -------------------------------------------------------------------------


@dataclass
class LetterFacts:
    """What the clerk (or the e-mail, or the e-CMS message) says about the letter."""

    sender_agency: Agency | None = None
    sender_name: str = ""
    their_number: str = ""
    their_date: dt.date | None = None
    subject: str = ""
    addressee: str = ""
    urgency: int = 0
    secrecy: int = 0
    enclosures: str = ""
    remarks: str = ""
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def apply(self, letter: IncomingLetter) -> None:
        letter.sender_agency = self.sender_agency
        letter.sender_name = (self.sender_name or (self.sender_agency.name if self.sender_agency else ""))[:300]
        letter.their_number = self.their_number.strip()[:64]
        letter.their_date = self.their_date
        letter.subject = self.subject.strip()[:500]
        letter.addressee = self.addressee.strip()[:300]
        letter.urgency = self.urgency
        letter.secrecy = self.secrecy
        letter.enclosures = self.enclosures.strip()
        letter.remarks = self.remarks.strip()[:300]
        if self.text:
            letter.text = self.text
        letter.sender_key = sender_key(agency=self.sender_agency, name=letter.sender_name)
        letter.number_key = number_key(letter.their_number)


@service
def letter_intake(
    *,
    unit: Unit,
    channel: str,
    source_ref: str,
    facts: LetterFacts,
    files: Sequence[IncomingFile] = (),
    source_detail: dict[str, Any] | None = None,
) -> tuple[IncomingLetter, bool]:
    """An e-mail or an e-CMS letter becomes an item waiting in the unit's book-in queue.

    Returns (letter, created). The same message (unit, channel, source_ref) gives the item
    made the first time: intake that runs twice, or a worker that died after committing
    but before marking the message seen, makes nothing new.
    """
    if not source_ref:
        raise refusal("ไม่มีรหัสอ้างอิงของข้อความต้นทาง", code="no_source")
    existing = IncomingLetter.objects.filter(unit=unit, channel=channel, source_ref=source_ref[:300]).first()
    if existing is not None:
        return existing, False
    letter = IncomingLetter(unit=unit, channel=channel, source_ref=source_ref[:300], source_detail=source_detail or {})
    facts.apply(letter)
    letter.ocr_state = OcrState.PENDING if _needs_ocr(files) and not facts.text else OcrState.NOT_NEEDED
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        # Another intake of the same message committed first.
        return IncomingLetter.objects.get(unit=unit, channel=channel, source_ref=source_ref[:300]), False
    _store_files(letter, files)
    step = IncomingStep(letter, lock=False)
    step.record(LetterAction.INTAKE, text=f"รับเข้าระบบทาง{Channel(channel).label}", payload={"source_ref": source_ref})
    return letter, True


def _clerk_of(user: Any, unit: Unit) -> Official:
    official = getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None
    if official is None or official.unit_id != unit.pk or not official.is_clerk:
        raise refusal(f"ลงทะเบียนรับได้เฉพาะเจ้าหน้าที่สารบรรณของ{unit.name}", code="not_clerk")
    return official


def _check_facts(facts: LetterFacts, *, today: dt.date) -> None:
    if not (facts.sender_agency or facts.sender_name.strip()):
        raise refusal("กรุณาระบุหน่วยงานผู้ส่ง (จาก)", code="no_sender")
    if not facts.subject.strip():
        raise refusal("กรุณาระบุเรื่อง", code="no_subject")
    if facts.their_date and facts.their_date > today + dt.timedelta(days=1):
        raise refusal("วันที่ของหนังสือเป็นวันในอนาคต กรุณาตรวจสอบ (ใช้ปีพุทธศักราช เช่น ๒ ธ.ค. ๒๕๖๙)", code="future_date")


@service
def letter_book_in(
    *,
    user: Any,
    unit: Unit,
    facts: LetterFacts,
    letter: IncomingLetter | None = None,
    files: Sequence[IncomingFile] = (),
    channel: str = Channel.PAPER,
    at: dt.datetime | None = None,
) -> IncomingLetter:
    """Book a letter into `unit`'s incoming register: a new paper letter (with its scan in
    `files`), or an item waiting from e-mail or e-CMS (`letter`). The เลขรับ is taken from
    the register in this transaction (gapless: a refused booking takes no number).

    The same letter (sender, their number, their date) booked before in this unit is refused
    with a message that names the first booking.
    """
    official = _clerk_of(user, unit)
    now = at or timezone.now()
    _check_facts(facts, today=timezone.localdate(now))
    if letter is None:
        if channel != Channel.PAPER:
            raise refusal("หนังสือทางอีเมลหรือ e-CMS ต้องลงรับจากรายการที่รอลงรับ", code="channel")
        letter = IncomingLetter(unit=unit, channel=Channel.PAPER)
        facts.apply(letter)
        letter.ocr_state = OcrState.PENDING if _needs_ocr(files) else OcrState.NOT_NEEDED
        letter.save()
        _store_files(letter, files, user=user)
        step = IncomingStep(letter, lock=False)
    else:
        step = IncomingStep(letter)
        letter = step.owner
        if letter.unit_id != unit.pk:
            raise refusal("รายการนี้ไม่ได้รอลงรับที่ส่วนราชการของท่าน", code="not_unit")
        if letter.state != IncomingState.WAITING:
            raise refusal(
                f"หนังสือนี้ลงทะเบียนรับแล้ว เลขรับ {to_thai_digits(letter.receive_number or '')}", code="already_booked"
            )
        facts.apply(letter)
        if files:
            _store_files(letter, files, user=user)
    first = _first_booking(unit=unit, skey=letter.sender_key, nkey=letter.number_key, their_date=letter.their_date)
    if first is not None and first.pk != letter.pk:
        raise refusal(duplicate_message(first), code="duplicate")
    step.fire("fsm_book", action_label="ลงทะเบียนรับ")
    entry = register_allocate(
        unit=unit,
        series=Series.RECEIVE,
        at=now,
        document_number=letter.their_number,
        document_date=letter.their_date,
        sender=letter.sender_name,
        recipient=letter.addressee or unit.name,
        subject=letter.subject,
        remarks=Channel(letter.channel).label,
    )
    letter.register_entry = entry
    letter.year = entry.year
    letter.receive_number = entry.number
    letter.received_at = now
    letter.booked_by = user
    letter.holder_unit = unit
    save = [
        "state",
        "register_entry",
        "year",
        "receive_number",
        "received_at",
        "booked_by",
        "holder_unit",
        "sender_agency",
        "sender_name",
        "their_number",
        "their_date",
        "subject",
        "addressee",
        "urgency",
        "secrecy",
        "enclosures",
        "remarks",
        "sender_key",
        "number_key",
        "ocr_state",
        "text",
    ]
    try:
        with transaction.atomic():
            step.record(
                LetterAction.BOOK,
                save=save,
                at=now,
                actor=user,
                actor_name=display_name(user) or official.full_name,
                payload={"receive_number": entry.number, "year": entry.year},
            )
    except IntegrityError:
        # Two clerks booked the same letter at the same moment: the other one committed first.
        first = _first_booking(unit=unit, skey=letter.sender_key, nkey=letter.number_key, their_date=letter.their_date)
        raise refusal(duplicate_message(first) if first else "หนังสือฉบับนี้ลงทะเบียนรับไปแล้ว", code="duplicate")
    hooks.booked(letter)
    return letter


def letter_events(letter: IncomingLetter) -> list[IncomingEvent]:
    return list(letter.events.select_related("actor", "to_unit", "to_position").order_by("seq"))


@service
def letter_mark_answered(
    *, letter: IncomingLetter, user: Any, number: str, at: dt.datetime | None = None
) -> IncomingLetter:
    """The received letter has been answered by the external letter numbered `number` (called
    by the outgoing letter's service when its answer is signed). Answering twice is a no-op."""
    step = IncomingStep(letter)
    letter = step.owner
    if letter.state == IncomingState.ANSWERED:
        return letter
    step.fire("fsm_answer", action_label="บันทึกการตอบหนังสือ")
    step.record(
        LetterAction.ANSWER,
        save=["state"],
        at=at or timezone.now(),
        actor=user if getattr(user, "is_authenticated", False) else None,
        actor_name=display_name(user) if getattr(user, "is_authenticated", False) else "",
        text=f"ตอบแล้วด้วยหนังสือที่ {to_thai_digits(number)}",
        payload={"number": number},
    )
    return letter
