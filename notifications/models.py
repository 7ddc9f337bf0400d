"""The notification outbox.

Each row is one message to one recipient on one channel. It is written in the same
transaction as the event that causes it, so an event is never committed without its
notifications (nor notifications for an event that rolled back). E-mail rows are then
delivered by Celery; in-app rows are delivered by existing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from documents.thai import thai_date, thai_time


class Channel(models.TextChoices):
    EMAIL = "email", "อีเมล"
    INAPP = "inapp", "ในระบบ"


class Status(models.TextChoices):
    PENDING = "pending", "รอส่ง"
    SENDING = "sending", "กำลังส่ง"
    SENT = "sent", "ส่งแล้ว"
    FAILED = "failed", "ส่งไม่สำเร็จ"


class Kind(models.TextChoices):
    """Known kinds, for labels in the admin; the field accepts any short code so a new
    event type needs no migration."""

    TASK_ASSIGNED = "task_assigned", "มีงานเข้า"
    MEMO_RETURNED = "memo_returned", "บันทึกถูกส่งคืน"
    MEMO_DECIDED = "memo_decided", "บันทึกได้รับการวินิจฉัย"
    DIRECTIVE_ARRIVED = "directive_arrived", "ได้รับหนังสือเวียน"
    REPORT_FILED = "report_filed", "มีรายงานผลการดำเนินการ"
    REMINDER = "reminder", "แจ้งเตือนงานค้าง"
    LETTER_ROUTED = "letter_routed", "หนังสือรับส่งถึงท่าน"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="ผู้รับ",
    )
    # For a user: the address at the time of the event. For a unit's official mailbox
    # (no user behind it): the only way to reach it.
    email = models.EmailField("อีเมลผู้รับ", blank=True)
    channel = models.CharField("ช่องทาง", max_length=8, choices=Channel.choices)
    kind = models.CharField("ประเภท", max_length=40)
    subject = models.CharField("เรื่อง", max_length=255)
    body = models.TextField("ข้อความ")
    url = models.CharField("ลิงก์", max_length=500, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="ชนิดของเรื่อง"
    )
    object_id = models.PositiveBigIntegerField("รหัสของเรื่อง", null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    status = models.CharField("สถานะ", max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("จำนวนครั้งที่พยายามส่ง", default=0)
    # While pending: when the next attempt is due. While sending: when the claim expires
    # (the worker is presumed dead and the sweep takes the row back).
    next_attempt_at = models.DateTimeField("กำหนดส่งครั้งถัดไป", default=timezone.now)
    last_error = models.TextField("ข้อผิดพลาดล่าสุด", blank=True)
    created_at = models.DateTimeField("สร้างเมื่อ", default=timezone.now)
    sent_at = models.DateTimeField("ส่งเมื่อ", null=True, blank=True)
    read_at = models.DateTimeField("อ่านเมื่อ", null=True, blank=True)
    dedup_key = models.CharField("รหัสกันซ้ำ", max_length=200)
    # The work the notification asks for ("task:12"): once that work is done, cancelled or
    # taken over by someone else, the notification no longer waits to be read.
    done_key = models.CharField("งานที่แจ้ง", max_length=100, blank=True, db_index=True)

    class Meta:
        verbose_name = "การแจ้งเตือน"
        verbose_name_plural = "การแจ้งเตือน"
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same event never notifies the same person (or mailbox) twice on a channel,
            # whichever code path or retry enqueues it. Two partial constraints because
            # NULL recipients never collide in a plain unique index.
            models.UniqueConstraint(
                fields=["dedup_key", "channel", "recipient"],
                condition=Q(recipient__isnull=False),
                name="notification_dedup_user",
            ),
            models.UniqueConstraint(
                fields=["dedup_key", "channel", "email"],
                condition=Q(recipient__isnull=True),
                name="notification_dedup_mailbox",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email=""),
                name="notification_has_addressee",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_sweep"),
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.addressee}: {self.subject}"

    @property
    def addressee(self) -> str:
        if self.recipient_id is not None and self.recipient is not None:
            return self.recipient.get_username()
        return self.email

    @property
    def kind_label(self) -> str:
        try:
            return str(Kind(self.kind).label)
        except ValueError:
            return self.kind

    @property
    def created_label(self) -> str:
        """ "๒๔ พ.ย. ๒๕๖๙ ๑๖.๐๐ น." as a person reads it."""
        return f"{thai_date(self.created_at, abbreviated=True)} {thai_time(self.created_at)}"
