"""Admin of the mailboxes: each one's settings and how its last polls went (last poll, last
success, consecutive failures, the last error in Thai, messages left unseen and why), and
the replies that told senders their เลขรับ."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from documents.admin_display import ThaiColumnsMixin
from documents.thai import to_thai_digits
from outbox.admin import OutboxAdmin, retry_action

from .models import Mailbox, MailReply
from .tasks import OUTBOX, poll_mailbox_task

STATUS_FIELDS = (
    "last_poll_at",
    "last_success_at",
    "failures",
    "last_error",
    "problems",
    "letters_taken",
)


@admin.register(Mailbox)
class MailboxAdmin(ThaiColumnsMixin, admin.ModelAdmin):  # type: ignore[misc, type-arg]
    list_display = [
        "address",
        "unit",
        "is_active",
        "reply_with_number",
        "status_badge",
        "last_poll_at",
        "last_success_at",
        "failures",
        "last_error_short",
    ]
    list_filter = ["is_active", "reply_with_number"]
    search_fields = ["address", "username", "host", "unit__name"]
    list_select_related = ["unit"]
    readonly_fields = STATUS_FIELDS
    actions = ["poll_now", "retry_refused"]
    fieldsets = [
        (None, {"fields": ["unit", "address", "is_active", "reply_with_number"]}),
        (
            "การเชื่อมต่อ IMAP",
            {
                "fields": ["host", "port", "tls", "username", "password_env", "folder"],
                "description": "รหัสผ่านไม่เก็บในฐานข้อมูล: ตั้งค่าในตัวแปรสภาพแวดล้อมของ Celery worker ตามชื่อที่ระบุ",
            },
        ),
        ("สถานะการตรวจกล่องจดหมาย", {"fields": list(STATUS_FIELDS)}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description="สถานะ")
    def status_badge(self, obj: Mailbox) -> str:
        if not obj.is_active:
            return format_html('<strong class="outbox-other">{}</strong>', "ปิดใช้งาน")
        if obj.failures:
            return format_html(
                '<strong class="outbox-failed">{}</strong>', f"ล้มเหลว {to_thai_digits(obj.failures)} ครั้งติดต่อกัน"
            )
        if obj.last_success_at is None:
            return format_html('<strong class="outbox-pending">{}</strong>', "ยังไม่เคยตรวจ")
        if obj.problems:
            return format_html('<strong class="outbox-pending">{}</strong>', "มีข้อความที่นำเข้าไม่ได้")
        return format_html('<strong class="outbox-done">{}</strong>', "ปกติ")

    @admin.display(description="ข้อผิดพลาดล่าสุด")
    def last_error_short(self, obj: Mailbox) -> str:
        return (obj.last_error or obj.problems.split("\n", 1)[0])[:120]

    @admin.action(description="ตรวจกล่องจดหมายเดี๋ยวนี้")
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        ids = list(queryset.filter(is_active=True).values_list("pk", flat=True))
        try:
            for mailbox_id in ids:
                poll_mailbox_task.apply_async((mailbox_id,))
        except Exception:
            self.message_user(request, "ติดต่อระบบงานเบื้องหลังไม่ได้ จะตรวจตามรอบปกติ", messages.WARNING)
            return
        self.message_user(request, f"สั่งตรวจ {to_thai_digits(len(ids))} กล่องจดหมายแล้ว", messages.SUCCESS)

    @admin.action(description="ลองนำเข้าข้อความที่ไม่ได้นำเข้าอีกครั้ง (เมื่อแก้ไขขนาดที่รับได้แล้ว)")
    def retry_refused(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        count = queryset.exclude(refused={}).update(refused={})
        self.message_user(
            request, f"จะลองนำเข้าข้อความที่ค้างของ {to_thai_digits(count)} กล่องจดหมายในรอบถัดไป", messages.SUCCESS
        )


def _retry(ids: list[int]) -> int:
    with transaction.atomic():
        return OUTBOX.retry(ids)


@admin.register(MailReply)
class MailReplyAdmin(ThaiColumnsMixin, OutboxAdmin):  # type: ignore[misc]
    outbox = OUTBOX
    list_display = ["created_at", "status_badge", "to", "subject", "attempts", "sent_at", "last_error_short"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "last_error"]
    actions = ["resend"]

    resend = retry_action(
        _retry,
        description="ส่งใหม่",
        done="ส่งใหม่ {count} รายการ",
        nothing="ไม่มีรายการที่ส่งใหม่ได้ (ส่งใหม่ได้เฉพาะอีเมลที่รอส่งหรือส่งไม่สำเร็จ)",
    )


__all__ = ["MailReplyAdmin", "MailboxAdmin"]
