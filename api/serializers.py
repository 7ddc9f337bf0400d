"""The API's shapes: what it reads out and what it takes in. No rules: inputs become the
services' own input dataclasses, and the services decide (in Thai) what is allowed."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from directives.models import DeadlineRule, DirectiveState, DistributionState, ReportStatus
from directory.models import Capacity, Position, RecipientGroup, Unit, UnitKind
from memos.models import Ask, ItemStyle, MemoState, Ruling, Secrecy, Urgency
from memos.services import MAX_PROPOSALS, MAX_ROUTE_STEPS, MAX_SECTIONS, SUBJECT_MAX_LENGTH
from registers.models import Series
from workflow.models import TaskKind

# Ids the API takes are row keys: anything above this is no row (and would overflow SQLite).
MAX_ID = 2**31 - 1

# ลับที่สุด is never handled through the system (memos.services.TOP_SECRET_REFUSAL).
WRITABLE_SECRECY = [c for c in Secrecy.choices if c[0] != Secrecy.TOP_SECRET]

# --- Small pieces ------------------------------------------------------------------------------


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="รหัสส่วนราชการ")
    name = serializers.CharField(help_text="ชื่อส่วนราชการ")
    short_name = serializers.CharField(help_text="ชื่อย่อ")


class PositionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="รหัสตำแหน่ง")
    title = serializers.CharField(help_text="ชื่อตำแหน่ง")
    unit_id = serializers.IntegerField(help_text="รหัสส่วนราชการของตำแหน่ง")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="URI ของชนิดปัญหา (urn:saraban:problem:<code>)")
    title = serializers.CharField(help_text="หัวเรื่องของปัญหา (ภาษาไทย)")
    status = serializers.IntegerField(help_text="รหัสสถานะ HTTP")
    detail = serializers.CharField(help_text="คำอธิบายปัญหาภาษาไทยสำหรับผู้ใช้")
    code = serializers.CharField(help_text="รหัสปัญหาที่คงที่ สำหรับโปรแกรมตรวจสอบ")
    instance = serializers.CharField(required=False, help_text="เส้นทางของคำขอที่เกิดปัญหา")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="ข้อความผิดพลาดรายช่องข้อมูล",
    )


# --- Directory ---------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=UnitKind.choices, help_text="ประเภทส่วนราชการ")
    kind_label = serializers.CharField(source="get_kind_display", help_text="ประเภทส่วนราชการ (คำอ่าน)")
    parent_id = serializers.IntegerField(allow_null=True, help_text="ส่วนราชการต้นสังกัด")

    class Meta:
        model = Unit
        fields = ["id", "key", "name", "short_name", "doc_code", "kind", "kind_label", "parent_id", "phone", "mailbox"]


class PositionSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    addressee = serializers.CharField(help_text="คำขึ้นต้นเมื่อเรียนถึงตำแหน่งนี้")
    registering_unit_id = serializers.IntegerField(
        source="registering_unit.pk", help_text="ส่วนราชการที่ลงทะเบียนรับหนังสือถึงตำแหน่งนี้"
    )

    class Meta:
        model = Position
        fields = ["id", "key", "title", "addressee", "unit", "registering_unit_id"]


class RecipientGroupSerializer(serializers.ModelSerializer):
    position_count = serializers.IntegerField(help_text="จำนวนตำแหน่งในกลุ่ม")

    class Meta:
        model = RecipientGroup
        fields = ["id", "key", "name", "position_count"]


class ActingSerializer(serializers.Serializer):
    position = PositionRefSerializer()
    on = serializers.DateField(help_text="วันที่ถาม (ISO 8601)")
    official_name = serializers.CharField(allow_null=True, help_text="ผู้ดำรงหรือรักษาการตำแหน่งในวันนั้น")
    user_id = serializers.IntegerField(allow_null=True)
    capacity = serializers.ChoiceField(choices=Capacity.choices, allow_null=True, help_text="ฐานะ")
    capacity_label = serializers.CharField(allow_null=True, help_text="ฐานะ (คำอ่าน)")
    signature_lines = serializers.ListField(child=serializers.CharField(), help_text="บรรทัดใต้ลายมือชื่อ")


class MePostSerializer(serializers.Serializer):
    position = PositionRefSerializer()
    capacity = serializers.ChoiceField(choices=Capacity.choices)
    capacity_label = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(allow_null=True, help_text="ชื่อข้าราชการ (ถ้าผูกกับข้าราชการ)")
    unit = UnitRefSerializer(allow_null=True)
    is_clerk = serializers.BooleanField(help_text="เป็นเจ้าหน้าที่สารบรรณของหน่วยงาน")
    posts = MePostSerializer(many=True, help_text="ตำแหน่งที่ดำรงหรือรักษาการวันนี้")


# --- Memos: reading --------------------------------------------------------------------------


class MemoListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="ที่ (เลขหนังสือ) ว่างถ้ายังไม่ลงนาม")
    dated = serializers.DateField(allow_null=True, help_text="ลงวันที่ (ISO 8601)")
    subject = serializers.CharField(help_text="เรื่อง")
    state = serializers.ChoiceField(choices=MemoState.choices, help_text="สถานะ")
    state_label = serializers.CharField(source="get_state_display", help_text="สถานะ (คำอ่าน)")
    urgency = serializers.ChoiceField(choices=Urgency.choices, help_text="ชั้นความเร็ว")
    secrecy = serializers.ChoiceField(choices=Secrecy.choices, help_text="ชั้นความลับ")
    unit = UnitRefSerializer()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class SectionItemSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=0, max_value=1, help_text="ระดับ (0 ข้อหลัก, 1 ข้อย่อย)")
    style = serializers.ChoiceField(choices=ItemStyle.choices, help_text="รูปแบบข้อ")
    text = serializers.CharField(max_length=5000, help_text="ข้อความ")


class SectionOutSerializer(serializers.Serializer):
    heading = serializers.CharField()
    intro = serializers.CharField(allow_blank=True)
    items = SectionItemSerializer(many=True)
    labels = serializers.ListField(child=serializers.CharField(), help_text="เลขข้อตามที่พิมพ์ (๑.๑, -)")


class ProposalOutSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="ข้อที่")
    text = serializers.CharField()
    ask = serializers.ChoiceField(choices=Ask.choices, help_text="สิ่งที่ขอให้ผู้สั่งการพิจารณา")
    ruling = serializers.CharField(allow_blank=True, help_text="ผลการพิจารณา (ว่างถ้ายังไม่สั่งการ)")
    ruling_label = serializers.CharField(allow_blank=True)
    ruling_note = serializers.CharField(allow_blank=True)


class EventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    action = serializers.CharField(help_text="การดำเนินการ")
    action_label = serializers.CharField(source="get_action_display")
    actor_name = serializers.CharField()
    position = PositionRefSerializer(allow_null=True)
    signature_lines = serializers.ListField(child=serializers.CharField())
    from_state = serializers.CharField(allow_blank=True)
    to_state = serializers.CharField()
    text = serializers.CharField(allow_blank=True, help_text="ข้อความเกษียน คำสั่งการ หรือเหตุผล")
    created_at = serializers.DateTimeField()


class DecisionSerializer(serializers.Serializer):
    lines = serializers.ListField(child=serializers.CharField(), help_text="ข้อความสั่งการตามที่บันทึกไว้")
    rulings = serializers.DictField(child=serializers.CharField(), help_text="ผลการพิจารณารายข้อ {ข้อที่: ผล}")
    decided_by = serializers.CharField()
    signature_lines = serializers.ListField(child=serializers.CharField())
    decided_at = serializers.DateTimeField()


class DocumentVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField(help_text="ฉบับที่")
    status = serializers.CharField(help_text="สถานะการจัดทำ (pending, rendering, done, failed)")
    status_label = serializers.CharField(source="get_status_display")
    event = serializers.CharField(source="event_label", help_text="ขั้นตอนที่ทำให้เกิดฉบับนี้")
    created_at = serializers.DateTimeField()
    rendered_at = serializers.DateTimeField(allow_null=True)
    sha256 = serializers.CharField(allow_blank=True)
    size = serializers.IntegerField(allow_null=True)
    is_ready = serializers.BooleanField(help_text="ดาวน์โหลดได้แล้ว")


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    original_name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField(allow_blank=True)


class HolderSerializer(serializers.Serializer):
    task_id = serializers.IntegerField(help_text="งานที่เปิดอยู่")
    kind = serializers.ChoiceField(choices=TaskKind.choices)
    position = PositionRefSerializer(allow_null=True)
    since = serializers.DateTimeField()
    mine = serializers.BooleanField(help_text="ผู้เรียกเป็นผู้ดำเนินการงานนี้ได้")


class MemoDetailSerializer(MemoListSerializer):
    phone = serializers.CharField(allow_blank=True)
    authority = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(help_text="ฉบับที่เสนอ")
    addressee = PositionRefSerializer(help_text="เรียน")
    signing_position = PositionRefSerializer(help_text="ตำแหน่งผู้ลงนาม")
    drafted_by = serializers.CharField(help_text="ผู้ร่าง")
    sections = SectionOutSerializer(many=True)
    proposals = ProposalOutSerializer(many=True)
    route = PositionRefSerializer(many=True, help_text="เส้นทางเสนอ ตำแหน่งสุดท้ายเป็นผู้สั่งการ")
    current_step = serializers.IntegerField()
    notes = EventSerializer(many=True, help_text="เกษียน คำสั่งการ และการส่งคืนของรอบปัจจุบัน")
    receipts = EventSerializer(many=True, help_text="การลงทะเบียนรับของรอบปัจจุบัน")
    decision = DecisionSerializer(allow_null=True)
    events = EventSerializer(many=True, help_text="ประวัติทั้งหมด")
    documents = DocumentVersionSerializer(many=True, help_text="ฉบับเอกสาร .docx ที่จัดเก็บ")
    attachments = AttachmentSerializer(many=True)
    holder = HolderSerializer(allow_null=True, help_text="ตำแหน่งที่ถือเรื่องอยู่ขณะนี้")
    can_edit = serializers.BooleanField()
    can_withdraw = serializers.BooleanField()
    can_start_circular = serializers.BooleanField()


# --- Memos: writing ----------------------------------------------------------------------------


class SectionInSerializer(serializers.Serializer):
    heading = serializers.CharField(max_length=200, help_text="หัวข้อ เช่น ต้นเรื่อง ข้อเท็จจริง ข้อพิจารณาและเสนอแนะ")
    intro = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    items = SectionItemSerializer(many=True, required=False, default=list, max_length=200)


class ProposalInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, help_text="ข้อเสนอ")
    ask = serializers.ChoiceField(choices=Ask.choices, default=Ask.APPROVE, help_text="ขอให้")


class MemoWriteSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=SUBJECT_MAX_LENGTH, help_text="เรื่อง")
    addressee = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="รหัสตำแหน่งที่เรียน")
    signing_position = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="รหัสตำแหน่งผู้ลงนาม")
    route = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MAX_ROUTE_STEPS,
        help_text="รหัสตำแหน่งตามลำดับเส้นทางเสนอ ตำแหน่งสุดท้ายเป็นผู้สั่งการ",
    )
    sections = SectionInSerializer(many=True, max_length=MAX_SECTIONS)
    proposals = ProposalInSerializer(many=True, max_length=MAX_PROPOSALS)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL, help_text="ชั้นความเร็ว")
    secrecy = serializers.ChoiceField(
        choices=WRITABLE_SECRECY,
        default=Secrecy.NORMAL,
        help_text="ชั้นความลับ (ลับที่สุดไม่ดำเนินการผ่านระบบ)",
    )
    phone = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    authority = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="เหตุผล")


# --- Tasks -------------------------------------------------------------------------------------


class TaskMemoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    subject = serializers.CharField()
    state = serializers.ChoiceField(choices=MemoState.choices)
    unit = UnitRefSerializer()


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="task_id", help_text="รหัสงาน")
    kind = serializers.ChoiceField(choices=TaskKind.choices, help_text="ประเภทงาน")
    kind_label = serializers.CharField(source="get_kind_display")
    memo = TaskMemoSerializer()
    position = PositionRefSerializer(allow_null=True, help_text="ตำแหน่งที่งานนี้ส่งถึง")
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    created_at = serializers.DateTimeField()
    acting_wording = serializers.CharField(allow_blank=True, help_text="เช่น รักษาการในตำแหน่ง")
    returned_reason = serializers.CharField(allow_null=True, help_text="เหตุผลที่ส่งคืน (งานแก้ไข)")


class TaskPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="จำนวนงานทั้งหมด (นับถึง 10,000)")
    capped = serializers.BooleanField(help_text="มีมากกว่าที่นับ")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = TaskSerializer(many=True)


class CircularItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="sign, sent, received, acknowledged, review")
    label = serializers.CharField(help_text="สิ่งที่ต้องทำ")
    number = serializers.CharField()
    subject = serializers.CharField()
    sender = serializers.CharField()
    since = serializers.DateTimeField()
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    circular_id = serializers.IntegerField(allow_null=True)
    distribution_id = serializers.IntegerField(allow_null=True)


class TaskDetailSerializer(TaskSerializer):
    actions = serializers.ListField(child=serializers.CharField(), help_text="การดำเนินการที่ทำได้กับงานนี้")
    proposals = ProposalOutSerializer(many=True, help_text="ข้อเสนอ (สำหรับงานพิจารณาสั่งการ)")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text="ข้อความเกษียน")


class OptionalNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class BookInSerializer(serializers.Serializer):
    received_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="วันเวลาที่รับ (ISO 8601) ว่างไว้ = เวลานี้"
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RulingSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=MAX_PROPOSALS, help_text="ข้อที่")
    ruling = serializers.ChoiceField(choices=Ruling.choices, help_text="ผลการพิจารณา")
    actor = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    tail = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DecideSerializer(serializers.Serializer):
    rulings = RulingSerializer(many=True, max_length=MAX_PROPOSALS, help_text="ผลการพิจารณารายข้อ ครบทุกข้อ")
    order_actor = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="ผู้ดำเนินการในข้อที่ให้ดำเนินการ"
    )
    order_tail = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="ตามที่ (ผู้เสนอ) เสนอ"
    )
    extra = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate_rulings(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        numbers = [r["number"] for r in value]
        if len(numbers) != len(set(numbers)):
            raise serializers.ValidationError("ระบุผลการพิจารณาข้อเดียวกันซ้ำ")
        return value


class DecisionPreviewSerializer(serializers.Serializer):
    lines = serializers.ListField(child=serializers.CharField(), help_text="ข้อความสั่งการที่จะบันทึก")
    undecided = serializers.ListField(child=serializers.IntegerField(), help_text="ข้อที่ยังไม่ได้พิจารณา")


class TaskResultSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="ผลการดำเนินการ (ภาษาไทย)")
    memo = MemoListSerializer()
    receive_number = serializers.IntegerField(required=False, help_text="เลขรับ (เมื่อลงทะเบียนรับ)")


# --- Circulars and distributions ----------------------------------------------------------


class CircularListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="ที่ (เลขหนังสือเวียน ว)")
    dated = serializers.DateField(allow_null=True)
    subject = serializers.CharField()
    state = serializers.ChoiceField(choices=DirectiveState.choices)
    state_label = serializers.CharField(source="get_state_display")
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    unit = UnitRefSerializer(help_text="ส่วนราชการผู้ออกหนังสือ")
    memo_id = serializers.IntegerField(help_text="บันทึกข้อความต้นเรื่อง")
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)


class CircularCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    not_received = serializers.IntegerField()
    received = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    reported = serializers.IntegerField()
    overdue = serializers.IntegerField()


class CircularDetailSerializer(CircularListSerializer):
    decision_summary = serializers.CharField()
    actions = serializers.ListField(child=serializers.CharField())
    body = serializers.CharField()
    report_required = serializers.BooleanField()
    deadline_rule = serializers.ChoiceField(choices=DeadlineRule.choices)
    deadline_date = serializers.DateField(allow_null=True)
    deadline_days = serializers.IntegerField(allow_null=True)
    contact_mailbox = serializers.CharField(allow_blank=True)
    signing_position = PositionRefSerializer()
    signature_lines = serializers.ListField(child=serializers.CharField())
    groups = serializers.ListField(child=serializers.IntegerField(), help_text="กลุ่มผู้รับ")
    requirement = serializers.CharField(allow_blank=True, help_text="ข้อความกำหนดการรายงานผล")
    counts = CircularCountsSerializer(allow_null=True, help_text="สรุปการติดตามผล (ผู้ออกหนังสือ)")
    own_distribution_id = serializers.IntegerField(allow_null=True, help_text="ฉบับที่ส่งถึงหน่วยงานของผู้เรียก")


class CircularWriteSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=500)
    decision_summary = serializers.CharField(max_length=10000, allow_blank=True)
    actions = serializers.ListField(child=serializers.CharField(max_length=2000), max_length=50, default=list)
    groups = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=200, help_text="กลุ่มผู้รับ"
    )
    signing_position = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    body = serializers.CharField(max_length=50000)
    report_required = serializers.BooleanField(default=True)
    deadline_rule = serializers.ChoiceField(choices=DeadlineRule.choices, default=DeadlineRule.AFTER_COMPLETION)
    deadline_date = serializers.DateField(required=False, allow_null=True, default=None)
    deadline_days = serializers.IntegerField(required=False, allow_null=True, default=14, min_value=0, max_value=3650)
    contact_mailbox = serializers.EmailField(required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)


class CircularCreateSerializer(CircularWriteSerializer):
    memo = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="บันทึกข้อความที่อนุมัติแล้วซึ่งเป็นต้นเรื่อง")


class CircularResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    circular = CircularListSerializer()


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project_name = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField()
    participants_executives = serializers.IntegerField()
    participants_officials = serializers.IntegerField()
    participants_staff = serializers.IntegerField()
    budget_used = serializers.DecimalField(max_digits=14, decimal_places=2)
    outcome = serializers.CharField()
    has_file = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    return_reason = serializers.CharField(allow_blank=True)

    def get_has_file(self, obj: Any) -> bool:
        return bool(obj.file)


class DistributionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    circular = CircularListSerializer(source="directive")
    unit = UnitRefSerializer(help_text="หน่วยงานผู้รับ")
    state = serializers.ChoiceField(choices=DistributionState.choices)
    state_label = serializers.CharField(source="get_state_display")
    sent_at = serializers.DateTimeField()
    receive_number = serializers.IntegerField(source="receipt.number", allow_null=True, default=None)
    received_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    completed_on = serializers.DateField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    overdue_since = serializers.DateField(allow_null=True)
    reported_at = serializers.DateTimeField(allow_null=True)


class DistributionDetailSerializer(DistributionSerializer):
    requirement = serializers.CharField(allow_blank=True)
    decision_lines = serializers.ListField(child=serializers.CharField(), help_text="คำสั่งการในบันทึกต้นเรื่อง")
    reports = ReportSerializer(many=True)


class CompletionSerializer(serializers.Serializer):
    completed_on = serializers.DateField(help_text="วันที่ดำเนินการแล้วเสร็จ (ISO 8601)")


class ReportInSerializer(serializers.Serializer):
    project_name = serializers.CharField(max_length=500)
    started_on = serializers.DateField()
    ended_on = serializers.DateField()
    participants_executives = serializers.IntegerField(min_value=0, max_value=10_000_000, default=0)
    participants_officials = serializers.IntegerField(min_value=0, max_value=10_000_000, default=0)
    participants_staff = serializers.IntegerField(min_value=0, max_value=10_000_000, default=0)
    budget_used = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    outcome = serializers.CharField(max_length=10000)


class DistributionResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    distribution = DistributionSerializer()


class ReportResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    report = ReportSerializer()


# --- Registers ---------------------------------------------------------------------------------


class RegisterRowSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="เลขทะเบียน")
    registered_at = serializers.DateTimeField(help_text="วันเวลาที่ลงทะเบียน")
    document_number = serializers.CharField(help_text="ที่")
    document_date = serializers.DateField(allow_null=True, help_text="ลงวันที่")
    sender = serializers.CharField(help_text="จาก")
    recipient = serializers.CharField(help_text="ถึง")
    subject = serializers.CharField(help_text="เรื่อง (หนังสือชั้นลับแสดงเป็น “(หนังสือชั้นลับ)”)")
    action = serializers.CharField(help_text="การปฏิบัติ")
    remarks = serializers.CharField(help_text="หมายเหตุ")
    void = serializers.BooleanField(help_text="ยกเลิกเลข")


class RegisterSeriesSerializer(serializers.Serializer):
    series = serializers.ChoiceField(choices=Series.choices)
    label = serializers.CharField()
