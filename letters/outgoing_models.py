"""External letters the unit sends (หนังสือภายนอก ที่ส่งออก).

A letter is drafted (from scratch, or as the answer to a received letter), passes up an
explicit chain of posts — reviewers, then the signing post — where each may return it with
a note, and is signed by whoever holds or acts for the signing post that day. Signing takes
the number from the issuing unit's send register (ทะเบียนหนังสือส่ง) in the same transaction,
and asks the documents app for the letter as the official external-letter document. It is
then sent once, by e-mail, through e-CMS or by post; the sending runs in an outbox row
(`OutgoingDispatch`), retried until it succeeds and never lost.

Imported at the end of letters/models.py so Django sees the models as the letters app's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from audit.chain import ChainKind, append_only, register
from directory.models import Position, Unit
from documents.uploads import stored_name
from memos.models import Secrecy, Urgency
from registers.models import RegisterEntry

from .models import Agency, IncomingLetter

__all__ = [
    "OUTGOING_CHAIN",
    "DispatchStatus",
    "OutgoingAction",
    "OutgoingDispatch",
    "OutgoingEvent",
    "OutgoingFile",
    "OutgoingLetter",
    "OutgoingState",
    "SendChannel",
]


class OutgoingState(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    IN_REVIEW = "in_review", _("เสนอลงนาม")
    RETURNED = "returned", _("ส่งคืนแก้ไข")
    SIGNED = "signed", _("ลงนามแล้ว รอส่ง")
    SENT = "sent", _("ส่งแล้ว")
    WITHDRAWN = "withdrawn", _("ถอนเรื่อง")


EDITABLE_STATES = (OutgoingState.DRAFT, OutgoingState.RETURNED)


class SendChannel(models.TextChoices):
    EMAIL = "email", _("ไปรษณีย์อิเล็กทรอนิกส์ (อีเมล)")
    ECMS = "ecms", _("ระบบ e-CMS")
    POST = "post", _("ส่งทางไปรษณีย์")


class OutgoingLetter(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("ส่วนราชการเจ้าของหนังสือ"), on_delete=models.PROTECT, related_name="outgoing_letters"
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ผู้ร่าง"), on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField(
        _("สถานะ"), max_length=12, choices=OutgoingState.choices, default=OutgoingState.DRAFT, protected=True
    )

    # To whom.
    recipient_agency = models.ForeignKey(
        Agency, verbose_name=_("ถึง (หน่วยงาน)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_name = models.CharField(_("ถึง"), max_length=300, blank=True)
    recipient_address = models.TextField(_("ที่อยู่ผู้รับ"), blank=True)
    recipient_email = models.EmailField(_("อีเมลผู้รับ"), blank=True)
    addressee = models.CharField(_("เรียน"), max_length=300)

    # What the letter says.
    subject = models.CharField(_("เรื่อง"), max_length=500)
    body = models.TextField(_("ข้อความ"), help_text=_("แต่ละย่อหน้าเว้นหนึ่งบรรทัด"))
    reference = models.TextField(_("อ้างถึง"), blank=True, help_text=_("บรรทัดละหนึ่งรายการ"))
    in_reply_to = models.ForeignKey(
        IncomingLetter,
        verbose_name=_("ตอบหนังสือรับ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
    )
    enclosures = models.TextField(_("สิ่งที่ส่งมาด้วย"), blank=True, help_text=_("บรรทัดละหนึ่งรายการ"))
    urgency = models.IntegerField(_("ชั้นความเร็ว"), choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.IntegerField(_("ชั้นความลับ"), choices=Secrecy.choices, default=Secrecy.NORMAL)
    owner_unit_line = models.CharField(_("ส่วนราชการเจ้าของเรื่อง (ท้ายหนังสือ)"), max_length=300, blank=True)
    phone = models.CharField(_("โทร."), max_length=100, blank=True)

    # The chain of posts: reviewers in order, then the signing post.
    signing_position = models.ForeignKey(
        Position, verbose_name=_("ผู้ลงนาม (ตำแหน่ง)"), on_delete=models.PROTECT, related_name="+"
    )
    review_position_ids = models.JSONField(_("ผู้ตรวจเสนอ (ตำแหน่ง)"), default=list, blank=True)
    current_step = models.PositiveSmallIntegerField(default=0)
    # The post the letter waits for while in review (denormalised from the chain, for queues).
    current_position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    # Signing.
    number = models.CharField(_("ที่"), max_length=64, blank=True)
    dated = models.DateField(_("ลงวันที่"), null=True, blank=True)
    register_entry = models.OneToOneField(
        RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing_letter"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("ลงนามเมื่อ"), null=True, blank=True)
    signature_lines = models.JSONField(default=list, blank=True)

    # Sending.
    channel = models.CharField(_("ช่องทางการส่ง"), max_length=8, choices=SendChannel.choices, blank=True)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    send_reference = models.CharField(_("รหัสอ้างอิงการส่ง"), max_length=300, blank=True)

    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ"), auto_now=True)
    chain_seq = models.PositiveIntegerField(default=0, editable=False)
    chain_head = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("หนังสือส่ง (ภายนอก)")
        verbose_name_plural = _("หนังสือส่ง (ภายนอก)")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["unit", "state"], name="outgoing_unit_state"),
            models.Index(fields=["current_position", "state"], name="outgoing_waiting"),
        ]

    def __str__(self) -> str:
        return self.subject or str(_("หนังสือส่ง"))

    @property
    def recipient_label(self) -> str:
        return self.recipient_name or (self.recipient_agency.name if self.recipient_agency_id else "")  # type: ignore[union-attr]

    @property
    def is_secret(self) -> bool:
        return self.secrecy > Secrecy.NORMAL

    def route_ids(self) -> list[int]:
        return [int(pk) for pk in self.review_position_ids or []] + [self.signing_position_id]

    @transition(field=state, source=OutgoingState.DRAFT, target=OutgoingState.IN_REVIEW)
    def fsm_submit(self) -> None:
        pass

    @transition(field=state, source=OutgoingState.IN_REVIEW, target=OutgoingState.IN_REVIEW)
    def fsm_forward(self) -> None:
        pass

    @transition(field=state, source=OutgoingState.IN_REVIEW, target=OutgoingState.RETURNED)
    def fsm_return(self) -> None:
        pass

    @transition(field=state, source=OutgoingState.RETURNED, target=OutgoingState.IN_REVIEW)
    def fsm_resubmit(self) -> None:
        pass

    @transition(field=state, source=OutgoingState.IN_REVIEW, target=OutgoingState.SIGNED)
    def fsm_sign(self) -> None:
        pass

    @transition(field=state, source=OutgoingState.SIGNED, target=OutgoingState.SENT)
    def fsm_sent(self) -> None:
        pass

    @transition(
        field=state,
        source=[OutgoingState.DRAFT, OutgoingState.IN_REVIEW, OutgoingState.RETURNED, OutgoingState.SIGNED],
        target=OutgoingState.WITHDRAWN,
    )
    def fsm_withdraw(self) -> None:
        pass


def outgoing_file_path(instance: OutgoingFile, filename: str) -> str:
    return stored_name("letters/outgoing", filename)


class OutgoingFile(models.Model):
    """An enclosure (สิ่งที่ส่งมาด้วย) uploaded with the letter; sent with it by e-mail or e-CMS."""

    letter = models.ForeignKey(OutgoingLetter, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("ชื่อเอกสาร"), max_length=300, blank=True)
    file = models.FileField(_("ไฟล์"), upload_to=outgoing_file_path, max_length=200)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("ขนาด"))
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("สิ่งที่ส่งมาด้วย (ไฟล์)")
        verbose_name_plural = _("สิ่งที่ส่งมาด้วย (ไฟล์)")
        ordering = ["letter", "pk"]


class OutgoingAction(models.TextChoices):
    CREATE = "create", _("ร่างหนังสือ")
    EDIT = "edit", _("แก้ไขร่าง")
    ATTACH = "attach", _("แนบไฟล์")
    SUBMIT = "submit", _("เสนอลงนาม")
    FORWARD = "forward", _("ตรวจแล้ว เสนอต่อ")
    RETURN = "return", _("ส่งคืนแก้ไข")
    RESUBMIT = "resubmit", _("เสนอใหม่")
    SIGN = "sign", _("ลงนาม")
    SEND = "send", _("สั่งส่งหนังสือ")
    SENT = "sent", _("ส่งแล้ว")
    WITHDRAW = "withdraw", _("ถอนเรื่อง")


class OutgoingEvent(models.Model):
    """What happened to an outgoing letter; append-only and hash-chained (audit.chain)."""

    letter = models.ForeignKey(OutgoingLetter, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("การดำเนินการ"), max_length=12, choices=OutgoingAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("ผู้ดำเนินการ"), max_length=300, blank=True)
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(max_length=20, blank=True)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    text = models.TextField(_("ข้อความ"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("เวลา"))
    owner_row = models.JSONField(default=dict, blank=True, editable=False)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ความเคลื่อนไหวของหนังสือส่ง")
        verbose_name_plural = _("ความเคลื่อนไหวของหนังสือส่ง")
        ordering = ["letter", "seq"]
        constraints = [models.UniqueConstraint(fields=["letter", "seq"], name="outgoing_event_seq_unique")]
        triggers = [append_only()]


OUTGOING_CHAIN = register(
    ChainKind(
        name="letters_out",
        label="หนังสือส่ง",
        counter="เรื่อง",
        owner_model=OutgoingLetter,
        event_model=OutgoingEvent,
        owner_field="letter",
        owner_fields=(
            "state",
            "unit_id",
            "number",
            "dated",
            "signing_position_id",
            "current_position_id",
            "channel",
            "secrecy",
        ),
        event_fields=(
            "action",
            "actor_id",
            "actor_name",
            "position_id",
            "capacity",
            "from_state",
            "to_state",
            "text",
            "payload",
            "created_at",
        ),
    )
)


class DispatchStatus(models.TextChoices):
    PENDING = "pending", _("รอส่ง")
    SENDING = "sending", _("กำลังส่ง")
    SENT = "sent", _("ส่งแล้ว")
    FAILED = "failed", _("ส่งไม่สำเร็จ")


class OutgoingDispatch(models.Model):
    """The one sending of a signed letter, as an outbox row (outbox/engine.py): written in
    the transaction that asks for it, worked by letters.outgoing_tasks.send_letter, retried
    after a failure and shown on the letter until it goes. One per letter: a second click
    finds the first."""

    letter = models.OneToOneField(OutgoingLetter, on_delete=models.PROTECT, related_name="dispatch")
    channel = models.CharField(_("ช่องทาง"), max_length=8, choices=SendChannel.choices)
    status = models.CharField(_("สถานะ"), max_length=10, choices=DispatchStatus.choices, default=DispatchStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่พยายามส่ง"), default=0)
    next_attempt_at = models.DateTimeField(_("กำหนดส่งครั้งถัดไป"), default=timezone.now)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    reference = models.CharField(_("รหัสอ้างอิง"), max_length=300, blank=True)
    detail = models.CharField(_("รายละเอียด"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("สั่งส่งเมื่อ"), default=timezone.now)
    sent_at = models.DateTimeField(_("ส่งสำเร็จเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("การส่งหนังสือ")
        verbose_name_plural = _("การส่งหนังสือ")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_dispatch_sweep")]
        constraints = [
            models.CheckConstraint(condition=~Q(channel=""), name="outgoing_dispatch_has_channel"),
        ]
