"""Celery tasks of the e-mail source: beat polls every active mailbox (one task each, so a
slow server holds up no other), and the outbox of replies that tell a sender its เลขรับ."""

from __future__ import annotations

import logging
from email.utils import parseaddr
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from notifications.tasks import is_permanent  # a 5xx is final: the same rule as notifications' mail
from outbox import Lease, Outbox

from . import conf
from .models import Mailbox, MailReply, ReplyStatus
from .poll import poll_mailbox

logger = logging.getLogger(__name__)

OUTBOX = Outbox(
    model=MailReply,
    task="letters.mail.tasks.deliver_reply",
    noun="mail reply",
    working=ReplyStatus.SENDING,
    done=ReplyStatus.SENT,
    retry_delays_setting="MAIL_REPLY_RETRY_DELAYS",
    default_retry_delays=conf.DEFAULT_REPLY_RETRY_DELAYS,
    lease_setting="MAIL_REPLY_SENDING_LEASE_SECONDS",
    default_lease_seconds=lambda: max(60, 4 * int(getattr(settings, "EMAIL_TIMEOUT", 0) or 0)),
    stuck_error="เครื่องส่ง (worker) หยุดทำงานระหว่างส่ง ไม่ทราบว่าส่งถึงหรือไม่",
)


@shared_task(name="letters.mail.tasks.poll_mailboxes", ignore_result=True)
def poll_mailboxes() -> int:
    """Run by beat: one poll task per active mailbox; returns how many were published. A
    broker outage publishes nothing, and the next beat tries again."""
    published = 0
    for mailbox_id in Mailbox.objects.filter(is_active=True).values_list("pk", flat=True):
        try:
            poll_mailbox_task.apply_async((mailbox_id,))
        except Exception:  # kombu/redis raise different types for "broker unreachable"
            logger.warning("Celery broker unreachable: mailbox polls wait for the next beat", exc_info=True)
            break
        published += 1
    return published


@shared_task(name="letters.mail.tasks.poll_mailbox", ignore_result=True)
def poll_mailbox_task(mailbox_id: int) -> dict[str, Any]:
    result = poll_mailbox(mailbox_id)
    return {"taken": result.taken, "seen": result.seen, "error": result.error, "skipped": result.skipped}


def build_reply(reply: MailReply) -> EmailMessage:
    sender = reply.mailbox.address or settings.DEFAULT_FROM_EMAIL
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    headers = {
        # Stable per row: a resend after a worker died carries the same Message-ID.
        "Message-ID": f"<mailreply.{reply.pk}.{int(reply.created_at.timestamp())}@{domain}>",
        # RFC 3834: an automatic answer, which other robots must not answer.
        "Auto-Submitted": "auto-replied",
    }
    if reply.in_reply_to:
        headers["In-Reply-To"] = reply.in_reply_to
        headers["References"] = reply.in_reply_to
    return EmailMessage(subject=reply.subject, body=reply.body, from_email=sender, to=[reply.to], headers=headers)


def send_reply(reply: MailReply, lease: Lease[MailReply], *, connection: Any) -> dict[str, Any]:
    message = build_reply(reply)
    connection.open()
    lease.renew()
    connection.send_messages([message])
    logger.info("mail reply %s sent to %s", reply.pk, reply.to)
    return {"sent_at": timezone.now()}


@shared_task(name="letters.mail.tasks.deliver_reply", ignore_result=True)
def deliver_reply(reply_id: int) -> str:
    connection = get_connection(fail_silently=False)
    try:
        return OUTBOX.run(
            reply_id, lambda row, lease: send_reply(row, lease, connection=connection), permanent=is_permanent
        )
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("mail reply %s: closing the mail connection failed", reply_id, exc_info=True)


@shared_task(name="letters.mail.tasks.sweep_replies", ignore_result=True)
def sweep_replies() -> int:
    return OUTBOX.sweep()


__all__ = ["OUTBOX", "deliver_reply", "poll_mailbox_task", "poll_mailboxes", "sweep_replies"]
