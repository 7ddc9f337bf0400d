"""A viewflow View node for memo work: tasks belong to a post, and a second click is told so."""

from __future__ import annotations

from functools import update_wrapper
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow import flow
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from directory.selectors import appointment_for_position
from memos.access import memo_visible_to
from memos.models import Memo

from .models import TaskKind, TaskLink
from .services import task_link_take_over

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)

ALREADY_DONE = "งานนี้ได้ดำเนินการไปแล้ว (อาจกดซ้ำหรือมีผู้อื่นดำเนินการก่อน) ระบบไม่ได้บันทึกซ้ำ"
BUSY = "มีผู้อื่นกำลังดำเนินการกับบันทึกข้อความนี้อยู่ กรุณาลองใหม่อีกครั้งในอีกสักครู่"
WITHDRAWN = "ผู้ร่างถอนเรื่องนี้แล้ว งานนี้จึงถูกยกเลิก ไม่ต้องดำเนินการต่อ"


def user_acts_for_task(user: Any, task: Any, link: TaskLink | None = None) -> bool:
    """Whoever acts for the task's post today; for a task of no post (the drafter's revise
    task), its owner. A post's task follows the post, not the person: once a holder's
    appointment ends, her old link and her inbox no longer show the task, and the acting
    holder (who may have taken over since the task was created) works it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if link is None:  # the caller may have read it already (memo_holders)
        link = TaskLink.objects.filter(task_id=task.pk).select_related("position").first()
    if link is not None and link.kind == TaskKind.BOOK_IN:
        # Booking in is the receiving office's clerks' work, whoever holds the post.
        official = getattr(user, "official", None)
        return official is not None and official.is_clerk and official.unit_id == link.registering_unit_id
    if link is None or link.position is None:
        return task.owner_id == user.pk
    appointment = appointment_for_position(position=link.position)
    official = getattr(user, "official", None)
    return appointment is not None and official is not None and appointment.official_id == official.pk


def memo_task_view(flow_task: Any, origin_view: Any) -> Any:
    """viewflow's wrap_view, with the answers a user needs instead of 403/500:
    another unit's clerk gets 404; a done task (double click, or two people at once) gets a
    Thai message and the memo page; a held lock gets "try again"."""

    def view(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            # The link in a notification mail: sign in first, then come back here.
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        process_pk, task_pk = kwargs["process_pk"], kwargs["task_pk"]
        flow_class = flow_task.flow_class
        task = get_object_or_404(flow_class.task_class, pk=task_pk, process_id=process_pk)
        if task.process.flow_class != flow_class:
            raise Http404
        memo = Memo.objects.filter(process_id=process_pk).first()
        if memo is None or not memo_visible_to(request.user, memo):
            raise Http404
        memo_url = reverse("memos:memo_detail", args=[memo.pk])

        def call() -> Any:
            locked_task = flow_class.task_class._default_manager.get(pk=task_pk)
            if locked_task.status == STATUS.CANCELED:
                messages.warning(request, WITHDRAWN)
                return HttpResponseRedirect(memo_url)
            if locked_task.status not in OPEN_STATUSES:
                messages.warning(request, ALREADY_DONE)
                return HttpResponseRedirect(memo_url)
            if not flow_task.can_execute(request.user, locked_task):
                raise Http404
            task_link_take_over(task=locked_task, user=request.user)
            request.activation = flow_task.activation_class(locked_task)
            request.activation.start(request)
            request.memo = memo
            return origin_view(request, *args, **kwargs)

        try:
            if request.method == "POST":
                with flow_class.lock(process_pk), transaction.atomic():
                    return call()
            return call()
        except TransitionNotAllowed:
            messages.warning(request, ALREADY_DONE)
            return HttpResponseRedirect(memo_url)
        except FlowLockFailed:
            messages.error(request, BUSY)
            return HttpResponseRedirect(memo_url)

    update_wrapper(view, origin_view)
    return view


class MemoTask(flow.View):
    """A human step of the memo flow, addressed to a post (or to the drafter)."""

    # viewflow's generic assign / unassign / cancel / undo / revive pages would move a task
    # without the memo: assignment follows the posts (TaskLink), and a memo's tasks end only
    # through its own services (sign, forward, decide, return, withdraw).
    assign_view_class = None
    unassign_view_class = None
    cancel_view_class = None
    undo_view_class = None
    revive_view_class = None

    def __init__(self, view: Any, *, kind: str, **kwargs: Any) -> None:
        super().__init__(view, **kwargs)
        self.kind = kind
        self._on_create = self._link_task
        # A permission nobody is granted keeps these tasks out of viewflow's shared "queue":
        # who may take a memo task is decided by posts, below, not by Django permissions.
        self.Permission("workflow.act_on_memo_task")

    @staticmethod
    def _link_task(activation: Any) -> None:
        # The flow copies its nodes when it is built; read the live node off the activation.
        node = activation.flow_task
        node.flow_class.instance.task_created(activation, node)

    @property
    def view_path(self) -> Any:
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            memo_task_view(self, self.view),
            name="execute",
        )

    def can_execute(self, user: Any, task: Any) -> bool:
        return user_acts_for_task(user, task)

    def can_assign(self, user: Any, task: Any) -> bool:
        return task.owner_id is None and user_acts_for_task(user, task)


def task_execute_url(task: Any) -> str:
    """The task's page. viewflow learns each flow's URL namespace while the URLconf is built,
    so outside a request (workers, commands) load the URLconf before asking."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports config.urls once per process
    return str(task.reverse("execute"))
