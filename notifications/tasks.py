"""Celery tasks of the notification outbox, through the outbox engine (claim, retries, lease,
sweep: outbox/engine.py). What is this app's own: the Thai mail, with a Message-ID stable per
row, and which SMTP replies are final."""

from __future__ import annotations

import logging
import smtplib
from email.utils import parseaddr
from functools import partial
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outbox import Lease, Outbox

from . import conf, reminders
from .models import Channel, Notification, Status

logger = logging.getLogger(__name__)

OUTBOX = Outbox(
    model=Notification,
    task="notifications.tasks.deliver",
    fan_out_task="notifications.tasks.fan_out",
    noun="notification",
    working=Status.SENDING,
    done=Status.SENT,
    retry_delays_setting="NOTIFICATION_RETRY_DELAYS",
    default_retry_delays=conf.DEFAULT_RETRY_DELAYS,
    # Renewed once the mail server has answered, so it covers the rest of one SMTP
    # conversation: a few socket waits, each bounded by EMAIL_TIMEOUT.
    lease_setting="NOTIFICATION_SENDING_LEASE_SECONDS",
    default_lease_seconds=lambda: max(60, 4 * int(getattr(settings, "EMAIL_TIMEOUT", 0) or 0)),
    # In-app rows are delivered by existing.
    scope=Q(channel=Channel.EMAIL),
    stuck_error="เครื่องส่ง (worker) หยุดทำงานระหว่างส่ง ไม่ทราบว่าส่งถึงหรือไม่",
    fresh_grace=conf.FRESH_ROW_GRACE,
    sweep_batch=1000,
    # Above 20 rows the request publishes one message per 500 and a worker publishes the
    # per-row tasks: a directive to 1,000 units must not spend its request talking to the
    # broker 2,000 times (about 1 ms each).
    fan_out_above=20,
    fan_out_chunk=500,
)

MAIL_FOOTER = "ข้อความนี้ส่งโดยอัตโนมัติจากระบบสารบรรณอิเล็กทรอนิกส์ กรุณาอย่าตอบกลับอีเมลนี้"


def absolute_url(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}/{url.lstrip('/')}"


def build_message(notification: Notification) -> EmailMessage:
    lines = [notification.body.rstrip()]
    link = absolute_url(notification.url)
    if link:
        lines.append(f"เปิดดูรายการ: {link}")
    lines.append(f"--\n{MAIL_FOOTER}")
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return EmailMessage(
        subject=notification.subject,
        body="\n\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email],
        headers={
            # Stable per row: if a worker dies after the server accepted the mail, the
            # resend carries the same Message-ID, which mail clients collapse.
            "Message-ID": f"<notification.{notification.pk}.{int(notification.created_at.timestamp())}@{domain}>",
            # RFC 3834: keeps out-of-office robots from answering a robot.
            "Auto-Submitted": "auto-generated",
        },
    )


def is_permanent(exc: Exception) -> bool:
    """A 5xx reply is the server saying the same mail will never be accepted; retrying it
    for hours would only hide the problem from the administrators."""
    if isinstance(exc, BadHeaderError):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def send_mail(notification: Notification, lease: Lease[Notification], *, connection: Any) -> dict[str, Any]:
    """Hand the mail to the server over `connection`, which the caller closes (QUIT) only
    after the row is marked sent."""
    message = build_message(notification)
    connection.open()
    # Connecting (DNS, TLS, login) may have taken a while: hold the row for the rest of
    # the conversation, or stop here if it was taken back, before the mail leaves.
    lease.renew()
    connection.send_messages([message])  # an open connection stays open
    logger.info("notification %s sent to %s", notification.pk, notification.email)
    return {"sent_at": timezone.now()}


@shared_task(name="notifications.tasks.deliver", ignore_result=True)
def deliver(notification_id: int) -> str:
    """Send one e-mail notification if it is due: "sent", "skipped", "retry", "failed" or "lost".

    Once the server has accepted the mail, the only thing between it and the row marked sent
    is that UPDATE: the goodbye (QUIT, closing TLS) comes after. A worker killed in that gap
    leaves the row "sending", and the mail goes out again after the lease with the same
    Message-ID; with the goodbye inside the gap, the fault trial (bench/b7_fault.py) saw that
    happen in most kills.
    """
    connection = get_connection(fail_silently=False)
    try:
        return OUTBOX.run(notification_id, partial(send_mail, connection=connection), permanent=is_permanent)
    finally:
        try:
            connection.close()
        except Exception:  # the mail is already recorded; a failed goodbye changes nothing
            logger.warning("notification %s: closing the mail connection failed", notification_id, exc_info=True)


@shared_task(name="notifications.tasks.fan_out", ignore_result=True)
def fan_out(notification_ids: list[int]) -> int:
    """Publish one `deliver` per row of a large batch, off the request that created them.
    If this message is lost, the rows are still pending and the sweep hands them over."""
    return OUTBOX.publish_each(notification_ids)


@shared_task(name="notifications.tasks.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Run by beat every minute: take back rows of dead workers, hand over due e-mail rows."""
    return OUTBOX.sweep()


@shared_task(name="notifications.tasks.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Run every registered reminder provider; returns how many of them failed.

    Each provider runs in its own transaction, so its notifications are handed to Celery
    when it commits, and one broken provider neither rolls back nor blocks the others.
    """
    failures = 0
    for provider in reminders.providers():
        try:
            with transaction.atomic():
                provider()
        except Exception:  # a bug in one app's reminders must not silence the others
            failures += 1
            logger.exception("reminder provider %s.%s failed", provider.__module__, provider.__qualname__)
    return failures
