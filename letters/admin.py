"""Admin of received letters: agencies are kept here (the hub's code list can be refreshed into
them); letters and their history are read-only records (they change only through
letters.services); OCR jobs are an outbox whose one action is "read again"."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from outbox.admin import OutboxAdmin, retry_action

from .models import Agency, IncomingEvent, IncomingLetter, LetterFile, OcrJob
from .ocr import ocr_retry
from .tasks import OCR_OUTBOX


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "short_name", "ecms_code", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "ecms_code", "email"]


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FileInline(admin.TabularInline):  # type: ignore[type-arg]
    model = LetterFile
    fields = ("role", "original_name", "size", "content_type", "sha256", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IncomingLetter)
class IncomingLetterAdmin(ReadOnly):
    list_display = ["receive_number", "year", "subject", "sender_name", "unit", "channel", "state", "ocr_state"]
    list_filter = ["state", "channel", "ocr_state", "year"]
    search_fields = ["subject", "sender_name", "their_number"]
    list_select_related = ["unit"]
    inlines = [FileInline]
    exclude = ["text"]


@admin.register(IncomingEvent)
class IncomingEventAdmin(ReadOnly):
    list_display = ["letter", "seq", "action", "actor_name", "created_at"]
    list_filter = ["action"]
    list_select_related = ["letter"]


@admin.register(OcrJob)
class OcrJobAdmin(OutboxAdmin):
    outbox = OCR_OUTBOX
    list_display = ["created_at", "status_badge", "letter", "file", "attempts", "last_error_short"]
    list_filter = ["status"]
    list_select_related = ["letter", "file"]
    actions = [
        retry_action(
            ocr_retry,
            description="อ่านข้อความ (OCR) อีกครั้ง",
            done="ส่งกลับเข้าคิวอ่านข้อความ {count} รายการ",
            nothing="ไม่มีรายการที่อ่านใหม่ได้ (เฉพาะรายการที่ไม่สำเร็จหรือรออยู่)",
        )
    ]


from . import outgoing_admin  # noqa: E402,F401  (outgoing letters and their sendings)
