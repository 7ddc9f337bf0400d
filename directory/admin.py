from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from documents.admin_display import ThaiColumnsMixin

from .models import Appointment, Official, Position, RecipientGroup, Unit

admin.site.site_header = "ระบบสารบรรณอิเล็กทรอนิกส์ — ผู้ดูแลระบบ"
admin.site.site_title = "ผู้ดูแลระบบสารบรรณ"
admin.site.index_title = "การจัดการข้อมูล"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "doc_code", "kind", "parent", "books_in_by_hand", "is_active"]
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
class OfficialAdmin(ThaiColumnsMixin, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["full_name", "unit", "is_clerk", "user"]
    list_filter = ["is_clerk"]
    search_fields = ["first_name", "last_name", "user__username", "unit__name"]
    autocomplete_fields = ["unit", "user"]
    inlines = [AppointmentInline]

    @admin.display(description="ชื่อ-นามสกุล")
    def full_name(self, obj: Official) -> str:
        return obj.full_name


@admin.register(Appointment)
class AppointmentAdmin(ThaiColumnsMixin, admin.ModelAdmin):  # type: ignore[misc]
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
