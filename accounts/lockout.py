"""Lockout after wrong passwords (django-axes), with two limits and a Thai lockout page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from .thai import thai_duration


class TieredDatabaseHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for the user name alone.

    Axes compares the largest failure count over AXES_LOCKOUT_PARAMETERS with one limit. Here
    the user-name-and-address count meets AXES_FAILURE_LIMIT, and the count of the user name
    from every address meets LOGIN_FAILURE_LIMIT_PER_USER: the latter is scaled onto the
    former (n * limit // per_user reaches limit exactly when n reaches per_user).
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        per_user = settings.LOGIN_FAILURE_LIMIT_PER_USER
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "username":
                failures = failures * limit // per_user
            worst = max(worst, failures)
        return worst


def lockout_remaining(username: str | None) -> timedelta | None:
    """How long the lockout of `username` still lasts: None when only an administrator can
    lift it. Counted from its latest counted failure, so it never ends sooner than shown."""
    cool_off = get_cool_off()
    if cool_off is None:
        return None
    latest = AccessAttempt.objects.filter(username=username).aggregate(latest=Max("attempt_time"))["latest"]
    if latest is None:
        return cool_off
    return max(latest + cool_off - timezone.now(), timedelta(minutes=1))


def lockout_message(username: str | None) -> str:
    remaining = lockout_remaining(username)
    if remaining is None:
        return "บัญชีนี้ถูกระงับการเข้าสู่ระบบ เนื่องจากใส่รหัสผ่านผิดหลายครั้ง กรุณาติดต่อผู้ดูแลระบบเพื่อขอปลดการระงับ"
    return (
        "บัญชีนี้ถูกระงับการเข้าสู่ระบบชั่วคราว เนื่องจากใส่รหัสผ่านผิดหลายครั้ง "
        f"กรุณาลองใหม่ในอีก {thai_duration(remaining)} หรือติดต่อผู้ดูแลระบบ"
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page the user was on (ours or the admin's), its form
    carrying the lockout message instead of "wrong password", with status 429."""
    message = lockout_message(get_client_username(request, credentials))
    status = 429  # Too Many Requests: the form was fine, the attempts were too many
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return JsonResponse({"detail": message}, status=status)
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if not isinstance(original_response, TemplateResponse) or form is None:
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    form.errors.clear()
    form.add_error(None, message)
    response = TemplateResponse(
        request,
        original_response.template_name,  # type: ignore[arg-type]
        context,
        status=status,
        using=original_response.using,
    )
    add_never_cache_headers(response)
    return response.render()
