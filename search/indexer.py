"""Writing the index: queue a document (in the transaction that changed it), index one
document from its source rows, rebuild everything, and find documents the queue missed."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from . import text
from .models import JobStatus, SearchDocument, SearchJob
from .sources import SOURCES, Indexed, Source, source

logger = logging.getLogger(__name__)


def enqueue(kind: str, object_ids: Iterable[int]) -> None:
    """Queue documents for indexing again. The job rows are written now, in the caller's
    transaction (a rolled-back change leaves none, a committed one cannot lose its job), and
    handed to Celery after commit; the outbox sweep hands over any hand-off that failed.

    A document saved several times in one transaction (the memo, then its audit event) is
    queued once: one INSERT, one hand-off."""
    ids = sorted({int(i) for i in object_ids if i})
    if not ids:
        return
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        SearchJob.objects.bulk_create([SearchJob(kind=kind, object_id=i) for i in ids], ignore_conflicts=True)
        _hand_over(kind, ids)
        return
    batch = _batch(conn)
    live = set(conn.savepoint_ids)
    fresh = [i for i in ids if not set(batch.keys.get((kind, i), ("-",))) <= live]
    if not fresh:
        return
    SearchJob.objects.bulk_create([SearchJob(kind=kind, object_id=i) for i in fresh], ignore_conflicts=True)
    sids = tuple(conn.savepoint_ids)
    for i in fresh:
        batch.keys[(kind, i)] = sids


def _hand_over(kind: str, object_ids: list[int]) -> None:
    from .tasks import OUTBOX

    pending = list(
        SearchJob.objects.filter(kind=kind, object_id__in=object_ids, status=JobStatus.PENDING).values_list(
            "pk", flat=True
        )
    )
    if pending:
        OUTBOX.hand_over(pending)


class _Batch:
    """The documents queued in the current transaction, handed over once at its commit. A key
    queued inside a savepoint that was rolled back counts as not queued (its job row is gone)."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, int], tuple[str, ...]] = {}

    def __call__(self) -> None:
        by_kind: dict[str, list[int]] = {}
        for kind, object_id in self.keys:
            by_kind.setdefault(kind, []).append(object_id)
        for kind, ids in by_kind.items():
            _hand_over(kind, ids)


def _batch(conn: Any) -> _Batch:
    current: _Batch | None = getattr(conn, "_search_batch", None)
    # Still this transaction's if its commit callback is still registered: Django drops the
    # callbacks at commit, at rollback, and those of a savepoint rolled back.
    if current is None or not any(entry[1] is current for entry in conn.run_on_commit):
        current = _Batch()
        conn._search_batch = current
        transaction.on_commit(current)
    return current


def _row_fields(src: Source, found: Indexed) -> dict[str, Any]:
    number = found.number or ""
    people = [p for p in found.people if p]
    content = "\n".join(t.strip() for t in [*found.body, *found.notes, *found.files] if t and t.strip())
    # The number is stored once as typed and once without spaces, so that a query of either
    # form meets it inside the one trigram-indexed column.
    whole = "\n".join([text.number_key(number), number, found.subject, *people, content])
    return {
        "number": number[:64],
        "number_key": text.number_key(number)[:64],
        "subject": found.subject[:500],
        "people": "\n".join(people),
        "content": content,
        "haystack": text.normalise(whole),
        "segmented": text.segment(whole),
        "year": found.year,
        "unit_id": found.unit_id,
        "unit_name": found.unit_name[:300],
        "state": found.state,
        "state_label": found.state_label[:100],
        "secrecy": found.secrecy,
        "dated": found.dated,
        "source_updated_at": found.source_updated_at,
        "source_seq": found.source_seq,
        "indexed_at": timezone.now(),
    }


def index_object(kind: str, object_id: int) -> bool:
    """Index one document from its source rows as they are now; remove it from the index if
    it is gone. Returns whether a row is now in the index. Safe to run twice."""
    src = source(kind)
    obj = src.objects().filter(pk=object_id).first()
    if obj is None:
        SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()
        return False
    fields = _row_fields(src, src.read(obj))
    SearchDocument.objects.update_or_create(kind=kind, object_id=object_id, defaults=fields)
    return True


def _chunks(src: Source, batch: int) -> Iterator[list[Any]]:
    last = 0
    while True:
        rows = list(src.objects().filter(pk__gt=last)[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def rebuild(kinds: Iterable[str] | None = None, *, batch: int = 200) -> dict[str, int]:
    """Index every document of these kinds (all by default) afresh and drop rows whose
    document is gone. Returns how many were indexed per kind."""
    counts: dict[str, int] = {}
    for kind in kinds or list(SOURCES):
        src = source(kind)
        done = 0
        for rows in _chunks(src, batch):
            with transaction.atomic():
                existing = dict(
                    SearchDocument.objects.filter(kind=kind, object_id__in=[r.pk for r in rows]).values_list(
                        "object_id", "pk"
                    )
                )
                fresh, changed = [], []
                for row in rows:
                    doc = SearchDocument(kind=kind, object_id=row.pk, **_row_fields(src, src.read(row)))
                    if row.pk in existing:
                        doc.pk = existing[row.pk]
                        changed.append(doc)
                    else:
                        fresh.append(doc)
                SearchDocument.objects.bulk_create(fresh)
                if changed:
                    names = [
                        f.name
                        for f in SearchDocument._meta.concrete_fields
                        if f.name not in ("id", "kind", "object_id")
                    ]
                    SearchDocument.objects.bulk_update(changed, names)
            done += len(rows)
        gone = SearchDocument.objects.filter(kind=kind).exclude(object_id__in=src.model._default_manager.values("pk"))
        gone.delete()
        counts[kind] = done
    return counts


def stale(kind: str) -> Any:
    """The ids of documents of this kind that are not in the index as they are now: never
    indexed, or saved (or moved along their audit chain) since."""
    src = source(kind)
    current = SearchDocument.objects.filter(
        kind=kind,
        object_id=OuterRef("pk"),
        source_updated_at=OuterRef("updated_at"),
        source_seq=OuterRef("chain_seq"),
    )
    return src.model._default_manager.filter(~Exists(current)).values_list("pk", flat=True)


def queue_stale(limit: int = 1000) -> int:
    """Queue what the index missed (a change written by a bulk UPDATE fires no signal).
    Run by beat; returns how many documents were queued."""
    queued = 0
    for kind in SOURCES:
        ids = list(stale(kind)[: max(limit - queued, 0)])
        if ids:
            with transaction.atomic():
                enqueue(kind, ids)
            queued += len(ids)
    gone = 0
    for kind, src in SOURCES.items():
        gone += (
            SearchDocument.objects.filter(kind=kind)
            .exclude(object_id__in=src.model._default_manager.values("pk"))
            .delete()[0]
        )
    if queued or gone:
        logger.info("search sweep: %d document(s) queued, %d gone from the index", queued, gone)
    return queued
