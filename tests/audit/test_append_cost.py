"""Appending to the chain stays cheap: the head is on the memo row the service already
locks, so a step reads no earlier event and costs no more statements than before."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from memos import services
from memos.models import Memo, MemoEvent
from memos.reference import DEPUTY_NOTE, reference_memo_input

pytestmark = pytest.mark.django_db

# memos.services.memo_forward, savepoint and release included: 11 statements before the
# head moved onto the memo (the chain read the last event) and 11 after (that read became
# the conditional UPDATE of the head); 8 since the memo's own changes go in that same UPDATE
# (audit.kernel) and the document version is numbered from the memo's own count instead of
# two reads of the versions, on SQLite and PostgreSQL alike. 9 with the search index's job
# (search.indexer.enqueue: one INSERT ... ON CONFLICT, committed with the forward).
FORWARD_STATEMENTS = 9


def test_memo_forward_reads_no_earlier_event(roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    services.memo_submit(memo=memo, user=roles.clerk)
    services.memo_sign(memo=memo, user=roles.director)
    memo = Memo.objects.get(pk=memo.pk)

    with CaptureQueriesContext(connection) as ctx:
        services.memo_forward(memo=memo, user=roles.deputy, note=DEPUTY_NOTE)

    sql = [q["sql"] for q in ctx.captured_queries]
    reads_of_events = [s for s in sql if s.startswith("SELECT") and 'FROM "memos_memoevent"' in s]
    assert reads_of_events == []
    assert len(sql) <= FORWARD_STATEMENTS, sql
    memo_updates = [s for s in sql if s.startswith('UPDATE "memos_memo"')]
    assert len(memo_updates) == 1 and '"chain_seq"' in memo_updates[0] and '"current_step"' in memo_updates[0]
    forward = MemoEvent.objects.get(memo=memo, action="forward")
    assert Memo.objects.get(pk=memo.pk).chain_seq == forward.seq == 4
