"""With a real Celery worker on Redis: the broker is unreachable when the event commits, the
request still succeeds, and once the broker answers the sweep gets exactly one mail out; a
worker killed after the mail server accepted a mail is replaced within a lease, and the
resend carries the same Message-ID."""

from __future__ import annotations

import datetime as dt
import signal
import uuid
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from notifications.models import Notification, Status
from notifications.services import hand_over, notification_enqueue
from notifications.tasks import OUTBOX, sweep_outbox
from tests.factories import UserFactory

from .celery_support import CeleryWorker, database_url, start_worker, use_broker
from .conftest import _forget_queue

SUBJECT = "ผลการพิจารณา (อนุมัติ): เรื่อง ขออนุมัติโครงการฝึกอบรมหลักสูตรนักบริหาร"


def mails_to(worker: CeleryWorker, address: str) -> list[Any]:
    # The worker is shared by the session: other tests' mail lands in the same directory.
    return [m for m in worker.mails() if m["To"] == address]


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_broker_down_at_commit_then_sweep_and_worker_deliver_one_mail(celery_worker_process: CeleryWorker) -> None:
    worker = celery_worker_process
    address = f"drafter-{uuid.uuid4().hex[:8]}@example.go.th"
    drafter = UserFactory(username="drafter", email=address)

    with use_broker("redis://127.0.0.1:1/0"), transaction.atomic():
        [row] = notification_enqueue(
            kind="memo_decided",
            subject=SUBJECT,
            body="ปลัดกรุงเทพมหานคร พิจารณาสั่งการแล้ว\n\n- อนุมัติในข้อ ๑",
            url="/memos/12/",
            dedup_key="memo:12:decided",
            recipients=[drafter],
            channels=["email"],
        )
    # Committed despite the dead broker; nothing reached the worker.
    row.refresh_from_db()
    assert row.status == Status.PENDING
    assert mails_to(worker, address) == []

    with worker.connected(), time_machine.travel(timezone.now() + OUTBOX.fresh_grace + dt.timedelta(seconds=1)):
        assert sweep_outbox() == 1

    worker.wait_for(
        lambda: Notification.objects.filter(pk=row.pk, status=Status.SENT).exists(), what="delivery by the worker"
    )
    [mail] = worker.wait_for(lambda: mails_to(worker, address), what="the mail file")
    # Parsed with policy.default, which decodes RFC 2047 but keeps the folding space.
    assert mail["Subject"].strip() == SUBJECT
    assert "http://127.0.0.1:8000/memos/12/" in mail.get_content()

    # The same task handed over again (a duplicate message, a second sweep): the worker runs
    # it and sends nothing. (Ids restart after the flush, so count this test's log lines.)
    skipped = f"notification {row.pk}: nothing to do"
    seen = worker.log().count(skipped)
    with worker.connected():
        assert hand_over([row.pk]) == 1
        assert sweep_outbox() == 0
    worker.wait_for(lambda: worker.log().count(skipped) > seen, what="the duplicate task to run")
    assert len(mails_to(worker, address)) == 1


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_after_the_server_accepted_the_mail_resends_it_with_the_same_message_id(
    celery_worker_process: CeleryWorker, tmp_path: Path
) -> None:
    address = f"clerk-{uuid.uuid4().hex[:8]}@example.go.th"
    clerk = UserFactory(username="clerk", email=address)
    doomed = start_worker(
        base_dir=settings.BASE_DIR,
        database_url=database_url(connection.settings_dict),
        broker_url=celery_worker_process.broker_url,
        queue=f"test-doomed-{uuid.uuid4().hex[:8]}",
        var_dir=tmp_path / "var",
        extra_env={"SITE_URL": settings.SITE_URL, "EMAIL_BACKEND": "tests.outbox.mail_backends.AcceptThenHang"},
    )
    try:
        with doomed.connected(), transaction.atomic():
            [row] = notification_enqueue(
                kind="task_assigned",
                subject="มีบันทึกข้อความเสนอท่านพิจารณา",
                body="-",
                dedup_key="task:9:assigned",
                recipients=[clerk],
                channels=["email"],
            )
        [accepted] = doomed.wait_for(doomed.mails, what="the mail server to accept the mail")
        claimed = Notification.objects.get(pk=row.pk)
        assert (claimed.status, claimed.attempts) == (Status.SENDING, 1)
        # The claim is a short lease, not a ten-minute hold.
        assert claimed.next_attempt_at <= timezone.now() + OUTBOX.lease()
        doomed.process.send_signal(signal.SIGKILL)
        doomed.process.wait(timeout=10)
    finally:
        doomed.stop()
        _forget_queue(doomed.queue)

    # The lease runs out (a minute, here moved back rather than waited for); the next sweep
    # takes the row back and the surviving worker sends it again.
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=F("next_attempt_at") - OUTBOX.lease())
    with celery_worker_process.connected():
        assert sweep_outbox() == 1
    celery_worker_process.wait_for(
        lambda: Notification.objects.filter(pk=row.pk, status=Status.SENT, attempts=2).exists(),
        what="the resend by the surviving worker",
    )
    [resent] = celery_worker_process.wait_for(lambda: mails_to(celery_worker_process, address), what="the mail file")
    assert resent["Message-ID"] == accepted["Message-ID"]
