from django.contrib import admin

from audit.admin import ReadOnlyAdmin

from .models import Memo as MemoModel
from .models import MemoEvent, RouteTemplate, RouteTemplateStep


@admin.register(MemoEvent)
class MemoEventAdmin(ReadOnlyAdmin):
    list_display = ["memo", "seq", "action", "actor_name", "position", "created_at"]
    list_filter = ["action"]
    search_fields = ["memo__subject", "memo__number", "actor_name"]


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
