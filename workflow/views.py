"""The workflow's screens: the home page, the unified inbox, the task pages, and the two memo
actions that drive the memo's flow (send for signature starts it, withdraw cancels it).

Thin views: access check → form → service → (task) activation.execute(). The memo's own
screens are memos/views.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from audit.kernel import boundary as service_boundary
from directory.models import CAPACITY_WORDING, Capacity
from directory.selectors import positions_of_user
from documents.thai import be_year
from letters import selectors as letter_selectors
from letters.outgoing_selectors import outgoing_tasks_for
from memos import forms as memo_forms
from memos import selectors as memo_selectors
from memos import services
from memos.access import memo_get_for_user
from memos.models import EventAction, Memo, MemoState
from memos.views import errors_to_messages

from . import forms
from . import selectors as task_selectors
from . import services as task_services
from .models import TaskLink


def _task_filter(request: HttpRequest) -> task_selectors.TaskFilter:
    unit = request.GET.get("unit", "")
    state = request.GET.get("state", "")
    return task_selectors.TaskFilter(
        text=request.GET.get("q", "")[:200],
        unit_id=_small_int(unit),
        state=state if state in MemoState.values else "",
    )


def _small_int(raw: str) -> int | None:
    # str.isdigit() accepts "²" and other digits int() refuses; keep to short ASCII numbers.
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _page_number(request: HttpRequest, name: str = "page") -> int:
    return _small_int(request.GET.get(name, "1")) or 1


def request_positions(request: HttpRequest) -> list[Any]:
    """The posts the signed-in official acts for today, read once per request (the inbox, its
    circulars and the menu's count all ask)."""
    cached = getattr(request, "_saraban_positions", None)
    if cached is None:
        cached = positions_of_user(user=request.user)
        request._saraban_positions = cached  # type: ignore[attr-defined]
    return cached


def _queue_context(request: HttpRequest) -> dict[str, Any]:
    filters = _task_filter(request)
    positions = request_positions(request)
    return {
        "tasks": task_selectors.inbox_tasks(
            user=request.user, filters=filters, page=_page_number(request), positions=positions
        ),
        "queue": task_selectors.unit_queue(user=request.user, filters=filters, page=_page_number(request, "qpage")),
        "filters": filters,
        "states": MemoState.choices,
    }


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "memos/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        official = getattr(self.request.user, "official", None)
        posts = [
            {"position": position, "acting": CAPACITY_WORDING.get(Capacity(capacity), "")}
            for position, capacity in positions_of_user(user=self.request.user)
        ]
        from django.utils import timezone

        context.update(
            {
                "official": official,
                "posts": posts,
                "be_year": be_year(timezone.localdate()),
                **_queue_context(self.request),
            }
        )
        return context


class InboxView(LoginRequiredMixin, TemplateView):
    """Everything the official must act on: memo tasks (with the unit's queue for clerks),
    circulars to sign, book in, acknowledge, report on, or whose reports to accept, and
    received letters to act on or (clerks) to book in."""

    template_name = "memos/inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_queue_context(self.request))
        posts = [p.pk for p, _c in request_positions(self.request)]
        context["circulars"] = task_selectors.circular_work(user=self.request.user, posts=posts)
        context["letters_to_act"], context["letters_waiting"] = letter_selectors.inbox_letters(
            user=self.request.user, posts=posts
        )
        context["letter_count"] = len(context["letters_to_act"]) + len(context["letters_waiting"])
        context["outgoing_tasks"] = outgoing_tasks_for(self.request.user, posts=posts)
        # The menu drawn on this page counts what this page lists: no second query for it.
        self.request._saraban_letter_counts = letter_selectors.LetterCounts(  # type: ignore[attr-defined]
            to_act=len(context["letters_to_act"]),
            waiting=len(context["letters_waiting"]),
            outgoing=len(context["outgoing_tasks"]),
        )
        return context


# --- Sending and withdrawing a memo --------------------------------------------------------
# These two memo actions stay with the flow rather than in memos/views.py: sending starts the
# memo's viewflow process and withdrawing cancels it under the flow lock (taken before the
# memo row, as every task view does). A callback registered with memos would have to carry
# that lock order across the layers; here it is plain. Same URLs and names as ever
# (memos:memo_submit, memos:memo_withdraw).


class MemoSubmitView(LoginRequiredMixin, View):
    def post(self, request: Any, pk: int) -> HttpResponse:
        memo = memo_get_for_user(user=request.user, memo_id=pk, action="submit")
        try:
            task_services.memo_submit(memo=memo, user=request.user)
        except ValidationError as exc:
            errors_to_messages(request, exc)
        else:
            messages.success(request, "ส่งบันทึกข้อความเสนอลงนามแล้ว")
        return HttpResponseRedirect(reverse("memos:memo_detail", args=[pk]))


class MemoWithdrawView(LoginRequiredMixin, View):
    def post(self, request: Any, pk: int) -> HttpResponse:
        from contextlib import nullcontext

        from viewflow.workflow.exceptions import FlowLockFailed

        from .flows import MemoFlow
        from .nodes import BUSY

        memo = memo_get_for_user(user=request.user, memo_id=pk, action="withdraw")
        form = memo_forms.WithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, "กรุณาระบุเหตุผลที่ถอนเรื่อง")
            return HttpResponseRedirect(reverse("memos:memo_detail", args=[pk]))
        # The flow lock first, then the memo row: the same order as every task view, so a
        # withdrawal and a signature at the same moment queue instead of deadlocking.
        flow_lock = MemoFlow.lock(memo.process_id) if memo.process_id else nullcontext()
        try:
            with flow_lock, transaction.atomic():
                task_services.memo_withdraw(memo=memo, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_to_messages(request, exc)
        except FlowLockFailed:
            messages.error(request, BUSY)
        else:
            messages.success(request, "ถอนเรื่องแล้ว")
        return HttpResponseRedirect(reverse("memos:memo_detail", args=[pk]))


# --- Task views (wrapped by workflow.nodes.memo_task_view: lock, access, double click) -------


class _TaskView(LoginRequiredMixin, View):
    template_name = "memos/task.html"
    form_class: Any = None
    title = ""

    def get_form(self, data: Any = None) -> Any:
        return self.form_class(data)

    def page(self, request: Any, form: Any, status: int = 200) -> HttpResponse:
        memo = Memo.objects.select_related("unit", "addressee", "signing_position").get(pk=request.memo.pk)
        context = memo_selectors.memo_page(memo=memo, user=request.user)
        link = TaskLink.objects.filter(task=request.activation.task).select_related("position").first()
        context.update({"form": form, "task_title": self.title, "link": link, "task": request.activation.task})
        context.update(self.extra_context(memo, context))
        return render(request, self.template_name, context, status=status)

    def extra_context(self, memo: Memo, page: dict[str, Any]) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.page(request, self.get_form())

    def post(self, request: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        memo = request.memo  # read by memo_task_view; each service reads it again under lock
        try:
            # The services inside need no savepoints of their own: a refusal rolls back here.
            with service_boundary():
                message = self.act(request, memo, form)
                request.activation.execute()
                task_services.task_link_close(task=request.activation.task)
        except ValidationError as exc:
            errors_to_messages(request, exc, form)
            return self.page(request, form, status=400)
        messages.success(request, message)
        return HttpResponseRedirect(reverse("memos:memo_detail", args=[memo.pk]))

    def act(self, request: Any, memo: Memo, form: Any) -> str:
        raise NotImplementedError


class SignTaskView(_TaskView):
    form_class = forms.SignForm
    title = "ลงนามบันทึกข้อความ"

    def act(self, request: Any, memo: Memo, form: Any) -> str:
        if form.cleaned_data["action"] == "return":
            services.memo_return(
                memo=memo, user=request.user, position=memo.signing_position, reason=form.cleaned_data["reason"]
            )
            return "ส่งคืนผู้ร่างแล้ว"
        memo = services.memo_sign(memo=memo, user=request.user)
        return f"ลงนามแล้ว ได้เลขที่หนังสือ {memo.number}"


class ReviewTaskView(_TaskView):
    title = "พิจารณาบันทึกข้อความ"

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.memo_obj = request.memo
        self.deciding = services.memo_is_last_step(self.memo_obj)
        self.template_name = "memos/task_decide.html" if self.deciding else "memos/task.html"
        self.title = "พิจารณาสั่งการ" if self.deciding else "พิจารณาและเกษียนเสนอต่อ"
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data: Any = None) -> Any:
        if self.deciding:
            return forms.DecideForm(data, proposals=services.memo_proposals(self.memo_obj))
        return forms.ReviewForm(data)

    def act(self, request: Any, memo: Memo, form: Any) -> str:
        position = services.memo_current_position(memo)
        if position is None:
            raise ValidationError("บันทึกข้อความนี้ไม่ได้อยู่ระหว่างเสนอตามเส้นทาง")
        if form.cleaned_data["action"] == "return":
            services.memo_return(memo=memo, user=request.user, position=position, reason=form.cleaned_data["reason"])
            return "ส่งคืนผู้ร่างแล้ว"
        if self.deciding:
            memo = services.memo_decide(memo=memo, user=request.user, **form.decision_inputs())
            return f"สั่งการแล้ว ({memo.get_state_display()})"
        services.memo_forward(memo=memo, user=request.user, note=form.cleaned_data["note"])
        return "เกษียนและเสนอต่อแล้ว"


class ReviseTaskView(_TaskView):
    form_class = forms.ReviseForm
    title = "แก้ไขและเสนอใหม่"
    template_name = "memos/task_revise.html"

    def extra_context(self, memo: Memo, page: dict[str, Any]) -> dict[str, Any]:
        # Why it came back and from whom, above the button that sends it again (the page has
        # read the events already, in order).
        returns = [e for e in page["events"] if e.action == EventAction.RETURN]
        return {"returned": returns[-1] if returns else None}

    def act(self, request: Any, memo: Memo, form: Any) -> str:
        services.memo_resubmit(memo=memo, user=request.user, note=form.cleaned_data["note"])
        return "เสนอบันทึกข้อความที่แก้ไขแล้วใหม่"
