"""Who may see or act on a memo. Every view and API endpoint asks here, and only here.

Unknown and forbidden look the same (404), so a clerk of another unit cannot even learn
that a memo exists.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce
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


@dataclass(frozen=True)
class _Way:
    """One way a person reaches a memo: lookups on Memo (through a related table when
    `joined`), and whether it reaches ลับ / ลับมาก memos too (being named on the route)."""

    lookups: dict[str, Any]
    named: bool
    joined: bool = False


def _ways(user: Any) -> list[_Way]:
    official = _official(user)
    positions = _positions(user)
    # Named on the route: they drafted it, were given or took over a task on it, or a task of
    # a post they act for today reached it (so an acting holder sees what reached the post).
    ways = [
        _Way({"drafted_by": user}, named=True),
        _Way({"task_links__owner": user}, named=True, joined=True),
    ]
    if positions:
        ways.append(_Way({"task_links__position__in": positions}, named=True, joined=True))
    if official is not None:
        ways += [
            _Way({"unit": official.unit_id}, named=False),
            # A unit a circular was sent to reads the decided memo it passes on.
            _Way({"directives__distributions__unit": official.unit_id}, named=False, joined=True),
        ]
        if official.is_clerk:
            # The office that booked the memo in for one of its posts, or must book it in now.
            ways += [
                _Way(
                    {"register_entries__unit": official.unit_id, "register_entries__series": "receive"},
                    named=False,
                    joined=True,
                ),
                _Way(
                    {"task_links__registering_unit": official.unit_id, "task_links__is_open": True},
                    named=False,
                    joined=True,
                ),
            ]
    return ways


def memos_visible_to(user: Any) -> QuerySet[Memo]:
    if not getattr(user, "is_authenticated", False):
        return Memo.objects.none()

    def condition(way: _Way) -> Q:
        # Each way in through a related table is its own indexed semi-join (id IN (...)), so
        # the memo table is read without joins and without duplicates, and a search or a list
        # can use the whole as a subquery on ids.
        return Q(pk__in=Memo.objects.filter(**way.lookups).values("pk")) if way.joined else Q(**way.lookups)

    ways = _ways(user)
    named = reduce(operator.or_, (condition(w) for w in ways if w.named))
    open_q = reduce(operator.or_, (condition(w) for w in ways if not w.named), named)
    if user.is_superuser:
        open_q = Q(pk__isnull=False)
    # ลับ / ลับมาก: only the drafter and the officials named on its route.
    visible = (Q(secrecy=0) & open_q) | (Q(secrecy__gt=0) & named)
    return Memo.objects.filter(visible)


def memo_ids_visible_to(user: Any) -> list[int] | None:
    """The ids memos_visible_to(user) holds, read one way at a time (a UNION of index scans)
    instead of one pass over every memo testing every way: a search at 1,000,000 memos lists
    a clerk's ~10,000 this way. None when there are too many to list (an administrator, who
    may open every memo but a secret one): ask memos_visible_to row by row instead."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return None
    arms = [
        Memo.objects.filter(**way.lookups, **({} if way.named else {"secrecy": 0}))
        .order_by()
        .values_list("pk", flat=True)
        for way in _ways(user)
    ]
    return list(arms[0].union(*arms[1:]))


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
