"""Who may see or act on an outgoing letter. Every view asks here, and only here; unknown
and forbidden look the same (404).

- the drafter, the posts on its chain once it reached them (the post holding it now, the
  signing post, whoever acted on it) see it;
- the issuing unit's staff see its ordinary letters (ลับ and above: only the people named);
- acting (edit, review, sign, send) is the service's to refuse in Thai, with the state.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from directory.selectors import positions_of_user

from .outgoing_models import OutgoingLetter

ACTIONS = ("view", "edit", "act", "send")


def outgoing_visible_to(user: Any) -> QuerySet[OutgoingLetter]:
    if not getattr(user, "is_authenticated", False):
        return OutgoingLetter.objects.none()
    official = getattr(user, "official", None)
    positions = [p.pk for p, _capacity in positions_of_user(user=user)]
    named = Q(drafted_by=user) | Q(current_position__in=positions) | Q(events__actor=user)
    named |= Q(signing_position__in=positions) & ~Q(state="draft")
    open_q = named
    if official is not None:
        open_q |= Q(unit=official.unit)
    if user.is_superuser:
        open_q |= Q(pk__isnull=False)
    visible = (Q(secrecy=0) & open_q) | (Q(secrecy__gt=0) & named)
    return OutgoingLetter.objects.filter(pk__in=OutgoingLetter.objects.filter(visible).values("pk"))


def outgoing_get_for_user(*, user: Any, letter_id: int, action: str = "view") -> OutgoingLetter:
    """The letter if `user` may see it (and, for "edit", is its drafter); 404 otherwise."""
    if action not in ACTIONS:
        raise ValueError(action)
    letter = (
        outgoing_visible_to(user)
        .select_related("unit", "signing_position", "current_position", "recipient_agency", "in_reply_to")
        .filter(pk=letter_id)
        .first()
    )
    if letter is None:
        raise Http404("ไม่พบหนังสือส่ง")
    if action == "edit" and letter.drafted_by_id != user.pk:
        raise Http404("ไม่พบหนังสือส่ง")
    return letter
