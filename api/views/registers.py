"""A unit's registers by Buddhist-era year, as data or as XLSX through the one export writer.

Who may read and what a row shows are the register screen's (registers.selectors.register_entries,
register_rows): the unit's clerks (and administrators), and a secret memo's subject is masked.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from documents.exports import XLSX_TYPE
from documents.responses import safe_filename
from registers import selectors as register_selectors
from registers.exports import register_xlsx
from registers.models import RegisterEntry, Series

from ..serializers import RegisterRowSerializer, RegisterSeriesSerializer
from .common import NOT_FOUND, Pagination, errors
from .documents import FileRenderer

TAG = ["ทะเบียน"]


class XlsxRenderer(FileRenderer):
    media_type = XLSX_TYPE
    format = "xlsx"


def _entries(request: Request, series: str, year: int) -> tuple[Any, Any]:
    found = register_selectors.register_entries(user=request.user, series=series, year=year)
    if found is None:
        raise Http404("ไม่พบทะเบียน")
    return found


class RegisterSeriesList(generics.GenericAPIView):
    serializer_class = RegisterSeriesSerializer

    @extend_schema(
        tags=TAG,
        operation_id="registers_series",
        summary="ชนิดทะเบียน",
        responses={200: RegisterSeriesSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        rows = [{"series": value, "label": str(label)} for value, label in Series.choices]
        return Response(RegisterSeriesSerializer(rows, many=True).data)


class RegisterList(generics.ListAPIView):
    serializer_class = RegisterRowSerializer
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return RegisterEntry.objects.none()
        return _entries(self.request, self.kwargs["series"], self.kwargs["year"])[1]

    @extend_schema(
        tags=TAG,
        summary="ทะเบียนของหน่วยงานในปี พ.ศ. หนึ่ง",
        description="เฉพาะเจ้าหน้าที่สารบรรณของหน่วยงาน series: send (ทะเบียนหนังสือส่ง), circular (หนังสือเวียน ว), "
        "receive (ทะเบียนหนังสือรับ) year เป็นปี พ.ศ. เช่น 2569",
        responses={200: RegisterRowSerializer(many=True), **errors(NOT_FOUND)},
    )
    def get(self, request: Request, series: str, year: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = [
            {
                "number": e.number,
                "registered_at": e.registered_at,
                "document_number": e.document_number,
                "document_date": e.document_date,
                "sender": e.sender,
                "recipient": e.recipient,
                "subject": register_selectors.register_subject(e),
                "action": e.action,
                "remarks": register_selectors.register_remark(e),
                "void": e.void,
            }
            for e in page or []
        ]
        return self.get_paginated_response(RegisterRowSerializer(rows, many=True).data)


class RegisterXlsx(generics.GenericAPIView):
    renderer_classes = [XlsxRenderer, JSONRenderer]

    @extend_schema(
        tags=TAG,
        summary="ทะเบียนเป็นไฟล์ XLSX",
        description="หัวตารางภาษาไทย เลขไทย วันที่ พ.ศ. เหมือนไฟล์ที่ดาวน์โหลดจากหน้าทะเบียน",
        responses={(200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="ไฟล์ XLSX"), **errors(NOT_FOUND)},
    )
    def get(self, request: Request, series: str, year: int) -> HttpResponse:
        unit, entries = _entries(request, series, year)
        rows = register_selectors.register_rows(entries, series)
        name = register_selectors.register_filename(unit, series, year)
        content = register_xlsx(series=series, unit_name=unit.name, year=year, rows=rows)
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = (
            content_disposition_header(True, f"{safe_filename(name)}.xlsx") or "attachment"
        )
        return response
