from __future__ import annotations

from typing import Any

from django import template

from directory.selectors import positions_of_user
from documents.thai import to_thai_digits
from letters.selectors import LIST_CAP, letter_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_count(context: Any) -> str:
    """What the signed-in official's inbox holds, for the menu ("กล่องงาน (๓)"): memo tasks
    and circular items, counted as the inbox lists them and capped like it."""
    from workflow.selectors import menu_count

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    # Drawn twice on a page (top bar, phone menu): counted once per request.
    cached = getattr(request, "_saraban_inbox_count", None)
    if cached is None:
        positions = getattr(request, "_saraban_positions", None)
        if positions is None:
            positions = positions_of_user(user=user)
            request._saraban_positions = positions  # type: ignore[union-attr]
        # One query for the received letters, whose waiting count the menu's "หนังสือรับ (๒)"
        # (letters' own tag, drawn after this one) reads from the request.
        letters = getattr(request, "_saraban_letter_counts", None) or letter_counts(
            user=user, posts=[p.pk for p, _c in positions]
        )
        request._saraban_letters_waiting = letters.waiting  # type: ignore[union-attr]
        cached = menu_count(
            user=user,
            positions=positions,
            letters=min(letters.to_act, LIST_CAP) + min(letters.waiting, LIST_CAP) + min(letters.outgoing, LIST_CAP),
        )
        request._saraban_inbox_count = cached  # type: ignore[union-attr]
    count, capped = cached
    if not count:
        return ""
    return f" ({to_thai_digits(count)}{'+' if capped else ''})"
