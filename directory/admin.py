from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pghistory
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BigIntegerField, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse

from audit.admin import ReadOnlyAdmin
from documents.admin_display import ThaiColumnsMixin
from documents.thai import thai_date, thai_time

from .models import Appointment, Official, Position, RecipientGroup, Unit

# The history models are made by django-pghistory (directory.models.history).
AppointmentHistory: Any = Appointment.pgh_event_models["insert"]  # type: ignore[attr-defined]
OfficialHistory: Any = Official.pgh_event_models["insert"]  # type: ignore[attr-defined]
PositionHistory: Any = Position.pgh_event_models["insert"]  # type: ignore[attr-defined]
UnitHistory: Any = Unit.pgh_event_models["insert"]  # type: ignore[attr-defined]


@contextmanager
def who_changed(request: HttpRequest) -> Iterator[None]:
    """Name the administrator (and the page) in the history rows the triggers write during
    this request. PostgreSQL only: pghistory passes the context through a PostgreSQL
    session variable, and on SQLite there are no triggers to read it."""
    if request.method == "POST" and connection.vendor == "postgresql":
        with pghistory.context(user=request.user.pk, url=request.path):
            yield
    else:
        yield


class HistoryContextAdmin(admin.ModelAdmin):
    """A directory admin whose changes are attributed in the history."""

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with who_changed(request):
            return super().changeform_view(request, *args, **kwargs)

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with who_changed(request):  # list_editable and actions
            return super().changelist_view(request, *args, **kwargs)

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with who_changed(request):
            return super().delete_view(request, *args, **kwargs)


admin.site.site_header = "ระบบสารบรรณอิเล็กทรอนิกส์ — ผู้ดูแลระบบ"
admin.site.site_title = "ผู้ดูแลระบบสารบรรณ"
admin.site.index_title = "การจัดการข้อมูล"


@admin.register(Unit)
class UnitAdmin(HistoryContextAdmin):
    list_display = ["name", "short_name", "doc_code", "kind", "parent", "books_in_by_hand", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "doc_code", "key"]
    list_editable = ["doc_code"]
    autocomplete_fields = ["parent"]


@admin.register(Position)
class PositionAdmin(HistoryContextAdmin):
    list_display = ["title", "unit", "address_as", "receiving_unit", "is_active"]
    list_filter = ["is_active", "unit__kind"]
    search_fields = ["title", "unit__name", "key"]
    autocomplete_fields = ["unit", "receiving_unit"]


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    autocomplete_fields = ["position"]


@admin.register(Official)
class OfficialAdmin(ThaiColumnsMixin, HistoryContextAdmin):  # type: ignore[misc]
    list_display = ["full_name", "unit", "is_clerk", "user"]
    list_filter = ["is_clerk"]
    search_fields = ["first_name", "last_name", "user__username", "unit__name"]
    autocomplete_fields = ["unit", "user"]
    inlines = [AppointmentInline]

    @admin.display(description="ชื่อ-นามสกุล")
    def full_name(self, obj: Official) -> str:
        return obj.full_name


@admin.register(Appointment)
class AppointmentAdmin(ThaiColumnsMixin, HistoryContextAdmin):  # type: ignore[misc]
    list_display = ["official", "capacity", "position", "valid_from", "valid_until"]
    list_filter = ["capacity"]
    search_fields = ["official__first_name", "official__last_name", "position__title"]
    autocomplete_fields = ["official", "position"]
    date_hierarchy = "valid_from"

    def save_model(self, request: HttpRequest, obj: Appointment, form: object, change: bool) -> None:
        # Model.clean() already ran the overlap rule; a race between two admins is caught here.
        try:
            obj.full_clean()
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
            raise
        super().save_model(request, obj, form, change)


@admin.register(RecipientGroup)
class RecipientGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order"]
    search_fields = ["name"]
    filter_horizontal = ["positions"]


# --- History ------------------------------------------------------------------------------

LABELS = {"insert": "เพิ่ม", "update": "แก้ไข", "delete": "ลบ"}


class HistoryAdmin(ReadOnlyAdmin):
    """Read-only: each row is the state of a directory row after a change (before it, for a
    deletion), who made it and when. Recorded on PostgreSQL only."""

    list_filter = ["pgh_label", "pgh_created_at"]
    date_hierarchy = "pgh_created_at"
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> Any:
        # The administrator's name in the same query (the context keeps the user's id).
        user_id = Cast(KeyTextTransform("user", "pgh_context__metadata"), BigIntegerField())
        username = get_user_model().objects.filter(pk=OuterRef("changed_by_id")).values("username")[:1]
        return super().get_queryset(request).annotate(changed_by_id=user_id).annotate(changed_by=Subquery(username))

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if connection.vendor != "postgresql":
            messages.info(request, "ประวัติการแก้ไขบันทึกด้วยทริกเกอร์ของ PostgreSQL: ฐานข้อมูล SQLite ไม่บันทึกประวัตินี้")
        return super().changelist_view(request, extra_context)

    @admin.display(description="เมื่อ", ordering="pgh_created_at")
    def when(self, obj: Any) -> str:
        return f"{thai_date(obj.pgh_created_at, abbreviated=True)} {thai_time(obj.pgh_created_at)}"

    @admin.display(description="การเปลี่ยนแปลง", ordering="pgh_label")
    def change(self, obj: Any) -> str:
        return LABELS.get(obj.pgh_label, obj.pgh_label)

    @admin.display(description="ผู้แก้ไข")
    def by(self, obj: Any) -> str:
        if not obj.changed_by_id:
            return "ระบบ (นอกหน้าผู้ดูแลระบบ)"
        return obj.changed_by or f"ผู้ใช้ #{obj.changed_by_id} (ลบแล้ว)"


@admin.register(AppointmentHistory)
class AppointmentHistoryAdmin(HistoryAdmin):
    """Who became holder, acting or delegate for which post, from when to when."""

    list_display = ["when", "change", "official", "capacity", "position", "valid_from", "valid_until", "by"]
    list_filter = ["pgh_label", "capacity", "pgh_created_at"]
    list_select_related = ["official", "position"]
    search_fields = ["official__first_name", "official__last_name", "position__title"]


@admin.register(OfficialHistory)
class OfficialHistoryAdmin(HistoryAdmin):
    list_display = ["when", "change", "prefix", "first_name", "last_name", "unit", "is_clerk", "by"]
    list_select_related = ["unit"]
    search_fields = ["first_name", "last_name"]


@admin.register(PositionHistory)
class PositionHistoryAdmin(HistoryAdmin):
    list_display = ["when", "change", "title", "unit", "address_as", "is_active", "by"]
    list_select_related = ["unit"]
    search_fields = ["title"]


@admin.register(UnitHistory)
class UnitHistoryAdmin(HistoryAdmin):
    list_display = ["when", "change", "name", "short_name", "doc_code", "is_active", "books_in_by_hand", "by"]
    search_fields = ["name", "short_name"]
