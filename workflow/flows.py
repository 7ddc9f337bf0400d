"""The memo's route as a viewflow flow. Only nodes here; conditions and assignment read the memo.

start → sign ─┬→ [book_in] → review ⟲ (one task per route step, looping over memo.route)
              │                  ├→ revise (returned) → sign …
              │                  └→ end (decided)
              └→ revise (returned by the signer)

book_in is the receiving office's clerk booking the memo in, for offices that do so by hand
(Unit.books_in_by_hand); elsewhere the system books it in as the review task is created.
"""

from __future__ import annotations

from typing import Any

from viewflow import this
from viewflow.workflow import flow, lock

from directory.selectors import official_acting_for
from memos.access import memo_visible_to
from memos.models import Memo, MemoState
from memos.services import (
    memo_arrive,
    memo_awaits_receipt,
    memo_books_in_by_hand,
    memo_current_position,
    memo_is_last_step,
)

from . import book_in as book_in_views
from . import views
from .models import MemoProcess, TaskKind
from .nodes import MemoTask
from .services import task_link_open


def _memo(activation: Any) -> Memo:
    """The memo behind an activation, read once per activation: a node's assignment, its
    on-create hook and a gateway's condition all ask, after the service has saved the change."""
    memo = getattr(activation, "_memo_cache", None)
    if memo is None:
        memo = Memo.objects.select_related("signing_position", "drafted_by", "unit").get(
            process_id=activation.process.pk
        )
        activation._memo_cache = memo
    return memo


class MemoFlow(flow.Flow):
    process_class = MemoProcess
    lock_impl = lock.select_for_update_lock
    process_title = "บันทึกข้อความ"
    process_description = "เสนอบันทึกข้อความตามเส้นทาง ลงนาม เกษียน และสั่งการ"
    process_summary_template = "{{ process.memo.number|default:'ร่าง' }} {{ process.memo.subject }}"

    start = flow.StartHandle(this.start_process).Annotation(title="เสนอบันทึกข้อความ").Next(this.sign)

    sign = (
        MemoTask(views.SignTaskView.as_view(), kind=TaskKind.SIGN)
        .Annotation(title="ลงนามบันทึกข้อความ", summary_template="ลงนาม: {{ process.memo.subject }}")
        .Assign(this.signer_of)
        .Next(this.after_sign)
    )
    after_sign = (
        flow.Switch()
        .Annotation(title="ตรวจผลการลงนาม")
        .Case(this.book_in, this.needs_booking_in)
        .Case(this.review, this.is_in_review)
        .Default(this.revise)
    )

    book_in = (
        MemoTask(book_in_views.BookInTaskView.as_view(), kind=TaskKind.BOOK_IN)
        .Annotation(title="ลงทะเบียนรับ", summary_template="ลงรับ: {{ process.memo.subject }}")
        .Next(this.review)
    )

    review = (
        MemoTask(views.ReviewTaskView.as_view(), kind=TaskKind.REVIEW)
        .Annotation(title="พิจารณาบันทึกข้อความ", summary_template="พิจารณา: {{ process.memo.subject }}")
        .Assign(this.reviewer_of)
        .Next(this.after_review)
    )
    after_review = (
        flow.Switch()
        .Annotation(title="ตรวจผลการพิจารณา")
        .Case(this.book_in, this.needs_booking_in)
        .Case(this.review, this.is_in_review)
        .Case(this.revise, this.is_returned)
        .Default(this.end)
    )

    revise = (
        MemoTask(views.ReviseTaskView.as_view(), kind=TaskKind.REVISE)
        .Annotation(title="แก้ไขบันทึกข้อความที่ถูกส่งคืน", summary_template="แก้ไข: {{ process.memo.subject }}")
        .Assign(this.drafter_of)
        .Next(this.after_revise)
    )
    after_revise = (
        flow.Switch().Annotation(title="ตรวจการเสนอใหม่").Case(this.sign, this.is_awaiting_signature).Default(this.end)
    )

    end = flow.End().Annotation(title="สิ้นสุด")

    # --- who may see viewflow's own pages ---------------------------------------------------

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        """Process and task pages follow the memo's access rule; another unit's clerk gets 404.

        The flow-wide lists (every process, every task) are for administrators: officials work
        from their inbox and their unit's queue, which are filtered by the same rule.
        """
        if not getattr(user, "is_authenticated", False):
            return False
        if obj is None:
            return bool(user.is_superuser or user.has_perm("workflow.view_memoprocess"))
        from django.http import Http404

        memo = Memo.objects.filter(process_id=obj.pk).first()
        if memo is None or not memo_visible_to(user, memo):
            raise Http404("ไม่พบบันทึกข้อความ")
        return True

    def has_manage_permission(self, user: Any, obj: Any = None) -> bool:
        """Nobody cancels, undoes or revives memo work through viewflow's generic pages: a
        memo's tasks end only through its services (decide, return, withdraw), which keep the
        memo, its registers and its audit chain in step."""
        return False

    # --- how the flow reads the memo ------------------------------------------------------

    def start_process(self, activation: Any, memo: Memo) -> Any:
        activation.process.save()
        Memo.objects.filter(pk=memo.pk).update(process=activation.process)
        return activation.process

    def needs_booking_in(self, activation: Any) -> bool:
        return memo_books_in_by_hand(_memo(activation))

    def is_in_review(self, activation: Any) -> bool:
        return _memo(activation).state == MemoState.IN_REVIEW

    def is_returned(self, activation: Any) -> bool:
        return _memo(activation).state == MemoState.RETURNED

    def is_awaiting_signature(self, activation: Any) -> bool:
        return _memo(activation).state == MemoState.AWAITING_SIGNATURE

    def signer_of(self, activation: Any) -> Any:
        official = official_acting_for(position=_memo(activation).signing_position)
        return official.user if official else None

    def reviewer_of(self, activation: Any) -> Any:
        position = memo_current_position(_memo(activation))
        official = official_acting_for(position=position) if position else None
        return official.user if official else None

    def drafter_of(self, activation: Any) -> Any:
        return _memo(activation).drafted_by

    def task_created(self, activation: Any, node: MemoTask) -> None:
        """Every new task: link it to its post, book the memo in where it arrives, tell the assignee."""
        from . import notify

        memo = _memo(activation)
        task = activation.task
        position = None
        kind = node.kind
        step = None
        if kind == TaskKind.SIGN:
            position = memo.signing_position
        elif kind == TaskKind.BOOK_IN:
            position = memo_current_position(memo)
            step = memo.current_step
        elif kind == TaskKind.REVIEW:
            position = memo_current_position(memo)
            step = memo.current_step
            if memo_is_last_step(memo):
                kind = TaskKind.DECIDE
            if position is not None and memo_awaits_receipt(memo):
                memo_arrive(memo=memo, position=position)  # offices that do not book in by hand
        task_link_open(task=task, memo=memo, kind=kind, position=position, step=step)
        notify.task_assigned(memo=memo, task=task, kind=kind, position=position)
