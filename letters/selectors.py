"""Reads of received letters for the screens and the inbox: always through letters.access."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .access import incoming_visible_to
from .models import IncomingLetter, IncomingState

ACTIVE_STATES = (IncomingState.BOOKED, IncomingState.ROUTED)
LIST_CAP = 200


def _official(user: Any) -> Any:
    return getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None


def letters_for_user(*, user: Any, state: str = "", text: str = "") -> QuerySet[IncomingLetter]:
    """The list "หนังสือรับ": letters of the user's unit (clerks), held by their unit or post,
    or that passed through them; newest first."""
    rows = incoming_visible_to(user).select_related("holder_unit", "holder_position", "sender_agency")
    if state in IncomingState.values:
        rows = rows.filter(state=state)
    text = text.strip()
    if text:
        words = Q()
        for word in text.split()[:5]:
            words &= (
                Q(subject__icontains=word)
                | Q(sender_name__icontains=word)
                | Q(their_number__icontains=word)
                | Q(text__icontains=word)
            )
        rows = rows.filter(words)
    return rows.order_by("-created_at", "-pk")


def letters_to_act(*, user: Any, posts: list[int]) -> QuerySet[IncomingLetter]:
    """Booked letters the user must act on now: held by one of their posts, or passed to
    their unit as a whole (its clerks; outside the receiving unit, its officials). The same
    rule as letters.access.incoming_may, as a query."""
    held = Q(holder_position_id__in=posts)
    official = _official(user)
    if official is not None:
        unit_wide = Q(holder_position__isnull=True, holder_unit_id=official.unit_id)
        if not official.is_clerk:
            unit_wide &= ~Q(unit_id=official.unit_id)
        held |= unit_wide & Q(secrecy=0)
    return (
        IncomingLetter.objects.filter(held, state__in=ACTIVE_STATES)
        .select_related("holder_unit", "holder_position")
        .order_by("-urgency", "received_at", "pk")
    )


def waiting_for_clerk(*, user: Any) -> QuerySet[IncomingLetter]:
    """Items from e-mail and e-CMS waiting to be booked in by the user's unit's clerks."""
    official = _official(user)
    if official is None or not official.is_clerk:
        return IncomingLetter.objects.none()
    return IncomingLetter.objects.filter(unit_id=official.unit_id, state=IncomingState.WAITING).order_by(
        "-urgency", "created_at", "pk"
    )


def waiting_count(*, user: Any) -> int:
    official = _official(user)
    if official is None or not official.is_clerk:
        return 0
    return waiting_for_clerk(user=user)[: LIST_CAP + 1].count()


def letter_work_count(*, user: Any, posts: list[int]) -> int:
    """What the inbox lists about received letters: to act on, and (clerks) to book in."""
    return letters_to_act(user=user, posts=posts)[:LIST_CAP].count() + min(waiting_count(user=user), LIST_CAP)
