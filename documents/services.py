"""Writes for stored document versions. `document_version_request` runs inside the memo
service's transaction, so an event is never committed without its document (nor a document
for an event that rolled back); rendering happens after commit, in Celery."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import DocumentKind, DocumentVersion, VersionStatus

logger = logging.getLogger(__name__)

# Same policy as the notification outbox: one quick retry for a dropped pooled connection,
# then leave the row to the sweep rather than hold the user's request.
HAND_OVER_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def document_version_request(*, memo: Any, event: Any, kind: str = DocumentKind.MEMO) -> DocumentVersion:
    """The pending version caused by `event`; an existing one if this event already asked.

    The caller holds the memo's row lock (every memo service takes it first), so reading
    the highest version number and inserting the next cannot race with another request
    for the same memo.
    """
    existing = DocumentVersion.objects.filter(memo=memo, kind=kind, event=event).first()
    if existing is not None:
        return existing
    last = DocumentVersion.objects.filter(memo=memo, kind=kind).aggregate(last=Max("version"))["last"] or 0
    now = timezone.now()
    version = DocumentVersion.objects.create(
        memo=memo,
        kind=kind,
        event=event,
        version=last + 1,
        status=VersionStatus.PENDING,
        created_at=now,
        next_attempt_at=now,
    )
    transaction.on_commit(partial(hand_over, [version.pk]))
    return version


def directive_version_request(*, directive: Any) -> DocumentVersion:
    """The pending version of a circular at signing (number, date, signature are final then).

    Called inside directive_sign_and_send's transaction, which holds the directive's row
    lock; a repeated call for the same directive returns the existing row.
    """
    existing = DocumentVersion.objects.filter(kind=DocumentKind.DIRECTIVE, directive_id=directive.pk).first()
    if existing is not None:
        return existing
    now = timezone.now()
    version = DocumentVersion.objects.create(
        memo=None,
        kind=DocumentKind.DIRECTIVE,
        directive_id=directive.pk,
        version=1,
        status=VersionStatus.PENDING,
        created_at=now,
        next_attempt_at=now,
    )
    transaction.on_commit(partial(hand_over, [version.pk]))
    return version


def hand_over(version_ids: Sequence[int]) -> int:
    """Queue render tasks; return how many were queued. Never raises for a broker outage:
    this runs after the user's transaction committed, and the rows wait for the sweep."""
    from .tasks import render_version

    for queued, version_id in enumerate(version_ids):
        try:
            render_version.apply_async((version_id,), retry=True, retry_policy=HAND_OVER_RETRY_POLICY)
        except Exception:  # kombu/redis/amqp raise different types for "broker unreachable"
            logger.warning(
                "Celery broker unreachable: %d document version(s) left pending for the sweep",
                len(version_ids) - queued,
                exc_info=True,
            )
            return queued
    return len(version_ids)


def document_version_retry(*, version_ids: Iterable[int]) -> int:
    """Render failed (or waiting) versions again now, with a fresh retry budget. Rows being
    rendered at this moment are left alone. Returns how many were requeued."""
    ids = list(
        DocumentVersion.objects.filter(
            pk__in=list(version_ids), status__in=[VersionStatus.FAILED, VersionStatus.PENDING]
        ).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    updated = DocumentVersion.objects.filter(
        pk__in=ids, status__in=[VersionStatus.FAILED, VersionStatus.PENDING]
    ).update(status=VersionStatus.PENDING, attempts=0, next_attempt_at=timezone.now())
    transaction.on_commit(partial(hand_over, ids))
    return updated
