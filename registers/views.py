"""The register screens: a unit's ทะเบียนหนังสือรับ / ส่ง / เวียน (ว) for one Buddhist-era year
with filters, its exports (CSV, XLSX, the printed register as PDF or .docx), and importing an
existing register from a file (upload, preview, confirm).

Every view asks registers.access for the unit; another unit's register is 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View

from documents.docx_builder import RECEIVE, SEND, build_register_docx
from documents.exports import XLSX_TYPE, table_response
from documents.responses import DOCX_TYPE, pdf_response, safe_filename
from documents.thai import BE_FROM, be_year, thai_date, thai_time, to_thai_digits

from . import selectors, services
from .access import register_import_for, register_unit_for, register_units_for, series_or_404
from .exports import register_xlsx
from .forms import RegisterFilterForm, RegisterImportForm
from .imports import LIMITS_TEXT, MAX_ROWS
from .models import RegisterImport, Series


def _register_url(series: str, year: int, unit_id: Any = None, query: str = "") -> str:
    url = reverse("memos:register", args=[series, year])
    params = [f"unit={unit_id}"] if unit_id not in (None, "") else []
    if query:
        params.append(query)
    return url + ("?" + "&".join(params) if params else "")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


class RegisterIndexView(LoginRequiredMixin, View):
    """The registers a clerk keeps: this year's and earlier years', and the import."""

    def get(self, request: HttpRequest) -> HttpResponse:
        units = register_units_for(request.user)
        if not units:
            raise Http404("ไม่พบทะเบียน")
        this_year = be_year(timezone.localdate())
        blocks = []
        for unit in units:
            registers = []
            for series in Series:
                years = sorted({this_year, *selectors.register_years(unit, series)}, reverse=True)
                registers.append(
                    {
                        "series": series,
                        "years": [(y, to_thai_digits(y), _register_url(series, y, unit.pk)) for y in years],
                    }
                )
            blocks.append({"unit": unit, "registers": registers})
        return render(
            request,
            "registers/index.html",
            {"blocks": blocks, "import_url": reverse("memos:register_import")},
        )


class RegisterView(LoginRequiredMixin, View):
    """A unit's register for one Buddhist-era year: on screen (filtered, 50 a page) or as CSV,
    XLSX, PDF or .docx (the whole filtered register)."""

    def get(self, request: HttpRequest, series: str, year: int) -> HttpResponseBase:
        kind = series_or_404(series)
        if not BE_FROM <= year <= BE_FROM + 600:
            raise Http404("ไม่พบทะเบียน")
        unit_id = request.GET.get("unit") or None
        unit = register_unit_for(request.user, unit_id)
        data = request.GET.copy()
        data.setdefault("series", kind.value)  # the chooser shows this register unless one was picked
        form = RegisterFilterForm(data)
        wanted = selectors.RegisterFilter()
        if form.is_bound and form.is_valid():
            other = form.cleaned_data.get("series")
            if other and other != kind.value:
                # The filter's series chooser moves to that register, keeping the filters.
                query = request.GET.copy()
                query.pop("series", None)
                query.pop("page", None)
                query.pop("unit", None)
                return HttpResponseRedirect(_register_url(other, year, unit_id, query.urlencode()))
            wanted = selectors.RegisterFilter(
                date_from=form.cleaned_data.get("date_from"),
                date_to=form.cleaned_data.get("date_to"),
                text=form.cleaned_data.get("q") or "",
            )
        entries = selectors.register_filter(selectors.register_entries_of(unit=unit, series=kind, year=year), wanted)
        name = safe_filename(selectors.register_filename(unit, kind, year))
        fmt = request.GET.get("format", "")
        if fmt == "csv":
            rows = selectors.register_rows(entries, kind)
            return table_response(headings=selectors.REGISTER_HEADINGS[kind], rows=rows, filename=name, fmt="csv")
        if fmt == "xlsx":
            rows = selectors.register_rows(entries, kind)
            content = register_xlsx(series=kind, unit_name=unit.name, year=year, rows=rows)
            return _attachment(content, XLSX_TYPE, f"{name}.xlsx")
        if fmt in ("pdf", "docx"):
            docx = build_register_docx(
                RECEIVE if kind == Series.RECEIVE else SEND,
                unit.name,
                year,
                selectors.register_print_rows(entries, kind),
                title=selectors.PRINT_TITLES[kind],
            )
            if fmt == "docx":
                return _attachment(docx, DOCX_TYPE, f"{name}.docx")
            query = request.GET.copy()
            query["format"] = "docx"
            docx_url = request.path + "?" + query.urlencode()
            return pdf_response(request, docx, f"{name}.pdf", docx_url=docx_url)
        page = Paginator(entries, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        headings = selectors.REGISTER_HEADINGS[kind]
        cells: list[list[tuple[str, str]]] = [
            list(zip(headings, row, strict=True)) for row in selectors.register_rows(page.object_list, kind)
        ]
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        base_query = query.urlencode()
        return render(
            request,
            "registers/register.html",
            {
                "series": kind,
                "year": year,
                "year_thai": to_thai_digits(year),
                "headings": headings,
                "rows": cells,
                "unit": unit,
                "page": page,
                "total": page.paginator.count,
                "form": form,
                "filtered": wanted.active,
                "base_query": base_query,
                "export_prefix": request.path + "?" + (base_query + "&" if base_query else ""),
                "previous_year": _register_url(kind, year - 1, unit_id),
                "next_year": _register_url(kind, year + 1, unit_id),
                "previous_year_thai": to_thai_digits(year - 1),
                "next_year_thai": to_thai_digits(year + 1),
                "page_query": (base_query + "&" if base_query else ""),
                "import_url": reverse("memos:register_import") + (f"?unit={unit.pk}&series={kind.value}&year={year}"),
            },
        )


class RegisterImportView(LoginRequiredMixin, View):
    """Upload a register file; it is read and a preview kept for the clerk to confirm."""

    def _context(self, form: RegisterImportForm, unit: Any) -> dict[str, Any]:
        recent = RegisterImport.objects.filter(unit=unit).select_related("created_by__official")[:10]
        return {
            "form": form,
            "unit": unit,
            "limits": LIMITS_TEXT,
            "max_rows": to_thai_digits(f"{MAX_ROWS:,}"),
            "recent": recent,
            "receive_headings": selectors.REGISTER_HEADINGS[Series.RECEIVE],
            "send_headings": selectors.REGISTER_HEADINGS[Series.SEND],
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = register_unit_for(request.user, request.GET.get("unit") or None)
        initial = {
            "series": request.GET.get("series") or Series.RECEIVE,
            "year": request.GET.get("year") or be_year(timezone.localdate()),
        }
        return render(request, "registers/import_form.html", self._context(RegisterImportForm(initial=initial), unit))

    def post(self, request: HttpRequest) -> HttpResponse:
        unit = register_unit_for(request.user, request.POST.get("unit") or request.GET.get("unit") or None)
        form = RegisterImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.register_import_preview(
                    user=request.user,
                    unit=unit,
                    series=form.cleaned_data["series"],
                    year=form.cleaned_data["year"],
                    data=upload.read(),
                    filename=upload.name or "",
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                return HttpResponseRedirect(reverse("memos:register_import_preview", args=[batch.pk]))
        return render(request, "registers/import_form.html", self._context(form, unit), status=400)


class RegisterImportPreviewView(LoginRequiredMixin, View):
    """What the file will create and what it refuses; confirming creates the entries."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = register_import_for(request.user, pk)
        kind = Series(batch.series)
        return render(
            request,
            "registers/import_preview.html",
            {
                "batch": batch,
                "series": kind,
                "year_thai": to_thai_digits(batch.year),
                "rows": _preview_rows(batch.rows, kind),
                "refused": batch.refused,
                "rows_count": to_thai_digits(len(batch.rows)),
                "refused_count": to_thai_digits(len(batch.refused)),
                "register_url": _register_url(batch.series, batch.year, batch.unit_id),
                "headings": selectors.REGISTER_HEADINGS[kind],
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = register_import_for(request.user, pk)
        register_url = _register_url(batch.series, batch.year, batch.unit_id)
        try:
            done = services.register_import_confirm(user=request.user, batch_id=batch.pk)
        except ValidationError as exc:
            if getattr(exc, "code", "") == "done":
                messages.warning(request, exc.messages[0])
                return HttpResponseRedirect(register_url)
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(reverse("memos:register_import_preview", args=[pk]))
        messages.success(request, f"นำเข้าทะเบียนแล้ว {to_thai_digits(done.created_count)} รายการ")
        return HttpResponseRedirect(register_url)


def _preview_rows(rows: list[dict[str, Any]], kind: Series) -> list[dict[str, Any]]:
    """The rows to create, as the register will show them."""
    out = []
    for r in rows:
        at = timezone.localtime(dt.datetime.fromisoformat(r["registered_at"]))
        dated = dt.date.fromisoformat(r["document_date"]) if r["document_date"] else None
        cells = [to_thai_digits(r["number"])]
        if kind == Series.RECEIVE:
            cells += [thai_date(at, abbreviated=True), thai_time(at)]
        cells += [r["document_number"], thai_date(dated, abbreviated=True) if dated else ""]
        cells += [r["sender"], r["recipient"], r["subject"], r["action"], r["remarks"]]
        out.append(
            {"row": to_thai_digits(r["row"]), "cells": list(zip(selectors.REGISTER_HEADINGS[kind], cells, strict=True))}
        )
    return out
