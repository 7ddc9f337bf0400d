"""Admin pieces for an outbox model: rows are records written by the events that cause them,
shown with a coloured status, and the one change an administrator makes is "work it again".
This module registers nothing (outbox is not a Django app); an app's admin.py subclasses
`OutboxAdmin` and names its retry action with `retry_action`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from .engine import Outbox

# Amber waits, blue is in a worker's hands, green is done, red needs an administrator: the
# colours are in static/css/admin.css (a style="…" attribute would be refused by the CSP).
STATUS_CLASSES = ("outbox-pending", "outbox-working", "outbox-done", "outbox-failed")


class OutboxAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    outbox: ClassVar[Outbox[Any]]

    class Media:
        css = {"all": ["css/admin.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Rows are written by the events that cause them, never by hand.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # A row is a record of what was done; the only change allowed is the retry action.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [f.name for f in self.opts.concrete_fields]

    def has_retry_permission(self, request: HttpRequest) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    @admin.display(description="สถานะ", ordering="status")
    def status_badge(self, obj: Any) -> str:
        box = self.outbox
        classes = dict(zip((box.pending, box.working, box.done, box.failed), STATUS_CLASSES, strict=True))
        return format_html(
            '<strong class="{}">{}</strong>', classes.get(obj.status, "outbox-other"), obj.get_status_display()
        )

    @admin.display(description="ข้อผิดพลาดล่าสุด")
    def last_error_short(self, obj: Any) -> str:
        return str(obj.last_error)[:80]


def retry_action(
    retry: Callable[[list[int]], int], *, description: str, done: str, nothing: str
) -> Callable[[OutboxAdmin, HttpRequest, QuerySet[Any]], None]:
    """An admin action that calls the app's retry service on the selected rows and says how
    many were requeued (`done` with {count}) or why none were (`nothing`)."""

    @admin.action(description=description, permissions=["retry"])
    def action(modeladmin: OutboxAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = retry(list(queryset.values_list("pk", flat=True)))
        if count:
            modeladmin.message_user(request, done.format(count=count), messages.SUCCESS)
        else:
            modeladmin.message_user(request, nothing, messages.WARNING)

    return action
