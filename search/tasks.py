"""Celery tasks that keep the index fresh, through the outbox engine (claim, retries, lease,
sweep: outbox/engine.py)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from outbox import Lease, Outbox

from .indexer import index_object, queue_stale
from .models import JobStatus, SearchJob

OUTBOX = Outbox(
    model=SearchJob,
    task="search.tasks.index_document",
    noun="search job",
    working=JobStatus.WORKING,
    done=JobStatus.DONE,
    # Indexing fails for a reason in the data or a file far more often than for a passing one:
    # a few quick tries, then the administrator sees the failed job.
    retry_delays_setting="SEARCH_INDEX_RETRY_DELAYS",
    default_retry_delays=(30, 120, 600),
    lease_setting="SEARCH_INDEX_LEASE_SECONDS",
    default_lease_seconds=120,
    stuck_error="เครื่องประมวลผล (worker) หยุดทำงานระหว่างปรับดัชนีค้นหา",
    sweep_batch=1000,
)


def _index(job: SearchJob, lease: Lease[SearchJob]) -> dict[str, Any]:
    index_object(job.kind, job.object_id)
    return {}


@shared_task(name="search.tasks.index_document", ignore_result=True)
def index_document(job_id: int) -> str:
    """Index one queued document: "done", "skipped", "retry", "failed" or "lost"."""
    return OUTBOX.run(job_id, _index)


@shared_task(name="search.tasks.sweep_search", ignore_result=True)
def sweep_search() -> int:
    """Run by beat: hand over due jobs, queue documents the index missed, drop old done jobs."""
    from datetime import timedelta

    from django.utils import timezone

    published = OUTBOX.sweep()
    queue_stale()
    SearchJob.objects.filter(status=JobStatus.DONE, created_at__lt=timezone.now() - timedelta(days=1)).delete()
    return published
