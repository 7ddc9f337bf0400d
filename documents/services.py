"""Writes for stored document versions. `document_version_request` runs inside the memo
service's transaction, so an event is never committed without its document (nor a document
for an event that rolled back); rendering happens after commit, in Celery."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from .models import DocumentKind, DocumentVersion, VersionStatus
from .tasks import MARK_OUTBOX, OUTBOX


def document_version_request(
    *, memo: Any, event: Any, kind: str = DocumentKind.MEMO, version: int | None = None
) -> DocumentVersion:
    """The pending version caused by `event`; an existing one if this event already asked.

    The caller holds the memo's row lock (every memo service takes it first), so numbering
    the next version cannot race with another request for the same memo. A caller that
    keeps the count itself (memos.services.MemoStep, on the memo's row) passes the new
    event's `version` number and nothing is read; otherwise the latest version is read once.
    """
    if version is None:
        # One read, of the memo's latest version. Events come one after another under the
        # memo's lock, so a repeated request for an event finds it there; the unique
        # (memo, kind, event) constraint refuses a second version for an earlier event.
        mine = DocumentVersion.objects.filter(memo=memo, kind=kind)
        latest = mine.order_by("-version").values_list("pk", "version", "event_id").first()
        if latest is not None and latest[2] == event.pk:
            return mine.get(pk=latest[0])
        version = (latest[1] if latest is not None else 0) + 1
    now = timezone.now()
    row = DocumentVersion.objects.create(
        memo=memo,
        kind=kind,
        event=event,
        version=version,
        status=VersionStatus.PENDING,
        created_at=now,
        next_attempt_at=now,
    )
    OUTBOX.hand_over_on_commit([row.pk])
    return row


def directive_version_request(*, directive: Any) -> DocumentVersion:
    """The pending version of a circular at signing (number, date, signature are final then).

    Called inside directive_sign_and_send's transaction, which holds the directive's row
    lock; a repeated call for the same directive returns the existing row.
    """
    return _first_version(kind=DocumentKind.DIRECTIVE, directive_id=directive.pk)


def letter_version_request(*, letter_id: int) -> DocumentVersion:
    """The pending version of an external letter at signing (letters.outgoing): number, date
    and signature are final then. Called inside the signing transaction, which holds the
    letter's row lock; a repeated call for the same letter returns the existing row."""
    return _first_version(kind=DocumentKind.LETTER, letter_id=letter_id)


def _first_version(*, kind: str, **owner: int) -> DocumentVersion:
    """The one version of a document that has one (a circular, an external letter), pending
    and handed to the renderer when the transaction commits; the existing row if asked again."""
    existing = DocumentVersion.objects.filter(kind=kind, **owner).first()
    if existing is not None:
        return existing
    now = timezone.now()
    version = DocumentVersion.objects.create(
        memo=None, kind=kind, version=1, status=VersionStatus.PENDING, created_at=now, next_attempt_at=now, **owner
    )
    OUTBOX.hand_over_on_commit([version.pk])
    return version


def document_version_retry(*, version_ids: Iterable[int]) -> int:
    """Render failed (or waiting) versions again now, with a fresh retry budget. Rows being
    rendered at this moment are left alone. Returns how many were requeued."""
    return OUTBOX.retry(version_ids)


def page_marking_retry(*, marking_ids: Iterable[int]) -> int:
    """Lay failed (or waiting) markings out again now, with a fresh retry budget; the version
    keeps serving its unmarked file meanwhile. Returns how many were requeued."""
    return MARK_OUTBOX.retry(marking_ids)
