"""Writes that start, move or stop a flow. The memo's own rules stay in memos.services; these
add what the flow needs in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from directory.models import Position
from memos import services as memo_services
from memos.models import Memo

from .models import TaskLink

# --- The task link: the one place that writes it ---------------------------------------------
# A TaskLink ties a viewflow task to the memo, the post it was addressed through, and what the
# inbox and the unit queue read. It is opened when the flow creates a task, closed when the
# task is done or the memo withdrawn, and takes a new owner when an acting holder takes over.


def task_link_open(*, task: Any, memo: Memo, kind: str, position: Position | None, step: int | None) -> TaskLink:
    """The flow created `task`: the memo's previous link closes and this one opens, in the
    same transaction."""
    TaskLink.objects.filter(memo=memo, is_open=True).exclude(task=task).update(is_open=False)
    return TaskLink.objects.create(
        task=task,
        memo=memo,
        position=position,
        kind=kind,
        step=step,
        urgency=memo.urgency,
        secrecy=memo.secrecy,
        owner_id=task.owner_id,
        registering_unit=position.registering_unit if position is not None else memo.unit,
        created_at=task.created or timezone.now(),
    )


def task_link_close(*, task: Any) -> None:
    """The task is done: it leaves every inbox and queue."""
    TaskLink.objects.filter(task=task).update(is_open=False)


def task_link_take_over(*, task: Any, user: Any) -> None:
    """An acting holder takes over a task created for their predecessor."""
    TaskLink.objects.filter(task_id=task.pk).update(owner=user)


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
