"""Writes that start, move or stop a flow. The memo's own rules stay in memos.services; these
add what the flow needs in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from memos import services as memo_services
from memos.models import Memo

from .models import TaskLink


def process_cancel(*, flow_class: Any, process_id: int) -> None:
    """Cancel a memo's open tasks (withdrawal) through viewflow, under its lock."""
    process = flow_class.process_class._default_manager.get(pk=process_id)
    flow_class.instance.cancel(process)
    TaskLink.objects.filter(task__process_id=process_id, is_open=True).update(is_open=False)


@transaction.atomic
def memo_submit(*, memo: Memo, user: Any) -> Memo:
    """The drafter sends the memo to the signer; the memo's flow starts with the sign task."""
    from .flows import MemoFlow

    memo = memo_services.memo_submit(memo=memo, user=user)
    MemoFlow.start.run(memo=memo)
    return memo


@transaction.atomic
def memo_withdraw(*, memo: Memo, user: Any, reason: str) -> Memo:
    """The drafter withdraws the memo; its open tasks are cancelled with it."""
    from .flows import MemoFlow

    memo = memo_services.memo_withdraw(memo=memo, user=user, reason=reason)
    if memo.process_id:
        process_cancel(flow_class=MemoFlow, process_id=memo.process_id)
    return memo
