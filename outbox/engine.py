"""The outbox engine: rows of a model that Celery tasks work through, each at least once and
never by two workers at the same moment.

A row is written, pending, in the transaction of the event that causes it, and handed to
Celery after that transaction commits. The task claims it with a conditional UPDATE
(pending and due → working, one more attempt, a short lease), does the app's work, and
writes the result fenced by the attempt number, so a worker that stalled past its lease
cannot overwrite the attempt that took the row back. A failure waits for the next delay of
a settings list; one failure more than there are delays marks the row failed, for an
administrator. A periodic sweep takes back rows whose lease ran out (the worker died) and
hands over due rows whose hand-off was missed (the broker was down at commit).

The model needs the fields `status`, `attempts`, `next_attempt_at` (while pending: when the
next attempt is due; while working: when the lease runs out) and `last_error`. The engine
imports no app of the project: an app describes its outbox with an `Outbox` and calls it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, Protocol, TypeVar, cast

from celery import current_app
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

logger = logging.getLogger("outbox")

# One immediate retry covers a dropped pooled connection; anything longer would hold the
# committing request while the sweep can publish later anyway.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

# What a task returns besides the row's done status, for the worker log and the tests.
SKIPPED, RETRY, FAILED, LOST = "skipped", "retry", "failed", "lost"

Row = TypeVar("Row", bound=models.Model)


class _Counted(Protocol):
    attempts: int


class LeaseLost(Exception):
    """The row was taken back from this worker (its lease ran out and the sweep requeued it):
    the work must stop before doing anything another attempt will do again."""


def seconds_list(name: str, default: Sequence[int]) -> tuple[int, ...]:
    """A setting holding a list of whole, non-negative seconds, or ImproperlyConfigured."""
    raw: object = getattr(settings, name, default)
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
        raise ImproperlyConfigured(f"{name} must be a list of seconds, got {raw!r}")
    values: list[int] = []
    for item in raw:
        try:
            seconds = int(item)
        except (TypeError, ValueError):
            raise ImproperlyConfigured(f"{name} must hold whole seconds, got {item!r}")
        if isinstance(item, float) and not item.is_integer():
            raise ImproperlyConfigured(f"{name} must hold whole seconds, got {item!r}")
        if seconds < 0:
            raise ImproperlyConfigured(f"{name} cannot hold a negative delay, got {item!r}")
        values.append(seconds)
    return tuple(values)


def positive_seconds(name: str, default: int) -> int:
    """A setting holding a positive whole number of seconds, or ImproperlyConfigured."""
    raw: object = getattr(settings, name, None)
    if raw is None:
        return default
    try:
        seconds = int(raw)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds, got {raw!r}")
    if seconds <= 0:
        raise ImproperlyConfigured(f"{name} must be more than 0 seconds, got {raw!r}")
    return seconds


@dataclass(frozen=True)
class Outbox(Generic[Row]):
    """One model used as an outbox, and how its rows are worked through.

    `task` names the Celery task that works one row (it takes the row's id); the module that
    defines it must be imported wherever rows are handed over (define the Outbox beside the
    task). `fan_out_task`, if given, takes a list of ids and calls `publish_each`: a batch
    larger than `fan_out_above` is then published in chunks, and a worker publishes the
    per-row tasks, so that a request never talks to the broker thousands of times.
    """

    model: type[Row]
    task: str
    noun: str
    working: str
    done: str
    retry_delays_setting: str
    default_retry_delays: tuple[int, ...]
    lease_setting: str
    # A callable when the default depends on other settings (a mail server's timeout).
    default_lease_seconds: int | Callable[[], int] = 60
    pending: str = "pending"
    failed: str = "failed"
    # Which rows of the model are this outbox's (in-app notifications are delivered by
    # existing, never by a task).
    scope: Q = field(default_factory=Q)
    select_related: tuple[str, ...] = ()
    # Shown in the admin on rows taken back from a dead worker.
    stuck_error: str = "เครื่องประมวลผล (worker) หยุดทำงานระหว่างดำเนินการ"
    # A row was handed to Celery at commit; the sweep leaves it to that hand-off this long so
    # that a busy queue is not filled with duplicates of the same task.
    fresh_grace: dt.timedelta = dt.timedelta(seconds=60)
    # One sweep publishes at most this many rows; the next sweep takes the rest.
    sweep_batch: int = 500
    fan_out_task: str | None = None
    fan_out_above: int = 20
    fan_out_chunk: int = 500

    def __post_init__(self) -> None:
        # A wrong description should stop start-up, not the first task.
        opts = self.model._meta
        try:
            status = opts.get_field("status")
            for name in ("attempts", "next_attempt_at", "last_error"):
                opts.get_field(name)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"{opts.label} cannot be an outbox: {exc}") from None
        known = {value for value, _label in getattr(status, "choices", None) or []}
        unknown = {self.pending, self.working, self.done, self.failed} - known
        if known and unknown:
            raise ImproperlyConfigured(f"{opts.label}.status has no choice {sorted(unknown)}")

    # --- settings -----------------------------------------------------------------------

    def retry_delays(self) -> tuple[int, ...]:
        """Seconds to wait after the 1st, 2nd, … failed attempt; one failure more than there
        are delays marks the row failed."""
        return seconds_list(self.retry_delays_setting, self.default_retry_delays)

    def lease(self) -> dt.timedelta:
        """How long a claim holds before the sweep presumes the worker dead. Short, and
        renewed by long work (`Lease.renew`), so a dead worker's row waits about a minute."""
        default = self.default_lease_seconds
        return dt.timedelta(seconds=positive_seconds(self.lease_setting, default() if callable(default) else default))

    def check(self) -> None:
        """Raise ImproperlyConfigured for a bad setting: call it from AppConfig.ready()."""
        self.retry_delays()
        self.lease()

    # --- the worker's side --------------------------------------------------------------

    def rows(self) -> QuerySet[Row]:
        return self.model._default_manager.filter(self.scope)

    def claim(self, row_id: int) -> Row | None:
        """The row, now held by this worker for one lease, if it was pending and due; None if
        it is done, held by another worker, not yet due, failed or gone."""
        self.check()  # a bad setting stops every task at once, not the first failure hours later
        now = timezone.now()
        claimed = (
            self.rows()
            .filter(pk=row_id, status=self.pending, next_attempt_at__lte=now)
            .update(status=self.working, attempts=F("attempts") + 1, next_attempt_at=now + self.lease())
        )
        if not claimed:
            return None
        return self.rows().select_related(*self.select_related).get(pk=row_id)

    def _held(self, row: Row, attempt: int) -> QuerySet[Row]:
        return self.rows().filter(pk=row.pk, status=self.working, attempts=attempt)

    def renew(self, row: Row, attempt: int) -> bool:
        """Extend the lease of the row this attempt holds; False if it was taken back."""
        return bool(self._held(row, attempt).update(next_attempt_at=timezone.now() + self.lease()))

    def finish(self, row: Row, attempt: int, *, then: Sequence[Callable[[], object]] = (), **fields: Any) -> bool:
        """Mark the row done with `fields`, if this attempt still holds it, and run `then` (the
        follow-ups registered on the lease) in the same transaction: they commit with the done
        status or not at all."""
        with transaction.atomic():
            if not self._held(row, attempt).update(status=self.done, last_error="", **fields):
                return False
            for follow_up in then:
                follow_up()
        return True

    def fail_or_retry(self, row: Row, attempt: int, exc: BaseException, *, permanent: bool = False) -> str:
        """Record a failed attempt: pending again after the next delay, or failed for good
        after the last one (or at once if `permanent`). Returns "retry", "failed" or "lost"."""
        delays = self.retry_delays()
        error = f"{type(exc).__name__}: {exc}"[:2000]
        now = timezone.now()
        if permanent or attempt > len(delays):
            status, due, outcome = self.failed, now, FAILED
        else:
            status, due, outcome = self.pending, now + dt.timedelta(seconds=delays[attempt - 1]), RETRY
        if not self._held(row, attempt).update(status=status, last_error=error, next_attempt_at=due):
            logger.warning("%s %s was taken back while attempt %d failed: %s", self.noun, row.pk, attempt, error)
            return LOST
        if outcome == FAILED:
            logger.error(
                "%s %s failed for good after %d attempt(s): %s", self.noun, row.pk, attempt, error, exc_info=exc
            )
        else:
            logger.warning("%s %s attempt %d failed, retrying at %s: %s", self.noun, row.pk, attempt, due, error)
        return outcome

    def run(
        self,
        row_id: int,
        work: Callable[[Row, Lease[Row]], Mapping[str, Any]],
        *,
        permanent: Callable[[Exception], bool] = lambda exc: False,
    ) -> str:
        """Claim the row, do `work` and record its outcome; returns the done status,
        "skipped", "retry", "failed" or "lost", for the worker log.

        `work(row, lease)` returns the fields to store with the done status. It renews the
        lease (`lease.renew()`) before a step that must not run after the row was taken back,
        such as storing a file or handing a mail to the server, and may register follow-ups
        (`lease.on_done(fn)`) that run in the transaction recording the row done, such as
        writing the row of a next outbox step. Any exception is a failed attempt (a failing
        follow-up too: the done status rolls back with it); `permanent(exc)` says one that no
        retry will cure.
        """
        row = self.claim(row_id)
        if row is None:
            # Logged with the id so a duplicate hand-off can be traced in the worker log.
            logger.info("%s %s: nothing to do (done, held by a worker, not due, failed or gone)", self.noun, row_id)
            return SKIPPED
        attempt = cast(_Counted, row).attempts
        lease = Lease(self, row, attempt)
        try:
            fields = work(row, lease)
            finished = self.finish(row, attempt, then=lease.follow_ups, **fields)
        except LeaseLost:
            logger.warning("%s %s was taken back during attempt %d, which stopped", self.noun, row_id, attempt)
            return LOST
        except Exception as exc:  # bugs, bad data, unreachable servers: retried, then shown in the admin
            return self.fail_or_retry(row, attempt, exc, permanent=permanent(exc))
        if not finished:
            logger.warning("%s %s was taken back while attempt %d worked on it", self.noun, row_id, attempt)
            return LOST
        logger.info("%s %s: %s on attempt %d", self.noun, row_id, self.done, attempt)
        return str(self.done)

    # --- the sweep ----------------------------------------------------------------------

    def recover_stuck(self, now: dt.datetime | None = None) -> int:
        """Take back rows whose lease ran out while working (the worker died): pending again,
        or failed if that was the last attempt. Returns how many."""
        now = now or timezone.now()
        stuck = self.rows().filter(status=self.working, next_attempt_at__lte=now)
        last_attempt = len(self.retry_delays()) + 1
        failed = stuck.filter(attempts__gte=last_attempt).update(status=self.failed, last_error=self.stuck_error)
        requeued = stuck.filter(attempts__lt=last_attempt).update(
            status=self.pending, last_error=self.stuck_error, next_attempt_at=now
        )
        if failed or requeued:
            logger.warning("took back %d stuck %s(s), %d of them now failed", failed + requeued, self.noun, failed)
        return failed + requeued

    def sweep(self, batch: int | None = None) -> int:
        """Take back stuck rows, then publish up to `batch` due pending rows; returns how many
        were published. Run by beat every minute: it covers hand-offs missed at commit,
        retries whose delay has passed and rows taken back. Publishing a row twice is
        harmless: the task claims before working."""
        now = timezone.now()
        self.recover_stuck(now)
        due = list(
            self.rows()
            .filter(status=self.pending, next_attempt_at__lte=now)
            .filter(Q(attempts__gt=0) | Q(next_attempt_at__lte=now - self.fresh_grace))
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[: batch or self.sweep_batch]
        )
        # Already in a worker: publish the per-row tasks directly rather than fan out.
        return self.publish_each(due) if due else 0

    # --- handing over -------------------------------------------------------------------

    def hand_over(self, row_ids: Sequence[int]) -> int:
        """Publish tasks for these rows; returns how many rows were published. Never raises
        for a broker outage: this runs after the user's transaction committed, and the rows
        stay pending for the sweep."""
        if self.fan_out_task is None or len(row_ids) <= self.fan_out_above:
            return self.publish_each(row_ids)
        queued = 0
        for start in range(0, len(row_ids), self.fan_out_chunk):
            chunk = list(row_ids[start : start + self.fan_out_chunk])
            if not self._publish(self.fan_out_task, chunk, remaining=len(row_ids) - queued):
                break
            queued += len(chunk)
        return queued

    def hand_over_on_commit(self, row_ids: Iterable[int]) -> None:
        transaction.on_commit(partial(self.hand_over, list(row_ids)))

    def publish_each(self, row_ids: Sequence[int]) -> int:
        """One task per row, so that many workers share a large batch."""
        for queued, row_id in enumerate(row_ids):
            if not self._publish(self.task, row_id, remaining=len(row_ids) - queued):
                return queued
        return len(row_ids)

    def _publish(self, task_name: str, argument: object, *, remaining: int) -> bool:
        # Outside the try: an unregistered task is a bug, not a broker outage.
        task = current_app.tasks[task_name]
        try:
            task.apply_async((argument,), retry=True, retry_policy=PUBLISH_RETRY_POLICY)
        except Exception:  # kombu/redis/amqp raise different types for "broker unreachable"
            # The caller stops at the first failure: trying the rest would only multiply the wait.
            logger.warning(
                "Celery broker unreachable: %d %s(s) left pending for the outbox sweep",
                remaining,
                self.noun,
                exc_info=True,
            )
            return False
        return True

    # --- the administrator's side -------------------------------------------------------

    def retry(self, row_ids: Iterable[int]) -> int:
        """Work failed (or waiting) rows again now, with a fresh retry budget; rows held by a
        worker at this moment are left alone. Returns how many were requeued; they are
        handed over when the caller's transaction commits."""
        retryable = self.rows().filter(pk__in=list(row_ids), status__in=[self.failed, self.pending])
        ids = list(retryable.values_list("pk", flat=True))
        if not ids:
            return 0
        updated = (
            self.rows()
            .filter(pk__in=ids, status__in=[self.failed, self.pending])
            .update(status=self.pending, attempts=0, next_attempt_at=timezone.now())
        )
        self.hand_over_on_commit(ids)
        return updated


@dataclass
class Lease(Generic[Row]):
    """The claim one attempt holds on its row, handed to the work."""

    outbox: Outbox[Row]
    row: Row
    attempt: int
    follow_ups: list[Callable[[], object]] = field(default_factory=list)

    def on_done(self, follow_up: Callable[[], object]) -> None:
        """Run `follow_up` in the transaction that records the row done (only if this attempt
        still holds the row then): a next step's outbox row is written with it, so that the
        step is never lost nor written for an attempt that did not count."""
        self.follow_ups.append(follow_up)

    def renew(self) -> None:
        """Extend the lease from now; raises LeaseLost if the row was taken back meanwhile."""
        if not self.outbox.renew(self.row, self.attempt):
            raise LeaseLost(f"{self.outbox.noun} {self.row.pk} attempt {self.attempt}")
