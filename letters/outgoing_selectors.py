"""Reads of outgoing external letters: the lists, the queue of letters waiting for a post,
the letter as the official document, and the letter as a channel sends it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from directory.models import Position
from directory.selectors import positions_of_user
from documents.data import LetterDoc, Signature
from documents.docx_builder import build_letter_docx
from documents.models import DocumentKind, DocumentVersion
from documents.preview import render_pdf
from documents.responses import safe_filename

from . import hooks
from .outgoing_access import outgoing_visible_to
from .outgoing_models import OutgoingLetter, OutgoingState


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def outgoing_document_data(letter: OutgoingLetter) -> LetterDoc:
    """The letter as it goes on paper: number and date once signed, the signature as signed
    (with acting wording when the signer acted for the post)."""
    lines = list(letter.signature_lines or [])
    if lines:
        signature: Signature | None = Signature(lines[0], tuple(lines[1:]))
    else:
        signature = None
    unit = letter.unit
    return LetterDoc(
        number=letter.number,
        agency_address=(unit.name,),
        date=letter.dated,
        subject=letter.subject,
        addressee=letter.addressee,
        body=letter.body,
        signature=signature,
        references=_lines(letter.reference),
        attachments=_lines(letter.enclosures),
        owner_unit=letter.owner_unit_line or unit.name,
        phone=letter.phone or unit.phone,
        email=unit.mailbox,
        urgency=letter.get_urgency_display() if letter.urgency else "",
        secrecy=letter.get_secrecy_display() if letter.secrecy else "",
    )


def outgoing_docx(letter: OutgoingLetter) -> bytes:
    return build_letter_docx(outgoing_document_data(letter))


def outgoing_version_docx(version: DocumentVersion) -> bytes:
    """The renderer the document worker calls for kind "letter" (registered at start-up)."""
    if version.letter_id is None:
        raise ValueError(f"document version {version.pk} has no letter")
    letter = OutgoingLetter.objects.select_related("unit").get(pk=version.letter_id)
    return outgoing_docx(letter)


def outgoing_version(letter: OutgoingLetter) -> DocumentVersion | None:
    return DocumentVersion.objects.filter(kind=DocumentKind.LETTER, letter_id=letter.pk).order_by("-version").first()


def outgoing_filename(letter: OutgoingLetter, extension: str) -> str:
    name = f"{letter.number} {letter.subject}" if letter.number else f"ร่าง {letter.subject}"
    return safe_filename(name[:120]) + f".{extension}"


def outgoing_signed_docx(letter: OutgoingLetter) -> bytes:
    """The signed letter's stored document when it is ready; built from the letter's signed
    values otherwise (the same bytes the worker stores: the values no longer change)."""
    version = outgoing_version(letter)
    if version is not None and version.is_ready:
        with version.file.open("rb") as handle:
            return bytes(handle.read())
    return outgoing_docx(letter)


def outbound_letter(letter: OutgoingLetter) -> hooks.OutboundLetter:
    """The signed letter as plain data for a channel: the PDF made by the existing converter
    (LibreOffice) from the signed document, and the enclosure files."""
    pdf = render_pdf(outgoing_signed_docx(letter))
    enclosures = []
    for row in letter.files.all():
        with row.file.open("rb") as handle:
            content = bytes(handle.read())
        enclosures.append(
            hooks.OutboundFile(
                name=row.original_name or row.file.name.rsplit("/", 1)[-1],
                content=content,
                content_type=row.content_type or "application/octet-stream",
                title=row.title,
            )
        )
    agency = letter.recipient_agency
    assert letter.dated is not None
    return hooks.OutboundLetter(
        letter_id=letter.pk,
        unit_code=letter.unit.key,
        unit_name=letter.unit.name,
        number=letter.number,
        date=letter.dated,
        subject=letter.subject,
        addressee=letter.addressee,
        recipient_name=letter.recipient_label,
        recipient_code=agency.ecms_code if agency else "",
        recipient_email=letter.recipient_email,
        secrecy=letter.secrecy,
        urgency=letter.urgency,
        reference=" ".join(_lines(letter.reference)),
        main=hooks.OutboundFile(
            name=outgoing_filename(letter, "pdf"), content=pdf, content_type="application/pdf", title=letter.subject
        ),
        enclosures=tuple(enclosures),
    )


# --- Lists and queues -------------------------------------------------------------------------


def outgoing_of_unit(user: Any) -> QuerySet[OutgoingLetter]:
    """The outgoing letters of the user's unit that the user may see, newest first."""
    official = getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None
    visible = outgoing_visible_to(user)
    if official is not None:
        visible = visible.filter(unit=official.unit) | visible.filter(drafted_by=user)
    return visible.select_related("unit", "current_position", "recipient_agency").order_by("-updated_at")


def outgoing_waiting_for(user: Any) -> QuerySet[OutgoingLetter]:
    """Letters in review whose current post the user holds or acts for today."""
    positions = [p.pk for p, _capacity in positions_of_user(user=user)]
    return (
        OutgoingLetter.objects.filter(state=OutgoingState.IN_REVIEW, current_position__in=positions)
        .select_related("unit", "current_position")
        .order_by("-urgency", "updated_at")
    )


def outgoing_returned_to(user: Any) -> QuerySet[OutgoingLetter]:
    return OutgoingLetter.objects.filter(state=OutgoingState.RETURNED, drafted_by=user).order_by("updated_at")


def outgoing_to_send(user: Any) -> QuerySet[OutgoingLetter]:
    """Signed letters the user may send (the drafter's, or every one of the unit for its clerk)."""
    official = getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None
    signed = OutgoingLetter.objects.filter(state=OutgoingState.SIGNED, dispatch__isnull=True)
    if official is not None and official.is_clerk:
        return signed.filter(unit=official.unit) | signed.filter(drafted_by=user)
    return signed.filter(drafted_by=user)


def outgoing_work_q(*, user: Any, posts: list[int]) -> Q:
    """The outgoing letters waiting for `user` (what outgoing_tasks_for lists), as one filter:
    to review or sign at their posts, returned to them, signed and not yet sent."""
    official = getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None
    to_send = Q(state=OutgoingState.SIGNED, dispatch__isnull=True)
    senders = Q(drafted_by=user)
    if official is not None and official.is_clerk:
        senders |= Q(unit_id=official.unit_id)
    return (
        Q(state=OutgoingState.IN_REVIEW, current_position__in=posts)
        | Q(state=OutgoingState.RETURNED, drafted_by=user)
        | (to_send & senders)
    )


@dataclass(frozen=True)
class OutgoingTask:
    """One line of the unified inbox: what the user must do with which letter."""

    letter: OutgoingLetter
    action: str  # "review", "sign", "revise", "send"
    label: str  # Thai: "ลงนามหนังสือภายนอก"
    url: str
    position: Position | None
    since: Any


def outgoing_tasks_for(user: Any, *, posts: list[int] | None = None) -> list[OutgoingTask]:
    """What the user must do on outgoing letters, in one query (`posts`: the user's posts
    today, when the caller has them): review or sign (their post holds the letter), revise
    (returned to them), send (signed, not yet sent)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if posts is None:
        posts = [p.pk for p, _capacity in positions_of_user(user=user)]
    rows = (
        OutgoingLetter.objects.filter(outgoing_work_q(user=user, posts=posts))
        .select_related("unit", "current_position")
        .order_by("-urgency", "updated_at", "pk")
    )
    order = {"sign": 0, "review": 1, "revise": 2, "send": 3}
    tasks: list[OutgoingTask] = []
    for letter in rows:
        url = reverse("memos:letters_out:detail", args=[letter.pk])
        if letter.state == OutgoingState.IN_REVIEW:
            signing = letter.current_position_id == letter.signing_position_id
            action, label = ("sign", "ลงนามหนังสือภายนอก") if signing else ("review", "ตรวจเสนอหนังสือภายนอก")
            tasks.append(OutgoingTask(letter, action, label, url, letter.current_position, letter.updated_at))
        elif letter.state == OutgoingState.RETURNED:
            tasks.append(OutgoingTask(letter, "revise", "แก้ไขหนังสือภายนอกที่ถูกส่งคืน", url, None, letter.updated_at))
        else:
            tasks.append(OutgoingTask(letter, "send", "ส่งหนังสือภายนอกที่ลงนามแล้ว", url, None, letter.signed_at))
    tasks.sort(key=lambda t: order[t.action])
    return tasks
