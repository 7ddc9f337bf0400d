"""External letters (หนังสือภายนอก): letters received from other agencies and booked into a
unit's incoming register, and letters the unit sends out.

A received letter enters in one of three ways — a clerk books in a paper letter (its scan
uploaded), a polled mailbox turns an e-mail into an item waiting to be booked in, or the
e-CMS hub hands over a GovernmentDocument — and gets its เลขรับ from the receiving unit's
incoming register (registers: gapless, atomic). It is then passed on (เกษียนสั่งการ) to the
unit or official who must act, until it is answered, turned into a memo, or filed.

Both kinds of letter keep a hash-chained history (audit.chain), like memos and circulars.
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

__all__ = [
    "Agency",
    "Channel",
    "IncomingEvent",
    "IncomingLetter",
    "IncomingState",
    "LetterAction",
    "LetterFile",
    "OcrJob",
    "OcrState",
    "OcrStatus",
    "Secrecy",
    "Urgency",
]


class Channel(models.TextChoices):
    PAPER = "paper", _("หนังสือกระดาษ")
    EMAIL = "email", _("ไปรษณีย์อิเล็กทรอนิกส์")
    ECMS = "ecms", _("ระบบ e-CMS")


class Agency(models.Model):
    """Another agency letters come from or go to. `ecms_code` is the hub's organisation code
    (kept as data: the hub's code list can be refreshed into this table)."""

    name = models.CharField(_("ชื่อส่วนราชการ/หน่วยงาน"), max_length=300)
    short_name = models.CharField(_("ชื่อย่อ"), max_length=64, blank=True)
    ecms_code = models.CharField(_("รหัสหน่วยงานในระบบ e-CMS"), max_length=32, blank=True, db_index=True)
    ministry_code = models.CharField(_("รหัสกระทรวงในระบบ e-CMS"), max_length=32, blank=True)
    email = models.EmailField(_("ไปรษณีย์อิเล็กทรอนิกส์"), blank=True)
    address = models.TextField(_("ที่อยู่"), blank=True)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)

    class Meta:
        verbose_name = _("หน่วยงานภายนอก")
        verbose_name_plural = _("หน่วยงานภายนอก")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["ecms_code"], condition=~Q(ecms_code=""), name="agency_ecms_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class IncomingState(models.TextChoices):
    WAITING = "waiting", _("รอลงทะเบียนรับ")
    BOOKED = "booked", _("ลงทะเบียนรับแล้ว")
    ROUTED = "routed", _("อยู่ระหว่างดำเนินการ")
    ANSWERED = "answered", _("ตอบแล้ว")
    CLOSED = "closed", _("เก็บเข้าแฟ้ม")
    REJECTED = "rejected", _("ไม่รับ (ส่งคืน)")


BOOKED_STATES = (IncomingState.BOOKED, IncomingState.ROUTED, IncomingState.ANSWERED, IncomingState.CLOSED)


class OcrState(models.TextChoices):
    NOT_NEEDED = "not_needed", _("มีข้อความอยู่แล้ว")
    PENDING = "pending", _("รออ่านข้อความ (OCR)")
    DONE = "done", _("อ่านข้อความแล้ว")
    UNAVAILABLE = "unavailable", _("ยังไม่ได้อ่านข้อความด้วย OCR")
    FAILED = "failed", _("อ่านข้อความไม่สำเร็จ")


class IncomingLetter(models.Model):
    """A letter from outside, from the moment it reaches the unit to the moment it is filed."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("ส่วนราชการผู้รับ"), on_delete=models.PROTECT, related_name="incoming_letters"
    )
    channel = models.CharField(_("ช่องทาง"), max_length=8, choices=Channel.choices, default=Channel.PAPER)
    state = FSMField(
        _("สถานะ"), max_length=12, choices=IncomingState.choices, default=IncomingState.WAITING, protected=True
    )

    # As the letter itself says.
    sender_agency = models.ForeignKey(
        Agency, verbose_name=_("จาก (หน่วยงาน)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sender_name = models.CharField(_("จาก"), max_length=300, blank=True)
    their_number = models.CharField(_("ที่ (เลขที่หนังสือของผู้ส่ง)"), max_length=64, blank=True)
    their_date = models.DateField(_("ลงวันที่"), null=True, blank=True)
    subject = models.CharField(_("เรื่อง"), max_length=500, blank=True)
    addressee = models.CharField(_("เรียน"), max_length=300, blank=True)
    urgency = models.IntegerField(_("ชั้นความเร็ว"), choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.IntegerField(_("ชั้นความลับ"), choices=Secrecy.choices, default=Secrecy.NORMAL)
    enclosures = models.TextField(_("สิ่งที่ส่งมาด้วย"), blank=True)
    remarks = models.CharField(_("หมายเหตุ"), max_length=300, blank=True)

    # Normalised copies that recognise the same letter booked twice: sender, number, date.
    sender_key = models.CharField(max_length=300, blank=True, editable=False)
    number_key = models.CharField(max_length=64, blank=True, editable=False)

    # The booking.
    year = models.PositiveIntegerField(_("ปี พ.ศ."), null=True, blank=True)
    receive_number = models.PositiveIntegerField(_("เลขรับ"), null=True, blank=True)
    received_at = models.DateTimeField(_("วันเวลาที่รับ"), null=True, blank=True)
    register_entry = models.OneToOneField(
        RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="incoming_letter"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Who must act on it now (set when it is passed on).
    holder_unit = models.ForeignKey(
        Unit, verbose_name=_("ผู้รับผิดชอบ (ส่วนราชการ)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holder_position = models.ForeignKey(
        Position, verbose_name=_("ผู้รับผิดชอบ (ตำแหน่ง)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Where it came from, for intake that must not make two items of one message:
    # the e-mail's Message-ID, or the e-CMS ProcessID.
    source_ref = models.CharField(max_length=300, blank=True, editable=False)
    source_detail = models.JSONField(default=dict, blank=True, editable=False)

    text = models.TextField(_("ข้อความในหนังสือ"), blank=True)
    ocr_state = models.CharField(
        _("การอ่านข้อความ"), max_length=12, choices=OcrState.choices, default=OcrState.NOT_NEEDED
    )

    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ"), auto_now=True)
    chain_seq = models.PositiveIntegerField(default=0, editable=False)
    chain_head = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("หนังสือรับ")
        verbose_name_plural = _("หนังสือรับ")
        ordering = ["-year", "-receive_number", "-created_at"]
        indexes = [models.Index(fields=["unit", "state"]), models.Index(fields=["holder_unit", "state"])]
        constraints = [
            # The same letter (sender, number, date) is booked once per receiving unit; the
            # service says so in Thai first, this holds against two clerks at once.
            models.UniqueConstraint(
                fields=["unit", "sender_key", "number_key", "their_date"],
                condition=Q(receive_number__isnull=False) & ~Q(number_key=""),
                name="incoming_letter_booked_once",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "receive_number"],
                condition=Q(receive_number__isnull=False),
                name="incoming_letter_number_unique",
            ),
            # One item per e-mail message / e-CMS process, however often intake runs.
            models.UniqueConstraint(
                fields=["unit", "channel", "source_ref"],
                condition=~Q(source_ref=""),
                name="incoming_letter_source_once",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or str(_("หนังสือรับ"))

    @property
    def is_secret(self) -> bool:
        return self.secrecy > Secrecy.NORMAL

    @transition(field=state, source=IncomingState.WAITING, target=IncomingState.BOOKED)
    def fsm_book(self) -> None:
        pass

    @transition(field=state, source=IncomingState.WAITING, target=IncomingState.REJECTED)
    def fsm_reject(self) -> None:
        pass

    @transition(field=state, source=[IncomingState.BOOKED, IncomingState.ROUTED], target=IncomingState.ROUTED)
    def fsm_route(self) -> None:
        pass

    @transition(field=state, source=[IncomingState.BOOKED, IncomingState.ROUTED], target=IncomingState.ANSWERED)
    def fsm_answer(self) -> None:
        pass

    @transition(
        field=state,
        source=[IncomingState.BOOKED, IncomingState.ROUTED, IncomingState.ANSWERED],
        target=IncomingState.CLOSED,
    )
    def fsm_close(self) -> None:
        pass


class FileRole(models.TextChoices):
    MAIN = "main", _("หนังสือ")
    ENCLOSURE = "enclosure", _("สิ่งที่ส่งมาด้วย")


def letter_file_path(instance: LetterFile, filename: str) -> str:
    return stored_name("letters/incoming", filename)


class LetterFile(models.Model):
    """The scan or electronic file of a received letter, or one of its enclosures. Served
    only through the letter's access helper (documents.responses.StoredFileView)."""

    letter = models.ForeignKey(IncomingLetter, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(_("ประเภท"), max_length=10, choices=FileRole.choices, default=FileRole.MAIN)
    title = models.CharField(_("ชื่อเอกสาร"), max_length=300, blank=True)
    file = models.FileField(_("ไฟล์"), upload_to=letter_file_path, max_length=200)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("ขนาด"))
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # A PDF with a text layer made by OCR from a scan (ocrmypdf), when there is one.
    searchable = models.FileField(_("ฉบับที่ค้นข้อความได้"), upload_to=letter_file_path, max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ไฟล์หนังสือรับ")
        verbose_name_plural = _("ไฟล์หนังสือรับ")
        ordering = ["letter", "role", "pk"]


class LetterAction(models.TextChoices):
    INTAKE = "intake", _("รับเข้าระบบ")
    BOOK = "book", _("ลงทะเบียนรับ")
    REJECT = "reject", _("ไม่รับหนังสือ")
    ROUTE = "route", _("เกษียนส่งต่อ")
    MEMO = "memo", _("ให้ร่างบันทึกเสนอ")
    ANSWER = "answer", _("ตอบหนังสือ")
    CLOSE = "close", _("ทราบ/เก็บเข้าแฟ้ม")
    OCR = "ocr", _("อ่านข้อความ")


class IncomingEvent(models.Model):
    """What happened to a received letter: booked, passed on with a note, answered, filed.
    Append-only and hash-chained like a memo's events."""

    letter = models.ForeignKey(IncomingLetter, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("การดำเนินการ"), max_length=12, choices=LetterAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("ผู้ดำเนินการ"), max_length=300, blank=True)
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    to_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ข้อความ"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("เวลา"))
    owner_row = models.JSONField(default=dict, blank=True, editable=False)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ความเคลื่อนไหวของหนังสือรับ")
        verbose_name_plural = _("ความเคลื่อนไหวของหนังสือรับ")
        ordering = ["letter", "seq"]
        constraints = [models.UniqueConstraint(fields=["letter", "seq"], name="incoming_event_seq_unique")]
        triggers = [append_only()]


INCOMING_CHAIN = register(
    ChainKind(
        name="letters_in",
        label="หนังสือรับ",
        counter="เรื่อง",
        owner_model=IncomingLetter,
        event_model=IncomingEvent,
        owner_field="letter",
        owner_fields=("state", "unit_id", "year", "receive_number", "holder_unit_id", "holder_position_id", "secrecy"),
        event_fields=(
            "action",
            "actor_id",
            "actor_name",
            "position_id",
            "from_state",
            "to_state",
            "to_unit_id",
            "to_position_id",
            "text",
            "payload",
            "created_at",
        ),
    )
)


class OcrStatus(models.TextChoices):
    PENDING = "pending", _("รออ่าน")
    WORKING = "working", _("กำลังอ่าน")
    DONE = "done", _("อ่านแล้ว")
    FAILED = "failed", _("อ่านไม่สำเร็จ")


class OcrJob(models.Model):
    """Reading one scan of a received letter with OCR (ocrmypdf, Thai and English): an outbox
    row written in the booking's (or the intake's) transaction and worked by a Celery task
    (letters.tasks), so a worker that dies or a missing OCR program never loses the letter."""

    letter = models.ForeignKey(IncomingLetter, on_delete=models.CASCADE, related_name="ocr_jobs")
    file = models.OneToOneField(LetterFile, on_delete=models.CASCADE, related_name="ocr_job")
    status = models.CharField(_("สถานะ"), max_length=10, choices=OcrStatus.choices, default=OcrStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่พยายาม"), default=0)
    next_attempt_at = models.DateTimeField(_("กำหนดครั้งถัดไป"), default=timezone.now)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("งานอ่านข้อความ (OCR)")
        verbose_name_plural = _("งานอ่านข้อความ (OCR)")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="letter_ocr_sweep")]

    def __str__(self) -> str:
        return f"OCR {self.file.original_name}"


from .ecms.models import EcmsCode, EcmsNotice, EcmsNotifier  # noqa: E402,F401  (the e-CMS exchange's tables)
from .mail.models import Mailbox, MailReply  # noqa: E402,F401  (e-mail source: letters/mail)
from .outgoing_models import *  # noqa: E402,F403  (the outgoing letters: letters/outgoing_models.py)
