"""Memos: list (access-filtered), read, draft, update a draft, submit, withdraw."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.db import transaction
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from viewflow.workflow.exceptions import FlowLockFailed

from directives.selectors import decision_event, directive_initial
from directives.services import DIRECTIVE_SOURCE_STATES
from documents.models import DocumentKind, DocumentVersion
from memos import selectors as memo_selectors
from memos import services as memo_services
from memos.access import memo_get_for_user, memos_visible_to
from memos.models import DECIDED_STATES, Memo
from workflow import services as task_services
from workflow.flows import MemoFlow
from workflow.nodes import BUSY

from ..filters import MemoFilter
from ..problems import Problem
from ..serializers import (
    CircularWriteSerializer,
    MemoDetailSerializer,
    MemoListSerializer,
    MemoWriteSerializer,
    ReasonSerializer,
)
from .common import CONFLICT, INVALID, NOT_FOUND, Pagination, errors

TAG = ["บันทึกข้อความ"]


def memo_input(data: dict[str, Any]) -> memo_services.MemoInput:
    return memo_services.MemoInput(
        subject=data["subject"],
        addressee_id=data["addressee"],
        signing_position_id=data["signing_position"],
        route_position_ids=list(data["route"]),
        sections=[
            memo_services.SectionInput(
                s["heading"], s.get("intro", ""), [(i["level"], i["style"], i["text"]) for i in s.get("items", [])]
            )
            for s in data["sections"]
        ],
        proposals=[memo_services.ProposalInput(p["text"], p["ask"]) for p in data["proposals"]],
        urgency=int(data["urgency"]),
        secrecy=int(data["secrecy"]),
        phone=data.get("phone", ""),
        authority=data.get("authority", ""),
    )


def memo_detail(memo: Memo, user: Any) -> dict[str, Any]:
    """The memo as its page shows it (memos.selectors.memo_page), as data."""
    context = memo_selectors.memo_page(memo=memo, user=user)
    sections = []
    for entry in context["sections"]:
        section = entry["section"]
        items = entry["items"]
        sections.append(
            {
                "heading": section.heading,
                "intro": section.intro,
                "items": [{"level": i.level, "style": i.style, "text": i.text} for i, _label in items],
                "labels": [label for _i, label in items],
            }
        )
    decision = None
    if memo.state in DECIDED_STATES:
        event = decision_event(memo)
        if event is not None:
            decision = {
                "lines": event.payload.get("lines", []),
                "rulings": event.payload.get("rulings", {}),
                "decided_by": event.actor_name,
                "signature_lines": event.signature_lines,
                "decided_at": event.created_at,
            }
    holder = None
    if context["holder"] is not None:
        found = context["holder"]
        holder = {
            "task_id": found.task_id,
            "kind": found.kind,
            "position": found.position,
            "since": found.since,
            "mine": context["open_task"] is not None,
        }
    documents = DocumentVersion.objects.filter(memo=memo, kind=DocumentKind.MEMO).select_related("event")
    return {
        **{f: getattr(memo, f) for f in ("id", "number", "dated", "subject", "state", "urgency", "secrecy")},
        "get_state_display": memo.get_state_display(),
        "unit": memo.unit,
        "created_at": memo.created_at,
        "updated_at": memo.updated_at,
        "decided_at": memo.decided_at,
        "phone": memo.phone,
        "authority": memo.authority,
        "version": memo.version,
        "addressee": memo.addressee,
        "signing_position": memo.signing_position,
        "drafted_by": memo.drafted_by.official.full_name
        if hasattr(memo.drafted_by, "official")
        else memo.drafted_by.get_username(),
        "sections": sections,
        "proposals": [
            {
                "number": p.number,
                "text": p.text,
                "ask": p.ask,
                "ruling": p.ruling,
                "ruling_label": p.get_ruling_display() if p.ruling else "",
                "ruling_note": p.ruling_note,
            }
            for p in context["proposals"]
        ],
        "route": [r.position for r in context["route"]],
        "current_step": memo.current_step,
        "notes": context["notes"],
        "receipts": context["receipts"],
        "decision": decision,
        "events": context["events"],
        "documents": list(documents.order_by("-version")),
        "attachments": context["attachments"],
        "holder": holder,
        "can_edit": context["can_edit"],
        "can_withdraw": context["can_withdraw"],
        "can_start_circular": context["can_start_directive"],
    }


class MemoListCreate(generics.ListCreateAPIView):
    serializer_class = MemoListSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = MemoFilter

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Memo.objects.none()
        return memos_visible_to(self.request.user).select_related("unit").order_by("-created_at", "-pk")

    @extend_schema(
        tags=TAG,
        summary="รายการบันทึกข้อความที่ท่านมีสิทธิ์เห็น",
        description="เฉพาะเรื่องที่หน้าจอให้ท่านเปิดได้ (หน่วยงานของท่าน เส้นทางที่ผ่านท่าน หรือหนังสือเวียนที่ส่งถึง) "
        "เรื่องชั้นลับเห็นเฉพาะผู้ร่างและผู้อยู่ในเส้นทาง เรียงจากใหม่ไปเก่า กรองตามสถานะ ปี พ.ศ. และส่วนราชการได้",
        responses={200: MemoListSerializer(many=True), **errors(INVALID, NOT_FOUND)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    @extend_schema(
        tags=TAG,
        summary="ร่างบันทึกข้อความใหม่",
        description="สร้างร่างในนามหน่วยงานของผู้เรียก ตรวจข้อมูลด้วยกฎเดียวกับหน้าจอร่าง",
        request=MemoWriteSerializer,
        responses={201: MemoDetailSerializer, **errors(INVALID)},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = MemoWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if getattr(request.user, "official", None) is None:
            raise Problem("บัญชีนี้ยังไม่ได้ผูกกับข้าราชการ จึงร่างบันทึกข้อความไม่ได้", code="no_official", status_code=403)
        memo = memo_services.memo_create(user=request.user, data=memo_input(serializer.validated_data))
        memo = memo_get_for_user(user=request.user, memo_id=memo.pk)
        return Response(MemoDetailSerializer(memo_detail(memo, request.user)).data, status=status.HTTP_201_CREATED)


class MemoDetail(generics.GenericAPIView):
    serializer_class = MemoDetailSerializer

    @extend_schema(
        tags=TAG,
        summary="อ่านบันทึกข้อความ",
        description="เนื้อหา ข้อเสนอ เส้นทาง เกษียน คำสั่งการ ประวัติ ฉบับเอกสาร และผู้ถือเรื่องอยู่ขณะนี้",
        responses={200: MemoDetailSerializer, **errors(NOT_FOUND)},
    )
    def get(self, request: Request, pk: int) -> Response:
        memo = memo_get_for_user(user=request.user, memo_id=pk)
        return Response(MemoDetailSerializer(memo_detail(memo, request.user)).data)

    @extend_schema(
        tags=TAG,
        summary="แก้ไขร่างบันทึกข้อความ",
        description="ได้เฉพาะผู้ร่างหรือเจ้าหน้าที่สารบรรณของหน่วยงาน ขณะเป็นร่างหรือถูกส่งคืนแก้ไข ส่งเนื้อหาทั้งฉบับ (แทนที่ของเดิม)",
        request=MemoWriteSerializer,
        responses={200: MemoDetailSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def put(self, request: Request, pk: int) -> Response:
        memo = memo_get_for_user(user=request.user, memo_id=pk, action="edit")
        serializer = MemoWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        memo_services.memo_update(memo=memo, user=request.user, data=memo_input(serializer.validated_data))
        memo = memo_get_for_user(user=request.user, memo_id=pk)
        return Response(MemoDetailSerializer(memo_detail(memo, request.user)).data)


class MemoSubmit(generics.GenericAPIView):
    serializer_class = MemoListSerializer

    @extend_schema(
        tags=TAG,
        summary="ส่งเสนอลงนาม",
        description="ตรวจความพร้อม (ข้อผิดพลาดจากตัวตรวจก่อนส่งทำให้ส่งไม่ได้) แล้วส่งถึงผู้ลงนาม",
        request=None,
        responses={200: MemoListSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def post(self, request: Request, pk: int) -> Response:
        memo = memo_get_for_user(user=request.user, memo_id=pk, action="submit")
        memo = task_services.memo_submit(memo=memo, user=request.user)
        return Response(MemoListSerializer(memo).data)


class MemoWithdraw(generics.GenericAPIView):
    serializer_class = ReasonSerializer

    @extend_schema(
        tags=TAG,
        summary="ถอนเรื่อง",
        description="ผู้ร่างถอนเรื่องที่ยังไม่ได้สั่งการ งานที่ค้างอยู่ถูกยกเลิก เลขหนังสือคงอยู่ในทะเบียนโดยยกเลิกเลข",
        request=ReasonSerializer,
        responses={200: MemoListSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def post(self, request: Request, pk: int) -> Response:
        memo = memo_get_for_user(user=request.user, memo_id=pk, action="withdraw")
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The flow lock first, then the memo row: the order every task takes (as the screen does).
        flow_lock = MemoFlow.lock(memo.process_id) if memo.process_id else nullcontext()
        try:
            with flow_lock, transaction.atomic():
                memo = task_services.memo_withdraw(
                    memo=memo, user=request.user, reason=serializer.validated_data["reason"]
                )
        except FlowLockFailed:
            raise Problem(BUSY, code="busy", status_code=409)
        return Response(MemoListSerializer(memo).data)


class MemoCircularDraft(generics.GenericAPIView):
    serializer_class = CircularWriteSerializer

    @extend_schema(
        tags=["หนังสือเวียน"],
        summary="ร่างหนังสือเวียนที่เติมจากคำสั่งการ",
        description="ค่าเริ่มต้นเดียวกับหน้าจอออกหนังสือเวียน (เรื่อง คำสั่งการ กลุ่มผู้รับ กำหนดรายงานผล) "
        "สำหรับส่งต่อไปยัง POST /api/v1/circulars/ เฉพาะหน่วยงานเจ้าของเรื่องที่อนุมัติแล้ว",
        responses={200: CircularWriteSerializer, **errors(NOT_FOUND, CONFLICT)},
    )
    def get(self, request: Request, pk: int) -> Response:
        memo = memo_get_for_user(user=request.user, memo_id=pk)
        official = getattr(request.user, "official", None)
        if official is None or official.unit_id != memo.unit_id:
            raise Problem("ไม่พบบันทึกข้อความ", code="not_found", status_code=404)
        if memo.state not in DIRECTIVE_SOURCE_STATES:
            raise Problem("ออกหนังสือเวียนได้เฉพาะบันทึกข้อความที่อนุมัติแล้ว", code="state", status_code=409)
        data = directive_initial(memo)
        return Response(
            CircularWriteSerializer(
                {
                    "subject": data.subject,
                    "decision_summary": data.decision_summary,
                    "actions": data.actions,
                    "groups": data.group_ids,
                    "signing_position": data.signing_position_id,
                    "body": data.body,
                    "report_required": data.report_required,
                    "deadline_rule": data.deadline_rule,
                    "deadline_date": data.deadline_date,
                    "deadline_days": data.deadline_days,
                    "contact_mailbox": data.contact_mailbox,
                    "urgency": data.urgency,
                }
            ).data
        )
