"""Polling one mailbox: every unseen message becomes an item waiting to be booked in.

Nothing is lost on the way. Messages are read with BODY.PEEK, which leaves them unseen; a
message is flagged \\Seen only after the transaction that made its item has committed. If
the worker dies in between, the next poll reads it again and intake, keyed on the
Message-ID, gives back the item already made. A server that is down or refuses the login
is recorded on the mailbox (for the admin) and tried again at the next beat. A message
whose intake failed stays unseen and is tried again; one refused for good (too large,
unreadable) stays unseen too, listed in the admin and skipped by later polls (by UID, within
the folder's UIDVALIDITY) so that it never holds up new mail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import imapclient
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from imapclient.exceptions import IMAPClientError, LoginError

from documents.thai import to_thai_digits

from ..models import Channel
from ..services import letter_intake
from . import conf
from .models import Mailbox, TlsMode
from .parse import MessageError, parse_message

logger = logging.getLogger(__name__)


class MailboxError(Exception):
    """The mailbox could not be read this time; the text is Thai, for the admin."""


@dataclass
class PollResult:
    taken: int = 0  # new items waiting to be booked in
    seen: int = 0  # messages flagged seen (new items, and messages whose item existed)
    problems: list[str] = field(default_factory=list)
    error: str = ""
    skipped: bool = False  # another poll holds the mailbox
    # Messages refused for good, still unseen in the folder (UID → reason), and the folder's
    # UIDVALIDITY they belong to; None when the folder was not read.
    refused: dict[int, str] | None = None
    uidvalidity: int = 0

    def problem_lines(self) -> list[str]:
        """What the admin lists: messages that will be tried again, then those refused."""
        lines = list(self.problems)
        for uid, reason in sorted((self.refused or {}).items()):
            lines.append(f"ข้อความลำดับ {uid}: {reason} ยังคงอยู่ในกล่องจดหมาย (ไม่ได้นำเข้า)")
        return lines


def _claim(mailbox_id: int) -> bool:
    now = timezone.now()
    until = now + dt.timedelta(seconds=conf.poll_lease_seconds())
    return bool(
        Mailbox.objects.filter(pk=mailbox_id, is_active=True)
        .filter(Q(polling_until__isnull=True) | Q(polling_until__lt=now))
        .update(polling_until=until, last_poll_at=now)
    )


def _untrusted(where: str, exc: ssl.SSLCertVerificationError) -> str:
    return (
        f"ใบรับรองความปลอดภัย (certificate) ของเครื่องแม่ข่าย {where} ไม่น่าเชื่อถือ "
        f"({exc.verify_message or exc.reason}) ตรวจสอบชื่อเครื่อง หรือตั้งค่า MAIL_IMAP_CA_FILE"
    )


def connect(mailbox: Mailbox) -> imapclient.IMAPClient:
    """A logged-in client, or MailboxError in Thai."""
    password = os.environ.get(mailbox.password_env, "")
    if not password:
        raise MailboxError(
            f"ยังไม่ได้ตั้งรหัสผ่านของกล่องจดหมาย: ตัวแปรสภาพแวดล้อม {mailbox.password_env} "
            "ไม่มีค่าในเครื่องที่ทำงานเบื้องหลัง (Celery worker)"
        )
    where = f"{mailbox.host}:{to_thai_digits(mailbox.port)}"
    context = ssl.create_default_context(cafile=conf.imap_ca_file())
    try:
        client = imapclient.IMAPClient(
            mailbox.host,
            port=mailbox.port,
            ssl=mailbox.tls == TlsMode.SSL,
            ssl_context=context,
            timeout=conf.imap_timeout(),
        )
    except ssl.SSLCertVerificationError as exc:
        raise MailboxError(_untrusted(where, exc)) from exc
    except ssl.SSLError as exc:
        raise MailboxError(f"เชื่อมต่อแบบเข้ารหัสกับเครื่องแม่ข่าย {where} ไม่สำเร็จ ({exc.reason or exc})") from exc
    except TimeoutError as exc:
        raise MailboxError(f"เครื่องแม่ข่าย {where} ไม่ตอบภายในเวลาที่กำหนด จะลองใหม่ในรอบถัดไป") from exc
    except socket.gaierror as exc:
        raise MailboxError(f"ไม่พบเครื่องแม่ข่ายชื่อ {mailbox.host} (ตรวจสอบชื่อเครื่อง)") from exc
    except OSError as exc:
        raise MailboxError(f"เชื่อมต่อเครื่องแม่ข่าย {where} ไม่ได้ ({exc.strerror or exc}) จะลองใหม่ในรอบถัดไป") from exc
    try:
        if mailbox.tls == TlsMode.STARTTLS:
            client.starttls(context)
        client.login(mailbox.username, password)
    except LoginError as exc:
        _close(client)
        raise MailboxError(
            f"เข้าสู่ระบบกล่องจดหมาย {mailbox.username} ไม่สำเร็จ: ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง "
            f"(ตรวจสอบตัวแปร {mailbox.password_env})"
        ) from exc
    except ssl.SSLCertVerificationError as exc:
        _close(client)
        raise MailboxError(_untrusted(where, exc)) from exc
    except ssl.SSLError as exc:
        _close(client)
        raise MailboxError(f"เชื่อมต่อแบบเข้ารหัส (STARTTLS) กับ {where} ไม่สำเร็จ ({exc.reason or exc})") from exc
    except (IMAPClientError, OSError) as exc:
        _close(client)
        raise MailboxError(f"เครื่องแม่ข่าย {where} ตอบผิดพลาดขณะเข้าสู่ระบบ ({exc})") from exc
    return client


def _close(client: imapclient.IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # the server went away: nothing left to close politely
        with contextlib.suppress(Exception):
            client.shutdown()


def _take(mailbox: Mailbox, client: imapclient.IMAPClient, result: PollResult, intake: Callable[..., Any]) -> None:
    try:
        selected = client.select_folder(mailbox.folder)
    except IMAPClientError as exc:
        raise MailboxError(f"เปิดโฟลเดอร์ {mailbox.folder} ของกล่องจดหมายไม่ได้ ({exc})") from exc
    validity = int(selected.get(b"UIDVALIDITY", 0) or 0)
    unseen = set(client.search(["UNSEEN"]))
    known = mailbox.refused if mailbox.refused.get("uidvalidity") == validity else {}
    # A refused message that someone has since read, moved or deleted is no longer listed.
    refused = {int(uid): reason for uid, reason in known.get("messages", {}).items() if int(uid) in unseen}
    result.refused = refused
    result.uidvalidity = validity
    uids = sorted(unseen - set(refused))[: conf.poll_batch()]
    if not uids:
        return
    sizes = client.fetch(uids, ["RFC822.SIZE"])
    limit = conf.message_max_bytes()
    for uid in uids:
        size = int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0))
        if size > limit:
            refused[uid] = (
                f"ขนาด {to_thai_digits(size // (1024 * 1024))} เมกะไบต์ "
                f"เกิน {to_thai_digits(limit // (1024 * 1024))} เมกะไบต์ที่รับได้"
            )
            continue
        fetched = client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {})
        raw = fetched.get(b"BODY[]")
        if not isinstance(raw, bytes):
            result.problems.append(f"ข้อความลำดับ {uid}: อ่านเนื้อข้อความจากเครื่องแม่ข่ายไม่ได้")
            continue
        try:
            parsed = parse_message(raw)
        except MessageError as exc:
            refused[uid] = str(exc)
            continue
        try:
            # durable: the item is committed here, not in a caller's transaction that could
            # still roll back after the message is flagged seen.
            with transaction.atomic(durable=True):
                _letter, created = intake(
                    unit=mailbox.unit,
                    channel=Channel.EMAIL,
                    source_ref=parsed.source_ref,
                    facts=parsed.facts,
                    files=parsed.files,
                    source_detail={"mailbox": mailbox.pk, "uid": uid, **parsed.detail},
                )
        except ValidationError as exc:  # a refusal of intake, in Thai
            refused[uid] = " ".join(exc.messages)
            continue
        except Exception as exc:  # a bug or a database outage: the message stays unseen for the next poll
            logger.exception("mailbox %s: intake of message %s failed", mailbox.pk, uid)
            result.problems.append(f"ข้อความลำดับ {uid}: นำเข้าไม่สำเร็จ ({type(exc).__name__}) จะลองใหม่ในรอบถัดไป")
            continue
        result.taken += int(created)
        client.add_flags([uid], [imapclient.SEEN])
        result.seen += 1


def poll_mailbox(mailbox_id: int, *, intake: Callable[..., Any] = letter_intake) -> PollResult:
    """Poll one mailbox now (the Celery task's body). `intake` is the service that makes the
    waiting item (letters.services.letter_intake)."""
    result = PollResult()
    if not _claim(mailbox_id):
        result.skipped = True
        return result
    mailbox = Mailbox.objects.select_related("unit").get(pk=mailbox_id)
    client = None
    try:
        client = connect(mailbox)
        _take(mailbox, client, result, intake)
    except MailboxError as exc:
        result.error = str(exc)
    except (IMAPClientError, OSError) as exc:
        result.error = f"การเชื่อมต่อกับเครื่องแม่ข่าย {mailbox.host} ขาดระหว่างอ่านข้อความ ({exc}) จะลองใหม่ในรอบถัดไป"
    finally:
        if client is not None:
            _close(client)
        _record(mailbox, result)
    return result


def _record(mailbox: Mailbox, result: PollResult) -> None:
    now = timezone.now()
    fields: dict[str, Any] = {"polling_until": None, "letters_taken": F("letters_taken") + result.taken}
    if result.error:
        logger.warning("mailbox %s (%s): %s", mailbox.pk, mailbox.address, result.error)
        fields.update(failures=F("failures") + 1, last_error=result.error)
    else:
        fields.update(problems="\n".join(result.problem_lines()), failures=0, last_error="", last_success_at=now)
    if result.refused is not None:
        messages = {str(uid): reason for uid, reason in result.refused.items()}
        fields["refused"] = {"uidvalidity": result.uidvalidity, "messages": messages} if messages else {}
    Mailbox.objects.filter(pk=mailbox.pk).update(**fields)
