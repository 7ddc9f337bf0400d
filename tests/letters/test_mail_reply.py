"""The sender of an e-mailed letter is told its เลขรับ once the clerk books it in: a Thai
reply through the outbox, to a real SMTP server on loopback (aiosmtpd), threaded under the
sender's message (In-Reply-To)."""

from __future__ import annotations

from collections.abc import Iterator
from email.header import decode_header, make_header
from typing import Any

import pytest

from directory.models import Unit
from documents.thai import to_thai_digits
from letters.mail.models import Mailbox, MailReply, ReplyStatus, TlsMode
from letters.mail.poll import poll_mailbox
from letters.mail.tasks import deliver_reply
from letters.models import IncomingLetter
from letters.services import LetterFacts, letter_book_in
from tests.smtp import SmtpInbox, smtp_running, use_local_smtp

from .imap_server import PASSWORD_ENV, PDF, ImapServer, free_port, imap_server, letter_mail, mailbox_password

__all__ = ["imap_server", "mailbox_password"]  # fixtures

pytestmark = pytest.mark.django_db

SUBJECT = "ขอเชิญประชุม ที่ นร ๑๐๐๘/ว ๑๒ ลงวันที่ ๒๐ พฤศจิกายน ๒๕๖๙"


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpInbox]:
    port = free_port()
    use_local_smtp(settings, port)
    with smtp_running(SmtpInbox(), port) as inbox:
        yield inbox


def _mailbox(server: ImapServer, *, reply: bool) -> Mailbox:
    return Mailbox.objects.create(
        unit=Unit.objects.get(key="ops-secretariat"),
        address="saraban@ops.bangkok.go.th",
        host="127.0.0.1",
        port=server.port,
        tls=TlsMode.NONE,
        username=server.user,
        password_env=PASSWORD_ENV,
        reply_with_number=reply,
    )


def _taken(server: ImapServer, mailbox: Mailbox, **mail: Any) -> IncomingLetter:
    server.append(
        letter_mail(
            message_id="<l1@ocsc.go.th>",
            subject=SUBJECT,
            attachments=(("หนังสือเชิญ.pdf", PDF, "application/pdf"),),
            **mail,
        )
    )
    assert poll_mailbox(mailbox.pk).taken == 1
    return IncomingLetter.objects.get()


def _book(item: IncomingLetter, clerk: Any) -> IncomingLetter:
    facts = LetterFacts(
        sender_name=item.sender_name,
        their_number=item.their_number,
        their_date=item.their_date,
        subject="ขอเชิญประชุมคณะทำงาน",
    )
    return letter_book_in(user=clerk, unit=item.unit, facts=facts, letter=item)


def test_the_sender_is_told_the_receive_number_by_reply(
    imap_server: ImapServer, mailbox_password: str, smtp_server: SmtpInbox, roles: Any
) -> None:
    mailbox = _mailbox(imap_server, reply=True)
    letter = _book(_taken(imap_server, mailbox), roles.ops_clerk)
    reply = MailReply.objects.get(letter=letter)
    assert reply.status == ReplyStatus.PENDING

    assert deliver_reply(reply.pk) == ReplyStatus.SENT
    assert deliver_reply(reply.pk) == "skipped"  # a second hand-off sends nothing

    [sent] = smtp_server.received
    number = f"{to_thai_digits(letter.receive_number)}/{to_thai_digits(letter.year)}"
    assert sent["To"] == "saraban@ocsc.go.th"
    assert sent["From"] == "saraban@ops.bangkok.go.th"
    assert sent["In-Reply-To"] == "<l1@ocsc.go.th>"
    assert sent["Auto-Submitted"] == "auto-replied"
    assert (
        str(make_header(decode_header(sent["Subject"]))).strip() == f"ได้รับหนังสือแล้ว เลขรับ {number}: ขอเชิญประชุมคณะทำงาน"
    )
    body = sent.get_content()
    assert body.startswith("เรียน สำนักงาน ก.พ.")
    assert (
        f"หนังสือของท่าน ที่ นร ๑๐๐๘/ว ๑๒ ลงวันที่ ๒๐ พฤศจิกายน ๒๕๖๙ เรื่อง ขอเชิญประชุมคณะทำงาน ได้รับแล้ว เลขรับ {number} ลงวันที่ "
        in body
    )
    assert letter.unit.name in body
    reply.refresh_from_db()
    assert reply.sent_at is not None


def test_no_reply_when_the_unit_does_not_wish_it(imap_server: ImapServer, mailbox_password: str, roles: Any) -> None:
    mailbox = _mailbox(imap_server, reply=False)
    _book(_taken(imap_server, mailbox), roles.ops_clerk)
    assert not MailReply.objects.exists()


def test_no_reply_to_an_automatic_message(imap_server: ImapServer, mailbox_password: str, roles: Any) -> None:
    mailbox = _mailbox(imap_server, reply=True)
    # RFC 3834: a robot's message is never answered by a robot.
    _book(_taken(imap_server, mailbox, headers=(("Auto-Submitted", "auto-generated"),)), roles.ops_clerk)
    assert not MailReply.objects.exists()


def test_a_mail_server_that_refuses_is_retried_and_the_reply_goes_once(
    imap_server: ImapServer, mailbox_password: str, smtp_server: SmtpInbox, roles: Any
) -> None:
    mailbox = _mailbox(imap_server, reply=True)
    reply = MailReply.objects.get(letter=_book(_taken(imap_server, mailbox), roles.ops_clerk))
    smtp_server.reply = "451 4.3.0 Mailbox temporarily unavailable"

    assert deliver_reply(reply.pk) == "retry"

    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING and "451" in reply.last_error
    smtp_server.reply = None
    MailReply.objects.filter(pk=reply.pk).update(next_attempt_at=reply.created_at)  # the retry is due

    assert deliver_reply(reply.pk) == ReplyStatus.SENT
    assert len(smtp_server.received) == 1
