"""The outbox engine on both real outboxes (document versions, e-mail notifications): a row is
worked by one worker at a time, a late worker cannot overwrite the attempt that took the row
back, failures wait the configured delays and then stop for an administrator, dead workers'
rows come back after a short lease, the sweep works through a backlog in batches, and a
broker that is down at commit loses nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from notifications.tasks import OUTBOX as MAIL_OUTBOX
from outbox import Lease
from tests.integration.celery_support import MemoryBroker, use_broker

from .conftest import Subject

pytestmark = pytest.mark.django_db

CLOSED_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1
SECOND = dt.timedelta(seconds=1)


def done(row: Any, lease: Lease[Any]) -> dict[str, Any]:
    return {}


def broken(row: Any, lease: Lease[Any]) -> dict[str, Any]:
    raise RuntimeError("เซิร์ฟเวอร์ปฏิเสธ")


def refreshed(row: Any) -> Any:
    row.refresh_from_db()
    return row


def test_a_row_is_claimed_by_one_worker_only(subject: Subject) -> None:
    box, row = subject.box, subject.make()
    with time_machine.travel(timezone.now(), tick=False):
        claimed = box.claim(row.pk)
        assert claimed is not None and claimed.pk == row.pk
        assert box.claim(row.pk) is None  # a second worker, or the same task delivered twice
        assert box.run(row.pk, done) == "skipped"
        row = refreshed(row)
        assert (row.status, row.attempts) == (box.working, 1)
        # The lease is short: a dead worker's row is back within about a minute.
        assert row.next_attempt_at == timezone.now() + box.lease() == timezone.now() + dt.timedelta(seconds=60)
    assert box.claim(10_000_000) is None  # gone


def test_a_stale_attempt_cannot_overwrite_the_attempt_that_took_the_row_back(subject: Subject) -> None:
    box, row = subject.box, subject.make()
    first = box.claim(row.pk)
    assert first is not None
    # The first worker stalls past its lease; the sweep takes the row back, another claims it.
    with time_machine.travel(timezone.now() + box.lease() + SECOND):
        assert box.recover_stuck() == 1
        second = box.claim(row.pk)
    assert second is not None and second.attempts == 2

    assert box.renew(first, 1) is False
    assert box.finish(first, 1) is False
    assert box.fail_or_retry(first, 1, RuntimeError("late")) == "lost"
    assert (refreshed(row).status, row.attempts) == (box.working, 2)  # untouched by the late worker

    assert box.finish(second, 2) is True
    assert (refreshed(row).status, row.attempts, row.last_error) == (box.done, 2, "")


def test_a_worker_that_outlived_its_lease_stops_before_its_side_effect(subject: Subject) -> None:
    box, row = subject.box, subject.make()
    effects: list[str] = []

    def slow(held: Any, lease: Lease[Any]) -> dict[str, Any]:
        # While this worker was busy its lease ran out and another worker took the row.
        with time_machine.travel(timezone.now() + box.lease() + SECOND):
            box.recover_stuck()
            assert box.claim(held.pk) is not None
        lease.renew()  # before storing the file / handing the mail over
        effects.append("stored or sent")
        return {}

    assert box.run(row.pk, slow) == "lost"
    assert effects == []
    assert (refreshed(row).status, row.attempts) == (box.working, 2)


def test_a_follow_up_commits_with_the_done_status_and_only_then(subject: Subject) -> None:
    """What the next step of a pipeline relies on (documents: the render step queues the
    marking step): a follow-up registered on the lease is written with the done status, not
    by an attempt that lost the row, and a failing follow-up undoes the done status too."""
    box = subject.box
    follow_ups: list[int] = []

    def with_next_step(held: Any, lease: Lease[Any]) -> dict[str, Any]:
        lease.on_done(lambda: follow_ups.append(held.pk))
        return {}

    row = subject.make()
    assert box.run(row.pk, with_next_step) == str(box.done)
    assert follow_ups == [row.pk]

    def lost_meanwhile(held: Any, lease: Lease[Any]) -> dict[str, Any]:
        lease.on_done(lambda: follow_ups.append(held.pk))
        with time_machine.travel(timezone.now() + box.lease() + SECOND):
            box.recover_stuck()
            assert box.claim(held.pk) is not None
        return {}

    other = subject.make()
    assert box.run(other.pk, lost_meanwhile) == "lost"
    assert follow_ups == [row.pk]  # not for the attempt that lost its row

    def failing_next_step(held: Any, lease: Lease[Any]) -> dict[str, Any]:
        lease.on_done(lambda: (_ for _ in ()).throw(RuntimeError("ขั้นถัดไปเขียนไม่ได้")))
        return {}

    third = subject.make()
    assert box.run(third.pk, failing_next_step) == "retry"
    assert (refreshed(third).status, third.attempts) == (box.pending, 1)
    assert "ขั้นถัดไปเขียนไม่ได้" in third.last_error


def test_long_work_renews_its_lease_and_keeps_the_row(subject: Subject) -> None:
    box, row = subject.box, subject.make()
    with time_machine.travel(timezone.now(), tick=False) as clock:

        def long_work(held: Any, lease: Lease[Any]) -> dict[str, Any]:
            clock.shift(box.lease() - 5 * SECOND)
            lease.renew()
            clock.shift(10 * SECOND)  # past the first lease
            assert box.recover_stuck() == 0  # the sweep sees a live worker
            return {}

        assert box.run(row.pk, long_work) == str(box.done)
    assert (refreshed(row).status, row.attempts) == (box.done, 1)


def test_failures_wait_the_configured_delays_then_the_row_fails_until_an_administrator_retries(
    subject: Subject, settings: Any, memory_broker: MemoryBroker, django_capture_on_commit_callbacks: Any
) -> None:
    box, row = subject.box, subject.make()
    setattr(settings, box.retry_delays_setting, [60, 300])

    with time_machine.travel(timezone.now(), tick=False) as clock:
        start = timezone.now()
        assert box.run(row.pk, broken) == "retry"
        assert (refreshed(row).status, row.attempts, row.next_attempt_at) == (box.pending, 1, start + 60 * SECOND)
        assert "RuntimeError: เซิร์ฟเวอร์ปฏิเสธ" in row.last_error
        assert box.run(row.pk, broken) == "skipped"  # not due yet
        assert box.sweep() == 0

        clock.shift(60)
        assert box.run(row.pk, broken) == "retry"
        assert refreshed(row).next_attempt_at == start + 360 * SECOND  # the delay grew
        clock.shift(300)
        assert box.sweep() == 1  # the sweep brings a due retry back to a worker
        assert box.run(row.pk, broken) == "failed"  # one failure more than there are delays

        clock.shift(dt.timedelta(days=1))
        assert box.sweep() == 0  # failed is final until someone decides otherwise
        assert box.run(row.pk, done) == "skipped"
    assert (refreshed(row).status, row.attempts) == (box.failed, 3)
    memory_broker.take()

    with django_capture_on_commit_callbacks(execute=True):
        assert box.retry([row.pk]) == 1
    assert (refreshed(row).status, row.attempts) == (box.pending, 0)  # a fresh retry budget
    assert memory_broker.take() == [(box.task, (row.pk,))]
    assert box.run(row.pk, done) == str(box.done)
    assert box.retry([row.pk]) == 0  # done rows are not redone


def test_a_permanent_failure_fails_at_once(subject: Subject) -> None:
    box, row = subject.box, subject.make()
    assert box.run(row.pk, broken, permanent=lambda exc: isinstance(exc, RuntimeError)) == "failed"
    assert (refreshed(row).status, row.attempts) == (box.failed, 1)


def test_rows_of_dead_workers_are_taken_back_after_the_lease(subject: Subject, settings: Any) -> None:
    box = subject.box
    setattr(settings, box.retry_delays_setting, [60])
    first_try, last_try = subject.make(), subject.make()
    type(last_try).objects.filter(pk=last_try.pk).update(attempts=1)  # its one retry is due
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert box.claim(first_try.pk) and box.claim(last_try.pk)  # then the worker died

    with time_machine.travel(start + box.lease() - SECOND, tick=False):
        assert box.recover_stuck() == 0  # the worker may still be alive
    with time_machine.travel(start + box.lease() + SECOND, tick=False):
        assert box.recover_stuck() == 2
        assert (refreshed(first_try).status, first_try.attempts) == (box.pending, 1)
        assert first_try.next_attempt_at == timezone.now() and first_try.last_error == box.stuck_error
        assert "หยุดทำงาน" in box.stuck_error
        assert (refreshed(last_try).status, last_try.attempts) == (box.failed, 2)
        assert box.recover_stuck() == 0


def test_the_sweep_works_through_a_backlog_in_batches(subject: Subject, memory_broker: MemoryBroker) -> None:
    box = subject.box
    rows = [subject.make() for _ in range(5)]
    assert box.sweep() == 0  # fresh rows are left to their own hand-off at commit
    published: list[int] = []
    with time_machine.travel(timezone.now() + box.fresh_grace + SECOND):
        for expected in (2, 2, 1, 0):
            assert box.sweep(batch=2) == expected
            queued = memory_broker.take()
            assert {name for name, _ in queued} <= {box.task}
            for _, (row_id,) in queued:
                assert box.run(row_id, done) == str(box.done)  # a worker takes each
                published.append(row_id)
    assert sorted(published) == sorted(r.pk for r in rows)  # each once, oldest first


def test_broker_down_at_commit_keeps_rows_pending_for_the_sweep(
    subject: Subject,
    memory_broker: MemoryBroker,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    box = subject.box
    caplog.set_level(logging.WARNING, logger="outbox")
    with use_broker(CLOSED_BROKER):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            rows = [subject.make() for _ in range(3)]
            box.hand_over_on_commit([r.pk for r in rows])
        # The commit neither failed nor hung: one attempt at the dead broker for all three.
        assert time.monotonic() - started < 2.0
        assert box.hand_over([rows[0].pk]) == 0
    assert f"3 {box.noun}(s) left pending for the outbox sweep" in caplog.text
    assert {(refreshed(r).status, r.attempts) for r in rows} == {(box.pending, 0)}
    assert memory_broker.take() == []

    with time_machine.travel(timezone.now() + box.fresh_grace + SECOND):
        assert box.sweep() == 3  # the broker is back
    assert sorted(memory_broker.take()) == sorted((box.task, (r.pk,)) for r in rows)


@pytest.mark.parametrize("bad", ["60,300", 60, ["soon"], [-1], [1.5]])
def test_a_bad_retry_schedule_stops_every_task_loudly(subject: Subject, settings: Any, bad: object) -> None:
    box, row = subject.box, subject.make()
    setattr(settings, box.retry_delays_setting, bad)
    with pytest.raises(ImproperlyConfigured, match=box.retry_delays_setting):
        box.run(row.pk, done)
    assert (refreshed(row).status, row.attempts) == (box.pending, 0)  # nothing claimed


@pytest.mark.parametrize("bad", ["soon", 0, -5])
def test_a_bad_lease_stops_every_task_loudly(subject: Subject, settings: Any, bad: object) -> None:
    box, row = subject.box, subject.make()
    setattr(settings, box.lease_setting, bad)
    with pytest.raises(ImproperlyConfigured, match=box.lease_setting):
        box.run(row.pk, done)
    assert refreshed(row).status == box.pending


def test_settings_read_from_the_environment_and_defaults(subject: Subject, settings: Any) -> None:
    box = subject.box
    setattr(settings, box.retry_delays_setting, ["30", 120])  # env_list gives strings
    setattr(settings, box.lease_setting, "45")
    assert box.retry_delays() == (30, 120)
    assert box.lease() == 45 * SECOND
    delattr(settings, box.retry_delays_setting)
    delattr(settings, box.lease_setting)
    assert box.retry_delays() == box.default_retry_delays
    assert box.lease() == 60 * SECOND


def test_the_mail_lease_covers_a_slow_mail_server(settings: Any) -> None:
    settings.EMAIL_TIMEOUT = 30  # each of a few socket waits may take this long
    assert MAIL_OUTBOX.lease() == 120 * SECOND
    settings.NOTIFICATION_SENDING_LEASE_SECONDS = 90  # an explicit setting wins
    assert MAIL_OUTBOX.lease() == 90 * SECOND


def test_a_model_without_the_outbox_fields_is_refused_at_start_up() -> None:
    with pytest.raises(ImproperlyConfigured, match="cannot be an outbox"):
        dataclasses.replace(MAIL_OUTBOX, model=get_user_model())
    with pytest.raises(ImproperlyConfigured, match="no choice"):
        dataclasses.replace(MAIL_OUTBOX, working="rendering")
