from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from documents.admin_display import ThaiColumnsMixin
from outbox.admin import OutboxAdmin, retry_action

from .models import Kind, Notification
from .services import notification_retry
from .tasks import OUTBOX


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
class NotificationAdmin(ThaiColumnsMixin, OutboxAdmin):  # type: ignore[misc]
    outbox = OUTBOX
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

    resend = retry_action(
        lambda ids: notification_retry(notification_ids=ids),
        description="ส่งใหม่",
        done="ส่งใหม่ {count} รายการ",
        nothing="ไม่มีรายการที่ส่งใหม่ได้ (ส่งใหม่ได้เฉพาะอีเมลที่รอส่งหรือส่งไม่สำเร็จ)",
    )

    @admin.display(description="ประเภท", ordering="kind")
    def kind_display(self, obj: Notification) -> str:
        return obj.kind_label

    @admin.display(description="ผู้รับ")
    def addressee_display(self, obj: Notification) -> str:
        return obj.addressee
