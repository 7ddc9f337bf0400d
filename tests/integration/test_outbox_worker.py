"""With a real Celery worker on Redis: the broker is unreachable when the event commits, the
request still succeeds, and once the broker answers the sweep gets exactly one mail out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from notifications import conf
from notifications.models import Notification, Status
from notifications.services import hand_over, notification_enqueue
from notifications.tasks import sweep_outbox
from tests.factories import UserFactory

from .celery_support import CeleryWorker, use_broker

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

    with worker.connected(), time_machine.travel(timezone.now() + conf.FRESH_ROW_GRACE + dt.timedelta(seconds=1)):
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
    skipped = f"notification {row.pk}: nothing to send"
    seen = worker.log().count(skipped)
    with worker.connected():
        assert hand_over([row.pk]) == 1
        assert sweep_outbox() == 0
    worker.wait_for(lambda: worker.log().count(skipped) > seen, what="the duplicate task to run")
    assert len(mails_to(worker, address)) == 1
