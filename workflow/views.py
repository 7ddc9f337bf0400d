"""Thin views: access check → form → service → (task) activation.execute()."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from audit.kernel import boundary as service_boundary
from directory.models import CAPACITY_WORDING, Capacity, Position
from directory.selectors import positions_of_user
from documents.exports import FORMATS, table_response
from documents.preflight import check_memo
from documents.responses import safe_filename, stored_file_response
from documents.thai import be_year, thai_date, thai_time, to_thai_digits
from memos import selectors, services
from memos.access import memo_get_for_user, memos_visible_to
from memos.models import EventAction, Memo, MemoEvent, MemoState, RouteTemplate
from registers.models import RegisterEntry, Series

from . import forms
from . import selectors as task_selectors
from . import services as task_services
from .models import TaskLink


def _errors_to_messages(request: HttpRequest, exc: ValidationError, form: Any = None) -> None:
    """Put a service's Thai errors next to the fields they name, the rest at the top."""
    if hasattr(exc, "error_dict") and form is not None:
        for field, errors in exc.message_dict.items():
            if field in form.fields:
                for error in errors:
                    form.add_error(field, error)
            else:
                for error in errors:
                    messages.error(request, error)
    else:
        for error in exc.messages:
            messages.error(request, error)


def memo_context(memo: Memo, user: Any) -> dict[str, Any]:
    """What the memo page and every task page show: the memo as a readable page."""
    sections = []
    for section in memo.sections.prefetch_related("items"):
        items = list(section.items.all())
        labels = selectors.item_labels([(i.level, i.style) for i in items])
        sections.append({"section": section, "items": list(zip(items, labels, strict=True))})
    events = selectors.memo_events(memo)
    # The paper shows the current round only (since the last sending), as the .docx does;
    # earlier rounds stay in the history table below it.
    starts = [i for i, e in enumerate(events) if e.action in (EventAction.SUBMIT, EventAction.RESUBMIT)]
    current = events[starts[-1] :] if starts else events
    signed = [e for e in current if e.action == EventAction.SIGN]
    holder = task_selectors.memo_holder(memo)
    open_task = None
    if holder is not None:
        link = holder[0]
        from .nodes import user_acts_for_task

        if user_acts_for_task(user, link.task):
            open_task = {"link": link, "url": link.task.reverse("execute")}
    return {
        "memo": memo,
        "sections": sections,
        "proposals": list(memo.proposals.all()),
        "closing": selectors.memo_closing(memo),
        "route": list(memo.route.select_related("position")),
        "events": events,
        "signature_event": signed[-1] if signed else None,
        "notes": [e for e in current if e.action in (EventAction.FORWARD, EventAction.DECIDE, EventAction.RETURN)],
        "receipts": [e for e in current if e.action == EventAction.RECEIVE],
        "attachments": list(memo.attachments.all()),
        "revisions": list(memo.revisions.all()),
        "holder": holder,
        "open_task": open_task,
        "is_drafter": memo.drafted_by_id == user.pk,
        "can_edit": memo.state in (MemoState.DRAFT, MemoState.RETURNED) and memo.drafted_by_id == user.pk,
        # The originating unit passes the decision on to the units (directives app).
        "can_start_directive": memo.state in (MemoState.APPROVED, MemoState.PARTLY_APPROVED)
        and getattr(getattr(user, "official", None), "unit_id", None) == memo.unit_id,
        "can_withdraw": memo.drafted_by_id == user.pk
        and memo.state in (MemoState.DRAFT, MemoState.AWAITING_SIGNATURE, MemoState.IN_REVIEW, MemoState.RETURNED),
        "thai": to_thai_digits,
    }


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
    """Everything the official must act on: memo tasks (with the unit's queue for clerks) and
    circulars to sign, book in, acknowledge, report on, or whose reports to accept."""

    template_name = "memos/inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_queue_context(self.request))
        posts = [p.pk for p, _c in request_positions(self.request)]
        context["circulars"] = task_selectors.circular_work(user=self.request.user, posts=posts)
        return context


class MyMemosView(LoginRequiredMixin, TemplateView):
    template_name = "memos/memo_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        memos = list(
            memos_visible_to(user).filter(drafted_by=user).select_related("unit").order_by("-updated_at")[:200]
        )
        links = {
            link.memo_id: link
            for link in TaskLink.objects.filter(memo__in=memos, is_open=True).select_related(
                "position", "task__owner__official"
            )
        }
        context["rows"] = [(m, links.get(m.pk)) for m in memos]
        return context


def _initial_from_memo(memo: Memo | None, user: Any) -> dict[str, Any]:
    if memo is None:
        official = getattr(user, "official", None)
        template = (
            RouteTemplate.objects.filter(unit=official.unit, is_default=True)
            .prefetch_related("steps__position")
            .first()
            if official
            else None
        )
        route = [{"position": s.position} for s in template.steps.all()] if template else []
        addressee = route[-1]["position"] if route else None
        # The unit's own head signs by default (the first post of the unit in the directory).
        signer = (
            Position.objects.filter(unit=official.unit, is_active=True).order_by("sort_order").first()
            if official
            else None
        )
        return {
            "header": {
                "phone": official.unit.phone if official else "",
                "addressee": addressee,
                "signing_position": signer,
            },
            "sections": [{"heading": s.heading} for s in services.default_sections()],
            "proposals": [{}],
            "route": route or [{}],
        }
    sections = []
    for section in memo.sections.prefetch_related("items"):
        lines = []
        for item in section.items.all():
            prefix = "  " if item.level else ""
            lines.append(prefix + ("- " if item.style == "bullet" else "") + item.text)
        sections.append({"heading": section.heading, "intro": section.intro, "items": "\n".join(lines)})
    return {
        "header": {
            "subject": memo.subject,
            "addressee": memo.addressee,
            "signing_position": memo.signing_position,
            "phone": memo.phone,
            "urgency": memo.urgency,
            "secrecy": memo.secrecy,
            "authority": memo.authority,
        },
        "sections": sections,
        "proposals": [{"text": p.text, "ask": p.ask} for p in memo.proposals.all()],
        "route": [{"position": r.position} for r in memo.route.select_related("position")],
    }


class MemoEditView(LoginRequiredMixin, View):
    """Draft a memo in one page (new, or edit a draft / a returned memo)."""

    template_name = "memos/memo_form.html"

    def _memo(self, request: HttpRequest, pk: int | None) -> Memo | None:
        return memo_get_for_user(user=request.user, memo_id=pk, action="edit") if pk else None

    def _forms(self, request: HttpRequest, memo: Memo | None, data: Any = None) -> dict[str, Any]:
        initial = _initial_from_memo(memo, request.user)
        return {
            "header": forms.MemoHeaderForm(data, initial=initial["header"], prefix="h"),
            "sections": forms.SectionFormSet(data, initial=initial["sections"], prefix="s"),
            "proposals": forms.ProposalFormSet(data, initial=initial["proposals"], prefix="p"),
            "route": forms.RouteFormSet(data, initial=initial["route"], prefix="r"),
        }

    def _render(
        self, request: HttpRequest, memo: Memo | None, bundle: dict[str, Any], findings: Any = ()
    ) -> HttpResponse:
        return render(request, self.template_name, {"memo": memo, **bundle, "findings": findings})

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        if getattr(request.user, "official", None) is None:
            messages.error(request, "บัญชีนี้ยังไม่ได้ผูกกับข้าราชการ จึงร่างบันทึกข้อความไม่ได้")
            return HttpResponseRedirect(reverse("memos:index"))
        memo = self._memo(request, pk)
        if memo is not None and memo.state not in (MemoState.DRAFT, MemoState.RETURNED):
            messages.warning(request, f"แก้ไขไม่ได้ เนื่องจากบันทึกข้อความอยู่ในสถานะ “{memo.get_state_display()}”")
            return HttpResponseRedirect(reverse("memos:memo_detail", args=[memo.pk]))
        findings = _findings(memo) if memo else []
        return self._render(request, memo, self._forms(request, memo), findings)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        memo = self._memo(request, pk)
        bundle = self._forms(request, memo, request.POST)
        if not all(f.is_valid() for f in bundle.values()):
            messages.error(request, "กรุณาแก้ไขข้อมูลที่ระบุด้านล่าง")
            return self._render(request, memo, bundle)
        header = bundle["header"].cleaned_data
        data = services.MemoInput(
            subject=header["subject"],
            addressee_id=header["addressee"].pk,
            signing_position_id=header["signing_position"].pk,
            route_position_ids=[f.cleaned_data["position"].pk for f in forms.ordered(bundle["route"])],
            sections=[f.to_input() for f in forms.ordered(bundle["sections"])],
            proposals=[f.to_input() for f in forms.ordered(bundle["proposals"])],
            urgency=header["urgency"],
            secrecy=header["secrecy"],
            phone=header["phone"],
            authority=header["authority"],
        )
        try:
            if memo is None:
                memo = services.memo_create(user=request.user, data=data)
            else:
                memo = services.memo_update(memo=memo, user=request.user, data=data)
        except ValidationError as exc:
            _errors_to_messages(request, exc, bundle["header"])
            return self._render(request, memo, bundle)
        messages.success(request, "บันทึกร่างแล้ว")
        return HttpResponseRedirect(reverse("memos:memo_detail", args=[memo.pk]))


def _findings(memo: Memo) -> list[Any]:
    return list(check_memo(selectors.memo_document_data(memo=memo)))


class MemoDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        memo = memo_get_for_user(user=request.user, memo_id=pk)
        context = memo_context(memo, request.user)
        if context["can_edit"]:
            context["findings"] = _findings(memo)
            context["attachment_form"] = forms.AttachmentForm()
        context["withdraw_form"] = forms.WithdrawForm()
        return render(request, "memos/memo_detail.html", context)


class MemoSubmitView(LoginRequiredMixin, View):
    def post(self, request: Any, pk: int) -> HttpResponse:
        memo = memo_get_for_user(user=request.user, memo_id=pk, action="submit")
        try:
            task_services.memo_submit(memo=memo, user=request.user)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
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
        form = forms.WithdrawForm(request.POST)
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
            _errors_to_messages(request, exc)
        except FlowLockFailed:
            messages.error(request, BUSY)
        else:
            messages.success(request, "ถอนเรื่องแล้ว")
        return HttpResponseRedirect(reverse("memos:memo_detail", args=[pk]))


class AttachmentUploadView(LoginRequiredMixin, View):
    def post(self, request: Any, pk: int) -> HttpResponse:
        memo = memo_get_for_user(user=request.user, memo_id=pk, action="edit")
        form = forms.AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "กรุณาเลือกไฟล์ที่จะแนบ")
        else:
            try:
                services.attachment_add(
                    memo=memo, user=request.user, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
                )
            except ValidationError as exc:
                _errors_to_messages(request, exc)
            else:
                messages.success(request, "แนบไฟล์แล้ว")
        return HttpResponseRedirect(reverse("memos:memo_detail", args=[pk]))


class AttachmentDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
        memo = memo_get_for_user(user=request.user, memo_id=pk)
        attachment = get_object_or_404(memo.attachments, pk=attachment_id)
        name = attachment.original_name or attachment.file.name.rsplit("/", 1)[-1]
        return stored_file_response(attachment.file, name, content_type=attachment.content_type or None)


# --- Task views (wrapped by workflow.nodes.memo_task_view: lock, access, double click) -------


class _TaskView(LoginRequiredMixin, View):
    template_name = "memos/task.html"
    form_class: Any = None
    title = ""

    def get_form(self, data: Any = None) -> Any:
        return self.form_class(data)

    def page(self, request: Any, form: Any, status: int = 200) -> HttpResponse:
        memo = Memo.objects.select_related("unit", "addressee", "signing_position").get(pk=request.memo.pk)
        context = memo_context(memo, request.user)
        link = TaskLink.objects.filter(task=request.activation.task).select_related("position").first()
        context.update({"form": form, "task_title": self.title, "link": link, "task": request.activation.task})
        context.update(self.extra_context(memo))
        return render(request, self.template_name, context, status=status)

    def extra_context(self, memo: Memo) -> dict[str, Any]:
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
            _errors_to_messages(request, exc, form)
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

    def extra_context(self, memo: Memo) -> dict[str, Any]:
        # Why it came back and from whom, above the button that sends it again.
        return {"returned": MemoEvent.objects.filter(memo=memo, action=EventAction.RETURN).order_by("seq").last()}

    def act(self, request: Any, memo: Memo, form: Any) -> str:
        services.memo_resubmit(memo=memo, user=request.user, note=form.cleaned_data["note"])
        return "เสนอบันทึกข้อความที่แก้ไขแล้วใหม่"


# --- Registers ------------------------------------------------------------------------------

REGISTER_HEADINGS = {
    Series.SEND: ["เลขทะเบียนส่ง", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"],
    Series.CIRCULAR: ["เลขทะเบียนส่ง", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"],
    Series.RECEIVE: ["เลขทะเบียนรับ", "วันที่รับ", "เวลา", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"],
}


class RegisterView(LoginRequiredMixin, View):
    """A unit's register for one Buddhist-era year, on screen or as CSV (Thai headings)."""

    def get(self, request: HttpRequest, series: str, year: int) -> HttpResponse:
        official = getattr(request.user, "official", None)
        if series not in Series.values or official is None or not (official.is_clerk or request.user.is_superuser):
            raise Http404
        entries = (
            RegisterEntry.objects.filter(unit=official.unit, series=series, year=year)
            .select_related("memo")
            .order_by("number")
        )
        rows = []
        for e in entries:
            # A register is read by every clerk of the office; a secret memo's subject is not.
            subject = "(หนังสือชั้นลับ)" if e.memo is not None and e.memo.is_secret else e.subject
            remark = (e.remarks + (" ยกเลิกเลข: " + e.void_reason if e.void else "")).strip()
            dated = thai_date(e.document_date, abbreviated=True) if e.document_date else ""
            if series == Series.RECEIVE:
                rows.append(
                    [
                        to_thai_digits(e.number),
                        thai_date(e.registered_at, abbreviated=True),
                        thai_time(e.registered_at),
                        e.document_number,
                        dated,
                        e.sender,
                        e.recipient,
                        subject,
                        e.action,
                        remark,
                    ]
                )
            else:
                rows.append(
                    [
                        to_thai_digits(e.number),
                        e.document_number,
                        dated,
                        e.sender,
                        e.recipient,
                        subject,
                        e.action,
                        remark,
                    ]
                )
        headings = REGISTER_HEADINGS[Series(series)]
        fmt = request.GET.get("format", "")
        if fmt in FORMATS:
            unit = official.unit
            name = f"{Series(series).label} {unit.short_name or unit.name} ปี {to_thai_digits(year)}"
            return table_response(headings=headings, rows=rows, filename=safe_filename(name), fmt=fmt)
        return render(
            request,
            "memos/register.html",
            {
                "series": Series(series),
                "year": year,
                "year_thai": to_thai_digits(year),
                "headings": headings,
                "rows": rows,
                "unit": official.unit,
            },
        )
