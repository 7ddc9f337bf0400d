from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.template.response import TemplateResponse

from outbox.admin import OutboxAdmin, retry_action

from .admin_display import ThaiColumnsMixin
from .docx_builder import emblem_warning
from .models import DocumentVersion, PageMarking
from .services import document_version_retry, page_marking_retry
from .tasks import MARK_OUTBOX, OUTBOX


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ThaiColumnsMixin, OutboxAdmin):  # type: ignore[misc]
    outbox = OUTBOX
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

    rerender = retry_action(
        lambda ids: document_version_retry(version_ids=ids),
        description="จัดทำใหม่",
        done="ส่งจัดทำใหม่ {count} รายการ",
        nothing="ไม่มีรายการที่จัดทำใหม่ได้ (จัดทำใหม่ได้เฉพาะฉบับที่รอจัดทำหรือจัดทำไม่สำเร็จ)",
    )

    def has_delete_permission(self, request: HttpRequest, obj: DocumentVersion | None = None) -> bool:
        # A stored version is a record people may have downloaded and cited.
        return False

    @admin.display(description="บันทึกข้อความ", ordering="memo")
    def memo_display(self, obj: DocumentVersion) -> str:
        if obj.memo is None:
            if obj.letter_id is not None:
                return f"หนังสือภายนอก {obj.letter_id}"
            return f"หนังสือเวียน {obj.directive_id}"
        return f"{obj.memo.number or 'ร่าง'} {obj.memo.subject[:50]}"

    @admin.display(description="เหตุการณ์")
    def event_display(self, obj: DocumentVersion) -> str:
        return obj.event_label

    @admin.display(description="SHA-256")
    def sha_short(self, obj: DocumentVersion) -> str:
        return obj.sha256[:12]


@admin.register(PageMarking)
class PageMarkingAdmin(ThaiColumnsMixin, OutboxAdmin):  # type: ignore[misc]
    outbox = MARK_OUTBOX
    list_display = [
        "created_at",
        "status_badge",
        "version",
        "outcome",
        "attempts",
        "next_attempt_at",
        "marked_at",
        "last_error_short",
    ]
    list_filter = ["status", "outcome"]
    search_fields = ["version__memo__number", "version__memo__subject", "plain_sha256", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["version", "version__memo"]
    actions = ["remark"]

    remark = retry_action(
        lambda ids: page_marking_retry(marking_ids=ids),
        description="ใส่คำต่อหน้าใหม่",
        done="ส่งใส่คำต่อหน้าใหม่ {count} รายการ",
        nothing="ไม่มีรายการที่ทำใหม่ได้ (ทำใหม่ได้เฉพาะรายการที่รอหรือไม่สำเร็จ)",
    )

    def has_delete_permission(self, request: HttpRequest, obj: PageMarking | None = None) -> bool:
        return False


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
