"""Celery tasks that render stored document versions, through the outbox engine (claim,
retries, lease, sweep: outbox/engine.py). What is this app's own: building the .docx and
storing it under a name that carries its hash, so that one event gives one version and one
file however often the task runs."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from outbox import Lease, Outbox

from . import renderers
from .continuation import mark_pages
from .models import DocumentKind, DocumentVersion, VersionStatus

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


def render_and_store(version: DocumentVersion, lease: Lease[DocumentVersion]) -> dict[str, Any]:
    # The continuation markers need a layout, so LibreOffice lays the document out once here,
    # in the worker, rather than on each preview (documents/continuation.py).
    content = mark_pages(renderers.render(version))
    digest = hashlib.sha256(content).hexdigest()
    name = storage_name(version, digest)
    # A worker that took longer than its lease must not store a file for a row another
    # attempt now holds.
    lease.renew()
    # The name carries the content's hash, so an existing file of that name already holds
    # these bytes (a run that stored it and then lost its row update).
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    logger.info("document version %s stored as %s (%d bytes)", version.pk, name, len(content))
    return {"file": name, "sha256": digest, "size": len(content), "rendered_at": timezone.now()}


@shared_task(name="documents.tasks.render_version", ignore_result=True)
def render_version(version_id: int) -> str:
    """Build and store one version if it is due: "done", "skipped", "retry", "failed" or "lost"."""
    return OUTBOX.run(version_id, render_and_store)


@shared_task(name="documents.tasks.sweep_documents", ignore_result=True)
def sweep_documents() -> int:
    """Run by beat every minute: take back versions of dead workers, hand over due ones."""
    return OUTBOX.sweep()
