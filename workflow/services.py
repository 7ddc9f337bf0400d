"""Writes that start, move or stop a flow. The memo's own rules stay in memos.services; these
add what the flow needs in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from viewflow.workflow.status import STATUS

from directory.models import Position
from memos import services as memo_services
from memos.models import Memo
from notifications.services import notifications_done

from .models import TaskLink

# --- The task link: the one place that writes it ---------------------------------------------
# A TaskLink ties a viewflow task to the memo, the post it was addressed through, and what the
# inbox and the unit queue read. It is opened when the flow creates a task, closed when the
# task is done or the memo withdrawn, and takes a new owner when an acting holder takes over.
# Closing a link (or a take-over) also marks read the notifications that asked for the task.


def task_done_key(task_id: int) -> str:
    """What a task's notifications carry as done_key (notify.py, reminders.py)."""
    return f"task:{task_id}"


def _close(links: Any) -> None:
    """Close `links` (a query of open links) and mark read what asked for their tasks: two
    UPDATEs, the notifications' first (their keys are read from the links still open)."""
    keys = links.annotate(key=Concat(Value("task:"), Cast("task_id", CharField()))).values("key")
    notifications_done(done_keys=keys)
    links.update(is_open=False)


def task_link_open(*, task: Any, memo: Memo, kind: str, position: Position | None, step: int | None) -> TaskLink:
    """The flow created `task`: the memo's previous link closes and this one opens, in the
    same transaction."""
    _close(TaskLink.objects.filter(memo=memo, is_open=True).exclude(task=task))
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
    TaskLink.objects.filter(task_id=task.pk).update(is_open=False)
    notifications_done(done_keys=[task_done_key(task.pk)])


def task_link_take_over(*, task: Any, user: Any) -> None:
    """An acting holder takes over a task created for their predecessor: viewflow's task
    becomes theirs, and so does its link; the predecessor's notifications of it are read.
    Nothing happens when the task is already theirs. The caller holds the flow's lock."""
    if task.owner_id == user.pk:
        return
    task.owner = user
    task.status = STATUS.ASSIGNED
    task.assigned = timezone.now()
    task.save(update_fields=["owner", "status", "assigned"])
    TaskLink.objects.filter(task_id=task.pk).update(owner=user)
    notifications_done(done_keys=[task_done_key(task.pk)], except_user=user)


def process_cancel(*, flow_class: Any, process_id: int) -> None:
    """Cancel a memo's open tasks (withdrawal) through viewflow, under its lock."""
    process = flow_class.process_class._default_manager.get(pk=process_id)
    flow_class.instance.cancel(process)
    _close(TaskLink.objects.filter(task__process_id=process_id, is_open=True))


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
