from __future__ import annotations

from typing import Any

from django import template

from documents.thai import to_thai_digits

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_count(context: Any) -> str:
    """Open tasks of the signed-in official, for the menu ("กล่องงาน (๓)"); two small queries."""
    from django.db.models import Q

    from memos.selectors import positions_of_user
    from workflow.models import TaskLink

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    posts = [p.pk for p, _ in positions_of_user(user=user)]
    count = TaskLink.objects.filter(is_open=True).filter(Q(owner=user) | Q(position_id__in=posts)).count()
    return f" ({to_thai_digits(count)})" if count else ""
