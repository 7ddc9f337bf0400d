from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from documents.admin_display import ThaiColumnsMixin


class ReadOnlyAdmin(ThaiColumnsMixin, admin.ModelAdmin):  # type: ignore[misc]
    """History is written by the services only; the admin may read it, never change it.
    (Its dates and people read as an official expects: documents.admin_display.)"""

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Every field is read-only here, so dates and people can be drawn as in the list.
        return self.thai_readonly_fields(super().get_fields(request, obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
