"""An e-mail message as a received letter: who sent it, its subject (with the sender's
letter number and date when the subject carries them), its plain text, and its attachments
checked by content like any upload (documents.uploads)."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import strip_tags

from documents.thai import DATE_RE, parse_thai_date, to_thai_digits
from documents.uploads import upload_check

from ..models import FileRole
from ..services import IncomingFile, LetterFacts
from . import conf


class MessageError(Exception):
    """A message that cannot be taken in; the text is Thai, for the admin."""


# "ที่ กท ๐๔๐๑/๑๒๓", "ศธ 04001/ว123", "ที่ นร ๐๑๐๕.๒/๔๕๖"
NUMBER_RE = re.compile(r"(?:ที่\s*)?((?:[ก-ฮ]{1,3}\.?\s*){1,3}[0-9๐-๙][0-9๐-๙.]*\s*/\s*ว?\s*[0-9๐-๙]+)")
BODY_NAME = "ข้อความอีเมล.txt"


@dataclass
class ParsedMail:
    source_ref: str
    facts: LetterFacts
    files: list[IncomingFile]
    detail: dict[str, Any]
    refused: list[str] = field(default_factory=list)


def source_ref(message: EmailMessage, raw: bytes) -> str:
    message_id = str(message.get("Message-ID", "") or "").strip()
    if message_id:
        return message_id[:300]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def subject_facts(subject: str) -> tuple[str, dt.date | None]:
    """The sender's letter number and date, when the subject says them."""
    number = ""
    match = NUMBER_RE.search(subject)
    if match:
        number = re.sub(r"\s+", " ", match.group(1)).strip()
    their_date = None
    date_match = DATE_RE.search(subject)
    if date_match:
        try:
            their_date = parse_thai_date(date_match.group(0))
        except ValueError:
            their_date = None
    return number, their_date


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = body.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if body.get_content_subtype() == "html":
        content = strip_tags(content)
    return str(content).replace("\r\n", "\n").strip()


def _attached_parts(message: EmailMessage) -> list[EmailMessage]:
    """Every file the message carries, however deep its client nested it (a letter
    forwarded as an attachment brings its own files), less the text the clerk reads and the
    pictures shown inside the HTML body (a signature's logo)."""
    bodies = {id(message.get_body(preferencelist=(kind,))) for kind in ("plain", "html")}
    parts = []
    for part in message.walk():
        if part.is_multipart() or id(part) in bodies:
            continue
        disposition = part.get_content_disposition()
        if part.get_content_maintype() == "text" and disposition != "attachment" and not part.get_filename():
            continue  # another rendering of the text, or a forwarded message's text
        if part.get_content_maintype() == "image" and part.get("Content-ID") and disposition != "attachment":
            continue
        parts.append(part)
    return parts  # type: ignore[return-value]


def _attachments(message: EmailMessage) -> tuple[list[IncomingFile], list[str]]:
    files: list[IncomingFile] = []
    refused: list[str] = []
    max_count = conf.attachment_max_count()
    max_bytes = conf.attachment_max_bytes()
    for part in _attached_parts(message):
        name = part.get_filename() or "ไฟล์แนบ" + (mimetypes.guess_extension(part.get_content_type()) or "")
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            refused.append(f"{name}: อ่านไฟล์แนบไม่ได้")
            continue
        if len(files) >= max_count:
            refused.append(f"{name}: เกินจำนวนไฟล์แนบที่รับได้ ({to_thai_digits(max_count)} ไฟล์ต่อฉบับ)")
            continue
        if len(content) > max_bytes:
            refused.append(f"{name}: ขนาดเกิน {to_thai_digits(max_bytes // (1024 * 1024))} เมกะไบต์ที่รับได้ต่อไฟล์")
            continue
        try:
            checked = upload_check(SimpleUploadedFile(name, content, content_type=part.get_content_type()))
        except ValidationError as exc:
            refused.append(f"{name}: {' '.join(exc.messages)}")
            continue
        files.append(IncomingFile(name=checked.name, content=content, content_type=part.get_content_type()))
    # The letter itself is the first PDF (or the first file); the rest are its enclosures.
    main = next((i for i, f in enumerate(files) if f.name.lower().endswith(".pdf")), 0)
    ordered = [files[main], *files[:main], *files[main + 1 :]] if files else []
    return [
        IncomingFile(
            name=f.name,
            content=f.content,
            content_type=f.content_type,
            role=FileRole.MAIN if i == 0 else FileRole.ENCLOSURE,
        )
        for i, f in enumerate(ordered)
    ], refused


def parse_message(raw: bytes) -> ParsedMail:
    """The message as intake takes it, or MessageError (Thai) when it cannot be read."""
    if not raw or not raw.strip():
        raise MessageError("ข้อความว่างเปล่า")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        subject = str(message.get("Subject", "") or "").strip()
        senders = getaddresses([str(message.get("From", "") or "")])
        name, address = senders[0] if senders else ("", "")
        text = _text(message)
        files, refused = _attachments(message)
        sent_at = None
        if message.get("Date"):
            try:
                sent_at = parsedate_to_datetime(str(message["Date"]))
            except (TypeError, ValueError):
                sent_at = None
    except MessageError:
        raise
    except Exception as exc:  # the email package raises many kinds on broken input
        raise MessageError(f"อ่านข้อความอีเมลไม่ได้ ({type(exc).__name__})") from exc
    if not address and not name:
        raise MessageError("ข้อความไม่มีผู้ส่ง (From)")
    letter_text = text
    if not files:
        # The e-mail is the letter: its text is the letter's text.
        files = [IncomingFile(name=BODY_NAME, content=(text or subject).encode("utf-8"), content_type="text/plain")]
    else:
        # The attached file is the letter: its text comes from reading it (OCR, which an
        # item that already has a text would skip); the covering e-mail stays beside it.
        letter_text = ""
        if text:
            files.append(
                IncomingFile(
                    name=BODY_NAME,
                    content=text.encode("utf-8"),
                    content_type="text/plain",
                    role=FileRole.ENCLOSURE,
                    title="ข้อความในอีเมลนำส่ง",
                )
            )
    number, their_date = subject_facts(subject)
    remarks = ""
    if refused:
        remarks = "ไฟล์แนบที่ไม่ได้นำเข้า: " + "; ".join(refused)
        if len(remarks) > 300:
            remarks = remarks[:297] + "..."
    ref = source_ref(message, raw)
    facts = LetterFacts(
        sender_name=(name or address).strip(),
        subject=subject or "(ไม่มีเรื่อง)",
        their_number=number,
        their_date=their_date,
        text=letter_text,
        remarks=remarks,
    )
    detail = {
        "from_address": address,
        "from_name": name,
        "message_id": str(message.get("Message-ID", "") or "").strip(),
        "sent_at": sent_at.isoformat() if sent_at else "",
        "auto_submitted": str(message.get("Auto-Submitted", "") or "").strip().lower(),
        "refused_files": refused,
        "body": text[:10000],
    }
    return ParsedMail(source_ref=ref, facts=facts, files=files, detail=detail, refused=refused)
