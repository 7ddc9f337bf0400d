"""Celery tasks that render stored document versions. Each takes ids, claims its row with a
conditional UPDATE and is safe to run twice or concurrently: only the run whose UPDATE
matched builds and stores, so one event gives one version and one file."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils import timezone

from . import renderers
from .models import DocumentKind, DocumentVersion, VersionStatus
from .services import hand_over

logger = logging.getLogger(__name__)

# 30 s, 2 min, 10 min: a build fails for a reason in the data or the code far more often
# than for a passing one (storage briefly unreachable), so a few quick tries and then the
# administrator, who sees failed rows in the admin and re-queues them after a fix.
DEFAULT_RETRY_DELAYS: tuple[int, ...] = (30, 120, 600)

# A build takes tens of milliseconds and a storage write a few seconds at worst; a row
# still "rendering" after this long belongs to a worker that died.
DEFAULT_RENDER_LEASE_SECONDS = 300

# A fresh row was handed to Celery at commit; the sweep leaves it to that hand-off for this
# long so a busy queue is not filled with duplicates of the same render.
FRESH_ROW_GRACE = dt.timedelta(seconds=60)

SWEEP_BATCH = 500


def retry_delays() -> tuple[int, ...]:
    raw: object = getattr(settings, "DOCUMENT_RENDER_RETRY_DELAYS", DEFAULT_RETRY_DELAYS)
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        raise ImproperlyConfigured(f"DOCUMENT_RENDER_RETRY_DELAYS must be a list of seconds, got {raw!r}")
    try:
        delays = tuple(int(item) for item in raw)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"DOCUMENT_RENDER_RETRY_DELAYS must hold whole seconds, got {raw!r}")
    if any(d < 0 for d in delays):
        raise ImproperlyConfigured(f"DOCUMENT_RENDER_RETRY_DELAYS cannot hold a negative delay, got {raw!r}")
    return delays


def render_lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "DOCUMENT_RENDER_LEASE_SECONDS", DEFAULT_RENDER_LEASE_SECONDS)))


def storage_name(version: DocumentVersion, digest: str) -> str:
    owner = f"memo-{version.memo_id}" if version.memo_id else f"directive-{version.directive_id}"
    prefix = "" if version.kind == DocumentKind.MEMO else f"{version.kind}-"
    return f"documents/{owner}/{prefix}v{version.version}-{digest[:8]}.docx"


@shared_task(name="documents.tasks.render_version", ignore_result=True)
def render_version(version_id: int) -> str:
    """Build and store one version if it is due; returns what happened, for the worker log."""
    now = timezone.now()
    claimed = DocumentVersion.objects.filter(
        pk=version_id, status=VersionStatus.PENDING, next_attempt_at__lte=now
    ).update(status=VersionStatus.RENDERING, attempts=F("attempts") + 1, next_attempt_at=now + render_lease())
    if not claimed:
        # Already done, being rendered by another worker, not yet due, failed, or gone.
        return "skipped"
    version = DocumentVersion.objects.select_related("memo", "event").get(pk=version_id)
    # The attempt number fences the final write: a worker that stalled past its lease must
    # not overwrite the result of the attempt that took the row back.
    attempt = version.attempts
    mine = DocumentVersion.objects.filter(pk=version_id, status=VersionStatus.RENDERING, attempts=attempt)
    try:
        content = renderers.render(version)
        digest = hashlib.sha256(content).hexdigest()
        name = storage_name(version, digest)
        # The name carries the content's hash, so an existing file of that name already
        # holds these bytes (a run that stored it and then lost its row update).
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
    except Exception as exc:  # builder bugs, bad data, storage outages: all retried, then shown in the admin
        delays = retry_delays()
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if attempt > len(delays):
            mine.update(status=VersionStatus.FAILED, last_error=error, next_attempt_at=timezone.now())
            logger.exception("document version %s failed for good after %d attempt(s)", version_id, attempt)
            return "failed"
        retry_at = timezone.now() + dt.timedelta(seconds=delays[attempt - 1])
        mine.update(status=VersionStatus.PENDING, last_error=error, next_attempt_at=retry_at)
        logger.warning(
            "document version %s attempt %d failed, retrying at %s: %s", version_id, attempt, retry_at, error
        )
        return "retry"
    updated = mine.update(
        status=VersionStatus.DONE,
        file=name,
        sha256=digest,
        size=len(content),
        rendered_at=timezone.now(),
        last_error="",
    )
    if not updated:
        logger.warning("document version %s was taken back while attempt %d rendered it", version_id, attempt)
        return "lost"
    logger.info("document version %s stored as %s (%d bytes)", version_id, name, len(content))
    return "done"


def recover_stuck(now: dt.datetime | None = None) -> int:
    """Take back rows whose worker died mid-render (lease expired while still 'rendering')."""
    now = now or timezone.now()
    stuck = DocumentVersion.objects.filter(status=VersionStatus.RENDERING, next_attempt_at__lte=now)
    error = "เครื่องประมวลผล (worker) หยุดทำงานระหว่างจัดทำเอกสาร"
    last_attempt = len(retry_delays()) + 1
    failed = stuck.filter(attempts__gte=last_attempt).update(status=VersionStatus.FAILED, last_error=error)
    requeued = stuck.filter(attempts__lt=last_attempt).update(
        status=VersionStatus.PENDING, last_error=error, next_attempt_at=now
    )
    if failed or requeued:
        logger.warning("documents: took back %d stuck version(s), %d of them now failed", failed + requeued, failed)
    return failed + requeued


@shared_task(name="documents.tasks.sweep_documents", ignore_result=True)
def sweep_documents() -> int:
    """Hand every due pending version to `render_version`; returns how many were handed over.

    Run by beat every minute. Covers rows whose hand-off at commit failed (broker down),
    retries whose delay has passed, and rows taken back from dead workers. Handing a row
    over twice is harmless: `render_version` claims before building.
    """
    now = timezone.now()
    recover_stuck(now)
    due = list(
        DocumentVersion.objects.filter(status=VersionStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(attempts__gt=0) | Q(created_at__lte=now - FRESH_ROW_GRACE))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return hand_over(due) if due else 0
