"""A unit's registers by Buddhist-era year, as data or as XLSX through the one export writer.

Who may read and what a row shows follow the register screen (workflow.views.RegisterView):
the unit's clerks (and administrators), and a secret memo's subject is masked.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from documents.exports import XLSX_TYPE, table_response
from documents.responses import safe_filename
from documents.thai import thai_date, thai_time, to_thai_digits
from registers.models import RegisterEntry, Series
from workflow.views import REGISTER_HEADINGS

from ..serializers import RegisterRowSerializer, RegisterSeriesSerializer
from .common import NOT_FOUND, Pagination, errors
from .documents import FileRenderer

TAG = ["ทะเบียน"]
SECRET_SUBJECT = "(หนังสือชั้นลับ)"  # as the register screen prints it


class XlsxRenderer(FileRenderer):
    media_type = XLSX_TYPE
    format = "xlsx"


def _entries(request: Request, series: str, year: int) -> tuple[Any, Any]:
    official = getattr(request.user, "official", None)
    if series not in Series.values or official is None or not (official.is_clerk or request.user.is_superuser):
        raise Http404("ไม่พบทะเบียน")
    entries = (
        RegisterEntry.objects.filter(unit=official.unit, series=series, year=year)
        .select_related("memo")
        .order_by("number")
    )
    return official.unit, entries


def _subject(entry: RegisterEntry) -> str:
    return SECRET_SUBJECT if entry.memo is not None and entry.memo.is_secret else entry.subject


def _remark(entry: RegisterEntry) -> str:
    return (entry.remarks + (" ยกเลิกเลข: " + entry.void_reason if entry.void else "")).strip()


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
                "subject": _subject(e),
                "action": e.action,
                "remarks": _remark(e),
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
        rows: list[list[Any]] = []
        for e in entries:
            dated = thai_date(e.document_date, abbreviated=True) if e.document_date else ""
            tail = [e.sender, e.recipient, _subject(e), e.action, _remark(e)]
            if series == Series.RECEIVE:
                received = [thai_date(e.registered_at, abbreviated=True), thai_time(e.registered_at)]
                rows.append([to_thai_digits(e.number), *received, e.document_number, dated, *tail])
            else:
                rows.append([to_thai_digits(e.number), e.document_number, dated, *tail])
        name = f"{Series(series).label} {unit.short_name or unit.name} ปี {to_thai_digits(year)}"
        return table_response(
            headings=REGISTER_HEADINGS[Series(series)], rows=rows, filename=safe_filename(name), fmt="xlsx"
        )
