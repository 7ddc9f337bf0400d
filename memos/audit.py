"""The per-memo hash chain of events: append (inside a service's transaction) and verify."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from .models import Memo, MemoEvent


def _digest(event: MemoEvent) -> str:
    # Everything a reader relies on is hashed; ids of related rows are stable, names are
    # stored as text so a later rename of the user cannot "alter" history.
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


def event_append(*, memo: Memo, action: str, from_state: str, to_state: str, **fields: Any) -> MemoEvent:
    """Append one event. The caller holds the memo's row lock, so seq cannot race."""
    last = MemoEvent.objects.filter(memo=memo).order_by("-seq").values("seq", "hash").first()
    event = MemoEvent(
        memo=memo,
        seq=(last["seq"] + 1) if last else 1,
        action=action,
        from_state=from_state,
        to_state=to_state,
        prev_hash=last["hash"] if last else "",
        created_at=fields.pop("created_at", None) or timezone.now(),
        **fields,
    )
    # Round-trip through JSON now so the digest sees exactly what the database will return.
    event.payload = json.loads(json.dumps(event.payload, ensure_ascii=False))
    event.signature_lines = list(event.signature_lines or [])
    event.hash = _digest(event)
    event.save()
    return event


@dataclass(frozen=True)
class ChainReport:
    memo_id: int
    events: int
    first_bad_seq: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def chain_verify(*, memo_id: int) -> ChainReport:
    prev = ""
    count = 0
    expected_seq = 1
    for event in MemoEvent.objects.filter(memo_id=memo_id).order_by("seq").iterator():
        count += 1
        if event.seq != expected_seq:
            return ChainReport(memo_id, count, expected_seq, "เหตุการณ์ขาดหายไปจากลำดับ")
        if event.prev_hash != prev:
            return ChainReport(memo_id, count, event.seq, "ค่าอ้างอิงเหตุการณ์ก่อนหน้าไม่ตรงกัน")
        if _digest(event) != event.hash:
            return ChainReport(memo_id, count, event.seq, "เนื้อหาเหตุการณ์ถูกแก้ไขหลังบันทึก")
        prev = event.hash
        expected_seq += 1
    return ChainReport(memo_id, count, None)
