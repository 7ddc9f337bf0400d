"""The one search, for other systems: the same selector and access rules as the results page
(search.selectors.search), so the API finds exactly what the screens would."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from documents.thai import to_arabic_digits
from search.forms import SearchForm
from search.selectors import search

from .common import INVALID, errors

TAG = ["ค้นหา"]
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="ประเภท: memo (บันทึกข้อความ), directive (หนังสือเวียน), incoming (หนังสือรับ)")
    kind_label = serializers.CharField(help_text="ประเภทเป็นภาษาไทย")
    id = serializers.IntegerField(help_text="รหัสของเอกสารในประเภทนั้น (เช่น /api/v1/memos/{id}/)")
    number = serializers.CharField(help_text="เลขที่หนังสือตามที่บันทึกไว้")
    subject = serializers.CharField(help_text="เรื่อง")
    dated = serializers.DateField(allow_null=True, help_text="ลงวันที่ (ISO 8601)")
    year = serializers.IntegerField(allow_null=True, help_text="ปี พ.ศ.")
    unit_id = serializers.IntegerField(allow_null=True, help_text="รหัสส่วนราชการเจ้าของเรื่อง")
    unit_name = serializers.CharField(help_text="ชื่อส่วนราชการเจ้าของเรื่อง")
    state = serializers.CharField(help_text="สถานะ (รหัส)")
    state_label = serializers.CharField(help_text="สถานะเป็นภาษาไทย")
    secret = serializers.BooleanField(help_text="เป็นเอกสารชั้นความลับ")
    whole_word = serializers.BooleanField(help_text="คำค้นตรงกับคำทั้งคำ (ไม่ใช่เพียงส่วนหนึ่งของคำ)")
    snippet = serializers.CharField(help_text="ข้อความช่วงที่พบ คำที่ตรงอยู่ใน <mark> (HTML ที่ escape แล้ว)")
    url = serializers.CharField(help_text="หน้าของเอกสารบนเว็บ (ว่างถ้าไม่มีหน้า)")


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="จำนวนที่พบ (นับถึง 1,000)")
    count_capped = serializers.BooleanField(help_text="พบมากกว่าจำนวนที่นับ")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = SearchHitSerializer(many=True)


def _int(value: str, default: int) -> int:
    try:
        return int(to_arabic_digits(value))
    except (TypeError, ValueError):
        return default


class Search(generics.GenericAPIView):
    serializer_class = SearchPageSerializer

    @extend_schema(
        tags=TAG,
        operation_id="search",
        summary="ค้นหาเอกสารที่ท่านมีสิทธิ์เปิด",
        description="ค้นบันทึกข้อความ หนังสือเวียน และหนังสือรับ จากเลขที่หนังสือ (เลขไทยหรืออารบิก มีหรือไม่มีเว้นวรรค "
        "เช่น กท 0401/1255) เรื่อง เนื้อหา เกษียนและคำสั่งการ ผู้ส่งหรือหน่วยงาน และข้อความในไฟล์แนบ "
        "ผลที่ตรงทั้งคำมาก่อน แล้วเรียงจากใหม่ไปเก่า ไม่แสดงเอกสารที่หน้าจอไม่ให้ท่านเปิด "
        "เอกสารชั้นลับพบได้เฉพาะผู้อยู่ในเส้นทาง",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="คำค้น (ไม่เกิน 200 ตัวอักษร)"),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=["memo", "directive", "incoming"], description="ประเภท"),
            OpenApiParameter("year", OpenApiTypes.INT, description="ปี พ.ศ. เช่น 2569"),
            OpenApiParameter("unit", OpenApiTypes.INT, description="รหัสส่วนราชการเจ้าของเรื่อง"),
            OpenApiParameter("state", OpenApiTypes.STR, description="สถานะ (รหัส)"),
            OpenApiParameter("page", OpenApiTypes.INT, description="หน้าที่"),
            OpenApiParameter("page_size", OpenApiTypes.INT, description=f"จำนวนต่อหน้า (ไม่เกิน {MAX_PAGE_SIZE})"),
        ],
        responses={200: SearchPageSerializer, **errors(INVALID)},
    )
    def get(self, request: Request) -> Response:
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        page_size = min(max(_int(request.query_params.get("page_size", ""), PAGE_SIZE), 1), MAX_PAGE_SIZE)
        page = max(_int(request.query_params.get("page", ""), 1), 1)
        result = search(user=request.user, query=form.query(), page=page, page_size=page_size)
        url = request.build_absolute_uri()
        rows: list[dict[str, Any]] = [
            {
                "kind": h.doc.kind,
                "kind_label": h.kind_label,
                "id": h.doc.object_id,
                "number": h.doc.number,
                "subject": h.doc.subject,
                "dated": h.doc.dated,
                "year": h.doc.year,
                "unit_id": h.doc.unit_id,
                "unit_name": h.doc.unit_name,
                "state": h.doc.state,
                "state_label": h.doc.state_label,
                "secret": h.doc.secrecy > 0,
                "whole_word": h.whole_word,
                "snippet": str(h.snippet),
                "url": h.url,
            }
            for h in result.hits
        ]
        body = {
            "count": result.count,
            "count_capped": result.count_capped,
            "next": replace_query_param(url, "page", result.page + 1) if result.has_next else None,
            "previous": (
                (
                    replace_query_param(url, "page", result.page - 1)
                    if result.page > 2
                    else remove_query_param(url, "page")
                )
                if result.has_previous
                else None
            ),
            "results": rows,
        }
        return Response(SearchPageSerializer(body).data)
