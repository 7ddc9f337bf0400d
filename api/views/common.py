"""What every endpoint shares: pagination, the problem responses in the schema, and the
official behind a request."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework.pagination import PageNumberPagination

from ..problems import PROBLEM_TYPE
from ..serializers import ProblemSerializer


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_query_param = "page"


def problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ProblemSerializer, description=description)


# The errors every authenticated endpoint may answer with.
COMMON_ERRORS: dict[Any, Any] = {
    (401, PROBLEM_TYPE): problem("ยังไม่ได้ยืนยันตัวตน หรือโทเคนไม่ถูกต้องหรือถูกเพิกถอน"),
    (403, PROBLEM_TYPE): problem("ไม่มีสิทธิ์ หรือไม่มีรหัส CSRF (เมื่อใช้เซสชัน)"),
    (429, PROBLEM_TYPE): problem("เรียกใช้บ่อยเกินกำหนด"),
}
NOT_FOUND: dict[Any, Any] = {(404, PROBLEM_TYPE): problem("ไม่พบ หรือไม่มีสิทธิ์เข้าถึง (สองกรณีนี้ตอบเหมือนกัน)")}
INVALID: dict[Any, Any] = {(400, PROBLEM_TYPE): problem("ข้อมูลไม่ถูกต้อง หรือบริการปฏิเสธ (ข้อความภาษาไทยใน detail)")}
CONFLICT: dict[Any, Any] = {(409, PROBLEM_TYPE): problem("สถานะปัจจุบันไม่อนุญาตให้ดำเนินการนี้ (เช่น กดซ้ำ)")}


def errors(*groups: dict[Any, Any]) -> dict[Any, Any]:
    merged = dict(COMMON_ERRORS)
    for group in groups:
        merged.update(group)
    return merged


def official_of(user: Any) -> Any:
    return getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None


def unit_ref(unit: Any) -> dict[str, Any]:
    return {"id": unit.pk, "name": unit.name, "short_name": unit.short_name}


def position_ref(position: Any) -> dict[str, Any] | None:
    if position is None:
        return None
    return {"id": position.pk, "title": position.title, "unit_id": position.unit_id}
