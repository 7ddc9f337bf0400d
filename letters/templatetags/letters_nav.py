from __future__ import annotations

from typing import Any

from django import template

from documents.thai import to_thai_digits
from letters.selectors import LIST_CAP, waiting_count

register = template.Library()


@register.simple_tag(takes_context=True)
def letters_waiting(context: Any) -> str:
    """The menu's "หนังสือรับ (๒)": items waiting to be booked in, for the unit's clerks only.
    Drawn twice on a page (top bar, phone menu): counted once per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    cached = getattr(request, "_saraban_letters_waiting", None)
    if cached is None:
        cached = waiting_count(user=user)
        request._saraban_letters_waiting = cached  # type: ignore[union-attr]
    if not cached:
        return ""
    return f" ({to_thai_digits(min(cached, LIST_CAP))}{'+' if cached > LIST_CAP else ''})"
