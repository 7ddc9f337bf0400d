"""A database made before the chains were keyed upgrades into chains that verify: memo
chains intact under the old SHA-256 are sealed with the key, one already broken stays
broken at the same event, and directive events (which had no hash at all) are chained in
the order they were written. The tables are taken back to the migrations before the
change, filled as the old code filled them, and migrated forward again."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from memos.audit import chain_verify
from tests.integration.celery_support import MemoryBroker, use_broker

from .conftest import decided_memo, sent_directive

BEFORE = [("memos", "0005_stored_files_random_names"), ("directives", "0004_stored_files_random_names")]


def old_digest(event) -> str:  # type: ignore[no-untyped-def]
    """memos/audit.py's unkeyed digest before this change."""
    body = {
        "memo": event.memo_id,
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "position": event.position_id,
        "capacity": event.capacity,
        "signature_lines": event.signature_lines,
        "from": event.from_state,
        "to": event.to_state,
        "step": event.step,
        "text": event.text,
        "payload": event.payload,
        "at": event.created_at.isoformat(),
        "prev": event.prev_hash,
    }
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@pytest.fixture(autouse=True)
def memory_broker() -> Iterator[None]:
    """This test commits: its hand-offs go to an in-memory queue of its own."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    broker = MemoryBroker(queue)
    with use_broker("memory://", queue=queue):
        yield
    broker.take()


@pytest.fixture
def migrate_back() -> Iterator[object]:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        yield MigrationExecutor(connection).loader.project_state(BEFORE).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_history_is_sealed_by_the_migration(roles, request):
    intact = decided_memo(roles)
    tampered = decided_memo(roles)
    directive = sent_directive(intact, roles)
    directive_events = list(directive.events.order_by("created_at", "pk").values_list("pk", flat=True))

    old_apps = request.getfixturevalue("migrate_back")
    MemoEvent = old_apps.get_model("memos", "MemoEvent")
    for memo in (intact, tampered):  # the chains as the old code wrote them
        prev = ""
        for event in MemoEvent.objects.filter(memo_id=memo.pk).order_by("seq"):
            event.prev_hash = prev
            event.hash = prev = old_digest(event)
            event.save(update_fields=["prev_hash", "hash"])
    MemoEvent.objects.filter(memo_id=tampered.pk, seq=3).update(text="แก้ไขก่อนอัปเกรด")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert chain_verify(memo_id=intact.pk).ok
    broken = chain_verify(memo_id=tampered.pk)
    assert broken.first_bad_seq == 3  # not vouched for by the migration
    directive = type(directive).objects.get(pk=directive.pk)
    assert list(directive.events.order_by("seq").values_list("pk", flat=True)) == directive_events
    assert directive.chain_seq == len(directive_events)
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_audit", stdout=out, stderr=out)
    assert "หนังสือเวียน: ตรวจแล้ว 1 ฉบับ พบปัญหา 0 ฉบับ" in out.getvalue()
    assert "บันทึกข้อความ: ตรวจแล้ว 2 เรื่อง พบปัญหา 1 เรื่อง" in out.getvalue()
    assert f"บันทึกข้อความ #{tampered.pk}: เหตุการณ์ลำดับที่ 3 ไม่ถูกต้อง" in out.getvalue()
