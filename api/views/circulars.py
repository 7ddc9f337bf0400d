"""Circulars (หนังสือเวียน) and their distributions: the issuer drafts from a decided memo,
submits and the signer signs (which sends); each receiving unit books in, acknowledges,
records its completion date and reports; the issuer accepts or returns a report."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from directives import selectors, services
from directives.access import directive_get_for_user, distribution_get_for_user
from directives.models import Directive, DirectiveState, Distribution, FollowUpReport
from memos.access import memo_get_for_user

from ..filters import CircularFilter
from ..problems import Problem
from ..serializers import (
    CircularCreateSerializer,
    CircularDetailSerializer,
    CircularListSerializer,
    CircularResultSerializer,
    CircularWriteSerializer,
    CompletionSerializer,
    DistributionDetailSerializer,
    DistributionResultSerializer,
    DistributionSerializer,
    ReasonSerializer,
    ReportInSerializer,
    ReportResultSerializer,
)
from .common import CONFLICT, INVALID, NOT_FOUND, Pagination, errors

TAG = ["หนังสือเวียน"]
DIST_TAG = ["หนังสือเวียนรับ"]


def circular_input(data: dict[str, Any]) -> services.DirectiveInput:
    return services.DirectiveInput(
        subject=data["subject"],
        decision_summary=data["decision_summary"],
        actions=list(data["actions"]),
        group_ids=list(data["groups"]),
        signing_position_id=data["signing_position"],
        body=data["body"],
        report_required=data["report_required"],
        deadline_rule=data["deadline_rule"],
        deadline_date=data["deadline_date"],
        deadline_days=data["deadline_days"],
        contact_mailbox=data["contact_mailbox"],
        urgency=int(data["urgency"]),
    )


def circular_detail(directive: Directive, user: Any) -> dict[str, Any]:
    official = user.official
    issuer = official.unit_id == directive.unit_id
    own = directive.distributions.filter(unit_id=official.unit_id).values_list("pk", flat=True).first()
    return {
        "directive": directive,
        **{
            f: getattr(directive, f)
            for f in (
                "id",
                "number",
                "dated",
                "subject",
                "state",
                "urgency",
                "unit",
                "memo_id",
                "created_at",
                "sent_at",
                "decision_summary",
                "actions",
                "body",
                "report_required",
                "deadline_rule",
                "deadline_date",
                "deadline_days",
                "contact_mailbox",
                "signing_position",
                "signature_lines",
            )
        },
        "get_state_display": directive.get_state_display(),
        "groups": [g.pk for g in selectors.directive_groups(directive)],
        "requirement": services.report_requirement_text(directive),
        "counts": selectors.dashboard_counts(directive).__dict__
        if issuer and directive.state == DirectiveState.SENT
        else None,
        "own_distribution_id": own,
    }


class CircularListCreate(generics.ListCreateAPIView):
    serializer_class = CircularListSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CircularFilter

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Directive.objects.none()
        return selectors.directives_of_unit(user=self.request.user).select_related("unit")

    @extend_schema(
        tags=TAG,
        summary="หนังสือเวียนที่หน่วยงานของท่านออก",
        responses={200: CircularListSerializer(many=True), **errors(INVALID, NOT_FOUND)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    @extend_schema(
        tags=TAG,
        summary="ร่างหนังสือเวียนจากบันทึกที่อนุมัติแล้ว",
        description="ค่าเริ่มต้นได้จาก GET /api/v1/memos/{id}/circular-draft/ เฉพาะเจ้าหน้าที่ของหน่วยงานเจ้าของเรื่อง",
        request=CircularCreateSerializer,
        responses={201: CircularDetailSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CircularCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        memo = memo_get_for_user(user=request.user, memo_id=serializer.validated_data["memo"])
        official = getattr(request.user, "official", None)
        if official is None or official.unit_id != memo.unit_id:
            raise Problem("ไม่พบบันทึกข้อความ", code="not_found", status_code=404)
        directive = services.directive_create(
            user=request.user, memo=memo, data=circular_input(serializer.validated_data)
        )
        directive = directive_get_for_user(user=request.user, directive_id=directive.pk)
        return Response(
            CircularDetailSerializer(circular_detail(directive, request.user)).data, status=status.HTTP_201_CREATED
        )


class CircularToSign(generics.GenericAPIView):
    serializer_class = CircularListSerializer

    @extend_schema(
        tags=TAG,
        summary="หนังสือเวียนที่รอท่านลงนาม",
        responses={200: CircularListSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.directive_awaiting_signature_for(user=request.user)
        return Response(CircularListSerializer(rows, many=True).data)


class CircularDetail(generics.GenericAPIView):
    serializer_class = CircularDetailSerializer

    @extend_schema(
        tags=TAG,
        summary="อ่านหนังสือเวียน",
        description="ผู้ออกหนังสือ ผู้ลงนาม และ (เมื่อส่งแล้ว) หน่วยงานผู้รับ ผู้ออกหนังสือเห็นสรุปการติดตามผลด้วย",
        responses={200: CircularDetailSerializer, **errors(NOT_FOUND)},
    )
    def get(self, request: Request, pk: int) -> Response:
        directive = directive_get_for_user(user=request.user, directive_id=pk)
        return Response(CircularDetailSerializer(circular_detail(directive, request.user)).data)

    @extend_schema(
        tags=TAG,
        summary="แก้ไขร่างหนังสือเวียน",
        request=CircularWriteSerializer,
        responses={200: CircularDetailSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def put(self, request: Request, pk: int) -> Response:
        directive = directive_get_for_user(user=request.user, directive_id=pk, action="edit")
        serializer = CircularWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.directive_update(
            user=request.user, directive=directive, data=circular_input(serializer.validated_data)
        )
        directive = directive_get_for_user(user=request.user, directive_id=pk)
        return Response(CircularDetailSerializer(circular_detail(directive, request.user)).data)


def _circular_result(message: str, directive: Directive) -> Response:
    directive = Directive.objects.select_related("unit").get(pk=directive.pk)
    return Response(CircularResultSerializer({"detail": message, "circular": directive}).data)


CIRCULAR_RESULT = {200: CircularResultSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)}


class CircularSubmit(generics.GenericAPIView):
    serializer_class = CircularResultSerializer

    @extend_schema(tags=TAG, summary="เสนอลงนามหนังสือเวียน", request=None, responses=CIRCULAR_RESULT)
    def post(self, request: Request, pk: int) -> Response:
        directive = directive_get_for_user(user=request.user, directive_id=pk, action="view")
        directive = services.directive_submit(user=request.user, directive=directive)
        return _circular_result(f"เสนอลงนามแล้ว รอ{directive.signing_position.title}ลงนาม", directive)


class CircularSign(generics.GenericAPIView):
    serializer_class = CircularResultSerializer

    @extend_schema(
        tags=TAG,
        summary="ลงนามและส่งหนังสือเวียน",
        description="ได้เลขหนังสือเวียน (ว) และส่งถึงทุกหน่วยงานของกลุ่มผู้รับทันที กดซ้ำได้ 409 (ไม่ส่งซ้ำ)",
        request=None,
        responses=CIRCULAR_RESULT,
    )
    def post(self, request: Request, pk: int) -> Response:
        directive = directive_get_for_user(user=request.user, directive_id=pk, action="sign")
        directive = services.directive_sign_and_send(user=request.user, directive=directive)
        count = directive.distributions.count()
        return _circular_result(f"ลงนามแล้ว ได้เลขที่ {directive.number} ส่งถึง {count} หน่วยงานแล้ว", directive)


class CircularReturn(generics.GenericAPIView):
    serializer_class = ReasonSerializer

    @extend_schema(tags=TAG, summary="ส่งคืนร่างหนังสือเวียน", request=ReasonSerializer, responses=CIRCULAR_RESULT)
    def post(self, request: Request, pk: int) -> Response:
        directive = directive_get_for_user(user=request.user, directive_id=pk, action="sign")
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        directive = services.directive_return(
            user=request.user, directive=directive, reason=serializer.validated_data["reason"]
        )
        return _circular_result("ส่งคืนร่างหนังสือเวียนให้แก้ไขแล้ว", directive)


class CircularDistributions(generics.GenericAPIView):
    serializer_class = DistributionSerializer

    @extend_schema(
        tags=TAG,
        summary="การติดตามผลรายหน่วยงาน (ผู้ออกหนังสือ)",
        description="ทุกหน่วยงานผู้รับกับสถานะ วันลงรับ วันรับทราบ กำหนดส่งรายงาน และการเกินกำหนด",
        responses={200: DistributionSerializer(many=True), **errors(NOT_FOUND)},
    )
    def get(self, request: Request, pk: int) -> Response:
        directive = directive_get_for_user(user=request.user, directive_id=pk, action="follow_up")
        rows = selectors.dashboard_rows(directive)
        return Response(DistributionSerializer(rows, many=True).data)


# --- A receiving unit --------------------------------------------------------------------------


def distribution_detail(distribution: Distribution) -> dict[str, Any]:
    directive = distribution.directive
    return {
        **{
            f: getattr(distribution, f)
            for f in (
                "id",
                "directive",
                "unit",
                "state",
                "sent_at",
                "receipt",
                "received_at",
                "acknowledged_at",
                "completed_on",
                "due_date",
                "overdue_since",
                "reported_at",
            )
        },
        "get_state_display": distribution.get_state_display(),
        "requirement": services.report_requirement_text(directive),
        "decision_lines": list(selectors.memo_decision(directive.memo).lines),
        "reports": selectors.distribution_reports(distribution),
    }


class DistributionList(generics.ListAPIView):
    serializer_class = DistributionSerializer
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Distribution.objects.none()
        return selectors.incoming_for_user(user=self.request.user)

    @extend_schema(
        tags=DIST_TAG,
        summary="หนังสือเวียนที่ส่งถึงหน่วยงานของท่าน",
        description="เรื่องที่ยังต้องดำเนินการก่อน (รอลงรับ รับทราบ รายงาน) แล้วเรื่องที่เสร็จแล้ว ชุดเดียวกับหน้าหนังสือเวียนรับ",
        responses={200: DistributionSerializer(many=True), **errors(NOT_FOUND)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class DistributionDetail(generics.GenericAPIView):
    serializer_class = DistributionDetailSerializer

    @extend_schema(
        tags=DIST_TAG,
        summary="อ่านหนังสือเวียนที่ส่งถึงหน่วยงาน",
        description="สถานะของหน่วยงาน กำหนดรายงานผล คำสั่งการในบันทึกต้นเรื่อง และรายงานที่ส่งแล้ว",
        responses={200: DistributionDetailSerializer, **errors(NOT_FOUND)},
    )
    def get(self, request: Request, pk: int) -> Response:
        distribution = distribution_get_for_user(user=request.user, distribution_id=pk)
        return Response(DistributionDetailSerializer(distribution_detail(distribution)).data)


def _distribution_result(message: str, pk: int) -> Response:
    distribution = Distribution.objects.select_related("directive__unit", "unit", "receipt").get(pk=pk)
    return Response(DistributionResultSerializer({"detail": message, "distribution": distribution}).data)


DIST_RESULT = {200: DistributionResultSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)}


class DistributionBookIn(generics.GenericAPIView):
    serializer_class = DistributionResultSerializer

    @extend_schema(
        tags=DIST_TAG,
        summary="ลงทะเบียนรับหนังสือเวียน",
        description="เจ้าหน้าที่สารบรรณของหน่วยงานผู้รับ ได้เลขรับจากทะเบียนหนังสือรับของหน่วยงาน",
        request=None,
        responses=DIST_RESULT,
    )
    def post(self, request: Request, pk: int) -> Response:
        distribution = distribution_get_for_user(user=request.user, distribution_id=pk, action="receive")
        distribution = services.distribution_receive(user=request.user, distribution=distribution)
        number = distribution.receipt.number if distribution.receipt else ""
        return _distribution_result(f"ลงทะเบียนรับแล้ว เลขรับ {number}", pk)


class DistributionAcknowledge(generics.GenericAPIView):
    serializer_class = DistributionResultSerializer

    @extend_schema(tags=DIST_TAG, summary="รับทราบหนังสือเวียน", request=None, responses=DIST_RESULT)
    def post(self, request: Request, pk: int) -> Response:
        distribution = distribution_get_for_user(user=request.user, distribution_id=pk, action="act")
        services.distribution_acknowledge(user=request.user, distribution=distribution)
        return _distribution_result("บันทึกการรับทราบแล้ว", pk)


class DistributionCompletion(generics.GenericAPIView):
    serializer_class = CompletionSerializer

    @extend_schema(
        tags=DIST_TAG,
        summary="บันทึกวันดำเนินการแล้วเสร็จ",
        description="ถ้ากำหนดส่งรายงานนับจากวันแล้วเสร็จ ระบบคำนวณกำหนดส่งรายงานให้",
        request=CompletionSerializer,
        responses=DIST_RESULT,
    )
    def post(self, request: Request, pk: int) -> Response:
        distribution = distribution_get_for_user(user=request.user, distribution_id=pk, action="act")
        serializer = CompletionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.distribution_record_completion(
            user=request.user, distribution=distribution, completed_on=serializer.validated_data["completed_on"]
        )
        return _distribution_result("บันทึกวันดำเนินการแล้วเสร็จแล้ว", pk)


class DistributionReport(generics.GenericAPIView):
    serializer_class = ReportInSerializer

    @extend_schema(
        tags=DIST_TAG,
        summary="ส่งรายงานผลการดำเนินการ",
        description="ตามแบบรายงาน (ชื่อโครงการ ช่วงเวลา ผู้เข้าร่วม งบประมาณ ผลการดำเนินงาน) ส่งช้าได้ แต่แสดงว่าเกินกำหนด",
        request=ReportInSerializer,
        responses={201: ReportResultSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def post(self, request: Request, pk: int) -> Response:
        distribution = distribution_get_for_user(user=request.user, distribution_id=pk, action="act")
        serializer = ReportInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_submit(
            user=request.user, distribution=distribution, data=services.ReportInput(**serializer.validated_data)
        )
        body = ReportResultSerializer({"detail": "ส่งรายงานผลการดำเนินการแล้ว", "report": report}).data
        return Response(body, status=status.HTTP_201_CREATED)


def _report_for_review(request: Request, pk: int) -> FollowUpReport:
    report = get_object_or_404(FollowUpReport.objects.only("pk", "distribution_id"), pk=pk)
    distribution_get_for_user(user=request.user, distribution_id=report.distribution_id, action="review")
    return report


class ReportAccept(generics.GenericAPIView):
    serializer_class = ReportResultSerializer

    @extend_schema(
        tags=TAG,
        summary="ตรวจรับรายงานผล (ผู้ออกหนังสือ)",
        request=None,
        responses={200: ReportResultSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def post(self, request: Request, pk: int) -> Response:
        report = services.report_accept(user=request.user, report=_report_for_review(request, pk))
        return Response(ReportResultSerializer({"detail": "รับรายงานแล้ว", "report": report}).data)


class ReportReturn(generics.GenericAPIView):
    serializer_class = ReasonSerializer

    @extend_schema(
        tags=TAG,
        summary="ส่งคืนรายงานผลพร้อมเหตุผล (ผู้ออกหนังสือ)",
        request=ReasonSerializer,
        responses={200: ReportResultSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def post(self, request: Request, pk: int) -> Response:
        report = _report_for_review(request, pk)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_return(user=request.user, report=report, reason=serializer.validated_data["reason"])
        return Response(ReportResultSerializer({"detail": "ส่งคืนรายงานพร้อมเหตุผลแล้ว", "report": report}).data)
