"""Admin of outgoing letters and their sendings: the letters read-only (they change only
through the services, with their history), the sendings as an outbox whose failed rows an
administrator sends again after the fault is fixed. Imported by letters/admin.py."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from outbox.admin import OutboxAdmin, retry_action

from .outgoing_models import OutgoingDispatch, OutgoingLetter
from .outgoing_tasks import OUTBOX


@admin.register(OutgoingLetter)
class OutgoingLetterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["number", "subject", "unit", "state", "channel", "sent_at", "updated_at"]
    list_filter = ["state", "channel"]
    search_fields = ["number", "subject", "recipient_name"]
    list_select_related = ["unit"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutgoingLetter | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutgoingLetter | None = None) -> bool:
        return False


@admin.register(OutgoingDispatch)
class OutgoingDispatchAdmin(OutboxAdmin):
    outbox = OUTBOX
    list_display = [
        "created_at",
        "status_badge",
        "channel",
        "letter",
        "attempts",
        "next_attempt_at",
        "last_error_short",
    ]
    list_filter = ["status", "channel"]
    list_select_related = ["letter"]
    actions = ["send_again"]

    send_again = retry_action(
        OUTBOX.retry,
        description="ส่งอีกครั้ง",
        done="ส่งอีกครั้ง {count} รายการ",
        nothing="ไม่มีรายการที่ส่งอีกครั้งได้ (ส่งอีกครั้งได้เฉพาะรายการที่รอส่งหรือส่งไม่สำเร็จ)",
    )
