"""Admin pages of the e-CMS exchange: the code lists (editable: an administrator may fix a
name or the level a secrecy/speed code maps to) and the notifiers owed to the hub (records;
the one change is "send again"). Registered from letters.ecms.registrations."""

from __future__ import annotations

from django.contrib import admin

from outbox.admin import OutboxAdmin, retry_action

from .models import EcmsCode, EcmsNotice, EcmsNotifier
from .notifiers import OUTBOX


class EcmsCodeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["kind", "code", "name", "level", "parent", "extension", "is_active", "updated_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


class EcmsNotifierAdmin(OutboxAdmin):
    outbox = OUTBOX
    list_display = [
        "created_at",
        "status_badge",
        "kind",
        "letter_number",
        "subject",
        "accept_id",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error_short",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["process_id", "letter_number", "subject"]
    actions = ["resend"]

    resend = retry_action(
        OUTBOX.retry,
        description="ส่งใหม่",
        done="ส่งใหม่ {count} รายการ",
        nothing="ไม่มีรายการที่ส่งใหม่ได้ (ส่งใหม่ได้เฉพาะรายการที่รอส่งหรือส่งไม่สำเร็จ)",
    )


class EcmsNoticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["received_at", "kind", "letter_number", "letter_date", "subject", "accept_id"]
    list_filter = ["kind"]
    search_fields = ["letter_number", "subject", "process_id"]

    def has_add_permission(self, request: object) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:  # type: ignore[override]
        return False


def register() -> None:
    if not admin.site.is_registered(EcmsNotice):
        admin.site.register(EcmsNotice, EcmsNoticeAdmin)
    if not admin.site.is_registered(EcmsCode):
        admin.site.register(EcmsCode, EcmsCodeAdmin)
    if not admin.site.is_registered(EcmsNotifier):
        admin.site.register(EcmsNotifier, EcmsNotifierAdmin)
