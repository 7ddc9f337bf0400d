"""Who may see or act on a memo. Every view and API endpoint asks here, and only here.

Unknown and forbidden look the same (404), so a clerk of another unit cannot even learn
that a memo exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from directory.selectors import positions_of_user

from .models import Memo

ACTIONS = ("view", "edit", "submit", "withdraw")


def _official(user: Any) -> Any:
    return getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None


def _positions(user: Any) -> list[int]:
    return [p.pk for p, _capacity in positions_of_user(user=user)]


def memos_visible_to(user: Any) -> QuerySet[Memo]:
    if not getattr(user, "is_authenticated", False):
        return Memo.objects.none()
    official = _official(user)
    positions = _positions(user)

    def via(**lookups: Any) -> Q:
        # Each way in through a related table is its own indexed semi-join (id IN (...)), so
        # the memo table is read without joins and without duplicates, and a search or a list
        # can use the whole as a subquery on ids.
        return Q(pk__in=Memo.objects.filter(**lookups).values("pk"))

    # Named on the route: a task they were given or took over, or a task of a post they act
    # for today (so an acting holder sees what reached the post).
    named = Q(drafted_by=user) | via(task_links__owner=user)
    if positions:
        named |= via(task_links__position__in=positions)
    open_q = named
    if official is not None:
        open_q |= Q(unit=official.unit_id)
        # A unit a circular was sent to reads the decided memo it passes on.
        open_q |= via(directives__distributions__unit=official.unit_id)
        if official.is_clerk:
            # The office that booked the memo in for one of its posts, or must book it in now.
            open_q |= via(register_entries__unit=official.unit_id, register_entries__series="receive")
            open_q |= via(task_links__registering_unit=official.unit_id, task_links__is_open=True)
    if user.is_superuser:
        open_q = Q(pk__isnull=False)
    # ลับ / ลับมาก: only the drafter and the officials named on its route.
    visible = (Q(secrecy=0) & open_q) | (Q(secrecy__gt=0) & named)
    return Memo.objects.filter(visible)


def memo_visible_to(user: Any, memo: Memo) -> bool:
    return memos_visible_to(user).filter(pk=memo.pk).exists()


def memo_get_for_user(*, user: Any, memo_id: int, action: str = "view") -> Memo:
    """The memo if `user` may do `action` on it; 404 otherwise (never reveal existence)."""
    if action not in ACTIONS:
        raise ValueError(action)
    memo = (
        memos_visible_to(user)
        .select_related("unit", "addressee", "signing_position", "drafted_by__official")
        .filter(pk=memo_id)
        .first()
    )
    if memo is None:
        raise Http404("ไม่พบบันทึกข้อความ")
    if action == "view":
        return memo
    official = _official(user)
    same_unit = official is not None and official.unit_id == memo.unit_id
    if action in ("edit", "submit"):
        # Who may, not when: a state that forbids it (a second click on "send") is answered
        # by the service with a Thai message, not by a 404 that says the memo is gone.
        allowed = memo.drafted_by_id == user.pk or (same_unit and official.is_clerk)
    else:  # withdraw
        allowed = memo.drafted_by_id == user.pk
    if not allowed:
        raise Http404("ไม่พบบันทึกข้อความ")
    return memo
