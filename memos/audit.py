"""The memo's audit chain (audit.chain, kind "memos"): append inside a service's transaction,
and verify."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from audit.chain import ChainReport
from audit.chain import chain_append as _append
from audit.chain import chain_verify as _verify

from .models import MEMO_CHAIN, Memo, MemoEvent

__all__ = ["ChainReport", "chain_verify", "event_append"]


def event_append(*, memo: Memo, action: str, from_state: str, to_state: str, **fields: Any) -> MemoEvent:
    """Append one event after the memo's own changes are saved. The caller holds the memo's
    row lock (memos.services._lock), so the head on that row is current: two statements,
    the head's UPDATE and the event's INSERT, and no read of the last event."""
    event = MemoEvent(
        memo=memo,
        action=action,
        from_state=from_state,
        to_state=to_state,
        created_at=fields.pop("created_at", None) or timezone.now(),
        **fields,
    )
    event.signature_lines = list(event.signature_lines or [])
    _append(MEMO_CHAIN, owner=memo, events=[event])
    return event


def chain_verify(*, memo_id: int) -> ChainReport:
    return _verify(MEMO_CHAIN, memo_id)
