from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from .models import Kind, Notification, Status
from .services import notification_retry

STATUS_COLOURS = {
    Status.PENDING: "#8a6d00",
    Status.SENDING: "#1a3a6b",
    Status.SENT: "#2e7d32",
    Status.FAILED: "#c62828",
}


class KindFilter(admin.SimpleListFilter):
    title = "ประเภท"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        # Known kinds with Thai labels, plus any other code actually in use.
        labels = dict(Kind.choices)
        used = Notification.objects.order_by().values_list("kind", flat=True).distinct()
        return [(code, str(labels.get(code, code))) for code in sorted(set(labels) | set(used))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "status_badge",
        "channel",
        "kind_display",
        "addressee_display",
        "subject",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error_short",
    ]
    list_filter = ["status", "channel", KindFilter]
    search_fields = ["subject", "email", "recipient__username", "dedup_key", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["resend"]
    readonly_fields = [f.name for f in Notification._meta.get_fields() if getattr(f, "concrete", False)]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Rows are written by the events that cause them, never by hand.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        # A row is a record of what was sent; the only change allowed is the resend action.
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_notification")

    @admin.display(description="สถานะ", ordering="status")
    def status_badge(self, obj: Notification) -> str:
        return format_html(
            '<strong style="color:{}">{}</strong>',
            STATUS_COLOURS.get(Status(obj.status), "inherit"),
            obj.get_status_display(),
        )

    @admin.display(description="ประเภท", ordering="kind")
    def kind_display(self, obj: Notification) -> str:
        return obj.kind_label

    @admin.display(description="ผู้รับ")
    def addressee_display(self, obj: Notification) -> str:
        return obj.addressee

    @admin.display(description="ข้อผิดพลาดล่าสุด")
    def last_error_short(self, obj: Notification) -> str:
        return obj.last_error[:80]

    @admin.action(description="ส่งใหม่", permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notification_retry(notification_ids=queryset.values_list("pk", flat=True))
        if count:
            self.message_user(request, f"ส่งใหม่ {count} รายการ", messages.SUCCESS)
        else:
            self.message_user(request, "ไม่มีรายการที่ส่งใหม่ได้ (ส่งใหม่ได้เฉพาะอีเมลที่รอส่งหรือส่งไม่สำเร็จ)", messages.WARNING)
