"""Administrators issue and revoke API tokens here. The clear token is shown once, on issue."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import ApiToken
from .services import api_token_revoke, api_token_save_new


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "created_at"]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user", "created_by"]
    autocomplete_fields = ["user"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["user", "name"]
        return ["user", "name", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A token's owner never changes: a new owner gets a new token.
        return [*self.readonly_fields, "user"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        raw = api_token_save_new(token=obj, issued_by=request.user)
        self.message_user(
            request,
            f"ออกโทเคนแล้ว: {raw} — คัดลอกเก็บไว้ตอนนี้ ระบบเก็บเฉพาะค่าแฮชและจะไม่แสดงโทเคนนี้อีก "
            "(ส่งในส่วนหัว Authorization: Bearer <โทเคน>)",
            messages.WARNING,
        )

    @admin.action(description="เพิกถอนโทเคนที่เลือก")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token)
            count += 1
        self.message_user(request, f"เพิกถอนโทเคนแล้ว {count} รายการ", messages.SUCCESS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoked tokens stay listed: who could reach the API, and until when, is evidence.
        return False
