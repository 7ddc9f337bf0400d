"""Thin views: access check → form → service → redirect with a Thai message."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from directory.selectors import appointment_for_position
from documents.data import addressee_line, directive_body_text
from documents.exports import FORMATS, table_response
from documents.models import DocumentKind, DocumentVersion, VersionStatus
from documents.responses import DOCX_TYPE, StoredFileView, safe_filename, stored_file_response
from documents.thai import to_thai_digits
from memos.access import memo_get_for_user

from . import selectors, services
from .access import directive_get_for_user, distribution_get_for_user
from .forms import CompletionForm, DirectiveForm, ReasonForm, ReportForm, ReviewForm
from .models import DirectiveState, DistributionState, FollowUpReport, ReportStatus


def _errors(request: HttpRequest, exc: ValidationError, form: Any = None) -> None:
    """A service's Thai errors next to the fields they name, the rest at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for error in errors:
                if form is not None and name in form.fields:
                    form.add_error(name, error)
                else:
                    messages.error(request, error)
    else:
        for error in exc.messages:
            messages.error(request, error)


def _redirect(name: str, pk: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(f"memos:{name}", args=[pk]))


# --- The issuing unit ---------------------------------------------------------------------------


class DirectiveNewView(LoginRequiredMixin, View):
    template_name = "directives/directive_form.html"

    def _memo(self, request: HttpRequest, memo_pk: int) -> Any:
        memo = memo_get_for_user(user=request.user, memo_id=memo_pk)
        official = getattr(request.user, "official", None)
        if official is None or official.unit_id != memo.unit_id:
            raise Http404("ไม่พบบันทึกข้อความ")
        return memo

    def get(self, request: HttpRequest, memo_pk: int) -> HttpResponse:
        memo = self._memo(request, memo_pk)
        if memo.state not in services.DIRECTIVE_SOURCE_STATES:
            messages.error(request, "ออกหนังสือเวียนได้เฉพาะบันทึกข้อความที่อนุมัติแล้ว")
            return _redirect("memo_detail", memo.pk)
        form = DirectiveForm(initial=DirectiveForm.initial_from(selectors.directive_initial(memo)), unit=memo.unit)
        return self.page(request, memo, form)

    def post(self, request: HttpRequest, memo_pk: int) -> HttpResponse:
        memo = self._memo(request, memo_pk)
        form = DirectiveForm(request.POST, unit=memo.unit)
        if form.is_valid():
            try:
                directive = services.directive_create(user=request.user, memo=memo, data=form.to_input())
            except ValidationError as exc:
                _errors(request, exc, form)
            else:
                messages.success(request, "บันทึกร่างหนังสือเวียนแล้ว ตรวจทานแล้วเสนอลงนามได้")
                return _redirect("directive_detail", directive.pk)
        return self.page(request, memo, form, status=400)

    def page(self, request: HttpRequest, memo: Any, form: DirectiveForm, status: int = 200) -> HttpResponse:
        context = {"memo": memo, "form": form, "decision": selectors.memo_decision(memo), "directive": None}
        return render(request, self.template_name, context, status=status)


class DirectiveEditView(LoginRequiredMixin, View):
    template_name = "directives/directive_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        directive = directive_get_for_user(user=request.user, directive_id=pk, action="edit")
        initial = DirectiveForm.initial_from(selectors.directive_input_of(directive))
        return self.page(request, directive, DirectiveForm(initial=initial, unit=directive.unit))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        directive = directive_get_for_user(user=request.user, directive_id=pk, action="edit")
        form = DirectiveForm(request.POST, unit=directive.unit)
        if form.is_valid():
            try:
                services.directive_update(user=request.user, directive=directive, data=form.to_input())
            except ValidationError as exc:
                _errors(request, exc, form)
            else:
                messages.success(request, "บันทึกการแก้ไขแล้ว")
                return _redirect("directive_detail", directive.pk)
        return self.page(request, directive, form, status=400)

    def page(self, request: HttpRequest, directive: Any, form: DirectiveForm, status: int = 200) -> HttpResponse:
        memo = directive.memo
        context = {"memo": memo, "form": form, "decision": selectors.memo_decision(memo), "directive": directive}
        return render(request, self.template_name, context, status=status)


class DirectiveDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        directive = directive_get_for_user(user=request.user, directive_id=pk)
        official = request.user.official  # type: ignore[union-attr]
        issuer = official.unit_id == directive.unit_id
        holder = appointment_for_position(position=directive.signing_position)
        doc = selectors.directive_document_data(directive)
        context = {
            "directive": directive,
            "doc": doc,
            "addressee": addressee_line(list(doc.addressee_groups)),
            "body_paragraphs": [p for p in directive_body_text(doc).split("\n\n") if p.strip()],
            "issuer": issuer,
            "can_edit": issuer and directive.state == DirectiveState.DRAFT,
            "can_sign": directive.state == DirectiveState.AWAITING_SIGNATURE
            and holder is not None
            and holder.official_id == official.pk,
            "signer": holder.official if holder else None,
            "counts": selectors.dashboard_counts(directive) if directive.state == DirectiveState.SENT else None,
            "own_distribution": directive.distributions.filter(unit_id=official.unit_id).first(),
            "events": list(directive.events.filter(distribution__isnull=True)),
            "reason_form": ReasonForm(),
        }
        return render(request, "directives/directive_detail.html", context)


class DirectiveSubmitView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        directive = directive_get_for_user(user=request.user, directive_id=pk, action="view")
        try:
            services.directive_submit(user=request.user, directive=directive)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"เสนอลงนามแล้ว รอ{directive.signing_position.title}ลงนาม")
        return _redirect("directive_detail", directive.pk)


class DirectiveSignView(LoginRequiredMixin, View):
    """Signing is sending; a second click (or a second tab) is told it was already sent."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        directive = directive_get_for_user(user=request.user, directive_id=pk, action="sign")
        try:
            directive = services.directive_sign_and_send(user=request.user, directive=directive)
        except ValidationError as exc:
            if getattr(exc, "code", "") == "already_sent":
                messages.info(request, exc.messages[0])
            else:
                _errors(request, exc)
        else:
            count = directive.distributions.count()
            messages.success(request, f"ลงนามแล้ว ได้เลขที่ {directive.number} ส่งถึง {to_thai_digits(count)} หน่วยงานแล้ว")
        return _redirect("directive_detail", directive.pk)


class DirectiveReturnView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        directive = directive_get_for_user(user=request.user, directive_id=pk, action="sign")
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            services.directive_return(
                user=request.user, directive=directive, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "ส่งคืนร่างหนังสือเวียนให้แก้ไขแล้ว")
        return _redirect("directive_detail", directive.pk)


class DirectiveDocumentView(StoredFileView, LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        directive = directive_get_for_user(user=request.user, directive_id=pk)
        stored = DocumentVersion.objects.filter(
            kind=DocumentKind.DIRECTIVE, directive_id=directive.pk, status=VersionStatus.DONE
        ).first()
        # The signed circular as stored (the same bytes for every unit); a draft, or a
        # version still being rendered, is built on the spot.
        data = stored.file.open("rb").read() if stored is not None else selectors.directive_docx(directive)
        # Named by its number, as the office files it ("กท ๐๔๐๑-ว ๑.docx"), RFC 5987 encoded.
        name = safe_filename(directive.number or f"ร่างหนังสือเวียน {directive.subject[:60]}")
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"{name}.docx", content_type=DOCX_TYPE)


class DirectiveListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "directives": list(selectors.directives_of_unit(user=request.user)[:200]),
            "to_sign": selectors.directive_awaiting_signature_for(user=request.user),
            "ready_memos": selectors.memos_ready_for_directive(user=request.user),
        }
        return render(request, "directives/directive_list.html", context)


class DirectiveDashboardView(LoginRequiredMixin, View):
    """The issuer's follow-up: counts, overdue units, every unit's row; CSV with Thai headings."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        directive = directive_get_for_user(user=request.user, directive_id=pk, action="follow_up")
        fmt = request.GET.get("format", "")
        if fmt in FORMATS:
            name = safe_filename(f"ติดตามผล {directive.number or directive.subject[:60]}")
            rows = selectors.dashboard_csv_rows(directive)
            return table_response(headings=selectors.CSV_HEADINGS, rows=rows, filename=name, fmt=fmt)
        context = {
            "directive": directive,
            "counts": selectors.dashboard_counts(directive),
            "overdue": selectors.overdue_units(directive),
            "rows": selectors.dashboard_rows(directive),
        }
        return render(request, "directives/dashboard.html", context)


# --- A receiving unit ---------------------------------------------------------------------------


class IncomingView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        official = getattr(request.user, "official", None)
        context = {"rows": selectors.incoming_for_user(user=request.user), "unit": official.unit if official else None}
        return render(request, "directives/incoming.html", context)


class DistributionDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        distribution = distribution_get_for_user(user=request.user, distribution_id=pk)
        return self.page(request, distribution)

    def page(
        self,
        request: HttpRequest,
        distribution: Any,
        *,
        report_form: Any = None,
        completion_form: Any = None,
        status: int = 200,
    ) -> HttpResponse:
        official = request.user.official  # type: ignore[union-attr]
        directive = distribution.directive
        mine = official.unit_id == distribution.unit_id
        reports = selectors.distribution_reports(distribution)
        state = distribution.state
        context = {
            "distribution": distribution,
            "directive": directive,
            "decision": selectors.memo_decision(directive.memo),
            "reports": reports,
            "pending_report": next((r for r in reports if r.status == ReportStatus.SUBMITTED), None),
            "mine": mine,
            "issuer": official.unit_id == directive.unit_id,
            "can_receive": mine and official.is_clerk and state == DistributionState.SENT,
            "can_acknowledge": mine and state == DistributionState.RECEIVED,
            "can_complete": mine
            and directive.report_required
            and state in (DistributionState.RECEIVED, DistributionState.ACKNOWLEDGED),
            "can_report": mine and directive.report_required and state == DistributionState.ACKNOWLEDGED,
            "report_form": report_form or ReportForm(),
            "completion_form": completion_form or CompletionForm(initial={"completed_on": distribution.completed_on}),
            "review_form": ReviewForm(),
            "requirement": services.report_requirement_text(directive),
            "events": list(distribution.events.all()),
        }
        return render(request, "directives/distribution_detail.html", context, status=status)


class DistributionReceiveView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        distribution = distribution_get_for_user(user=request.user, distribution_id=pk, action="receive")
        try:
            distribution = services.distribution_receive(user=request.user, distribution=distribution)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            assert distribution.receipt is not None
            messages.success(request, f"ลงทะเบียนรับแล้ว เลขรับ {to_thai_digits(distribution.receipt.number)}")
        return _redirect("distribution_detail", pk)


class DistributionAcknowledgeView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        distribution = distribution_get_for_user(user=request.user, distribution_id=pk, action="act")
        try:
            services.distribution_acknowledge(user=request.user, distribution=distribution)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "บันทึกการรับทราบแล้ว")
        return _redirect("distribution_detail", pk)


class DistributionCompletionView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        distribution = distribution_get_for_user(user=request.user, distribution_id=pk, action="act")
        form = CompletionForm(request.POST)
        if form.is_valid():
            try:
                services.distribution_record_completion(
                    user=request.user, distribution=distribution, completed_on=form.cleaned_data["completed_on"]
                )
            except ValidationError as exc:
                _errors(request, exc, form)
            else:
                messages.success(request, "บันทึกวันดำเนินการแล้วเสร็จแล้ว")
                return _redirect("distribution_detail", pk)
        return DistributionDetailView().page(request, distribution, completion_form=form, status=400)


class DistributionReportView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        distribution = distribution_get_for_user(user=request.user, distribution_id=pk, action="act")
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.report_submit(
                    user=request.user,
                    distribution=distribution,
                    data=form.to_input(),
                    upload=form.cleaned_data.get("file"),
                )
            except ValidationError as exc:
                _errors(request, exc, form)
            else:
                messages.success(request, "ส่งรายงานผลการดำเนินการแล้ว")
                return _redirect("distribution_detail", pk)
        return DistributionDetailView().page(request, distribution, report_form=form, status=400)


class ReportFileView(StoredFileView, LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        report = get_object_or_404(FollowUpReport.objects.only("pk", "distribution_id", "file", "original_name"), pk=pk)
        distribution_get_for_user(user=request.user, distribution_id=report.distribution_id)
        if not report.file:
            raise Http404("ไม่มีไฟล์แนบ")
        return stored_file_response(report.file, report.original_name or report.file.name.rsplit("/", 1)[-1])


class ReportReviewView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(FollowUpReport.objects.only("pk", "distribution_id"), pk=pk)
        distribution_get_for_user(user=request.user, distribution_id=report.distribution_id, action="review")
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, "กรุณาเลือกว่าจะรับรายงานหรือส่งคืน")
            return _redirect("distribution_detail", report.distribution_id)
        try:
            if form.cleaned_data["decision"] == "accept":
                services.report_accept(user=request.user, report=report)
                messages.success(request, "รับรายงานแล้ว")
            else:
                services.report_return(user=request.user, report=report, reason=form.cleaned_data["reason"])
                messages.success(request, "ส่งคืนรายงานพร้อมเหตุผลแล้ว หน่วยงานได้รับแจ้งแล้ว")
        except ValidationError as exc:
            _errors(request, exc)
        return _redirect("distribution_detail", report.distribution_id)
