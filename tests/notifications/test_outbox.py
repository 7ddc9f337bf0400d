"""The outbox: rows commit with their event, are handed to Celery after commit, are never
sent twice, and are not lost when the broker is down at commit time."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Channel, Notification, Status
from notifications.services import notification_enqueue
from notifications.tasks import OUTBOX, deliver, fan_out, sweep_outbox
from tests.integration.celery_support import use_broker

CLOSED_BROKER = "redis://127.0.0.1:1/0"

SUBJECT = "มีบันทึกข้อความเสนอท่านพิจารณา: เรื่อง ขออนุมัติโครงการฝึกอบรม"
BODY = "มีบันทึกข้อความเสนอท่านพิจารณา ในฐานะรองปลัดกรุงเทพมหานคร\n\nจาก สถาบันพัฒนาข้าราชการกรุงเทพมหานคร"


def enqueue(dedup_key: str = "task:1:assigned", **kwargs: Any) -> list[Notification]:
    kwargs.setdefault("kind", "task_assigned")
    kwargs.setdefault("subject", SUBJECT)
    kwargs.setdefault("body", BODY)
    kwargs.setdefault("url", "/workflow/memo/1/review/7/")
    return notification_enqueue(dedup_key=dedup_key, **kwargs)


@pytest.mark.django_db
def test_enqueue_hands_email_to_celery_only_after_commit(
    make_user: Any, memory_broker: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    deputy = make_user("deputy")
    memo_owner = get_user_model().objects.get(pk=deputy.pk)  # anything with a pk works as `about`

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        rows = enqueue(recipients=[deputy], about=memo_owner)
        # Before commit nothing is queued: a worker could not see the row yet.
        assert memory_broker.take() == []

    email_row = next(r for r in rows if r.channel == Channel.EMAIL)
    inapp_row = next(r for r in rows if r.channel == Channel.INAPP)
    assert len(callbacks) == 1
    assert email_row.status == Status.PENDING
    assert (inapp_row.status, inapp_row.read_at) == (Status.SENT, None)  # in the inbox = delivered
    assert inapp_row.about == memo_owner

    callbacks[0]()
    queued = memory_broker.take()
    assert queued == [("notifications.tasks.deliver", (email_row.pk,))]

    assert deliver(*queued[0][1]) == "sent"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["deputy@example.go.th"]
    assert mail.subject == SUBJECT
    assert "http://127.0.0.1:8000/workflow/memo/1/review/7/" in mail.body
    email_row.refresh_from_db()
    assert email_row.status == Status.SENT and email_row.attempts == 1 and email_row.sent_at is not None


@pytest.mark.django_db
def test_rolled_back_event_leaves_no_notification(make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    deputy = make_user("deputy")
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        enqueue(recipients=[deputy])
        raise RuntimeError("the decision failed to save")
    assert callbacks == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_same_event_twice_notifies_each_person_once(make_user: Any) -> None:
    clerk, director = make_user("clerk"), make_user("director")
    first = enqueue("directive:5:arrived:district-01", recipients=[clerk], emails=["saraban.district01@bangkok.go.th"])
    assert len(first) == 3  # clerk e-mail + clerk in-app + the unit's mailbox

    # A double click, a retried request, a second code path: nothing new for those already told,
    # only the newcomer gets rows.
    again = enqueue(
        "directive:5:arrived:district-01",
        recipients=[clerk, director],
        emails=["Saraban.District01@bangkok.go.th"],
    )
    assert {(r.recipient, r.channel) for r in again} == {(director, Channel.EMAIL), (director, Channel.INAPP)}
    assert Notification.objects.count() == 5
    assert enqueue("directive:5:arrived:district-01", recipients=[clerk, director]) == []

    # The number of queries does not grow with the number of recipients.
    one, many = make_user(), [make_user() for _ in range(30)]
    with CaptureQueriesContext(connection) as for_one:
        enqueue("directive:6:arrived", recipients=[one], emails=["unit@bangkok.go.th"])
    with CaptureQueriesContext(connection) as for_many:
        enqueue("directive:7:arrived", recipients=many, emails=[f"unit{i}@bangkok.go.th" for i in range(30)])
    inserts = [q for q in for_many.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    # One INSERT on PostgreSQL; SQLite's limit on bound parameters splits 90 rows in two.
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 2)
    assert len(for_many) - len(inserts) == len(for_one) - 1 == 2  # read what exists, read back ids
    assert Notification.objects.filter(dedup_key="directive:7:arrived").count() == 90


@pytest.mark.django_db
def test_mailbox_that_is_also_a_recipients_address_gets_one_mail(make_user: Any) -> None:
    clerk = make_user("clerk", email="saraban@district01.go.th")
    rows = enqueue(recipients=[clerk], emails=["SARABAN@district01.go.th"], channels=["email"])
    assert [(r.recipient, r.email) for r in rows] == [(clerk, "saraban@district01.go.th")]


@pytest.mark.django_db
def test_user_without_address_is_told_in_app_only(make_user: Any) -> None:
    clerk = make_user("clerk", email="")
    rows = enqueue(recipients=[clerk])
    assert [r.channel for r in rows] == [Channel.INAPP]


@pytest.mark.django_db
def test_delivery_run_twice_sends_one_mail(make_user: Any, mailoutbox: list[Any]) -> None:
    [row] = enqueue(recipients=[make_user()], channels=["email"])
    assert deliver(row.pk) == "sent"
    assert deliver(row.pk) == "skipped"
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_broker_down_at_commit_request_succeeds_and_sweep_delivers_later(
    make_user: Any,
    memory_broker: Any,
    mailoutbox: list[Any],
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    recipients = [make_user() for _ in range(3)]
    caplog.set_level(logging.WARNING, logger="outbox")

    with use_broker(CLOSED_BROKER):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            rows = enqueue(recipients=recipients, channels=["email"])
        elapsed = time.monotonic() - started

    # The committing request neither failed nor hung on the dead broker (one attempt for
    # all three rows, not three).
    assert elapsed < 2.0, elapsed
    assert "left pending for the outbox sweep" in caplog.text
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.PENDING}
    assert memory_broker.take() == []

    # The broker is back. A sweep within the grace period leaves fresh rows to their own
    # hand-off; once that has had its chance, the sweep hands them over.
    assert sweep_outbox() == 0
    with time_machine.travel(timezone.now() + OUTBOX.fresh_grace + dt.timedelta(seconds=1)):
        assert sweep_outbox() == 3
        assert memory_broker.run_queued() == ["sent", "sent", "sent"]
        # A second sweep (beat runs every minute) finds nothing left and sends nothing.
        assert sweep_outbox() == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in recipients)
    assert {r.pk for r in rows} == set(Notification.objects.filter(status=Status.SENT).values_list("pk", flat=True))


@pytest.mark.django_db
def test_row_of_a_worker_that_died_while_sending_is_taken_back(
    make_user: Any, memory_broker: Any, mailoutbox: list[Any], settings: Any
) -> None:
    settings.NOTIFICATION_RETRY_DELAYS = [60]
    a, b = enqueue(recipients=[make_user(), make_user()], channels=["email"])
    start = timezone.now()
    # Both claimed by a worker that then died: a on its first attempt, b on its last.
    Notification.objects.filter(pk=a.pk).update(
        status=Status.SENDING, attempts=1, next_attempt_at=start + OUTBOX.lease()
    )
    Notification.objects.filter(pk=b.pk).update(
        status=Status.SENDING, attempts=2, next_attempt_at=start + OUTBOX.lease()
    )

    assert sweep_outbox() == 0  # still within the lease: the worker may be alive
    with time_machine.travel(start + OUTBOX.lease() + dt.timedelta(seconds=1)):
        assert sweep_outbox() == 1
        assert memory_broker.run_queued() == ["sent"]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.attempts) == (Status.SENT, 2)
    assert b.status == Status.FAILED and "หยุดทำงาน" in b.last_error
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_deliver_ignores_in_app_rows_and_unknown_ids(make_user: Any, mailoutbox: list[Any]) -> None:
    [row] = enqueue(recipients=[make_user()], channels=["inapp"])
    assert deliver(row.pk) == "skipped"
    assert deliver(10_000_000) == "skipped"
    assert mailoutbox == []


@pytest.mark.django_db
def test_large_batch_is_fanned_out_by_a_worker_not_the_request(
    memory_broker: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    units = [f"saraban.district{i:02d}@bangkok.go.th" for i in range(1, 51)]  # all 50 district offices
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        rows = enqueue("directive:51:arrived", kind="directive_arrived", emails=units)

    # The request published one message for the whole batch...
    [(name, (ids,))] = memory_broker.take()
    assert name == "notifications.tasks.fan_out" and sorted(ids) == sorted(r.pk for r in rows)
    # ...and a worker running it publishes one delivery per unit, which many workers share.
    assert fan_out(ids) == 50
    assert memory_broker.run_queued() == ["sent"] * 50
    assert sorted(m.to[0] for m in mailoutbox) == units


class AcceptThenCrash(LocmemBackend):
    """The mail server accepts the message, then the worker process dies (kill -9, power
    loss) before it can record the delivery."""

    def send_messages(self, messages: Any) -> int:
        super().send_messages(messages)
        raise SystemExit("worker killed")


@pytest.mark.django_db
def test_resend_after_a_crash_comes_within_two_minutes_with_the_same_message_id(
    make_user: Any, memory_broker: Any, mailoutbox: list[Any], settings: Any
) -> None:
    [row] = enqueue(recipients=[make_user("deputy")], channels=["email"])
    settings.EMAIL_BACKEND = f"{__name__}.AcceptThenCrash"
    with pytest.raises(SystemExit):
        deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENDING, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    # Beat sweeps every minute: the row is back once the short lease has run out, not after
    # a ten-minute hold.
    assert OUTBOX.lease() <= dt.timedelta(seconds=60)
    with time_machine.travel(timezone.now() + OUTBOX.lease() + dt.timedelta(seconds=1)):
        assert sweep_outbox() == 1
        assert memory_broker.run_queued() == ["sent"]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 2)
    # Sent twice (the server's acceptance was never recorded), as one message: mail clients
    # and the receiving side collapse the two by their Message-ID.
    first, resent = (mail.message()["Message-ID"] for mail in mailoutbox)
    assert first == resent and first.startswith(f"<notification.{row.pk}.")
