from django.contrib import admin

from audit.admin import ReadOnlyAdmin

from .models import RegisterEntry


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdmin):
    list_display = ["unit", "series", "year", "number", "document_number", "subject", "registered_at", "void"]
    list_filter = ["series", "year", "void"]
    search_fields = ["document_number", "subject", "unit__name"]
