"""e-CMS data: the hub's code lists, kept as rows (refreshed from the hub by
`manage.py ecms_refresh_codes`), and the outbox of notifiers we owe the hub (Receive,
Accept with our เลขรับ, Reject with a reason, Invalid), each retried until the hub has it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from letters.models import IncomingLetter


class CodeKind(models.TextChoices):
    SECRET = "secret", _("ชั้นความลับ")
    SPEED = "speed", _("ชั้นความเร็ว")
    MIME = "mime", _("ชนิดไฟล์")
    MINISTRY = "ministry", _("กระทรวง")
    ORGANISATION = "org", _("หน่วยงาน")


class EcmsCode(models.Model):
    """One entry of one of the hub's code lists. `level` maps a secrecy or speed code to the
    product's own rank (letters.models.Secrecy / Urgency); `parent` is an organisation's
    ministry code; `extension` a mime code's usual file extension."""

    kind = models.CharField(_("รายการรหัส"), max_length=10, choices=CodeKind.choices)
    code = models.CharField(_("รหัส"), max_length=100)
    name = models.CharField(_("ชื่อ"), max_length=300)
    level = models.SmallIntegerField(_("ระดับในระบบ"), null=True, blank=True)
    parent = models.CharField(_("รหัสกระทรวง"), max_length=32, blank=True)
    extension = models.CharField(_("นามสกุลไฟล์"), max_length=10, blank=True)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    updated_at = models.DateTimeField(_("ปรับปรุงเมื่อ"), default=timezone.now)

    class Meta:
        verbose_name = _("รหัสของระบบ e-CMS")
        verbose_name_plural = _("รหัสของระบบ e-CMS")
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="ecms_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class NotifierKind(models.TextChoices):
    RECEIVE = "ReceiveLetterNotifier", _("ตอบรับหนังสือ")
    ACCEPT = "AcceptLetterNotifier", _("แจ้งเลขรับ")
    REJECT = "RejectLetterNotifier", _("ปฏิเสธหนังสือ")
    INVALID = "InvalidLetterNotifier", _("แจ้งหนังสือผิด")


class NotifierStatus(models.TextChoices):
    PENDING = "pending", _("รอส่ง")
    SENDING = "sending", _("กำลังส่ง")
    SENT = "sent", _("ส่งแล้ว")
    FAILED = "failed", _("ส่งไม่สำเร็จ")


class EcmsNotifier(models.Model):
    """A notifier owed to the hub about one inbound letter (outbox row: letters.ecms.tasks).
    Written in the transaction of the event (intake, booking, refusal) that owes it; one per
    kind and process, however often that event is reported."""

    kind = models.CharField(_("ประเภท"), max_length=32, choices=NotifierKind.choices)
    process_id = models.CharField(_("ProcessID"), max_length=200)
    letter = models.ForeignKey(
        IncomingLetter, null=True, blank=True, on_delete=models.SET_NULL, related_name="ecms_notifiers"
    )
    letter_number = models.CharField(_("เลขที่หนังสือ (LetterID)"), max_length=200, blank=True)
    letter_date = models.CharField(_("ลงวันที่ (CorrespondenceDate)"), max_length=20, blank=True)
    subject = models.CharField(_("เรื่อง"), max_length=500, blank=True)
    accept_id = models.CharField(_("เลขรับ (AcceptID)"), max_length=50, blank=True)
    reason = models.TextField(_("เหตุผล"), blank=True)
    status = models.CharField(_("สถานะ"), max_length=10, choices=NotifierStatus.choices, default=NotifierStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่พยายามส่ง"), default=0)
    next_attempt_at = models.DateTimeField(_("กำหนดส่งครั้งถัดไป"), default=timezone.now)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("การแจ้งกลับไปยังระบบ e-CMS")
        verbose_name_plural = _("การแจ้งกลับไปยังระบบ e-CMS")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="ecms_notifier_sweep")]
        constraints = [models.UniqueConstraint(fields=["kind", "process_id"], name="ecms_notifier_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.letter_number}"


class EcmsNotice(models.Model):
    """A notifier the hub handed us about a letter we sent (the other agency received it,
    booked it in with its เลขรับ, refused it, found it wrong), kept so the sender can see what
    became of the letter: matched to the outgoing letter by its number and date."""

    process_id = models.CharField(_("ProcessID"), max_length=200, unique=True)
    kind = models.CharField(_("ประเภท"), max_length=32)
    letter_number = models.CharField(_("เลขที่หนังสือ (LetterID)"), max_length=200, blank=True, db_index=True)
    letter_date = models.CharField(_("ลงวันที่ (CorrespondenceDate)"), max_length=20, blank=True)
    subject = models.CharField(_("เรื่อง"), max_length=500, blank=True)
    accept_id = models.CharField(_("เลขรับของผู้รับ (AcceptID)"), max_length=50, blank=True)
    description = models.TextField(_("รายละเอียด"), blank=True)
    received_at = models.DateTimeField(_("ได้รับเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("การแจ้งสถานะหนังสือที่ส่งทาง e-CMS")
        verbose_name_plural = _("การแจ้งสถานะหนังสือที่ส่งทาง e-CMS")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.letter_number}"

    @property
    def kind_label(self) -> str:
        return NOTICE_LABELS.get(self.kind, self.kind)


NOTICE_LABELS = {
    "ReceiveLetterNotifier": "ผู้รับได้รับหนังสือแล้ว",
    "AcceptLetterNotifier": "ผู้รับลงทะเบียนรับแล้ว",
    "RejectLetterNotifier": "ผู้รับปฏิเสธหนังสือ",
    "InvalidLetterNotifier": "ผู้รับแจ้งว่าหนังสือไม่ถูกต้อง",
    "InvalidAcceptIDNotifier": "ผู้รับแจ้งว่าเลขรับที่เราแจ้งไม่ถูกต้อง",
}
