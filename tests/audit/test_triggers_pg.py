"""On PostgreSQL the event tables are append-only: UPDATE and DELETE are refused by
triggers (django-pgtrigger), through the ORM and at the SQL prompt alike; appending works."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from directives.models import DirectiveEvent
from memos.audit import chain_verify
from memos.models import MemoEvent

from .conftest import decided_memo, sent_directive

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

REFUSED = "Cannot update or delete rows from"


def refused(statement) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        statement()
    return str(caught.value)


def sql(query: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(query, params)


def test_memo_events_cannot_be_updated_or_deleted(roles):
    memo = decided_memo(roles)
    decide = MemoEvent.objects.get(memo=memo, action="decide")

    assert REFUSED in refused(lambda: MemoEvent.objects.filter(pk=decide.pk).update(text="ไม่อนุมัติ"))
    assert REFUSED in refused(lambda: sql("UPDATE memos_memoevent SET text = %s WHERE id = %s", ["x", decide.pk]))
    assert REFUSED in refused(lambda: sql("DELETE FROM memos_memoevent WHERE memo_id = %s", [memo.pk]))

    assert MemoEvent.objects.filter(memo=memo).count() == memo.chain_seq
    assert MemoEvent.objects.get(pk=decide.pk).text == decide.text
    assert chain_verify(memo_id=memo.pk).ok


def test_directive_events_cannot_be_updated_or_deleted(roles):
    directive = sent_directive(decided_memo(roles), roles)
    send = DirectiveEvent.objects.get(directive=directive, action="send")

    assert REFUSED in refused(lambda: DirectiveEvent.objects.filter(pk=send.pk).update(payload={}))
    assert REFUSED in refused(
        lambda: sql("DELETE FROM directives_directiveevent WHERE directive_id = %s", [directive.pk])
    )

    assert DirectiveEvent.objects.filter(directive=directive).count() == directive.chain_seq
    assert DirectiveEvent.objects.get(pk=send.pk).payload == send.payload


def test_the_triggers_are_installed_by_the_migrations():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'pgtrigger_append_only_%%' AND t.tgenabled = 'O'"
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert {"memos_memoevent", "directives_directiveevent"} <= tables
