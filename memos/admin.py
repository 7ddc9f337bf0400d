from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .models import Appointment, Official, Position, RecipientGroup, Unit

admin.site.site_header = "ระบบสารบรรณอิเล็กทรอนิกส์ — ผู้ดูแลระบบ"
admin.site.site_title = "ผู้ดูแลระบบสารบรรณ"
admin.site.index_title = "การจัดการข้อมูล"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "doc_code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "doc_code", "key"]
    list_editable = ["doc_code"]
    autocomplete_fields = ["parent"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "address_as", "receiving_unit", "is_active"]
    list_filter = ["is_active", "unit__kind"]
    search_fields = ["title", "unit__name", "key"]
    autocomplete_fields = ["unit", "receiving_unit"]


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    autocomplete_fields = ["position"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["full_name", "unit", "is_clerk", "user"]
    list_filter = ["is_clerk"]
    search_fields = ["first_name", "last_name", "user__username", "unit__name"]
    autocomplete_fields = ["unit", "user"]
    inlines = [AppointmentInline]

    @admin.display(description="ชื่อ-นามสกุล")
    def full_name(self, obj: Official) -> str:
        return obj.full_name


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
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


# --- Memos, registers, audit ----------------------------------------------------------------

from .models import Memo as MemoModel  # noqa: E402
from .models import MemoEvent, RegisterEntry, RouteTemplate, RouteTemplateStep  # noqa: E402


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is written by the services only; the admin may read it, never change it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MemoEvent)
class MemoEventAdmin(ReadOnlyAdmin):
    list_display = ["memo", "seq", "action", "actor_name", "position", "created_at"]
    list_filter = ["action"]
    search_fields = ["memo__subject", "memo__number", "actor_name"]


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdmin):
    list_display = ["unit", "series", "year", "number", "document_number", "subject", "registered_at", "void"]
    list_filter = ["series", "year", "void"]
    search_fields = ["document_number", "subject", "unit__name"]


@admin.register(MemoModel)
class MemoAdmin(ReadOnlyAdmin):
    list_display = ["number", "subject", "unit", "state", "urgency", "secrecy", "created_at"]
    list_filter = ["state", "urgency", "secrecy"]
    search_fields = ["number", "subject"]


class RouteTemplateStepInline(admin.TabularInline):
    model = RouteTemplateStep
    extra = 0
    autocomplete_fields = ["position"]


@admin.register(RouteTemplate)
class RouteTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "is_default"]
    autocomplete_fields = ["unit"]
    inlines = [RouteTemplateStepInline]
