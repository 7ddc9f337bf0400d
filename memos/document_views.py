"""Downloads and PDF previews of a memo's documents. Every view asks memos.access first, so
another unit's clerk gets the same 404 as for a memo that does not exist."""

from __future__ import annotations

import io

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View

from documents.docx_builder import build_memo_docx
from documents.models import DocumentKind, DocumentVersion, VersionStatus
from documents.responses import DOCX_TYPE, StoredFileView, pdf_response, safe_filename, stored_file_response
from documents.thai import to_thai_digits

from .access import memo_get_for_user
from .models import Memo
from .selectors import memo_document_data


def version_filename(memo: Memo, version: DocumentVersion, extension: str) -> str:
    label = memo.number or "ร่าง"
    return safe_filename(f"บันทึกข้อความ {label} ฉบับที่ {to_thai_digits(version.version)}") + f".{extension}"


def _version(memo: Memo, version_id: int) -> DocumentVersion:
    version = get_object_or_404(DocumentVersion, pk=version_id, memo=memo, kind=DocumentKind.MEMO)
    if version.status != VersionStatus.DONE or not version.file:
        # Still being made, or failed: the page shows why; a direct link just is not there yet.
        raise Http404("เอกสารฉบับนี้ยังจัดทำไม่เสร็จ")
    return version


class DocumentDownloadView(StoredFileView, LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, version_id: int) -> HttpResponseBase:
        memo = memo_get_for_user(user=request.user, memo_id=pk)
        version = _version(memo, version_id)
        return stored_file_response(version.file, version_filename(memo, version, "docx"), content_type=DOCX_TYPE)


class DocumentPreviewView(StoredFileView, LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, version_id: int) -> HttpResponseBase:
        memo = memo_get_for_user(user=request.user, memo_id=pk)
        version = _version(memo, version_id)
        with version.file.open("rb") as handle:
            docx = handle.read()
        return pdf_response(
            request,
            docx,
            version_filename(memo, version, "pdf"),
            docx_url=reverse("memos:document_download", args=[memo.pk, version.pk]),
        )


class DraftPreviewView(StoredFileView, LoginRequiredMixin, View):
    """The memo as it would print now, for the people who may still edit it; built on the
    fly and never stored, since a draft changes with every save."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        memo = memo_get_for_user(user=request.user, memo_id=pk, action="edit")
        docx = build_memo_docx(memo_document_data(memo=memo))
        name = safe_filename(f"ฉบับร่าง {memo.subject[:60]}")
        if request.GET.get("format") == "pdf":
            return pdf_response(request, docx, f"{name}.pdf", docx_url=reverse("memos:document_draft", args=[memo.pk]))
        return FileResponse(io.BytesIO(docx), as_attachment=True, filename=f"{name}.docx", content_type=DOCX_TYPE)
