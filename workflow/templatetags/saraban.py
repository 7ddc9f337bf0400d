from __future__ import annotations

from typing import Any

from django import template

from documents.thai import to_thai_digits

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_count(context: Any) -> str:
    """Open tasks of the signed-in official, for the menu ("กล่องงาน (๓)"), counted as the
    inbox counts them and capped like it."""
    from workflow.selectors import inbox_task_count

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    # Drawn twice on a page (top bar, phone menu): counted once per request.
    cached = getattr(request, "_saraban_inbox_count", None)
    if cached is None:
        cached = inbox_task_count(user=user)
        request._saraban_inbox_count = cached  # type: ignore[union-attr]
    count, capped = cached
    if not count:
        return ""
    return f" ({to_thai_digits(count)}{'+' if capped else ''})"
