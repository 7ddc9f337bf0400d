"""Tasks: the unified inbox (the screen's selectors), and acting on a task: sign, forward
with a note, return with a reason, decide proposal by proposal, book in, resubmit.

Each action runs as the task screens do (workflow.nodes.memo_task_view and _TaskView.post):
under the flow's lock, the task re-read and checked open, executable by whoever acts for
its post today (an acting holder takes it over), the memo service, then the activation and
the task link, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import Http404
from django.urls import Resolver404, resolve
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from directory.selectors import positions_of_user
from memos import services as memo_services
from memos.access import memo_visible_to
from memos.models import Memo, MemoState
from memos.wording import compose_decision
from workflow import selectors as task_selectors
from workflow.models import TaskKind, TaskLink
from workflow.nodes import ALREADY_DONE, BUSY, OPEN_STATUSES, WITHDRAWN, user_acts_for_task
from workflow.services import task_link_close, task_link_take_over

from ..problems import Problem
from ..serializers import (
    BookInSerializer,
    CircularItemSerializer,
    DecideSerializer,
    DecisionPreviewSerializer,
    NoteSerializer,
    OptionalNoteSerializer,
    ReasonSerializer,
    TaskDetailSerializer,
    TaskPageSerializer,
    TaskResultSerializer,
)
from .common import CONFLICT, INVALID, NOT_FOUND, errors

TAG = ["งาน"]

# What each kind of task lets its holder do (the task screens' forms offer the same).
ACTIONS = {
    TaskKind.SIGN: ["sign", "return"],
    TaskKind.REVIEW: ["forward", "return"],
    TaskKind.DECIDE: ["decide", "return"],
    TaskKind.BOOK_IN: ["book_in"],
    TaskKind.REVISE: ["resubmit"],
}

FILTER_PARAMS = [
    OpenApiParameter("q", str, description="ค้นจากเรื่องหรือเลขที่ (เลขไทยหรืออารบิก)"),
    OpenApiParameter("unit", int, description="รหัสส่วนราชการเจ้าของเรื่อง"),
    OpenApiParameter("state", str, enum=MemoState.values, description="สถานะบันทึกข้อความ"),
    OpenApiParameter("page", int, description="หน้าที่ (หน้าละ ๕๐ รายการ)"),
]


def _small_int(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _task_filter(request: Request) -> task_selectors.TaskFilter:
    state = request.query_params.get("state", "")
    return task_selectors.TaskFilter(
        text=request.query_params.get("q", "")[:200],
        unit_id=_small_int(request.query_params.get("unit", "")),
        state=state if state in MemoState.values else "",
    )


def _row(link: Any) -> dict[str, Any]:
    returned = getattr(link, "returned", None)
    return {
        "task_id": link.task_id,
        "kind": link.kind,
        "get_kind_display": link.get_kind_display(),
        "memo": link.memo,
        "position": link.position,
        "urgency": link.urgency,
        "created_at": link.created_at,
        "acting_wording": getattr(link, "acting_wording", ""),
        "returned_reason": returned.text if returned is not None else None,
    }


def _page(result: task_selectors.TaskPage) -> dict[str, Any]:
    return {
        "count": result.total,
        "capped": result.capped,
        "page": result.page,
        "pages": result.pages,
        "results": [_row(link) for link in result.rows],
    }


class Inbox(generics.GenericAPIView):
    serializer_class = TaskPageSerializer

    @extend_schema(
        tags=TAG,
        operation_id="tasks_inbox",
        summary="กล่องงาน: งานบันทึกข้อความที่รอท่าน",
        description="ชุดเดียวกับกล่องงานบนหน้าจอ: งานของท่าน งานของตำแหน่งที่ท่านดำรงหรือรักษาการวันนี้ "
        "และ (เจ้าหน้าที่สารบรรณ) เรื่องที่รอลงทะเบียนรับ เรียงด่วนก่อน แล้วเก่าก่อน",
        parameters=FILTER_PARAMS,
        responses={200: TaskPageSerializer, **errors()},
    )
    def get(self, request: Request) -> Response:
        result = task_selectors.inbox_tasks(
            user=request.user,
            filters=_task_filter(request),
            page=_small_int(request.query_params.get("page", "1")) or 1,
            positions=positions_of_user(user=request.user),
        )
        return Response(TaskPageSerializer(_page(result)).data)


class UnitQueue(generics.GenericAPIView):
    serializer_class = TaskPageSerializer

    @extend_schema(
        tags=TAG,
        summary="งานของหน่วยงาน (เจ้าหน้าที่สารบรรณ)",
        description="งานที่เปิดอยู่ของตำแหน่งในหน่วยงานของเจ้าหน้าที่สารบรรณ หรือที่หน่วยงานเป็นผู้ลงรับ ผู้ที่ไม่ใช่เจ้าหน้าที่สารบรรณได้รายการว่าง",
        parameters=FILTER_PARAMS,
        responses={200: TaskPageSerializer, **errors()},
    )
    def get(self, request: Request) -> Response:
        result = task_selectors.unit_queue(
            user=request.user,
            filters=_task_filter(request),
            page=_small_int(request.query_params.get("page", "1")) or 1,
        )
        if result is None:
            return Response(
                TaskPageSerializer({"count": 0, "capped": False, "page": 1, "pages": 1, "results": []}).data
            )
        return Response(TaskPageSerializer(_page(result)).data)


def _circular_ids(url: str) -> tuple[int | None, int | None]:
    try:
        match = resolve(url)
    except Resolver404:
        return None, None
    pk = match.kwargs.get("pk")
    if match.url_name == "directive_detail":
        return pk, None
    if match.url_name == "distribution_detail":
        return None, pk
    return None, None


class InboxCirculars(generics.GenericAPIView):
    serializer_class = CircularItemSerializer

    @extend_schema(
        tags=TAG,
        summary="กล่องงาน: หนังสือเวียนที่รอท่าน",
        description="หนังสือเวียนที่รอลงนาม รอลงทะเบียนรับ รอรับทราบ รอรายงานผล และรายงานที่รอตรวจรับ ชุดเดียวกับกล่องงานบนหน้าจอ",
        responses={200: CircularItemSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        posts = [p.pk for p, _c in positions_of_user(user=request.user)]
        rows = []
        for item in task_selectors.circular_work(user=request.user, posts=posts):
            circular_id, distribution_id = _circular_ids(item.url)
            rows.append({**item.__dict__, "circular_id": circular_id, "distribution_id": distribution_id})
        return Response(CircularItemSerializer(rows, many=True).data)


def _open_link(request: Request, task_id: int) -> TaskLink:
    link = TaskLink.objects.select_related("task", "memo", "position").filter(task_id=task_id).first()
    if link is None or not memo_visible_to(request.user, link.memo):
        raise Http404("ไม่พบงานนี้")
    return link


class TaskDetail(generics.GenericAPIView):
    serializer_class = TaskDetailSerializer

    @extend_schema(
        tags=TAG,
        summary="อ่านงาน",
        description="งานหนึ่งงานกับการดำเนินการที่ผู้เรียกทำได้ (ว่างถ้างานปิดแล้วหรือไม่ใช่งานของผู้เรียก)",
        responses={200: TaskDetailSerializer, **errors(NOT_FOUND)},
    )
    def get(self, request: Request, pk: int) -> Response:
        link = _open_link(request, pk)
        mine = link.is_open and link.task.status in OPEN_STATUSES and user_acts_for_task(request.user, link.task)
        proposals = list(link.memo.proposals.all()) if link.kind == TaskKind.DECIDE else []
        data = {
            **_row(link),
            "actions": ACTIONS.get(TaskKind(link.kind), []) if mine else [],
            "proposals": [
                {
                    "number": p.number,
                    "text": p.text,
                    "ask": p.ask,
                    "ruling": p.ruling,
                    "ruling_label": p.get_ruling_display() if p.ruling else "",
                    "ruling_note": p.ruling_note,
                }
                for p in proposals
            ],
        }
        return Response(TaskDetailSerializer(data).data)


def run_task(request: Request, task_id: int, action: str, act: Callable[[Memo, TaskLink], str]) -> dict[str, Any]:
    """Do `act` on the open task `task_id` as the task screen would; returns the result body."""
    link = _open_link(request, task_id)
    flow_task = link.task.flow_task
    flow_class = flow_task.flow_class
    user: Any = request.user
    try:
        with flow_class.lock(link.task.process_id), transaction.atomic():
            task = flow_class.task_class._default_manager.get(pk=task_id)
            if task.status == STATUS.CANCELED:
                raise Problem(WITHDRAWN, code="withdrawn", status_code=409)
            if task.status not in OPEN_STATUSES:
                raise Problem(ALREADY_DONE, code="done", status_code=409)
            if not flow_task.can_execute(user, task):
                raise Http404("ไม่พบงานนี้")
            if action not in ACTIONS.get(TaskKind(link.kind), []):
                raise Problem(
                    f"งานนี้เป็นงาน “{link.get_kind_display()}” ซึ่งไม่มีการดำเนินการนี้", code="wrong_task", status_code=409
                )
            task_link_take_over(task=task, user=user)  # an acting holder's, if not theirs yet
            activation = flow_task.activation_class(task)
            activation.start(request)
            message = act(Memo.objects.get(pk=link.memo_id), link)
            activation.execute()
            task_link_close(task=task)
    except FlowLockFailed:
        raise Problem(BUSY, code="busy", status_code=409)
    except TransitionNotAllowed:
        raise Problem(ALREADY_DONE, code="done", status_code=409)
    return {"detail": message, "memo": Memo.objects.select_related("unit").get(pk=link.memo_id)}


RESULT = {200: TaskResultSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)}


class TaskSign(generics.GenericAPIView):
    serializer_class = TaskResultSerializer

    @extend_schema(
        tags=TAG,
        summary="ลงนาม",
        description="ผู้ดำรงหรือรักษาการตำแหน่งผู้ลงนามลงนาม บันทึกได้เลขที่หนังสือจากทะเบียนส่งและวันที่",
        request=None,
        responses=RESULT,
    )
    def post(self, request: Request, pk: int) -> Response:
        def act(memo: Memo, link: TaskLink) -> str:
            memo = memo_services.memo_sign(memo=memo, user=request.user)
            return f"ลงนามแล้ว ได้เลขที่หนังสือ {memo.number}"

        return Response(TaskResultSerializer(run_task(request, pk, "sign", act)).data)


class TaskForward(generics.GenericAPIView):
    serializer_class = NoteSerializer

    @extend_schema(
        tags=TAG,
        summary="เกษียนและเสนอต่อ",
        description="เขียนข้อความเกษียนแล้วเสนอตำแหน่งถัดไปตามเส้นทาง",
        request=NoteSerializer,
        responses=RESULT,
    )
    def post(self, request: Request, pk: int) -> Response:
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def act(memo: Memo, link: TaskLink) -> str:
            memo_services.memo_forward(memo=memo, user=request.user, note=serializer.validated_data["note"])
            return "เกษียนและเสนอต่อแล้ว"

        return Response(TaskResultSerializer(run_task(request, pk, "forward", act)).data)


class TaskReturn(generics.GenericAPIView):
    serializer_class = ReasonSerializer

    @extend_schema(
        tags=TAG,
        summary="ส่งคืนผู้ร่าง",
        description="ผู้ลงนามหรือผู้พิจารณาส่งเรื่องคืนผู้ร่างพร้อมเหตุผล",
        request=ReasonSerializer,
        responses=RESULT,
    )
    def post(self, request: Request, pk: int) -> Response:
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def act(memo: Memo, link: TaskLink) -> str:
            position = (
                memo.signing_position if link.kind == TaskKind.SIGN else memo_services.memo_current_position(memo)
            )
            if position is None:
                raise Problem("บันทึกข้อความนี้ไม่ได้อยู่ระหว่างเสนอตามเส้นทาง", code="state", status_code=409)
            memo_services.memo_return(
                memo=memo, user=request.user, position=position, reason=serializer.validated_data["reason"]
            )
            return "ส่งคืนผู้ร่างแล้ว"

        return Response(TaskResultSerializer(run_task(request, pk, "return", act)).data)


def _decision_inputs(data: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of memos.services.memo_decide, as the decision screen's form
    (workflow.forms.DecideForm.decision_inputs) gives them."""
    rows = data["rulings"]
    return {
        "rulings": {r["number"]: r["ruling"] for r in rows},
        "notes": {r["number"]: r["note"] for r in rows},
        "actors": {r["number"]: r["actor"] for r in rows},
        "tails": {r["number"]: r["tail"] for r in rows},
        "order_actor": data["order_actor"],
        "order_tail": data["order_tail"],
        "extra": data["extra"],
    }


class TaskDecide(generics.GenericAPIView):
    serializer_class = DecideSerializer

    @extend_schema(
        tags=TAG,
        summary="พิจารณาสั่งการรายข้อ",
        description="ผู้สั่งการ (ตำแหน่งสุดท้ายของเส้นทาง) ระบุผลการพิจารณาทุกข้อ ข้อความสั่งการประกอบขึ้นด้วยกฎเดียวกับหน้าจอ "
        "(เช่น “อนุมัติในข้อ ๑” “ให้ดำเนินการในข้อ ๒ - ๓”) บันทึกได้สถานะอนุมัติ อนุมัติบางข้อ หรือไม่อนุมัติ",
        request=DecideSerializer,
        responses=RESULT,
    )
    def post(self, request: Request, pk: int) -> Response:
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def act(memo: Memo, link: TaskLink) -> str:
            memo = memo_services.memo_decide(
                memo=memo, user=request.user, **_decision_inputs(serializer.validated_data)
            )
            return f"สั่งการแล้ว ({memo.get_state_display()})"

        return Response(TaskResultSerializer(run_task(request, pk, "decide", act)).data)


class TaskDecisionPreview(generics.GenericAPIView):
    serializer_class = DecideSerializer

    @extend_schema(
        tags=TAG,
        summary="ดูข้อความสั่งการก่อนยืนยัน",
        description="ข้อความที่จะบันทึกจากผลการพิจารณาที่เลือกไว้ (ไม่บันทึกอะไร)",
        request=DecideSerializer,
        responses={200: DecisionPreviewSerializer, **errors(INVALID, NOT_FOUND)},
    )
    def post(self, request: Request, pk: int) -> Response:
        link = _open_link(request, pk)
        if (
            link.kind != TaskKind.DECIDE
            or not link.is_open
            or link.task.status not in OPEN_STATUSES
            or not user_acts_for_task(request.user, link.task)
        ):
            raise Http404("ไม่พบงานนี้")
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inputs = _decision_inputs(serializer.validated_data)
        numbers = list(link.memo.proposals.values_list("number", flat=True))
        rulings = {n: inputs["rulings"].get(n, "") for n in numbers}
        lines = compose_decision(
            sorted(rulings.items()),
            notes=inputs["notes"],
            actors=inputs["actors"],
            tails=inputs["tails"],
            order_actor=inputs["order_actor"],
            order_tail=inputs["order_tail"],
            extra=inputs["extra"],
        )
        undecided = [n for n, ruling in rulings.items() if not ruling]
        return Response(DecisionPreviewSerializer({"lines": lines, "undecided": undecided}).data)


class TaskBookIn(generics.GenericAPIView):
    serializer_class = BookInSerializer

    @extend_schema(
        tags=TAG,
        summary="ลงทะเบียนรับและส่งต่อ",
        description="เจ้าหน้าที่สารบรรณของสำนักงานที่รับเรื่องลงทะเบียนรับ (เลขรับ วันเวลา) แล้วส่งต่อผู้ดำรงตำแหน่ง "
        "ระบุเวลาที่รับฉบับกระดาษได้ ต้องไม่เป็นอนาคตและไม่ก่อนเวลาที่ส่ง",
        request=BookInSerializer,
        responses=RESULT,
    )
    def post(self, request: Request, pk: int) -> Response:
        serializer = BookInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entries: list[Any] = []

        def act(memo: Memo, link: TaskLink) -> str:
            entry = memo_services.memo_book_in(
                memo=memo,
                user=request.user,
                received_at=serializer.validated_data["received_at"],
                note=serializer.validated_data["note"],
            )
            entries.append(entry)
            return f"ลงทะเบียนรับแล้ว เลขรับ {entry.number}"

        result = run_task(request, pk, "book_in", act)
        result["receive_number"] = entries[0].number
        return Response(TaskResultSerializer(result).data)


class TaskResubmit(generics.GenericAPIView):
    serializer_class = OptionalNoteSerializer

    @extend_schema(
        tags=TAG,
        summary="เสนอใหม่หลังแก้ไข",
        description="ผู้ร่างแก้ไขเรื่องที่ถูกส่งคืน (PUT /api/v1/memos/{id}/) แล้วเสนอผู้ลงนามอีกครั้งจากงานเดิม",
        request=OptionalNoteSerializer,
        responses=RESULT,
    )
    def post(self, request: Request, pk: int) -> Response:
        serializer = OptionalNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def act(memo: Memo, link: TaskLink) -> str:
            memo_services.memo_resubmit(memo=memo, user=request.user, note=serializer.validated_data["note"])
            return "เสนอบันทึกข้อความที่แก้ไขแล้วใหม่"

        return Response(TaskResultSerializer(run_task(request, pk, "resubmit", act)).data)
