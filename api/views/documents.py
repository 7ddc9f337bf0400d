"""A memo's stored document versions: download the .docx, preview it as PDF. Every request
asks memos.access first; the file leaves through documents.responses."""

from __future__ import annotations

import io

from django.http import FileResponse, Http404, HttpResponseBase
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from directives.access import directive_get_for_user, distribution_get_for_user
from directives.models import FollowUpReport
from directives.selectors import directive_docx
from documents.models import DocumentKind, DocumentVersion, VersionStatus
from documents.preview import PreviewError, render_pdf
from documents.responses import DOCX_TYPE, safe_filename, stored_file_response
from memos.access import memo_get_for_user
from memos.document_views import version_filename

from ..problems import Problem
from ..serializers import DocumentVersionSerializer
from .common import NOT_FOUND, errors, problem

TAG = ["เอกสาร"]


class FileRenderer(BaseRenderer):
    """Lets a client send `Accept: <file type>`; the view itself returns the file."""

    media_type = "application/octet-stream"
    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data: object, accepted_media_type: str | None = None, renderer_context: object = None) -> bytes:
        return data if isinstance(data, bytes) else b""


class DocxRenderer(FileRenderer):
    media_type = DOCX_TYPE
    format = "docx"


class PdfRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


def _version(request: Request, pk: int, version_id: int) -> tuple[object, DocumentVersion]:
    memo = memo_get_for_user(user=request.user, memo_id=pk)
    version = get_object_or_404(DocumentVersion, pk=version_id, memo=memo, kind=DocumentKind.MEMO)
    if version.status != VersionStatus.DONE or not version.file:
        raise Http404("เอกสารฉบับนี้ยังจัดทำไม่เสร็จ")
    return memo, version


class DocumentList(generics.GenericAPIView):
    serializer_class = DocumentVersionSerializer

    @extend_schema(
        tags=TAG,
        summary="ฉบับเอกสารของบันทึกข้อความ",
        description="ทุกฉบับ .docx ที่จัดทำเมื่อเอกสารเปลี่ยน (เสนอ ลงนาม ลงรับ เกษียน สั่งการ) ใหม่ก่อน",
        responses={200: DocumentVersionSerializer(many=True), **errors(NOT_FOUND)},
    )
    def get(self, request: Request, pk: int) -> Response:
        memo = memo_get_for_user(user=request.user, memo_id=pk)
        versions = DocumentVersion.objects.filter(memo=memo, kind=DocumentKind.MEMO).select_related("event")
        return Response(DocumentVersionSerializer(versions.order_by("-version"), many=True).data)


class DocumentDownload(generics.GenericAPIView):
    renderer_classes = [DocxRenderer, JSONRenderer]

    @extend_schema(
        tags=TAG,
        summary="ดาวน์โหลดฉบับเอกสาร (.docx)",
        responses={
            (200, DOCX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="ไฟล์ .docx ชื่อไฟล์ตามเลขที่หนังสือ"),
            **errors(NOT_FOUND),
        },
    )
    def get(self, request: Request, pk: int, version_id: int) -> HttpResponseBase:
        memo, version = _version(request, pk, version_id)
        return stored_file_response(version.file, version_filename(memo, version, "docx"), content_type=DOCX_TYPE)  # type: ignore[arg-type]


class DocumentPreview(generics.GenericAPIView):
    renderer_classes = [PdfRenderer, JSONRenderer]

    @extend_schema(
        tags=TAG,
        summary="ดูตัวอย่างฉบับเอกสารเป็น PDF",
        description="แปลงด้วย LibreOffice เมื่อเครื่องแม่ข่ายไม่มี LibreOffice หรือแปลงไม่สำเร็จ ตอบ 503 พร้อมเหตุผลภาษาไทย",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="ไฟล์ PDF"),
            **errors(NOT_FOUND),
            (503, "application/problem+json"): problem("บริการแปลงเป็น PDF ไม่พร้อม (ยังดาวน์โหลด .docx ได้)"),
        },
    )
    def get(self, request: Request, pk: int, version_id: int) -> HttpResponseBase:
        memo, version = _version(request, pk, version_id)
        with version.file.open("rb") as handle:
            docx = handle.read()
        try:
            pdf = render_pdf(docx)
        except PreviewError as exc:
            raise Problem(str(exc), code="preview_unavailable", status_code=503)
        name = version_filename(memo, version, "pdf")  # type: ignore[arg-type]
        return FileResponse(io.BytesIO(pdf), as_attachment=False, filename=name, content_type="application/pdf")


class AttachmentDownload(generics.GenericAPIView):
    renderer_classes = [FileRenderer, JSONRenderer]

    @extend_schema(
        tags=TAG,
        summary="ดาวน์โหลดไฟล์แนบของบันทึกข้อความ",
        responses={
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="ไฟล์แนบ ชนิดและชื่อไฟล์ตามที่แนบไว้"),
            **errors(NOT_FOUND),
        },
    )
    def get(self, request: Request, pk: int, attachment_id: int) -> HttpResponseBase:
        memo = memo_get_for_user(user=request.user, memo_id=pk)
        attachment = get_object_or_404(memo.attachments, pk=attachment_id)
        name = attachment.original_name or attachment.file.name.rsplit("/", 1)[-1]
        return stored_file_response(attachment.file, name, content_type=attachment.content_type or None)


class CircularDocument(generics.GenericAPIView):
    renderer_classes = [DocxRenderer, JSONRenderer]

    @extend_schema(
        tags=["หนังสือเวียน"],
        summary="ดาวน์โหลดหนังสือเวียน (.docx)",
        description="ฉบับที่ลงนามแล้วตามที่จัดเก็บ (ทุกหน่วยงานได้ไฟล์เดียวกัน) ร่างหรือฉบับที่ยังจัดทำไม่เสร็จสร้างขึ้นขณะขอ",
        responses={
            (200, DOCX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="ไฟล์ .docx ชื่อไฟล์ตามเลขที่หนังสือ"),
            **errors(NOT_FOUND),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        directive = directive_get_for_user(user=request.user, directive_id=pk)
        stored = DocumentVersion.objects.filter(
            kind=DocumentKind.DIRECTIVE, directive_id=directive.pk, status=VersionStatus.DONE
        ).first()
        if stored is not None and stored.file:
            with stored.file.open("rb") as handle:
                data = handle.read()
        else:
            data = directive_docx(directive)
        name = safe_filename(directive.number or f"ร่างหนังสือเวียน {directive.subject[:60]}")
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"{name}.docx", content_type=DOCX_TYPE)


class ReportFile(generics.GenericAPIView):
    renderer_classes = [FileRenderer, JSONRenderer]

    @extend_schema(
        tags=["หนังสือเวียนรับ"],
        summary="ดาวน์โหลดไฟล์แนบของรายงานผล",
        description="หน่วยงานผู้รายงานและผู้ออกหนังสือเวียน",
        responses={
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="ไฟล์รายงาน ชนิดตามที่แนบไว้"),
            **errors(NOT_FOUND),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        report = get_object_or_404(FollowUpReport.objects.only("pk", "distribution_id", "file", "original_name"), pk=pk)
        distribution_get_for_user(user=request.user, distribution_id=report.distribution_id)
        if not report.file:
            raise Http404("ไม่มีไฟล์แนบ")
        return stored_file_response(report.file, report.original_name or report.file.name.rsplit("/", 1)[-1])
