"""Who may see or act on a received letter. Every view, API endpoint and search result asks
here, and only here. Unknown and forbidden look the same (404).

- the receiving unit's saraban clerks see every letter of their unit (they book it in);
- a unit or post it was passed to (now or before) sees it, and so does whoever acted on it;
- ลับ and above: only the clerk while it waits to be booked in, the clerk who booked it, and
  the posts and people named on its route; never a whole unit by membership alone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from directory.selectors import positions_of_user

from .models import IncomingLetter, IncomingState

ACTIONS = ("view", "book", "route", "close")


def _official(user: Any) -> Any:
    return getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None


def _positions(user: Any) -> list[int]:
    return [p.pk for p, _capacity in positions_of_user(user=user)]


def incoming_visible_to(user: Any) -> QuerySet[IncomingLetter]:
    if not getattr(user, "is_authenticated", False):
        return IncomingLetter.objects.none()
    official = _official(user)
    positions = _positions(user)
    named = (
        Q(booked_by=user)
        | Q(holder_position__in=positions)
        | Q(events__to_position__in=positions)
        | Q(events__actor=user)
    )
    open_q = named
    secret_q = named
    if official is not None:
        open_q |= Q(holder_unit=official.unit) | Q(events__to_unit=official.unit)
        if official.is_clerk:
            open_q |= Q(unit=official.unit)
            secret_q |= Q(unit=official.unit, state=IncomingState.WAITING)
    if user.is_superuser:
        open_q |= Q(pk__isnull=False)
    visible = (Q(secrecy=0) & open_q) | (Q(secrecy__gt=0) & secret_q)
    return IncomingLetter.objects.filter(pk__in=IncomingLetter.objects.filter(visible).values("pk"))


def incoming_get_for_user(*, user: Any, letter_id: int, action: str = "view") -> IncomingLetter:
    """The letter if `user` may do `action` on it; 404 otherwise (never reveal existence).
    Whether the letter's state allows the action is the service's to say, in Thai."""
    if action not in ACTIONS:
        raise ValueError(action)
    letter = (
        incoming_visible_to(user)
        .select_related("unit", "sender_agency", "holder_unit", "holder_position")
        .filter(pk=letter_id)
        .first()
    )
    if letter is None:
        raise Http404("ไม่พบหนังสือรับ")
    if action != "view" and not incoming_may(user=user, letter=letter, action=action):
        raise Http404("ไม่พบหนังสือรับ")
    return letter


def incoming_may(*, user: Any, letter: IncomingLetter, action: str, positions: list[int] | None = None) -> bool:
    """Whether `user` may do `action` ("book", "route", "close") on a letter they can see:
    booking (and refusing a waiting item) is for the receiving unit's clerks; passing on,
    asking for a memo and filing are for the receiving unit's clerks and whoever holds the
    letter now (its post, or, passed to a unit as a whole, that unit's clerks and, outside
    the receiving unit, its officials)."""
    if action not in ACTIONS:
        raise ValueError(action)
    official = _official(user)
    clerk_here = official is not None and official.is_clerk and official.unit_id == letter.unit_id
    if action == "view":
        return True
    if action == "book":
        return clerk_here
    if positions is None:
        positions = _positions(user)
    holds = (letter.holder_position_id is not None and letter.holder_position_id in positions) or (
        official is not None
        and letter.holder_position_id is None
        and letter.holder_unit_id == official.unit_id
        and (official.is_clerk or letter.holder_unit_id != letter.unit_id)
    )
    return clerk_here or holds
