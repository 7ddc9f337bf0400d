"""Celery tasks that render stored document versions, through the outbox engine (claim,
retries, lease, sweep: outbox/engine.py). What is this app's own: building the .docx and
storing it under a name that carries its hash, so that one event gives one version and one
file however often the task runs.

Two steps, two outboxes. `render_version` builds and stores the .docx: tens of
milliseconds, no LibreOffice, and the version can be downloaded and previewed as soon as it
is done. A version that may take more than a page then needs its continuation markers, which
need a LibreOffice layout (documents/continuation.py): the render step writes a pending
PageMarking in the transaction that records the version done, and `mark_version` lays the
version out, stores the marked copy and makes it the version's file. Until then the version
serves its unmarked file; a layout that fails is retried and never takes the version away."""

from __future__ import annotations

import hashlib
import logging
from functools import partial
from typing import Any

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from outbox import Lease, Outbox

from . import continuation, renderers
from .models import DocumentKind, DocumentVersion, MarkingOutcome, MarkingStatus, PageMarking, VersionStatus

logger = logging.getLogger(__name__)

OUTBOX = Outbox(
    model=DocumentVersion,
    task="documents.tasks.render_version",
    noun="document version",
    working=VersionStatus.RENDERING,
    done=VersionStatus.DONE,
    # 30 s, 2 min, 10 min: a build fails for a reason in the data or the code far more often
    # than for a passing one (storage briefly unreachable), so a few quick tries and then the
    # administrator, who sees failed rows in the admin and re-queues them after a fix.
    retry_delays_setting="DOCUMENT_RENDER_RETRY_DELAYS",
    default_retry_delays=(30, 120, 600),
    # A build takes tens of milliseconds; the lease is renewed before the file is stored.
    lease_setting="DOCUMENT_RENDER_LEASE_SECONDS",
    default_lease_seconds=60,
    select_related=("memo", "event"),
    stuck_error="เครื่องประมวลผล (worker) หยุดทำงานระหว่างจัดทำเอกสาร",
    sweep_batch=500,
)


def storage_name(version: DocumentVersion, digest: str) -> str:
    if version.memo_id:
        owner = f"memo-{version.memo_id}"
    elif version.letter_id:
        owner = f"letter-{version.letter_id}"
    else:
        owner = f"directive-{version.directive_id}"
    prefix = "" if version.kind == DocumentKind.MEMO else f"{version.kind}-"
    return f"documents/{owner}/{prefix}v{version.version}-{digest[:8]}.docx"


def _store(name: str, content: bytes) -> str:
    # The name carries the content's hash, so an existing file of that name already holds
    # these bytes (a run that stored it and then lost its row update).
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    return name


def render_and_store(version: DocumentVersion, lease: Lease[DocumentVersion]) -> dict[str, Any]:
    content = renderers.render(version)
    digest = hashlib.sha256(content).hexdigest()
    # A worker that took longer than its lease must not store a file for a row another
    # attempt now holds.
    lease.renew()
    name = _store(storage_name(version, digest), content)
    logger.info("document version %s stored as %s (%d bytes)", version.pk, name, len(content))
    if continuation.needs_marks(content):
        # Written with the done status: a version is never done without its marking step
        # queued, nor a marking queued for an attempt that did not count.
        lease.on_done(partial(_request_marking, version, name, digest, len(content)))
    return {"file": name, "sha256": digest, "size": len(content), "rendered_at": timezone.now()}


def _request_marking(version: DocumentVersion, name: str, digest: str, size: int) -> None:
    marking, created = PageMarking.objects.get_or_create(
        version=version,
        defaults={"plain_file": name, "plain_sha256": digest, "plain_size": size, "next_attempt_at": timezone.now()},
    )
    if created:
        MARK_OUTBOX.hand_over_on_commit([marking.pk])


@shared_task(name="documents.tasks.render_version", ignore_result=True)
def render_version(version_id: int) -> str:
    """Build and store one version if it is due: "done", "skipped", "retry", "failed" or "lost"."""
    return OUTBOX.run(version_id, render_and_store)


MARK_OUTBOX = Outbox(
    model=PageMarking,
    task="documents.tasks.mark_version",
    noun="page marking",
    working=MarkingStatus.MARKING,
    done=MarkingStatus.DONE,
    retry_delays_setting="DOCUMENT_MARK_RETRY_DELAYS",
    default_retry_delays=(30, 120, 600),
    # One LibreOffice conversion (120 s at most, documents/preview.py) and two poppler runs.
    lease_setting="DOCUMENT_MARK_LEASE_SECONDS",
    default_lease_seconds=300,
    select_related=("version",),
    stuck_error="เครื่องประมวลผล (worker) หยุดทำงานระหว่างใส่คำต่อหน้า",
    sweep_batch=200,
)


def superseded(version: DocumentVersion) -> bool:
    """A later version of the same document exists: marking this one is wasted work (people
    read the latest; an earlier one stays downloadable, unmarked)."""
    later = DocumentVersion.objects.filter(kind=version.kind, version__gt=version.version)
    if version.memo_id:
        return later.filter(memo_id=version.memo_id).exists()
    return later.filter(directive_id=version.directive_id).exists()


def mark_and_store(marking: PageMarking, lease: Lease[PageMarking]) -> dict[str, Any]:
    version = marking.version
    if superseded(version):
        logger.info("page marking %s: version %s superseded, not laid out", marking.pk, version.pk)
        return {"outcome": MarkingOutcome.SUPERSEDED, "marked_at": timezone.now()}
    with default_storage.open(marking.plain_file.name, "rb") as handle:
        plain = handle.read()
    if hashlib.sha256(plain).hexdigest() != marking.plain_sha256:
        raise ValueError(f"stored file {marking.plain_file.name} does not match its SHA-256")
    content = continuation.marked(plain)  # raises when the layout fails: retried by the outbox
    digest = hashlib.sha256(content).hexdigest()
    lease.renew()
    name = _store(storage_name(version, digest), content)
    logger.info("document version %s marked as %s (%d bytes)", version.pk, name, len(content))
    # The version serves the marked file from the same commit that records the marking done;
    # fenced by the unmarked hash, so it replaces only the file it was made from.
    lease.on_done(
        partial(
            DocumentVersion.objects.filter(pk=version.pk, sha256=marking.plain_sha256).update,
            file=name,
            sha256=digest,
            size=len(content),
        )
    )
    return {
        "outcome": MarkingOutcome.MARKED,
        "marked_sha256": digest,
        "marked_size": len(content),
        "marked_at": timezone.now(),
    }


@shared_task(name="documents.tasks.mark_version", ignore_result=True)
def mark_version(marking_id: int) -> str:
    """Lay one stored version out and serve its marked copy: "done", "skipped", "retry",
    "failed" or "lost"."""
    return MARK_OUTBOX.run(marking_id, mark_and_store)


@shared_task(name="documents.tasks.sweep_documents", ignore_result=True)
def sweep_documents() -> int:
    """Run by beat every minute: take back versions and markings of dead workers, hand over
    due ones."""
    return OUTBOX.sweep() + MARK_OUTBOX.sweep()
