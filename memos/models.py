"""The domain: the organisation directory, and (further down) memos and their registers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    ORGANISATION = "organisation", _("องค์กร")
    EXECUTIVE = "executive", _("สำนักงานผู้บริหาร")
    SECRETARIAT = "secretariat", _("สำนักงานเลขานุการ")
    DEPARTMENT = "department", _("สำนัก")
    OFFICE = "office", _("สำนักงาน/กอง")
    INSTITUTE = "institute", _("สถาบัน")
    DIVISION = "division", _("ส่วน/ฝ่าย")
    DISTRICT = "district", _("สำนักงานเขต")
    ENTERPRISE = "enterprise", _("หน่วยงานพาณิชย์")


class Unit(models.Model):
    """A ส่วนราชการ: anything that keeps registers, sends and receives memos."""

    key = models.SlugField(_("รหัสอ้างอิง"), max_length=80, unique=True)
    name = models.CharField(_("ชื่อส่วนราชการ"), max_length=255)
    short_name = models.CharField(_("ชื่อย่อ"), max_length=64, blank=True)
    doc_code = models.CharField(
        _("รหัสหนังสือ"),
        max_length=32,
        blank=True,
        help_text=_("ส่วนหน้าของเลขที่หนังสือ เช่น กท ๐๔๐๑ ต้องกำหนดก่อนออกเลขหนังสือ"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("สังกัด"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("ประเภท"), max_length=20, choices=UnitKind.choices)
    phone = models.CharField(_("โทรศัพท์"), max_length=255, blank=True)
    mailbox = models.EmailField(_("ไปรษณีย์อิเล็กทรอนิกส์ทางราชการ"), blank=True)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    sort_order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    class Meta:
        verbose_name = _("ส่วนราชการ")
        verbose_name_plural = _("ส่วนราชการ")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A post (ตำแหน่ง). Memos are routed to posts, never to people: people come and go."""

    key = models.SlugField(_("รหัสอ้างอิง"), max_length=80, unique=True)
    title = models.CharField(_("ชื่อตำแหน่ง"), max_length=255)
    unit = models.ForeignKey(Unit, verbose_name=_("ส่วนราชการ"), on_delete=models.PROTECT, related_name="positions")
    address_as = models.CharField(
        _("คำเรียกหลัง “เรียน”"),
        max_length=255,
        blank=True,
        help_text=_("เว้นว่างไว้เพื่อใช้ชื่อตำแหน่ง"),
    )
    receiving_unit = models.ForeignKey(
        Unit,
        verbose_name=_("หน่วยรับหนังสือ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("สำนักงานที่ลงทะเบียนรับหนังสือแทนตำแหน่งนี้ เว้นว่างไว้เพื่อใช้ส่วนราชการของตำแหน่ง"),
    )
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    sort_order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    class Meta:
        verbose_name = _("ตำแหน่ง")
        verbose_name_plural = _("ตำแหน่ง")
        ordering = ["sort_order", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def addressee(self) -> str:
        return self.address_as or self.title

    @property
    def registering_unit(self) -> Unit:
        return self.receiving_unit or self.unit


class Prefix(models.TextChoices):
    MR = "นาย", "นาย"
    MRS = "นาง", "นาง"
    MISS = "นางสาว", "นางสาว"


class Official(models.Model):
    """A person in the service, tied to one login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("บัญชีผู้ใช้"),
        on_delete=models.PROTECT,
        related_name="official",
    )
    prefix = models.CharField(_("คำนำหน้า"), max_length=16, choices=Prefix.choices)
    first_name = models.CharField(_("ชื่อ"), max_length=100)
    last_name = models.CharField(_("นามสกุล"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("สังกัด"),
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("หน่วยงานที่ปฏิบัติงานอยู่ ใช้กำหนดสิทธิ์เห็นหนังสือของหน่วยงาน"),
    )
    is_clerk = models.BooleanField(
        _("เจ้าหน้าที่สารบรรณ"),
        default=False,
        help_text=_("ลงทะเบียนรับ-ส่ง และเห็นงานในคิวของหน่วยงาน"),
    )

    class Meta:
        verbose_name = _("ข้าราชการ/เจ้าหน้าที่")
        verbose_name_plural = _("ข้าราชการ/เจ้าหน้าที่")
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.prefix}{self.first_name} {self.last_name}"


class Capacity(models.TextChoices):
    """How someone stands in a post. The wording is what goes on the signature line."""

    HOLDER = "holder", _("ดำรงตำแหน่ง")
    ACTING_IN_POST = "acting_in_post", _("รักษาการในตำแหน่ง")
    ACTING_FOR = "acting_for", _("รักษาราชการแทน")
    DELEGATED = "delegated", _("ปฏิบัติราชการแทน")


# The words printed between the signer's own position and the post acted for.
CAPACITY_WORDING = {
    Capacity.ACTING_IN_POST: "รักษาการในตำแหน่ง",
    Capacity.ACTING_FOR: "รักษาราชการแทน",
    Capacity.DELEGATED: "ปฏิบัติราชการแทน",
}


class Appointment(models.Model):
    """Official O stands in post P, in some capacity, from one date to another (inclusive).

    Created through memos.services.appointment_create, which refuses overlaps: a post has at
    most one person answering for it on any day, so "who acts for P on D" has one answer.
    """

    official = models.ForeignKey(
        Official, verbose_name=_("ผู้ดำรงตำแหน่ง"), on_delete=models.PROTECT, related_name="appointments"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("ตำแหน่ง"), on_delete=models.PROTECT, related_name="appointments"
    )
    capacity = models.CharField(_("ฐานะ"), max_length=20, choices=Capacity.choices)
    valid_from = models.DateField(_("ตั้งแต่วันที่"))
    valid_until = models.DateField(_("ถึงวันที่"), null=True, blank=True)
    order_reference = models.CharField(_("คำสั่งแต่งตั้ง"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("การแต่งตั้ง")
        verbose_name_plural = _("การแต่งตั้ง")
        ordering = ["position", "-valid_from"]
        indexes = [models.Index(fields=["position", "valid_from"]), models.Index(fields=["official", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="appointment_period_ordered",
                violation_error_message=_("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.get_capacity_display()} {self.position}"

    def clean(self) -> None:
        # The admin goes through model validation; the same rule as the service.
        from .services import appointment_overlap_error

        if self.position_id and self.valid_from:
            error = appointment_overlap_error(
                position_id=self.position_id,
                valid_from=self.valid_from,
                valid_until=self.valid_until,
                exclude_id=self.pk,
            )
            if error:
                from django.core.exceptions import ValidationError

                raise ValidationError(error)


class RecipientGroup(models.Model):
    """A name used in addressing that stands for many posts ("ผู้อำนวยการเขต")."""

    key = models.SlugField(_("รหัสอ้างอิง"), max_length=80, unique=True)
    name = models.CharField(_("ชื่อกลุ่ม"), max_length=255)
    positions = models.ManyToManyField(Position, verbose_name=_("ตำแหน่ง"), related_name="groups")
    sort_order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    class Meta:
        verbose_name = _("กลุ่มผู้รับ")
        verbose_name_plural = _("กลุ่มผู้รับ")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


# --- Memos ----------------------------------------------------------------------------------

from django_fsm import RETURN_VALUE, FSMField, transition  # noqa: E402


class Urgency(models.IntegerChoices):
    # Stored as a rank so queues sort "most urgent first" with a plain ORDER BY.
    NORMAL = 0, _("ปกติ")
    URGENT = 1, _("ด่วน")
    VERY_URGENT = 2, _("ด่วนมาก")
    MOST_URGENT = 3, _("ด่วนที่สุด")


class Secrecy(models.IntegerChoices):
    NORMAL = 0, _("ปกติ")
    CONFIDENTIAL = 1, _("ลับ")
    SECRET = 2, _("ลับมาก")
    TOP_SECRET = 3, _("ลับที่สุด")


class MemoState(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    AWAITING_SIGNATURE = "awaiting_signature", _("รอลงนาม")
    IN_REVIEW = "in_review", _("อยู่ระหว่างเสนอ")
    APPROVED = "approved", _("อนุมัติ")
    PARTLY_APPROVED = "partly_approved", _("อนุมัติบางข้อ")
    NOT_APPROVED = "not_approved", _("ไม่อนุมัติ")
    RETURNED = "returned", _("ส่งคืนแก้ไข")
    WITHDRAWN = "withdrawn", _("ถอนเรื่อง")


DECIDED_STATES = (MemoState.APPROVED, MemoState.PARTLY_APPROVED, MemoState.NOT_APPROVED)
OPEN_STATES = (MemoState.DRAFT, MemoState.AWAITING_SIGNATURE, MemoState.IN_REVIEW, MemoState.RETURNED)


class Memo(models.Model):
    """A บันทึกข้อความ. Its state changes only through memos.services (protected FSM field)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("ส่วนราชการเจ้าของเรื่อง"), on_delete=models.PROTECT, related_name="memos"
    )
    phone = models.CharField(_("โทรศัพท์"), max_length=255, blank=True)
    subject = models.CharField(_("เรื่อง"), max_length=500)
    addressee = models.ForeignKey(
        Position, verbose_name=_("เรียน"), on_delete=models.PROTECT, related_name="memos_addressed"
    )
    signing_position = models.ForeignKey(
        Position, verbose_name=_("ตำแหน่งผู้ลงนาม"), on_delete=models.PROTECT, related_name="memos_signed"
    )
    urgency = models.IntegerField(_("ชั้นความเร็ว"), choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.IntegerField(_("ชั้นความลับ"), choices=Secrecy.choices, default=Secrecy.NORMAL)
    authority = models.TextField(
        _("ข้อความอ้างอำนาจ"),
        blank=True,
        help_text=_("ต่อท้ายประโยคปิด เช่น อำนาจเป็นของปลัดกรุงเทพมหานคร ตามพระราชบัญญัติ..."),
    )
    state = FSMField(_("สถานะ"), default=MemoState.DRAFT, choices=MemoState.choices, protected=True)
    number = models.CharField(_("ที่"), max_length=64, blank=True)
    dated = models.DateField(_("ลงวันที่"), null=True, blank=True)
    current_step = models.PositiveIntegerField(_("ขั้นที่"), default=0)
    version = models.PositiveIntegerField(_("ฉบับที่"), default=1)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ผู้ร่าง"), on_delete=models.PROTECT, related_name="memos_drafted"
    )
    process = models.OneToOneField(
        "viewflow.Process", null=True, blank=True, on_delete=models.SET_NULL, related_name="memo"
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ"), auto_now=True)
    decided_at = models.DateTimeField(_("สั่งการเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("บันทึกข้อความ")
        verbose_name_plural = _("บันทึกข้อความ")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "state"]), models.Index(fields=["drafted_by", "state"])]

    def __str__(self) -> str:
        return f"{self.number or 'ร่าง'} {self.subject}"

    @property
    def is_secret(self) -> bool:
        return self.secrecy in (Secrecy.CONFIDENTIAL, Secrecy.SECRET)

    @property
    def is_decided(self) -> bool:
        return self.state in DECIDED_STATES

    # Transitions carry no business rules: memos.services calls them after its own checks,
    # inside the transaction that also writes the audit event and the outbox rows.
    @transition(field=state, source=MemoState.DRAFT, target=MemoState.AWAITING_SIGNATURE)
    def fsm_submit(self) -> None:
        pass

    @transition(field=state, source=MemoState.RETURNED, target=MemoState.AWAITING_SIGNATURE)
    def fsm_resubmit(self) -> None:
        pass

    @transition(field=state, source=MemoState.AWAITING_SIGNATURE, target=MemoState.IN_REVIEW)
    def fsm_sign(self) -> None:
        pass

    @transition(field=state, source=[MemoState.AWAITING_SIGNATURE, MemoState.IN_REVIEW], target=MemoState.RETURNED)
    def fsm_return(self) -> None:
        pass

    @transition(field=state, source=MemoState.IN_REVIEW, target=MemoState.IN_REVIEW)
    def fsm_forward(self) -> None:
        pass

    @transition(field=state, source=MemoState.IN_REVIEW, target=RETURN_VALUE(*DECIDED_STATES))
    def fsm_decide(self, outcome: str) -> str:
        return outcome

    @transition(field=state, source=list(OPEN_STATES), target=MemoState.WITHDRAWN)
    def fsm_withdraw(self) -> None:
        pass


class MemoSection(models.Model):
    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("ลำดับ"))
    heading = models.CharField(_("หัวข้อ"), max_length=200)
    intro = models.TextField(_("ข้อความนำ"), blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["memo", "order"], name="section_order_unique")]


class ItemStyle(models.TextChoices):
    NUMBERED = "numbered", _("ข้อที่มีเลข")
    BULLET = "bullet", _("ข้อย่อยขีด")
    PARAGRAPH = "paragraph", _("ย่อหน้า")


class SectionItem(models.Model):
    section = models.ForeignKey(MemoSection, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("ลำดับ"))
    level = models.PositiveSmallIntegerField(_("ระดับ"), default=0)
    style = models.CharField(_("รูปแบบ"), max_length=12, choices=ItemStyle.choices, default=ItemStyle.NUMBERED)
    text = models.TextField(_("ข้อความ"))

    class Meta:
        ordering = ["order"]


class Ask(models.TextChoices):
    """What the drafter asks the decider for on one proposal."""

    APPROVE = "approve", _("อนุมัติ")
    ORDER = "order", _("สั่งการ")
    ACKNOWLEDGE = "acknowledge", _("ทราบ")


class Ruling(models.TextChoices):
    """What the decider rules on one proposal."""

    APPROVE = "approve", _("อนุมัติ")
    ORDER = "order", _("ให้ดำเนินการ")
    ACKNOWLEDGE = "acknowledge", _("ทราบ")
    REJECT = "reject", _("ไม่อนุมัติ")


class Proposal(models.Model):
    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveIntegerField(_("ข้อที่"))
    text = models.TextField(_("ข้อเสนอ"))
    ask = models.CharField(_("ขอให้"), max_length=12, choices=Ask.choices, default=Ask.APPROVE)
    ruling = models.CharField(_("ผลการพิจารณา"), max_length=12, choices=Ruling.choices, blank=True)
    ruling_note = models.CharField(_("ข้อความเพิ่มเติม"), max_length=500, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["memo", "number"], name="proposal_number_unique")]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.memo_id}/{filename}"


class Attachment(models.Model):
    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("ชื่อเอกสาร"), max_length=300)
    file = models.FileField(_("ไฟล์"), upload_to=attachment_path)
    size = models.PositiveBigIntegerField(_("ขนาด"))
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class RouteStep(models.Model):
    """One post the memo must pass through; the last step decides."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="route")
    order = models.PositiveIntegerField(_("ลำดับ"))
    position = models.ForeignKey(Position, verbose_name=_("ตำแหน่ง"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["memo", "order"], name="route_order_unique")]


class RouteTemplate(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("ส่วนราชการ"), on_delete=models.CASCADE, related_name="route_templates"
    )
    name = models.CharField(_("ชื่อเส้นทาง"), max_length=200)
    is_default = models.BooleanField(_("ค่าเริ่มต้น"), default=False)
    positions: models.ManyToManyField[Position, RouteTemplateStep] = models.ManyToManyField(
        Position, through="RouteTemplateStep", related_name="+"
    )

    class Meta:
        verbose_name = _("แม่แบบเส้นทาง")
        verbose_name_plural = _("แม่แบบเส้นทาง")

    def __str__(self) -> str:
        return self.name


class RouteTemplateStep(models.Model):
    template = models.ForeignKey(RouteTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField()
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["order"]


# --- Registers ------------------------------------------------------------------------------


class Series(models.TextChoices):
    SEND = "send", _("ทะเบียนหนังสือส่ง")
    CIRCULAR = "circular", _("ทะเบียนหนังสือเวียน (ว)")
    RECEIVE = "receive", _("ทะเบียนหนังสือรับ")


class RegisterCounter(models.Model):
    """The last number issued in one series of one unit in one Buddhist-era year.

    Allocation locks this row, so numbers are consecutive and consumed only if the
    transaction that took them commits.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("ปี พ.ศ."))
    series = models.CharField(max_length=10, choices=Series.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "series"], name="register_counter_unique")]


class RegisterEntry(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("ส่วนราชการ"), on_delete=models.PROTECT, related_name="register_entries"
    )
    year = models.PositiveIntegerField(_("ปี พ.ศ."))
    series = models.CharField(_("ทะเบียน"), max_length=10, choices=Series.choices)
    number = models.PositiveIntegerField(_("เลขทะเบียน"))
    registered_at = models.DateTimeField(_("วันเวลาที่ลงทะเบียน"))
    document_number = models.CharField(_("ที่"), max_length=64, blank=True)
    document_date = models.DateField(_("ลงวันที่"), null=True, blank=True)
    sender = models.CharField(_("จาก"), max_length=300)
    recipient = models.CharField(_("ถึง"), max_length=500)
    subject = models.CharField(_("เรื่อง"), max_length=500)
    action = models.CharField(_("การปฏิบัติ"), max_length=300, blank=True)
    remarks = models.CharField(_("หมายเหตุ"), max_length=300, blank=True)
    memo = models.ForeignKey(Memo, null=True, blank=True, on_delete=models.PROTECT, related_name="register_entries")
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    void = models.BooleanField(_("ยกเลิกเลข"), default=False)
    void_reason = models.CharField(_("เหตุที่ยกเลิก"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("รายการทะเบียน")
        verbose_name_plural = _("รายการทะเบียน")
        ordering = ["unit", "series", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "series", "number"], name="register_number_unique")
        ]


# --- Audit ------------------------------------------------------------------------------------


class EventAction(models.TextChoices):
    CREATE = "create", _("ร่างเรื่อง")
    SUBMIT = "submit", _("เสนอลงนาม")
    SIGN = "sign", _("ลงนาม")
    RETURN = "return", _("ส่งคืน")
    RECEIVE = "receive", _("ลงทะเบียนรับ")
    FORWARD = "forward", _("เกษียนเสนอต่อ")
    DECIDE = "decide", _("สั่งการ")
    RESUBMIT = "resubmit", _("เสนอใหม่หลังแก้ไข")
    WITHDRAW = "withdraw", _("ถอนเรื่อง")


class MemoEvent(models.Model):
    """An append-only, hash-chained record of what happened to a memo.

    Notes (เกษียน) and decisions are events too: the memo's page and its document read them
    from here, so what is shown is exactly what the chain protects.
    """

    memo = models.ForeignKey(Memo, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("การดำเนินการ"), max_length=12, choices=EventAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("ผู้ดำเนินการ"), max_length=300, blank=True)
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(_("ในฐานะ"), max_length=20, blank=True)
    signature_lines = models.JSONField(default=list, blank=True)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    step = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(_("ข้อความ"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("เวลา"))
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("บันทึกเหตุการณ์")
        verbose_name_plural = _("บันทึกเหตุการณ์")
        ordering = ["memo", "seq"]
        constraints = [models.UniqueConstraint(fields=["memo", "seq"], name="memo_event_seq_unique")]


class MemoRevision(models.Model):
    """What the memo said each time it was sent for signature: returned drafts stay readable."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["memo", "version"]
        constraints = [models.UniqueConstraint(fields=["memo", "version"], name="memo_revision_unique")]
