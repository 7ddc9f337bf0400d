"""A receiving unit's mailbox and the replies that tell a sender its letter's เลขรับ.

The mailbox's password is never stored: `password_env` names the environment variable of
the worker that holds it (docs/operations.md)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Unit

from ..models import IncomingLetter

__all__ = ["Mailbox", "MailReply", "ReplyStatus", "TlsMode"]


class TlsMode(models.TextChoices):
    SSL = "ssl", _("SSL/TLS ตั้งแต่เริ่มเชื่อมต่อ (IMAPS พอร์ต ๙๙๓)")
    STARTTLS = "starttls", _("STARTTLS (พอร์ต ๑๔๓)")
    NONE = "none", _("ไม่เข้ารหัส (เฉพาะเครื่องแม่ข่ายภายใน)")


env_name = RegexValidator(
    r"^[A-Z_][A-Z0-9_]*$", _("ชื่อตัวแปรสภาพแวดล้อมใช้ได้เฉพาะอักษรอังกฤษตัวใหญ่ ตัวเลข และ _ เช่น SARABAN_MAIL_OPS")
)


class Mailbox(models.Model):
    """The e-mail address a unit gives other agencies for letters, as the poller reads it."""

    unit = models.ForeignKey(Unit, verbose_name=_("ส่วนราชการผู้รับ"), on_delete=models.PROTECT, related_name="mailboxes")
    address = models.EmailField(_("ที่อยู่อีเมล"), help_text=_("ใช้เป็นผู้ส่งของอีเมลแจ้งเลขรับ"))
    host = models.CharField(_("เครื่องแม่ข่าย IMAP"), max_length=255)
    port = models.PositiveIntegerField(
        _("พอร์ต"), default=993, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    tls = models.CharField(_("การเข้ารหัส"), max_length=8, choices=TlsMode.choices, default=TlsMode.SSL)
    username = models.CharField(_("ชื่อผู้ใช้"), max_length=255)
    password_env = models.CharField(
        _("ตัวแปรสภาพแวดล้อมที่เก็บรหัสผ่าน"),
        max_length=100,
        validators=[env_name],
        help_text=_("ไม่เก็บรหัสผ่านในฐานข้อมูล: ตั้งค่าตัวแปรนี้ให้ worker ของ Celery เช่น SARABAN_MAIL_OPS"),
    )
    folder = models.CharField(_("โฟลเดอร์"), max_length=255, default="INBOX")
    reply_with_number = models.BooleanField(
        _("ตอบกลับผู้ส่งเมื่อลงทะเบียนรับ"), default=False, help_text=_("แจ้งเลขรับและวันที่รับทางอีเมลถึงผู้ส่ง")
    )
    is_active = models.BooleanField(_("ใช้งาน"), default=True)

    # What the poller last saw (shown in the admin).
    last_poll_at = models.DateTimeField(_("ตรวจล่าสุด"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("ตรวจสำเร็จล่าสุด"), null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(_("ล้มเหลวติดต่อกัน (ครั้ง)"), default=0, editable=False)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True, editable=False)
    # Messages left unseen on the server because they could not be taken in (the reason, per message).
    problems = models.TextField(_("ข้อความที่นำเข้าไม่ได้"), blank=True, editable=False)
    # The messages refused for good (too large, unreadable), by UID within the folder's
    # UIDVALIDITY: left unseen on the server for a person to deal with, and skipped by the
    # next polls so that they never crowd out new mail. {"uidvalidity": n, "messages": {uid: reason}}
    refused = models.JSONField(default=dict, blank=True, editable=False)
    letters_taken = models.PositiveIntegerField(_("หนังสือที่รับเข้าแล้ว"), default=0, editable=False)
    # One poll at a time per mailbox: a poll holds the mailbox until this moment.
    polling_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("กล่องจดหมายรับหนังสือ")
        verbose_name_plural = _("กล่องจดหมายรับหนังสือ")
        ordering = ["unit__name", "address"]
        constraints = [
            models.UniqueConstraint(fields=["host", "port", "username", "folder"], name="mailbox_account_once")
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.unit})"


class ReplyStatus(models.TextChoices):
    PENDING = "pending", _("รอส่ง")
    SENDING = "sending", _("กำลังส่ง")
    SENT = "sent", _("ส่งแล้ว")
    FAILED = "failed", _("ส่งไม่สำเร็จ")


class MailReply(models.Model):
    """An outbox row: the reply that tells the sender of an e-mailed letter its เลขรับ."""

    letter = models.OneToOneField(
        IncomingLetter, verbose_name=_("หนังสือรับ"), on_delete=models.PROTECT, related_name="mail_reply"
    )
    mailbox = models.ForeignKey(Mailbox, verbose_name=_("กล่องจดหมาย"), on_delete=models.PROTECT, related_name="replies")
    to = models.EmailField(_("ถึง"))
    subject = models.CharField(_("เรื่อง"), max_length=600)
    body = models.TextField(_("ข้อความ"))
    in_reply_to = models.CharField(_("ตอบข้อความ (Message-ID)"), max_length=300, blank=True)
    status = models.CharField(_("สถานะ"), max_length=8, choices=ReplyStatus.choices, default=ReplyStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่พยายามส่ง"), default=0)
    next_attempt_at = models.DateTimeField(_("กำหนดส่งครั้งถัดไป"), default=timezone.now)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("อีเมลแจ้งเลขรับ")
        verbose_name_plural = _("อีเมลแจ้งเลขรับ")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"],
                name="mailreply_sweep",
                condition=Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return self.subject
