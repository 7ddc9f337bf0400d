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
from django.urls import reverse
from django.utils import timezone

from audit.kernel import Step, refusal, service
from directory.models import Official, Position, Unit
from directory.selectors import appointment_for_position, clerks_of, positions_of_user
from documents.display import display_name
from documents.thai import thai_date, to_arabic_digits, to_thai_digits
from memos.models import Ask, Memo, MemoState, Urgency
from memos.services import MemoInput, ProposalInput, default_sections, memo_create
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
    OcrJob,
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


SCAN_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png"})


def _queue_ocr(letter: IncomingLetter, stored: Sequence[LetterFile]) -> list[OcrJob]:
    """One OCR job per scan, committed with the booking and handed to Celery after commit
    (letters.tasks); the sweep hands over any whose hand-off was missed."""
    from .tasks import OCR_OUTBOX

    if letter.ocr_state != OcrState.PENDING:
        return []
    jobs = [
        OcrJob.objects.create(letter=letter, file=row)
        for row in stored
        if row.role == FileRole.MAIN and row.original_name.lower().rsplit(".", 1)[-1] in SCAN_EXTENSIONS
    ]
    OCR_OUTBOX.hand_over_on_commit([job.pk for job in jobs])
    return jobs


def _needs_ocr(files: Sequence[IncomingFile]) -> bool:
    """A scan (an image, or a PDF) of a paper letter is read by OCR so its text is searchable."""
    return any(f.role == FileRole.MAIN and f.name.lower().rsplit(".", 1)[-1] in SCAN_EXTENSIONS for f in files)


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
    _queue_ocr(letter, _store_files(letter, files))
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


def _already_booked(letter: IncomingLetter) -> str:
    if letter.state == IncomingState.REJECTED:
        return "รายการนี้ถูกปฏิเสธ (ไม่รับ) ไปแล้ว"
    return f"หนังสือนี้ลงทะเบียนรับแล้ว เลขรับ {to_thai_digits(letter.receive_number or '')}"


def paper_booked_by_form(*, unit: Unit, form_token: str) -> IncomingLetter | None:
    if not form_token:
        return None
    return IncomingLetter.objects.filter(
        unit=unit, channel=Channel.PAPER, source_ref=f"form:{form_token}"[:300]
    ).first()


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
    form_token: str = "",
) -> IncomingLetter:
    """Book a letter into `unit`'s incoming register: a new paper letter (with its scan in
    `files`), or an item waiting from e-mail or e-CMS (`letter`). The เลขรับ is taken from
    the register in this transaction (gapless: a refused booking takes no number).

    The same letter (sender, their number, their date) booked before in this unit is refused
    with a message that names the first booking. `form_token`, the booking form's one-time
    token, makes a second submission of the same form (a double click) book nothing new.
    """
    official = _clerk_of(user, unit)
    now = at or timezone.now()
    _check_facts(facts, today=timezone.localdate(now))
    if letter is None:
        if channel != Channel.PAPER:
            raise refusal("หนังสือทางอีเมลหรือ e-CMS ต้องลงรับจากรายการที่รอลงรับ", code="channel")
        ref = f"form:{form_token}"[:300] if form_token else ""
        if ref:
            again = paper_booked_by_form(unit=unit, form_token=form_token)
            if again is not None:
                raise refusal(_already_booked(again), code="already_booked")
        letter = IncomingLetter(unit=unit, channel=Channel.PAPER, source_ref=ref)
        facts.apply(letter)
        letter.ocr_state = OcrState.PENDING if _needs_ocr(files) else OcrState.NOT_NEEDED
        try:
            with transaction.atomic():
                letter.save()
        except IntegrityError:
            # The same form, sent twice at once: the other submission booked it.
            raise refusal("หนังสือนี้ลงทะเบียนรับแล้วจากการส่งแบบฟอร์มครั้งก่อน", code="already_booked")
        _queue_ocr(letter, _store_files(letter, files, user=user))
        step = IncomingStep(letter, lock=False)
    else:
        step = IncomingStep(letter)
        letter = step.owner
        if letter.unit_id != unit.pk:
            raise refusal("รายการนี้ไม่ได้รอลงรับที่ส่วนราชการของท่าน", code="not_unit")
        if letter.state != IncomingState.WAITING:
            raise refusal(_already_booked(letter), code="already_booked")
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


# --- Refusing a waiting item ------------------------------------------------------------------


def _actor_name(user: Any) -> str:
    official = getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None
    return display_name(user) or (official.full_name if official else "")


def _check_seen(letter: IncomingLetter, seen: int | None) -> None:
    """A form carries the letter's history length as the page showed it: a second click, or a
    second tab, finds the letter moved on and is told so instead of acting twice."""
    if seen is None or letter.chain_seq == seen:
        return
    # The scan read by OCR meanwhile is not someone acting on the letter.
    since = IncomingEvent.objects.filter(letter_id=letter.pk, seq__gt=seen)
    if seen > letter.chain_seq or since.exclude(action=LetterAction.OCR).exists():
        raise refusal(
            "หนังสือนี้มีการดำเนินการไปแล้วหลังจากที่ท่านเปิดหน้านี้ กรุณาตรวจสอบประวัติการดำเนินการก่อนดำเนินการอีกครั้ง",
            code="stale",
        )


@service
def letter_reject(*, user: Any, letter: IncomingLetter, reason: str, seen: int | None = None) -> IncomingLetter:
    """A waiting item (an e-mail, an e-CMS letter) is not ours or cannot be booked in: it is
    refused with a reason, and the channel it came by is told (hooks.rejected: e-CMS's Reject
    notifier, the e-mail's reply), in this transaction."""
    reason = (reason or "").strip()
    if not reason:
        raise refusal("กรุณาระบุเหตุผลที่ไม่รับหนังสือ", code="no_reason")
    step = IncomingStep(letter)
    letter = step.owner
    _clerk_of(user, letter.unit)
    if letter.state == IncomingState.REJECTED:
        raise refusal("รายการนี้ถูกปฏิเสธไปแล้ว", code="already_rejected")
    _check_seen(letter, seen)
    step.fire("fsm_reject", action_label="ไม่รับหนังสือ")
    step.record(LetterAction.REJECT, save=["state"], actor=user, actor_name=_actor_name(user), text=reason[:2000])
    hooks.rejected(letter, reason)
    return letter


# --- Passing on, asking for a memo, filing ----------------------------------------------------


def _may_act(user: Any, letter: IncomingLetter) -> None:
    from .access import incoming_may

    if not incoming_may(user=user, letter=letter, action="route"):
        raise refusal("ท่านไม่ได้เป็นผู้รับผิดชอบหนังสือฉบับนี้ในขณะนี้", code="not_holder")


def _acting_position(user: Any, letter: IncomingLetter) -> Position | None:
    """The post the user acts in on this letter (the one holding it), if any."""
    if letter.holder_position_id is not None:
        for position, _capacity in positions_of_user(user=user):
            if position.pk == letter.holder_position_id:
                return position
    return None


def _holders(*, unit: Unit | None, position: Position | None) -> list[Any]:
    """Who is told a letter reached them: whoever acts for the post today, or the unit's clerks."""
    if position is not None:
        appointment = appointment_for_position(position=position)
        return [appointment.official.user] if appointment is not None and appointment.official.user_id else []
    if unit is not None:
        return [official.user for official in clerks_of(unit=unit)]
    return []


def letter_title(letter: IncomingLetter) -> str:
    urgency = f"[{Urgency(letter.urgency).label}] " if letter.urgency else ""
    number = (
        f"เลขรับ {to_thai_digits(letter.receive_number)}/{to_thai_digits(letter.year)} " if letter.receive_number else ""
    )
    # Mail leaves the system: a secret letter's subject stays inside it.
    subject = "(หนังสือชั้นลับ โปรดเปิดอ่านในระบบ)" if letter.is_secret else letter.subject
    return f"{urgency}{number}เรื่อง {subject}"


@service
def letter_route(
    *,
    user: Any,
    letter: IncomingLetter,
    note: str,
    to_unit: Unit | None = None,
    to_position: Position | None = None,
    seen: int | None = None,
    at: dt.datetime | None = None,
) -> IncomingLetter:
    """Pass a booked letter on (เกษียนสั่งการ) to a unit or a post, with a note; the new
    holder is told (in-app and e-mail, through the outbox, in this transaction)."""
    if (to_unit is None) == (to_position is None):
        raise refusal("กรุณาเลือกส่งถึงส่วนราชการหรือตำแหน่งอย่างใดอย่างหนึ่ง", code="no_target")
    note = (note or "").strip()
    if not note:
        raise refusal("กรุณาเขียนข้อความเกษียนสั่งการ", code="no_note")
    step = IncomingStep(letter)
    letter = step.owner
    _may_act(user, letter)
    _check_seen(letter, seen)
    if to_position is not None and not to_position.is_active:
        raise refusal("ตำแหน่งนี้เลิกใช้แล้ว", code="inactive")
    if to_unit is not None and not to_unit.is_active:
        raise refusal("ส่วนราชการนี้เลิกใช้แล้ว", code="inactive")
    if letter.is_secret and to_position is None:
        raise refusal("หนังสือชั้นลับต้องส่งถึงตำแหน่งผู้รับผิดชอบโดยตรง ไม่ส่งถึงทั้งส่วนราชการ", code="secret_unit")
    if (to_position is not None and to_position.pk == letter.holder_position_id) or (
        to_unit is not None
        and letter.holder_position_id is None
        and to_unit.pk == letter.holder_unit_id
        and letter.state == IncomingState.ROUTED
    ):
        raise refusal("หนังสืออยู่ที่ผู้รับนี้อยู่แล้ว", code="same_holder")
    position = _acting_position(user, letter)
    step.fire("fsm_route", action_label="ส่งต่อหนังสือ")
    letter.holder_position = to_position
    letter.holder_unit = to_position.unit if to_position is not None else to_unit
    target = to_position.title if to_position is not None else to_unit.name  # type: ignore[union-attr]
    step.record(
        LetterAction.ROUTE,
        save=["state", "holder_unit", "holder_position"],
        at=at or timezone.now(),
        actor=user,
        actor_name=_actor_name(user),
        position=position,
        to_unit=letter.holder_unit,
        to_position=to_position,
        text=note[:4000],
    )
    step.notify(
        kind="letter_routed",
        subject=f"หนังสือรับส่งถึงท่าน: {letter_title(letter)}",
        body=f"{_actor_name(user)} ส่งหนังสือถึง{target}\n\n{letter_title(letter)}\n\nเกษียน: {note}",
        url=reverse("memos:letter_detail", args=[letter.pk]),
        dedup_key=f"letter:{letter.pk}:routed:{letter.chain_seq}",
        done_key=f"letter:{letter.pk}",
        recipients=_holders(unit=to_unit, position=to_position),
    )
    return letter


@service
def letter_close(
    *, user: Any, letter: IncomingLetter, note: str = "", seen: int | None = None, at: dt.datetime | None = None
) -> IncomingLetter:
    """Noted and filed (ทราบ/เก็บเข้าแฟ้ม): nothing more is to be done with the letter."""
    step = IncomingStep(letter)
    letter = step.owner
    if letter.state == IncomingState.CLOSED:
        raise refusal("หนังสือนี้เก็บเข้าแฟ้มแล้ว", code="already_closed")
    _may_act(user, letter)
    _check_seen(letter, seen)
    step.fire("fsm_close", action_label="เก็บเข้าแฟ้ม")
    step.record(
        LetterAction.CLOSE,
        save=["state"],
        at=at or timezone.now(),
        actor=user,
        actor_name=_actor_name(user),
        position=_acting_position(user, letter),
        text=(note or "ทราบ").strip()[:4000],
    )
    return letter


def letter_reference(letter: IncomingLetter) -> str:
    """อ้างถึง as a memo prints it: whose letter, its number and date, and our เลขรับ."""
    parts = [f"หนังสือ{letter.sender_name}" if letter.sender_name else "หนังสือ"]
    if letter.their_number:
        parts.append(f"ที่ {to_thai_digits(letter.their_number)}")
    if letter.their_date:
        parts.append(f"ลงวันที่ {thai_date(letter.their_date)}")
    if letter.receive_number:
        parts.append(f"(เลขรับ {to_thai_digits(letter.receive_number)}/{to_thai_digits(letter.year)})")
    return " ".join(parts)[:500]


def _memo_positions(user: Any, official: Official) -> tuple[int, int]:
    """A draft's signer (the user's own post, else the unit's first) and addressee (the first
    post of the unit above, else the signer): the drafter changes both on the edit page."""
    own = [p for p, _c in positions_of_user(user=user)]
    unit_posts = list(Position.objects.filter(unit=official.unit, is_active=True).order_by("sort_order", "pk")[:1])
    signer = own[0] if own else (unit_posts[0] if unit_posts else None)
    if signer is None:
        raise refusal("ส่วนราชการของท่านยังไม่มีตำแหน่งในทำเนียบ จึงร่างบันทึกข้อความไม่ได้", code="no_position")
    above = None
    if official.unit.parent_id:
        above = (
            Position.objects.filter(unit_id=official.unit.parent_id, is_active=True)
            .order_by("sort_order", "pk")
            .first()
        )
    addressee = above or signer
    return signer.pk, addressee.pk


@service
def letter_request_memo(*, user: Any, letter: IncomingLetter, note: str = "", seen: int | None = None) -> Memo:
    """A memo to be drafted from the letter: a draft in the holder's unit whose อ้างถึง names
    the letter. Asking again while that draft is still a draft gives the same draft."""
    step = IncomingStep(letter)
    letter = step.owner
    _may_act(user, letter)
    if letter.state not in (IncomingState.BOOKED, IncomingState.ROUTED):
        raise refusal(
            f"ไม่สามารถให้ร่างบันทึกเสนอได้ เนื่องจากหนังสืออยู่ในสถานะ “{IncomingState(letter.state).label}”", code="state"
        )
    earlier = [e.payload.get("memo_id") for e in letter.events.filter(action=LetterAction.MEMO, actor=user)]
    existing = Memo.objects.filter(pk__in=[pk for pk in earlier if pk], state=MemoState.DRAFT).order_by("-pk").first()
    if existing is not None:
        return existing
    _check_seen(letter, seen)
    official = getattr(user, "official", None)
    if official is None:
        raise refusal("ผู้ใช้นี้ไม่มีข้อมูลในทำเนียบ จึงร่างบันทึกข้อความไม่ได้", code="no_official")
    signer, addressee = _memo_positions(user, official)
    reference = letter_reference(letter)
    sections = default_sections()
    sections[0].intro = f"ตาม{reference} เรื่อง {letter.subject}"
    if note.strip():
        sections[0].intro += f"\n{note.strip()}"
    memo = memo_create(
        user=user,
        data=MemoInput(
            subject=letter.subject[:255] or "ร่างบันทึกข้อความ",
            addressee_id=addressee,
            signing_position_id=signer,
            route_position_ids=[addressee],
            sections=sections,
            proposals=[ProposalInput("จึงเรียนมาเพื่อโปรดพิจารณา", Ask.ACKNOWLEDGE)],
            urgency=letter.urgency,
            secrecy=letter.secrecy,
        ),
    )
    Memo.objects.filter(pk=memo.pk).update(reference=reference)
    memo.reference = reference
    step.record(
        LetterAction.MEMO,
        actor=user,
        actor_name=_actor_name(user),
        position=_acting_position(user, letter),
        text=(note.strip() or "ให้ร่างบันทึกข้อความเสนอ")[:4000],
        payload={"memo_id": memo.pk},
    )
    return memo
