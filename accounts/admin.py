from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from audit.admin import ReadOnlyAdmin

from .models import LoginEvent
from .services import login_unlock


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin):
    """Read-only: the record of sign-ins is evidence."""

    list_display = ["at", "kind", "username", "user", "ip_address", "user_agent"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    readonly_fields = ["at", "kind", "username", "user", "ip_address", "user_agent", "backend"]


class UnlockingAccessAttemptAdmin(AccessAttemptAdmin):
    """axes' list of counted failures, with an unlock by user name: a user name locked by the
    per-user limit has rows for several addresses, and deleting only the selected row would
    leave it locked."""

    actions = [*AccessAttemptAdmin.actions, "unlock"]

    @admin.action(description="ปลดการระงับชื่อผู้ใช้ที่เลือก (จากทุกหมายเลขไอพี)", permissions=["delete"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        usernames = sorted({name for name in queryset.values_list("username", flat=True) if name})
        # The admin's history says who unlocked whom.
        self.log_deletions(request, AccessAttempt.objects.filter(username__in=usernames))
        login_unlock(usernames=usernames)
        self.message_user(request, f"ปลดการระงับ {', '.join(usernames)} แล้ว", messages.SUCCESS)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, UnlockingAccessAttemptAdmin)
