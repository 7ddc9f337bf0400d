"""The memo screens: drafting, the memo page, attachments and "my memos".

Thin views: access check → form → service. Sending a memo for signature and withdrawing it
start and cancel its flow, so those two views live with the flow in workflow/views.py (same
URLs, same names); where these screens show the flow (which post holds the memo, the open
task), they ask memos.flow_hooks, which workflow fills in at start-up.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from directory.models import Position
from documents.preflight import check_memo
from documents.responses import StoredFileView, stored_file_response

from . import forms, selectors, services
from .access import memo_get_for_user, memos_visible_to
from .flow_hooks import memo_holders
from .models import ItemStyle, Memo, MemoState, RouteTemplate


def errors_to_messages(request: HttpRequest, exc: ValidationError, form: Any = None) -> None:
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


class MyMemosView(LoginRequiredMixin, TemplateView):
    template_name = "memos/memo_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        memos = list(
            memos_visible_to(user).filter(drafted_by=user).select_related("unit").order_by("-updated_at")[:200]
        )
        holders = memo_holders([m.pk for m in memos])
        context["rows"] = [(m, holders.get(m.pk)) for m in memos]
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
            marks: dict[str, str] = {ItemStyle.BULLET: "- ", ItemStyle.PARAGRAPH: forms.PARAGRAPH_MARK}
            mark = marks.get(item.style, "")
            lines.append(prefix + mark + item.text)
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
            errors_to_messages(request, exc, bundle["header"])
            return self._render(request, memo, bundle)
        messages.success(request, "บันทึกร่างแล้ว")
        return HttpResponseRedirect(reverse("memos:memo_detail", args=[memo.pk]))


def _findings(memo: Memo) -> list[Any]:
    return list(check_memo(selectors.memo_document_data(memo=memo)))


class MemoDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        memo = memo_get_for_user(user=request.user, memo_id=pk)
        context = selectors.memo_page(memo=memo, user=request.user)
        if context["can_edit"]:
            context["findings"] = _findings(memo)
            context["attachment_form"] = forms.AttachmentForm()
        context["withdraw_form"] = forms.WithdrawForm()
        return render(request, "memos/memo_detail.html", context)


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
                errors_to_messages(request, exc)
            else:
                messages.success(request, "แนบไฟล์แล้ว")
        return HttpResponseRedirect(reverse("memos:memo_detail", args=[pk]))


class AttachmentDownloadView(StoredFileView, LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
        memo = memo_get_for_user(user=request.user, memo_id=pk)
        attachment = get_object_or_404(memo.attachments, pk=attachment_id)
        name = attachment.original_name or attachment.file.name.rsplit("/", 1)[-1]
        return stored_file_response(attachment.file, name, content_type=attachment.content_type or None)
