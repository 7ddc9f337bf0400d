from __future__ import annotations

from django.contrib import admin

from documents.thai import thai_date

from .models import DayOff


@admin.register(DayOff)
class DayOffAdmin(admin.ModelAdmin):
    """Days off beyond the Thai public holidays, which come from the `holidays` package."""

    list_display = ["date", "thai", "name", "note"]
    search_fields = ["name", "note"]
    date_hierarchy = "date"
    fields = ["date", "name", "note"]

    @admin.display(description="วันที่ (พ.ศ.)", ordering="date")
    def thai(self, obj: DayOff) -> str:
        return thai_date(obj.date)
