from django.contrib import admin

from audit.admin import ReadOnlyAdmin

from .models import RegisterEntry, RegisterImport


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdmin):
    list_display = ["unit", "series", "year", "number", "document_number", "subject", "registered_at", "void"]
    list_filter = ["series", "year", "void"]
    search_fields = ["document_number", "subject", "unit__name"]


@admin.register(RegisterImport)
class RegisterImportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "series", "year", "filename", "state", "created_count", "created_by", "created_at"]
    list_filter = ["series", "year", "state"]
    search_fields = ["filename", "unit__name"]
    exclude = ["rows", "refused"]
