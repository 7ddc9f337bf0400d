"""Celery tasks of the outbox. Each takes ids, claims its row with a conditional UPDATE and
is safe to run twice or concurrently: only the run whose UPDATE matched sends."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from email.utils import parseaddr

from celery import shared_task
from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import conf, reminders
from .models import Channel, Notification, Status
from .services import publish_each

logger = logging.getLogger(__name__)

# One sweep hands over at most this many rows; the next sweep takes the rest, so a large
# backlog never turns into one huge query or one long burst of publishing.
SWEEP_BATCH = 1000

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


def _is_permanent(exc: Exception) -> bool:
    """A 5xx reply is the server saying the same mail will never be accepted; retrying it
    for hours would only hide the problem from the administrators."""
    if isinstance(exc, BadHeaderError):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


@shared_task(name="notifications.tasks.deliver", ignore_result=True)
def deliver(notification_id: int) -> str:
    """Send one e-mail notification if it is due; returns what happened, for the worker log."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, channel=Channel.EMAIL, status=Status.PENDING, next_attempt_at__lte=now
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + conf.sending_lease())
    if not claimed:
        # Already sent, being sent by another worker, not yet due, or gone. Logged with the
        # id so a duplicate hand-off can be traced in the worker log.
        logger.info("notification %s: nothing to send (sent, being sent, not due or gone)", notification_id)
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    # The attempt number fences the final write: if this worker stalled past its lease and
    # the row was taken back, its late result must not overwrite the newer attempt's.
    attempt = notification.attempts
    mine = Notification.objects.filter(pk=notification_id, status=Status.SENDING, attempts=attempt)
    try:
        build_message(notification).send(fail_silently=False)
    except Exception as exc:  # SMTP replies, refused or dropped connections, timeouts, bad headers
        delays = conf.retry_delays()
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if _is_permanent(exc) or attempt > len(delays):
            mine.update(status=Status.FAILED, last_error=error, next_attempt_at=timezone.now())
            logger.error("notification %s failed for good after %d attempt(s): %s", notification_id, attempt, error)
            return "failed"
        retry_at = timezone.now() + dt.timedelta(seconds=delays[attempt - 1])
        mine.update(status=Status.PENDING, last_error=error, next_attempt_at=retry_at)
        logger.warning(
            "notification %s attempt %d failed, retrying at %s: %s", notification_id, attempt, retry_at, error
        )
        return "retry"
    mine.update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    logger.info("notification %s sent to %s", notification_id, notification.email)
    return "sent"


def recover_stuck(now: dt.datetime | None = None) -> int:
    """Take back rows whose worker died mid-send (lease expired while still 'sending')."""
    now = now or timezone.now()
    stuck = Notification.objects.filter(channel=Channel.EMAIL, status=Status.SENDING, next_attempt_at__lte=now)
    error = "เครื่องส่ง (worker) หยุดทำงานระหว่างส่ง ไม่ทราบว่าส่งถึงหรือไม่"
    last_attempt = len(conf.retry_delays()) + 1
    failed = stuck.filter(attempts__gte=last_attempt).update(status=Status.FAILED, last_error=error)
    requeued = stuck.filter(attempts__lt=last_attempt).update(
        status=Status.PENDING, last_error=error, next_attempt_at=now
    )
    if failed or requeued:
        logger.warning("outbox: took back %d stuck notification(s), %d of them now failed", failed + requeued, failed)
    return failed + requeued


@shared_task(name="notifications.tasks.fan_out", ignore_result=True)
def fan_out(notification_ids: list[int]) -> int:
    """Publish one `deliver` per row of a large batch, off the request that created them.
    If this message is lost, the rows are still pending and the sweep hands them over."""
    return publish_each(notification_ids)


@shared_task(name="notifications.tasks.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Hand every due e-mail row to `deliver`; returns how many were handed over.

    Run by beat every minute. Covers rows whose hand-off at commit failed (broker down),
    retries whose delay has passed, and rows taken back from dead workers. Handing a row
    over twice is harmless: `deliver` claims before sending.
    """
    now = timezone.now()
    recover_stuck(now)
    due = list(
        Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(attempts__gt=0) | Q(next_attempt_at__lte=now - conf.FRESH_ROW_GRACE))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    # Already in a worker: publish the per-row tasks directly rather than through fan_out.
    return publish_each(due) if due else 0


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
