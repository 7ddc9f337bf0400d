"""Telling the sender its letter's เลขรับ: when a letter that came from a mailbox whose unit
wishes it is booked in, an outbox row is written in the booking's transaction; the reply
goes out after commit (letters.mail.tasks.deliver_reply), retried if the mail server fails."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from documents.thai import thai_date, thai_time, to_thai_digits

from ..models import Channel, IncomingLetter
from .models import Mailbox, MailReply
from .tasks import OUTBOX

FOOTER = "ข้อความนี้ส่งโดยอัตโนมัติจากระบบสารบรรณอิเล็กทรอนิกส์ เพื่อแจ้งการรับหนังสือ"


def reply_text(letter: IncomingLetter) -> tuple[str, str]:
    """The reply's subject and body, in Thai."""
    number = f"{to_thai_digits(letter.receive_number or '')}/{to_thai_digits(letter.year or '')}"
    received = timezone.localtime(letter.received_at) if letter.received_at else timezone.localtime()
    theirs = ""
    if letter.their_number:
        theirs += f" ที่ {to_thai_digits(letter.their_number)}"
    if letter.their_date:
        theirs += f" ลงวันที่ {thai_date(letter.their_date)}"
    subject = f"ได้รับหนังสือแล้ว เลขรับ {number}: {letter.subject}"[:600]
    body = "\n\n".join(
        [
            f"เรียน {letter.sender_name or 'ผู้ส่ง'}",
            f"หนังสือของท่าน{theirs} เรื่อง {letter.subject} ได้รับแล้ว "
            f"เลขรับ {number} ลงวันที่ {thai_date(received)} เวลา {thai_time(received)}",
            letter.unit.name,
            f"--\n{FOOTER}",
        ]
    )
    return subject, body


def reply_on_booking(letter: Any) -> None:
    """letters.hooks.on_booked callback: runs in the booking's transaction."""
    if not isinstance(letter, IncomingLetter) or letter.channel != Channel.EMAIL:
        return
    detail = letter.source_detail or {}
    mailbox_id = detail.get("mailbox")
    mailbox = Mailbox.objects.filter(pk=int(mailbox_id)).first() if isinstance(mailbox_id, int) else None
    to = str(detail.get("from_address") or "")
    if mailbox is None or not mailbox.reply_with_number or not to:
        return
    if str(detail.get("auto_submitted") or "no") != "no":
        return  # RFC 3834: never answer a robot
    if MailReply.objects.filter(letter=letter).exists():
        return
    subject, body = reply_text(letter)
    reply = MailReply.objects.create(
        letter=letter,
        mailbox=mailbox,
        to=to,
        subject=subject,
        body=body,
        in_reply_to=str(detail.get("message_id") or "")[:300],
    )
    OUTBOX.hand_over_on_commit([reply.pk])
