"""Delivery through a real SMTP server on loopback (aiosmtpd): retries with growing delays
while it refuses, the Thai mail once it accepts, and failure shown to administrators."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Iterator
from email.header import decode_header, make_header
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from notifications.models import Notification, Status
from notifications.services import notification_enqueue
from notifications.tasks import deliver, sweep_outbox
from tests.smtp import SmtpInbox, free_port, smtp_running, use_local_smtp

SUBJECT = "ผลการพิจารณา (อนุมัติ): ที่ กท ๐๔๐๑/๕๑ เรื่อง ขออนุมัติโครงการฝึกอบรม"
BODY = "ปลัดกรุงเทพมหานคร พิจารณาสั่งการแล้ว\n\n- อนุมัติในข้อ ๑\n- สั่งการในข้อ ๒ - ๓"


def decoded_subject(raw: bytes) -> str:
    # The RFC 2047 decoding a mail client does. (policy.default would keep the folding
    # space Django puts before a long encoded subject.)
    return str(make_header(decode_header(email.message_from_bytes(raw)["Subject"])))


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpInbox]:
    """A server that refuses for now (451) until the test says otherwise."""
    port = free_port()
    use_local_smtp(settings, port)
    with smtp_running(SmtpInbox(reply="451 4.3.0 Mailbox temporarily unavailable, try again later"), port) as inbox:
        yield inbox


def decided(make_user: Any) -> Notification:
    [row] = notification_enqueue(
        kind="memo_decided",
        subject=SUBJECT,
        body=BODY,
        url="/memos/12/",
        dedup_key="memo:12:decided",
        recipients=[make_user("drafter")],
        channels=["email"],
    )
    return row


@pytest.mark.django_db
def test_smtp_refusing_is_retried_with_growing_delays_then_delivered_once(
    smtp_server: SmtpInbox, make_user: Any, settings: Any
) -> None:
    settings.NOTIFICATION_RETRY_DELAYS = [60, 300, 900]
    row = decided(make_user)
    start = timezone.now()

    with time_machine.travel(start, tick=False) as clock:
        assert deliver(row.pk) == "retry"
        row.refresh_from_db()
        assert (row.status, row.attempts) == (Status.PENDING, 1)
        assert row.next_attempt_at == start + dt.timedelta(seconds=60)
        assert "451" in row.last_error

        # Not due yet: a duplicate task or an early sweep does not knock on the server again.
        assert deliver(row.pk) == "skipped"
        assert sweep_outbox() == 0
        assert smtp_server.attempts == 1

        clock.shift(60)
        assert deliver(row.pk) == "retry"
        row.refresh_from_db()
        assert row.attempts == 2
        assert row.next_attempt_at == start + dt.timedelta(seconds=60 + 300)  # the delay grew

        smtp_server.reply = None  # the server accepts again
        clock.shift(300)
        assert sweep_outbox() == 1  # the sweep is what brings a retry back to a worker
        assert deliver(row.pk) == "sent"
        assert deliver(row.pk) == "skipped"

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 3, "")
    assert smtp_server.attempts == 3
    [mail] = smtp_server.received
    assert decoded_subject(smtp_server.raw[0]) == SUBJECT
    assert mail["To"] == "drafter@example.go.th"
    assert mail["Auto-Submitted"] == "auto-generated"
    text = mail.get_content()
    assert "อนุมัติในข้อ ๑" in text
    assert "http://127.0.0.1:8000/memos/12/" in text


@pytest.mark.django_db
def test_the_row_is_marked_sent_before_the_goodbye_to_the_mail_server(
    smtp_server: SmtpInbox, make_user: Any, settings: Any
) -> None:
    # A worker killed after the server took the mail but before the row says so sends it
    # again later; the goodbye (QUIT) must not widen that gap.
    from tests.outbox.mail_backends import RecordStateAtGoodbye

    settings.EMAIL_BACKEND = "tests.outbox.mail_backends.RecordStateAtGoodbye"
    RecordStateAtGoodbye.sending_at_goodbye = []
    smtp_server.reply = None
    row = decided(make_user)
    assert deliver(row.pk) == "sent"
    assert len(smtp_server.received) == 1
    assert RecordStateAtGoodbye.sending_at_goodbye == [0]


@pytest.mark.django_db
def test_permanent_refusal_fails_at_once(smtp_server: SmtpInbox, make_user: Any) -> None:
    smtp_server.reply = "550 5.1.1 No such user"
    row = decided(make_user)
    assert deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.status == Status.FAILED and "550" in row.last_error
    assert smtp_server.attempts == 1


@pytest.mark.django_db
def test_failed_after_last_retry_is_shown_to_administrators_and_can_be_resent(
    make_user: Any, settings: Any, admin_client: Any, memory_broker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NOTIFICATION_RETRY_DELAYS = [1, 2]
    # Nothing listens here: the mail server is down for the whole schedule.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    row = decided(make_user)
    other = notification_enqueue(
        kind="task_assigned", subject="งานอื่นที่ส่งสำเร็จ", body="-", dedup_key="other", emails=["x@example.go.th"]
    )[0]
    Notification.objects.filter(pk=other.pk).update(status=Status.SENT)

    with time_machine.travel(timezone.now(), tick=False) as clock:
        results = []
        for delay in (1, 2, 0):
            results.append(deliver(row.pk))
            clock.shift(delay)
        assert results == ["retry", "retry", "failed"]
        clock.shift(3600)
        assert sweep_outbox() == 0  # failed is final until someone decides otherwise
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert "Connection refused" in row.last_error or "111" in row.last_error

    page = admin_client.get("/admin/notifications/notification/?status__exact=failed")
    assert page.status_code == 200
    html = page.content.decode()
    assert SUBJECT in html and "ส่งไม่สำเร็จ" in html
    assert "งานอื่นที่ส่งสำเร็จ" not in html  # the filter isolates the failures
    assert "ส่งใหม่" in html
    assert admin_client.get("/admin/notifications/notification/add/").status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/notifications/notification/?status__exact=failed",
            {"action": "resend", "_selected_action": [row.pk]},
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 0)
    assert memory_broker.take() == [("notifications.tasks.deliver", (row.pk,))]
