"""Reads of received letters for the screens and the inbox: always through letters.access."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Func, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .access import incoming_visible_to
from .models import IncomingLetter, IncomingState
from .outgoing_models import OutgoingLetter
from .outgoing_selectors import outgoing_work_q

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
    return (
        IncomingLetter.objects.filter(_to_act_q(user, posts))
        .select_related("holder_unit", "holder_position")
        .order_by("-urgency", "received_at", "pk")
    )


def _to_act_q(user: Any, posts: list[int]) -> Q:
    held = Q(holder_position_id__in=posts)
    official = _official(user)
    if official is not None:
        unit_wide = Q(holder_position__isnull=True, holder_unit_id=official.unit_id)
        if not official.is_clerk:
            unit_wide &= ~Q(unit_id=official.unit_id)
        held |= unit_wide & Q(secrecy=0)
    return held & Q(state__in=ACTIVE_STATES)


def _waiting_q(user: Any) -> Q | None:
    official = _official(user)
    if official is None or not official.is_clerk:
        return None
    return Q(unit_id=official.unit_id, state=IncomingState.WAITING)


def inbox_letters(*, user: Any, posts: list[int]) -> tuple[list[IncomingLetter], list[IncomingLetter]]:
    """The inbox's received letters in one query: (to act on, to book in)."""
    wanted = _to_act_q(user, posts)
    waiting = _waiting_q(user)
    if waiting is not None:
        wanted |= waiting
    rows = list(
        IncomingLetter.objects.filter(wanted)
        .select_related("holder_unit", "holder_position")
        .order_by("-urgency", "received_at", "created_at", "pk")[: 2 * LIST_CAP]
    )
    act = [r for r in rows if r.state != IncomingState.WAITING][:LIST_CAP]
    book = [r for r in rows if r.state == IncomingState.WAITING][:LIST_CAP]
    return act, book


@dataclass(frozen=True)
class LetterCounts:
    to_act: int
    waiting: int
    outgoing: int = 0  # external letters to review, sign, revise or send

    @property
    def total(self) -> int:
        return self.to_act + self.waiting + self.outgoing


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """SELECT COUNT(*) of `queryset` as a scalar subquery (a Func, not an aggregate: no GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1]), Value(0))


def letter_counts(*, user: Any, posts: list[int]) -> LetterCounts:
    """For the menu, in one query: received letters to act on, (clerks) items waiting to be
    booked in, and external letters to review, sign, revise or send."""
    if not getattr(user, "is_authenticated", False):
        return LetterCounts(to_act=0, waiting=0)
    waiting = _waiting_q(user)
    counts: Any = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            to_act=_count(IncomingLetter.objects.filter(_to_act_q(user, posts))),
            waiting=_count(IncomingLetter.objects.filter(waiting)) if waiting is not None else Value(0),
            outgoing=_count(OutgoingLetter.objects.filter(outgoing_work_q(user=user, posts=posts))),
        )
        .first()
    ) or {}
    return LetterCounts(
        to_act=counts.get("to_act") or 0, waiting=counts.get("waiting") or 0, outgoing=counts.get("outgoing") or 0
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
    """What the inbox lists about letters: received ones to act on and (clerks) to book in,
    external letters to review, sign, revise or send."""
    counts = letter_counts(user=user, posts=posts)
    return min(counts.to_act, LIST_CAP) + min(counts.waiting, LIST_CAP) + min(counts.outgoing, LIST_CAP)
