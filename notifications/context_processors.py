from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread(request: HttpRequest) -> dict[str, object]:
    """`notifications_unread` for the page header. Lazy, so pages that do not show it
    (the admin, API error pages) cost no query."""
    user = getattr(request, "user", None)
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}
