"""The e-CMS exchange's work: taking a letter the hub (or a file) hands us into the receiving
unit's book-in queue, the notifiers owed for it, the poll, sending a signed letter, and
refreshing the hub's code lists.

Everything the clerk sees is the letters app's: an e-CMS letter waits in the same queue as
an e-mail and is booked in by letters.services.letter_book_in; the booking's and the
refusal's hooks (letters.hooks) queue Accept and Reject notifiers here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.kernel import service
from directory.models import Unit
from documents.thai import to_arabic_digits, to_thai_digits
from documents.uploads import content_is

from .. import hooks
from ..models import Agency, Channel, FileRole, IncomingLetter, IncomingState
from ..services import IncomingFile, LetterFacts, letter_book_in, letter_intake, number_key
from .client import HubClient, HubRefused, HubUnavailable
from .models import CodeKind, EcmsCode, EcmsNotice, NotifierKind
from .notifiers import notifier_queue, notifier_xml
from .xml import (
    BinaryObject,
    EcmsError,
    GovernmentLetter,
    HubMessage,
    Party,
    Reference,
    build_outbound,
    code_rows,
    read_letter,
)

logger = logging.getLogger(__name__)


# --- settings and code lists --------------------------------------------------------------------


def org_units() -> dict[str, str]:
    return dict(getattr(settings, "ECMS_UNITS", {}) or {})


def unit_for_org(code: str) -> Unit | None:
    key = org_units().get(code)
    return Unit.objects.filter(key=key).first() if key else None


def org_for_unit(unit_key: str) -> str:
    for org, key in org_units().items():
        if key == unit_key:
            return org
    return ""


def code_level(kind: str, code: str) -> int:
    row = EcmsCode.objects.filter(kind=kind, code=code).first()
    return row.level if row is not None and row.level is not None else 0


def code_for_level(kind: str, level: int) -> str:
    row = EcmsCode.objects.filter(kind=kind, level=level, is_active=True).order_by("code").first()
    return row.code if row is not None else ""


def _mime_row(mime: str) -> EcmsCode | None:
    return EcmsCode.objects.filter(kind=CodeKind.MIME, code=mime.lower(), is_active=True).first()


def checked_file(obj: BinaryObject, *, what: str, role: str, index: int = 0) -> IncomingFile:
    """The file, if its mimeCode is in the hub's list and its bytes are what it says."""
    row = _mime_row(obj.mime_code)
    if row is None:
        raise EcmsError(
            f"ชนิดไฟล์ของ{what} ({obj.mime_code or 'ไม่ระบุ'}) ไม่อยู่ในรายการชนิดไฟล์ของระบบ e-CMS จึงไม่รับหนังสือฉบับนี้",
            "mime",
        )
    extension = row.extension or "bin"
    if not content_is(obj.content, extension):
        raise EcmsError(f"เนื้อไฟล์ของ{what}ไม่ใช่ไฟล์ .{extension} ตามชนิดที่ระบุไว้ ({obj.mime_code}) จึงไม่รับหนังสือฉบับนี้", "mime")
    name = "letter" if role == FileRole.MAIN else f"enclosure-{index}"
    return IncomingFile(
        name=f"{name}.{extension}", content=obj.content, content_type=obj.mime_code, role=role, title=what
    )


def agency_for(party: Party) -> Agency:
    """The sending agency by its hub code: known already, or made from the code list."""
    code = party.department_id
    if not code:
        raise EcmsError("หนังสือไม่ระบุรหัสหน่วยงานผู้ส่ง (SenderParty/DepartmentOrganization/ID)", "unknown_org")
    agency = Agency.objects.filter(ecms_code=code).first()
    if agency is not None:
        return agency
    row = EcmsCode.objects.filter(kind=CodeKind.ORGANISATION, code=code).first()
    if row is None:
        raise EcmsError(
            f"ไม่รู้จักรหัสหน่วยงานผู้ส่ง {code} ในรายการหน่วยงานของระบบ e-CMS จึงไม่รับหนังสือฉบับนี้ "
            "(ผู้ดูแลระบบปรับปรุงรายการได้ด้วยคำสั่ง ecms_refresh_codes)",
            "unknown_org",
        )
    agency, _created = Agency.objects.get_or_create(
        ecms_code=code, defaults={"name": row.name[:300], "ministry_code": party.ministry_id or row.parent}
    )
    return agency


def accept_id(letter: IncomingLetter) -> str:
    """Our เลขรับ as the hub reads it: number/BE year."""
    return f"{letter.receive_number}/{letter.year}"


def file_ref(letter: GovernmentLetter) -> str:
    """A letter read from a file has no ProcessID: the sender, its number and date stand in."""
    return f"letter:{letter.sender.department_id}:{number_key(letter.letter_id)}:{letter.date.isoformat()}"


# --- taking a letter ----------------------------------------------------------------------------


@dataclass
class Prepared:
    unit: Unit
    facts: LetterFacts
    files: list[IncomingFile]
    detail: dict[str, Any]


def prepare(message: HubMessage, *, unit: Unit | None = None) -> Prepared:
    """Everything checked (unit, sender, files) before anything is written."""
    letter = message.letter
    if letter is None:
        raise EcmsError("ไม่พบหนังสือ (GovernmentDocument) ในข้อความ", "malformed")
    receiver = letter.receiver.department_id
    mapped = unit_for_org(receiver) if receiver else None
    if unit is None:
        if mapped is None:
            raise EcmsError(
                f"หนังสือส่งถึงหน่วยงานรหัส {receiver or '(ไม่ระบุ)'} ซึ่งไม่ได้กำหนดส่วนราชการผู้รับไว้ (ECMS_UNITS)",
                "no_unit",
            )
        unit = mapped
    elif mapped is not None and mapped.pk != unit.pk:
        raise EcmsError(f"หนังสือฉบับนี้ส่งถึง{mapped.name} (รหัส {receiver}) ไม่ใช่{unit.name}", "no_unit")
    agency = agency_for(letter.sender)
    assert letter.main is not None
    files = [checked_file(letter.main, what="หนังสือ", role=FileRole.MAIN)]
    for index, item in enumerate(letter.attachments, start=1):
        files.append(
            checked_file(item, what=f"สิ่งที่ส่งมาด้วย {to_thai_digits(index)}", role=FileRole.ENCLOSURE, index=index)
        )
    sender_person = " ".join(p for p in (letter.sender.given_name, letter.sender.family_name) if p)
    facts = LetterFacts(
        sender_agency=agency,
        sender_name=agency.name,
        their_number=letter.letter_id,
        their_date=letter.date,
        subject=letter.subject,
        addressee=letter.receiver.job_title,
        urgency=code_level(CodeKind.SPEED, letter.speed_code),
        secrecy=code_level(CodeKind.SECRET, letter.secret_code),
        enclosures=letter.attachment_text,
        remarks=letter.description[:300],
        extra={"sender_person": sender_person, "sender_title": letter.sender.job_title},
    )
    detail = {
        "process_id": message.process_id,
        "letter_id": letter.letter_id,
        "date": letter.date.isoformat(),
        "sender_org": letter.sender.department_id,
        "sender_ministry": letter.sender.ministry_id,
        "receiver_org": receiver,
        "sender_person": sender_person,
        "sender_title": letter.sender.job_title,
        "references": [r.__dict__ for r in letter.references],
    }
    return Prepared(unit=unit, facts=facts, files=files, detail=detail)


@service
def ecms_take(
    *, message: HubMessage, unit: Unit | None = None, source_ref: str = ""
) -> tuple[IncomingLetter, bool, Prepared]:
    """The letter becomes an item waiting to be booked in (once per ProcessID), and the hub is
    owed a Receive notifier. Returns (letter, created, what was read)."""
    prepared = prepare(message, unit=unit)
    letter, created = letter_intake(
        unit=prepared.unit,
        channel=Channel.ECMS,
        source_ref=source_ref or message.process_id,
        facts=prepared.facts,
        files=prepared.files,
        source_detail=prepared.detail,
    )
    if created and message.process_id:
        notifier_queue(
            NotifierKind.RECEIVE,
            process_id=message.process_id,
            letter=letter,
            letter_number=letter.their_number,
            letter_date=prepared.detail["date"],
            subject=letter.subject,
        )
    return letter, created, prepared


def _owed(kind: str, letter: IncomingLetter, **extra: str) -> None:
    detail = letter.source_detail or {}
    process_id = detail.get("process_id")
    if letter.channel != Channel.ECMS or not process_id:
        return  # not from the hub (a file booked by hand has nobody to answer)
    notifier_queue(
        kind,
        process_id=process_id,
        letter=letter,
        letter_number=detail.get("letter_id") or letter.their_number,
        letter_date=detail.get("date") or (letter.their_date.isoformat() if letter.their_date else ""),
        subject=letter.subject,
        **extra,
    )


def on_booked(letter: IncomingLetter) -> None:
    """letters.hooks: the clerk booked an e-CMS letter in: the hub is told our เลขรับ."""
    _owed(NotifierKind.ACCEPT, letter, accept_id=accept_id(letter))


def on_rejected(letter: IncomingLetter, reason: str) -> None:
    """letters.hooks: the clerk refused an e-CMS letter: the hub is told why."""
    _owed(NotifierKind.REJECT, letter, reason=reason)


# --- the poll -----------------------------------------------------------------------------------


@dataclass
class PollResult:
    taken: int = 0  # new items waiting to be booked in
    known: int = 0  # letters taken before (a repeat of the queue)
    invalid: int = 0  # letters refused, the hub told why
    notices: int = 0  # notifiers about our own letters, taken off the queue
    errors: list[str] = field(default_factory=list)


def _invalid(exc: EcmsError) -> bool:
    """Queue an Invalid notifier for a letter we cannot take; False if it cannot be named."""
    partial = exc.partial
    process_id = partial.get("process_id", "")
    if not process_id:
        return False
    with transaction.atomic():
        notifier_queue(
            NotifierKind.INVALID,
            process_id=process_id,
            letter_number=partial.get("letter_id", ""),
            letter_date=partial.get("date", ""),
            subject=partial.get("subject", ""),
            reason=str(exc),
        )
    return True


def _notice(message: HubMessage) -> None:
    """A notifier about a letter we sent, kept (once per ProcessID) for its sender to see."""
    fields = message.notifier_fields
    EcmsNotice.objects.get_or_create(
        process_id=message.process_id[:200],
        defaults={
            "kind": (message.notifier or message.operation)[:32],
            "letter_number": fields.get("LetterID", "")[:200],
            "letter_date": fields.get("CorrespondenceDate", "")[:20],
            "subject": fields.get("Subject", "")[:500],
            "accept_id": fields.get("AcceptID", "")[:50],
            "description": fields.get("Description", ""),
        },
    )
    logger.info("e-CMS %s for our letter %s", message.notifier or message.operation, fields.get("LetterID", ""))


def ecms_notices(*, letter_number: str) -> list[EcmsNotice]:
    """What the hub told us about our letter of this number (as printed, Thai or Arabic
    digits), oldest first."""
    numbers = {letter_number, to_arabic_digits(letter_number)}
    return list(EcmsNotice.objects.filter(letter_number__in=numbers).order_by("received_at", "pk"))


def ecms_poll(*, client: HubClient | None = None, batch: int | None = None) -> PollResult:
    """Take what waits in our queue at the hub, one item at a time: each letter becomes an item
    waiting to be booked in (committed) before it is deleted from the queue, so a crash
    between the two makes the next poll find it again, and take nothing new."""
    client = client or HubClient.from_settings()
    result = PollResult()
    for _ in range(batch or int(settings.ECMS_POLL_BATCH)):
        try:
            message = client.fetch_inbound()
        except EcmsError as exc:
            if not _invalid(exc):
                result.errors.append(str(exc))
                logger.error("e-CMS: an unreadable item without a ProcessID blocks the queue: %s", exc)
                break
            result.invalid += 1
            client.delete(exc.partial["process_id"])
            continue
        if not message.process_id:
            break  # the queue is empty
        if message.letter is not None:
            try:
                _letter, created, _prepared = ecms_take(message=message)
            except EcmsError as exc:
                exc.partial = {
                    "process_id": message.process_id,
                    "letter_id": message.letter.letter_id,
                    "date": message.letter.date.isoformat(),
                    "subject": message.letter.subject,
                }
                _invalid(exc)
                result.invalid += 1
                logger.warning("e-CMS letter %s refused: %s", message.process_id, exc)
            else:
                if created:
                    result.taken += 1
                else:
                    result.known += 1
        else:
            _notice(message)
            result.notices += 1
        client.delete(message.process_id)
    return result


# --- a letter from a file (manage.py ecms_receive) --------------------------------------------------


@dataclass
class Received:
    letter: IncomingLetter
    booked_now: bool
    accept_xml: bytes


@service
def ecms_receive_file(*, source: IO[bytes] | bytes | Iterable[bytes], unit: Unit, user: Any) -> Received:
    """Book in a GovernmentDocument read from a file, as `user` (the unit's clerk). The same
    letter again books nothing and names the first เลขรับ; any fault books nothing at all."""
    message = read_letter(source, max_bytes=int(settings.ECMS_MAX_BYTES), max_total=int(settings.ECMS_MAX_LETTER_BYTES))
    assert message.letter is not None
    letter, _created, prepared = ecms_take(
        message=message, unit=unit, source_ref=message.process_id or file_ref(message.letter)
    )
    booked_now = False
    if letter.state == IncomingState.WAITING:
        letter = letter_book_in(user=user, unit=unit, facts=prepared.facts, letter=letter, channel=Channel.ECMS)
        booked_now = True
    elif letter.state == IncomingState.REJECTED:
        raise EcmsError("หนังสือฉบับนี้ได้รับไว้แล้วและถูกปฏิเสธ (ส่งคืน) ไปแล้ว จึงไม่ลงรับ", "rejected")
    from .models import EcmsNotifier

    row = EcmsNotifier(
        kind=NotifierKind.ACCEPT,
        process_id=message.process_id,
        letter_number=message.letter.letter_id,
        letter_date=message.letter.date.isoformat(),
        subject=letter.subject,
        accept_id=accept_id(letter),
    )
    return Received(letter=letter, booked_now=booked_now, accept_xml=notifier_xml(row))


# --- sending ----------------------------------------------------------------------------------------


def _outbound_file(item: hooks.OutboundFile, *, what: str) -> BinaryObject:
    mime = (item.content_type or "").split(";")[0].strip().lower()
    if _mime_row(mime) is None:
        raise hooks.SendFailed(f"ชนิดไฟล์ของ{what} ({mime or 'ไม่ระบุ'}) ไม่อยู่ในรายการชนิดไฟล์ที่ระบบ e-CMS รับ")
    return BinaryObject(mime_code=mime, content=item.content, name=item.name)


def outbound_document(out: hooks.OutboundLetter) -> GovernmentLetter:
    ours = org_for_unit(out.unit_code)
    if not ours:
        raise hooks.SendFailed(f"{out.unit_name} ยังไม่มีรหัสหน่วยงานในระบบ e-CMS (ตั้งค่า ECMS_UNITS)")
    if not out.recipient_code:
        raise hooks.SendFailed(f"{out.recipient_name} ไม่มีรหัสหน่วยงานในระบบ e-CMS จึงส่งทาง e-CMS ไม่ได้")
    recipient = Agency.objects.filter(ecms_code=out.recipient_code).first()
    recipient_row = EcmsCode.objects.filter(kind=CodeKind.ORGANISATION, code=out.recipient_code).first()
    if recipient is None and recipient_row is None:
        raise hooks.SendFailed(f"ไม่รู้จักรหัสหน่วยงานผู้รับ {out.recipient_code} ในรายการหน่วยงานของระบบ e-CMS")
    our_row = EcmsCode.objects.filter(kind=CodeKind.ORGANISATION, code=ours).first()
    titles = [e.title or e.name for e in out.enclosures]
    # Arabic digits to the hub, as its clients write numbers ("กท 0401/123" in the notes): the
    # other side matches its notifiers to our letter by this text.
    return GovernmentLetter(
        letter_id=to_arabic_digits(out.number),
        date=out.date,
        subject=out.subject,
        secret_code=code_for_level(CodeKind.SECRET, out.secrecy),
        speed_code=code_for_level(CodeKind.SPEED, out.urgency),
        sender=Party(job_title=out.unit_name, ministry_id=our_row.parent if our_row else "", department_id=ours),
        receiver=Party(
            job_title=out.addressee,
            ministry_id=(recipient.ministry_code if recipient else "")
            or (recipient_row.parent if recipient_row else ""),
            department_id=out.recipient_code,
        ),
        references=[Reference(letter_id=to_arabic_digits(out.reference), date="", subject="")] if out.reference else [],
        attachment_text="\n".join(f"{to_thai_digits(i)}. {t}" for i, t in enumerate(titles, start=1)),
        send_date=timezone.localdate().isoformat(),
        main=_outbound_file(out.main, what="หนังสือ"),
        attachments=[_outbound_file(e, what=f"สิ่งที่ส่งมาด้วย {e.title or e.name}") for e in out.enclosures],
    )


def send_letter(out: hooks.OutboundLetter) -> hooks.SendResult:
    """letters.hooks sender "ecms": post the signed letter to the hub; its ProcessID back."""
    document = outbound_document(out)
    try:
        client = HubClient.from_settings()
        # One id per letter: a repeat after a lost answer is recognisable at the hub.
        payload = build_outbound(document, to=client.url, message_id=f"urn:saraban:out:{out.letter_id}")
        message = client.post("CorrespondenceLetterOutboundRequest", payload)
    except HubRefused as exc:
        raise hooks.SendFailed(f"ศูนย์ e-CMS ไม่รับหนังสือ: {exc}") from None
    except HubUnavailable as exc:
        raise hooks.SendFailed(str(exc)) from None
    except EcmsError as exc:
        raise hooks.SendFailed(f"ศูนย์ e-CMS ตอบกลับด้วยข้อความที่อ่านไม่ได้ ({exc})") from None
    if not message.process_id:
        raise hooks.SendFailed("ศูนย์ e-CMS ไม่ได้ให้เลขอ้างอิง (ProcessID) กลับมา จะลองส่งใหม่")
    return hooks.SendResult(
        reference=message.process_id, detail=f"ส่งทางระบบ e-CMS แล้ว (ProcessID {message.process_id})"
    )


# --- code lists -------------------------------------------------------------------------------------

CODE_OPERATIONS = {
    CodeKind.SECRET: "GetSecretCodes",
    CodeKind.SPEED: "GetSpeedCodes",
    CodeKind.MIME: "GetMimeCodes",
    CodeKind.MINISTRY: "GetMinistryOrganizationList",
    CodeKind.ORGANISATION: "GetOrganizationList",
}
_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def codes_from_hub(client: HubClient | None = None) -> dict[str, list[dict[str, str]]]:
    client = client or HubClient.from_settings()
    return {kind: code_rows(client.call(operation)) for kind, operation in CODE_OPERATIONS.items()}


@service
def codes_refresh(*, lists: dict[str, list[dict[str, str]]]) -> dict[str, int]:
    """Store the code lists: new codes added, names updated, codes the hub no longer lists
    kept but marked unused (letters may still name them). A list missing from `lists` is left
    alone. Our own level of a secrecy/speed code is kept; a new one gets it by its name."""
    labels: dict[str, dict[str, int]] = {
        CodeKind.SECRET: {"ปกติ": 0, "ลับ": 1, "ลับมาก": 2, "ลับที่สุด": 3},
        CodeKind.SPEED: {"ปกติ": 0, "ด่วน": 1, "ด่วนมาก": 2, "ด่วนที่สุด": 3},
    }
    counts: dict[str, int] = {}
    now = timezone.now()
    for kind, rows in lists.items():
        if kind not in CodeKind.values:
            raise ValidationError(f"ไม่รู้จักรายการรหัส {kind}", code="kind")
        seen = []
        for item in rows:
            code = str(item.get("code", "")).strip()
            name = str(item.get("name", "")).strip()
            if not code or not name:
                continue
            if kind == CodeKind.MIME:
                code = code.lower()
            seen.append(code)
            row, created = EcmsCode.objects.get_or_create(kind=kind, code=code, defaults={"name": name[:300]})
            row.name = name[:300]
            row.parent = str(item.get("ministry", "") or row.parent)[:32]
            row.extension = str(item.get("extension", "") or row.extension or _EXTENSIONS.get(code, ""))[:10]
            if row.level is None and kind in labels:
                row.level = labels[kind].get(name)
            row.is_active = True
            row.updated_at = now
            row.save()
        EcmsCode.objects.filter(kind=kind).exclude(code__in=seen).update(is_active=False, updated_at=now)
        counts[kind] = len(seen)
    return counts
