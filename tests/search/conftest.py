"""Helpers for the search tests: hand-offs to an in-memory queue, the queued index jobs run as
a worker would, and memos of the reference scenario made through the services."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from memos import services as memo_services
from memos.models import Memo, Secrecy
from memos.reference import reference_memo_input
from search.models import JobStatus, SearchJob
from search.selectors import SearchQuery, search
from search.tasks import index_document
from tests.integration.celery_support import MemoryBroker, use_broker


@pytest.fixture(autouse=True)
def memory_broker() -> Iterator[MemoryBroker]:
    """Hand-offs after commit go to an in-memory queue of this test, never to var/broker."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    broker = MemoryBroker(queue)
    with use_broker("memory://", queue=queue):
        yield broker
    broker.take()


def run_index_jobs() -> int:
    """Work every pending index job, as the Celery worker would; returns how many ran. A test
    runs inside one transaction: what it queues next starts a new batch, as after a commit."""
    from django.db import transaction

    transaction.get_connection().__dict__.pop("_search_batch", None)
    ran = 0
    for job_id in SearchJob.objects.filter(status=JobStatus.PENDING).values_list("pk", flat=True):
        assert index_document(job_id) == JobStatus.DONE
        ran += 1
    return ran


def draft(user: Any, *, subject: str | None = None, secrecy: int = Secrecy.NORMAL, submit: bool = False) -> Memo:
    """The reference memo drafted by `user` (the institute's clerk), optionally sent on."""
    data = reference_memo_input()
    if subject is not None:
        data = dataclasses.replace(data, subject=subject)
    data = dataclasses.replace(data, secrecy=secrecy)
    memo = memo_services.memo_create(user=user, data=data)
    if submit:
        from workflow.services import memo_submit

        memo_submit(memo=memo, user=user)
    return Memo.objects.get(pk=memo.pk)


def found(user: Any, q: str, **filters: Any) -> list[tuple[str, int]]:
    """What `user` finds for `q`, in the order shown: (kind, id)."""
    page = search(user=user, query=SearchQuery(q=q, **filters), page_size=100)
    return [(h.doc.kind, h.doc.object_id) for h in page.hits]
