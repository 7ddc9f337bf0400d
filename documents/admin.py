from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html

from .docx_builder import emblem_warning
from .models import DocumentVersion, VersionStatus
from .services import document_version_retry

STATUS_COLOURS = {
    VersionStatus.PENDING: "#8a6d00",
    VersionStatus.RENDERING: "#1a3a6b",
    VersionStatus.DONE: "#2e7d32",
    VersionStatus.FAILED: "#c62828",
}


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "status_badge",
        "kind",
        "memo_display",
        "version",
        "event_display",
        "attempts",
        "next_attempt_at",
        "size",
        "sha_short",
        "last_error_short",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["memo__number", "memo__subject", "sha256", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["memo", "event"]
    actions = ["rerender"]
    readonly_fields = [f.name for f in DocumentVersion._meta.get_fields() if getattr(f, "concrete", False)]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Versions are written by the memo events that cause them, never by hand.
        return False

    def has_change_permission(self, request: HttpRequest, obj: DocumentVersion | None = None) -> bool:
        # A stored version is a record; the only change allowed is the re-render action.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: DocumentVersion | None = None) -> bool:
        return False

    def has_rerender_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("documents.change_documentversion")

    @admin.display(description="สถานะ", ordering="status")
    def status_badge(self, obj: DocumentVersion) -> str:
        return format_html(
            '<strong style="color:{}">{}</strong>',
            STATUS_COLOURS.get(VersionStatus(obj.status), "inherit"),
            obj.get_status_display(),
        )

    @admin.display(description="บันทึกข้อความ", ordering="memo")
    def memo_display(self, obj: DocumentVersion) -> str:
        if obj.memo is None:
            return f"หนังสือเวียน {obj.directive_id}"
        return f"{obj.memo.number or 'ร่าง'} {obj.memo.subject[:50]}"

    @admin.display(description="เหตุการณ์")
    def event_display(self, obj: DocumentVersion) -> str:
        return obj.event_label

    @admin.display(description="SHA-256")
    def sha_short(self, obj: DocumentVersion) -> str:
        return obj.sha256[:12]

    @admin.display(description="ข้อผิดพลาดล่าสุด")
    def last_error_short(self, obj: DocumentVersion) -> str:
        return obj.last_error[:80]

    @admin.action(description="จัดทำใหม่", permissions=["rerender"])
    def rerender(self, request: HttpRequest, queryset: QuerySet[DocumentVersion]) -> None:
        count = document_version_retry(version_ids=queryset.values_list("pk", flat=True))
        if count:
            self.message_user(request, f"ส่งจัดทำใหม่ {count} รายการ", messages.SUCCESS)
        else:
            self.message_user(
                request,
                "ไม่มีรายการที่จัดทำใหม่ได้ (จัดทำใหม่ได้เฉพาะฉบับที่รอจัดทำหรือจัดทำไม่สำเร็จ)",
                messages.WARNING,
            )


# The emblem is a deployment setting nobody sees until a memo prints without it; the admin
# index is where whoever can fix it looks. Wrapping the default site's index (rather than
# replacing the site class or overriding admin/index.html) leaves the rest of the admin as
# every other app registered it.
_default_index = admin.site.index


def _index_with_emblem_warning(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
    warning = emblem_warning()
    if warning:
        messages.warning(request, warning)
    return _default_index(request, extra_context)


admin.site.index = _index_with_emblem_warning  # type: ignore[method-assign]
