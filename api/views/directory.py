"""The directory: units, positions, and who acts for a post on a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from directory.models import Capacity, Position, RecipientGroup, Unit
from directory.selectors import appointment_for_position, positions_of_user, signature_for_appointment, today

from ..filters import PositionFilter, UnitFilter
from ..problems import Problem
from ..serializers import (
    ActingSerializer,
    MeSerializer,
    PositionSerializer,
    RecipientGroupSerializer,
    UnitSerializer,
)
from .common import INVALID, NOT_FOUND, Pagination, errors

TAG = ["ทำเนียบ"]


class UnitList(generics.ListAPIView):
    serializer_class = UnitSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = UnitFilter
    queryset = Unit.objects.filter(is_active=True).order_by("sort_order", "name", "pk")

    @extend_schema(
        tags=TAG, summary="ส่วนราชการ", responses={200: UnitSerializer(many=True), **errors(INVALID, NOT_FOUND)}
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class UnitDetail(generics.RetrieveAPIView):
    serializer_class = UnitSerializer
    queryset = Unit.objects.filter(is_active=True)

    @extend_schema(tags=TAG, summary="อ่านส่วนราชการ", responses={200: UnitSerializer, **errors(NOT_FOUND)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PositionList(generics.ListAPIView):
    serializer_class = PositionSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = PositionFilter
    queryset = (
        Position.objects.filter(is_active=True).select_related("unit", "receiving_unit").order_by("sort_order", "pk")
    )

    @extend_schema(
        tags=TAG, summary="ตำแหน่ง", responses={200: PositionSerializer(many=True), **errors(INVALID, NOT_FOUND)}
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PositionDetail(generics.RetrieveAPIView):
    serializer_class = PositionSerializer
    queryset = Position.objects.filter(is_active=True).select_related("unit", "receiving_unit")

    @extend_schema(tags=TAG, summary="อ่านตำแหน่ง", responses={200: PositionSerializer, **errors(NOT_FOUND)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class RecipientGroupList(generics.ListAPIView):
    serializer_class = RecipientGroupSerializer
    pagination_class = Pagination
    queryset = RecipientGroup.objects.annotate(position_count=Count("positions")).order_by("sort_order", "pk")

    @extend_schema(
        tags=TAG,
        summary="กลุ่มผู้รับหนังสือเวียน",
        description="รหัสกลุ่มใช้ในช่อง groups ของหนังสือเวียน",
        responses={200: RecipientGroupSerializer(many=True), **errors(INVALID, NOT_FOUND)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PositionActing(generics.GenericAPIView):
    serializer_class = ActingSerializer

    @extend_schema(
        tags=TAG,
        summary="ผู้ดำรงหรือรักษาการตำแหน่งในวันหนึ่ง",
        description="ผู้ที่ตอบแทนตำแหน่งนี้ในวันที่ถาม (ผู้ดำรงตำแหน่ง หรือผู้รักษาการ) กับบรรทัดใต้ลายมือชื่อ",
        parameters=[OpenApiParameter("on", str, description="วันที่ (ISO 8601, YYYY-MM-DD) ว่างไว้ = วันนี้")],
        responses={200: ActingSerializer, **errors(INVALID, NOT_FOUND)},
    )
    def get(self, request: Request, pk: int) -> Response:
        position = get_object_or_404(Position.objects.filter(is_active=True), pk=pk)
        raw = request.query_params.get("on", "")
        try:
            on = dt.date.fromisoformat(raw) if raw else today()
        except ValueError:
            raise Problem("วันที่ต้องอยู่ในรูปแบบ YYYY-MM-DD (ค.ศ.) เช่น 2026-12-02", code="validation")
        appointment = appointment_for_position(position=position, on=on)
        data: dict[str, Any] = {
            "position": position,
            "on": on,
            "official_name": None,
            "user_id": None,
            "capacity": None,
            "capacity_label": None,
            "signature_lines": [],
        }
        if appointment is not None:
            official = appointment.official
            data.update(
                official_name=official.full_name,
                user_id=official.user_id,
                capacity=appointment.capacity,
                capacity_label=str(Capacity(appointment.capacity).label),
                signature_lines=list(signature_for_appointment(appointment=appointment, on=on).lines),
            )
        return Response(ActingSerializer(data).data)


class Me(generics.GenericAPIView):
    serializer_class = MeSerializer

    @extend_schema(
        tags=TAG,
        summary="ผู้ใช้ปัจจุบัน",
        description="ข้าราชการที่ผูกกับบัญชี หน่วยงาน และตำแหน่งที่ดำรงหรือรักษาการวันนี้",
        responses={200: MeSerializer, **errors()},
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        official = getattr(user, "official", None)
        posts = [
            {"position": p, "capacity": c, "capacity_label": str(Capacity(c).label)}
            for p, c in positions_of_user(user=user)
        ]
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "full_name": official.full_name if official else None,
            "unit": official.unit if official else None,
            "is_clerk": bool(official and official.is_clerk),
            "posts": posts,
        }
        return Response(MeSerializer(data).data)
