"""Internal memos (บันทึกข้อความ): drafts, proposals, route, decisions and their audit events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from audit.chain import ChainKind, append_only, register
from directory.models import Position, Unit
from documents.uploads import stored_name


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
    # อ้างถึง: the letter this memo answers or was drafted from, as printed ("หนังสือสำนักงาน
    # ก.พ. ที่ นร ๑๐๐๘/ว ๑๒ ลงวันที่ ๒๐ พฤศจิกายน ๒๕๖๙ (เลขรับ ๑/๒๕๖๙)").
    reference = models.CharField(_("อ้างถึง"), max_length=500, blank=True)
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
    # The head of the memo's audit chain (audit.chain): how many events, and the seal of the
    # last. Moved, with the memo's own changes, by the UPDATE that appends an event (audit.kernel,
    # memos.services.MemoStep).
    chain_seq = models.PositiveIntegerField(default=0, editable=False)
    chain_head = models.CharField(max_length=64, blank=True, editable=False)
    # How many versions of the memo's paper have been asked for (documents.DocumentVersion,
    # kind memo), so the next one's number: kept on the row every memo service locks and
    # updates anyway, so asking for a version reads nothing (memos.services.MemoStep).
    last_document_version = models.PositiveIntegerField(default=0, editable=False)

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
    # A random name: the original one (which may carry a secret memo's subject) is kept in
    # original_name and given back only through the access-checked download view.
    return stored_name(f"attachments/{instance.memo_id}", filename)


class Attachment(models.Model):
    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("ชื่อเอกสาร"), max_length=300)
    file = models.FileField(_("ไฟล์"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255, blank=True)
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
    """An append-only, hash-chained record of what happened to a memo (audit.chain).

    Notes (เกษียน) and decisions are events too: the memo's page and its document read them
    from here, so what is shown is exactly what the chain protects. Written only through
    memos.audit.event_append; PostgreSQL refuses UPDATE and DELETE on the table.
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
    # The memo's row (MEMO_CHAIN.owner_fields) as this event left it: the verifier compares
    # the memo as it stands with its last event's.
    owner_row = models.JSONField(default=dict, blank=True, editable=False)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("บันทึกเหตุการณ์")
        verbose_name_plural = _("บันทึกเหตุการณ์")
        ordering = ["memo", "seq"]
        constraints = [models.UniqueConstraint(fields=["memo", "seq"], name="memo_event_seq_unique")]
        triggers = [append_only()]


MEMO_CHAIN = register(
    ChainKind(
        name="memos",
        label="บันทึกข้อความ",
        counter="เรื่อง",
        owner_model=Memo,
        event_model=MemoEvent,
        owner_field="memo",
        # What the events imply about the memo: a change to any of these by SQL shows.
        owner_fields=("state", "number", "dated", "current_step", "version", "decided_at"),
        event_fields=(
            "action",
            "actor_id",
            "actor_name",
            "position_id",
            "capacity",
            "signature_lines",
            "from_state",
            "to_state",
            "step",
            "text",
            "payload",
            "created_at",
        ),
    )
)


class MemoRevision(models.Model):
    """What the memo said each time it was sent for signature: returned drafts stay readable."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["memo", "version"]
        constraints = [models.UniqueConstraint(fields=["memo", "version"], name="memo_revision_unique")]
