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

from documents.models import DocumentKind, DocumentVersion, VersionStatus
from documents.preview import PreviewError, render_pdf
from documents.responses import DOCX_TYPE, stored_file_response
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
