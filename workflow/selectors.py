"""Reads of the task side: where a memo is now, the inbox and the unit's queue.

Everything a person must act on is a task of a flow, so the queues live with the flows, above
the domain apps whose objects they list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse

from directives.models import (
    Directive,
    DirectiveState,
    Distribution,
    DistributionState,
    FollowUpReport,
    ReportStatus,
)
from directory.models import CAPACITY_WORDING, Capacity
from directory.selectors import positions_of_user
from documents.thai import to_thai_digits
from letters.selectors import letter_work_count
from memos.flow_hooks import Holder
from memos.models import EventAction, MemoEvent, Secrecy, Urgency

from .models import TaskKind, TaskLink
from .nodes import task_execute_url, user_acts_for_task


def memo_holders(memo_ids: list[int], user: Any = None) -> dict[int, Holder]:
    """Which post holds each memo now and since when (its open task), for "where is it now";
    with `user`, the task's page where that user acts for it. memos' screens ask for this
    through memos.flow_hooks (registered in WorkflowConfig.ready())."""
    links = TaskLink.objects.filter(memo_id__in=memo_ids, is_open=True).select_related(
        "position", "task__owner__official"
    )
    holders = {}
    for link in links:
        url = ""
        if user is not None and user_acts_for_task(user, link.task, link):
            url = str(link.task.reverse("execute"))
        holders[link.memo_id] = Holder(
            position=link.position,
            owner=link.task.owner,
            since=link.created_at,
            task_url=url,
            task_id=link.task_id,
            kind=link.kind,
        )
    return holders


@dataclass(frozen=True)
class TaskFilter:
    """What an official may narrow a queue by: subject or number, originating unit, memo state."""

    text: str = ""
    unit_id: int | None = None
    state: str = ""

    def apply(self, queryset: Any) -> Any:
        text = self.text.strip()
        if text:
            # Numbers are printed in Thai digits; accept either kind of digit in the search.
            thai = to_thai_digits(text)
            queryset = queryset.filter(
                Q(memo__subject__icontains=text) | Q(memo__number__icontains=text) | Q(memo__number__icontains=thai)
            )
        if self.unit_id:
            queryset = queryset.filter(memo__unit_id=self.unit_id)
        if self.state:
            queryset = queryset.filter(memo__state=self.state)
        return queryset


PAGE_SIZE = 50
# Counting stops here: "more than 10,000" is all a person needs, and counting every open task
# of a very busy post costs more than the page itself (bench/, benchmark 2).
COUNT_CAP = 10_000


@dataclass
class TaskPage:
    rows: list[Any]
    total: int
    page: int
    pages: int
    capped: bool = False


def _capped_count(queryset: Any) -> int:
    return int(queryset.order_by()[: COUNT_CAP + 1].count())


def _page_bounds(total: int, page: int) -> tuple[int, int, int, bool]:
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    pages = max(1, -(-total // PAGE_SIZE))
    return total, pages, min(max(1, page), pages), capped


def _page(queryset: Any, page: int) -> TaskPage:
    total, pages, page, capped = _page_bounds(_capped_count(queryset), page)
    rows = list(queryset[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return TaskPage(rows, total, page, pages, capped)


def _inbox_streams(user: Any, posts: Any, filters: TaskFilter) -> list[Any]:
    """The inbox ("mine") as disjoint streams, each walked in display order by its own partial
    index (owner; post; unit): an OR across them makes PostgreSQL sort every open task
    (bench/, benchmark 2). A post's task belongs to whoever acts for the post today, never to
    a former holder who still owns it; only tasks of no post (the drafter's revise) go by
    owner; a memo waiting to be booked in belongs to the receiving office's clerks."""
    open_links = filters.apply(TaskLink.objects.filter(is_open=True))
    streams = [
        open_links.filter(owner=user, position__isnull=True),
        open_links.filter(position_id__in=list(posts)).exclude(kind=TaskKind.BOOK_IN),
    ]
    official = getattr(user, "official", None)
    if official is not None and official.is_clerk:
        streams.append(
            open_links.filter(registering_unit_id=official.unit_id, kind=TaskKind.BOOK_IN, secrecy=Secrecy.NORMAL)
        )
    return streams


def _last_returns(memo_ids: list[int]) -> dict[int, MemoEvent]:
    """The latest return of each memo (who sent it back and why), in one query."""
    if not memo_ids:
        return {}
    latest: dict[int, MemoEvent] = {}
    for event in MemoEvent.objects.filter(memo_id__in=memo_ids, action=EventAction.RETURN).order_by("memo_id", "seq"):
        latest[event.memo_id] = event
    return latest


def inbox_task_count(*, user: Any, posts: list[int] | None = None) -> tuple[int, bool]:
    """How many open memo tasks `user`'s inbox holds (capped at COUNT_CAP) and whether it is
    capped. One small query per stream."""
    if posts is None:
        posts = [p.pk for p, _ in positions_of_user(user=user)]
    total = sum(_capped_count(stream) for stream in _inbox_streams(user, posts, TaskFilter()))
    return min(total, COUNT_CAP), total > COUNT_CAP


def inbox_tasks(
    *, user: Any, filters: TaskFilter | None = None, page: int = 1, positions: list[Any] | None = None
) -> TaskPage:
    """Open memo tasks for `user`: owned, or of a post they act for today (marked acting).

    Most urgent first, then oldest. A fixed number of queries whatever the length: the
    user's posts, three counts, the page's keys from each stream, and one page of tasks with
    everything a row shows.
    """

    if positions is None:
        positions = positions_of_user(user=user)
    acting = {p.pk: c for p, c in positions}
    streams = _inbox_streams(user, acting, filters or TaskFilter())
    total, pages, page, capped = _page_bounds(sum(_capped_count(stream) for stream in streams), page)
    end = page * PAGE_SIZE
    order = ("-urgency", "created_at", "pk")
    keys = {
        pk: (-urgency, created, pk)
        for stream in streams
        for pk, urgency, created in stream.order_by(*order).values_list("pk", "urgency", "created_at")[:end]
    }
    wanted = sorted(keys, key=keys.__getitem__)[end - PAGE_SIZE : end]
    by_pk = TaskLink.objects.select_related("memo__unit", "position", "task", "task__process").in_bulk(wanted)
    result = TaskPage([by_pk[pk] for pk in wanted], total, page, pages, capped)
    returns = _last_returns([row.memo_id for row in result.rows if row.kind == TaskKind.REVISE])
    for row in result.rows:
        row.returned = returns.get(row.memo_id)
        capacity = acting.get(row.position_id) if row.position_id and row.kind != TaskKind.BOOK_IN else None
        # Only acting capacities are marked; a holder's own tasks need no label.
        row.acting_wording = CAPACITY_WORDING.get(Capacity(capacity), "") if capacity else ""
        row.execute_url = task_execute_url(row.task)
    return result


def unit_queue(*, user: Any, filters: TaskFilter | None = None, page: int = 1) -> TaskPage | None:
    """Open tasks of posts in the clerk's unit (or booked in by it), for the unit's clerks."""

    official = getattr(user, "official", None)
    if official is None or not official.is_clerk:
        return None
    unit = official.unit
    # The office that books the memo in for a post (or the memo's own unit for the drafter's
    # revision) sees the task in its queue; secret memos are for named officials only.
    queryset = (
        TaskLink.objects.filter(is_open=True, registering_unit=unit, secrecy=Secrecy.NORMAL)
        .select_related("memo__unit", "position", "task", "task__owner__official")
        .order_by("-urgency", "created_at", "pk")
    )
    result = _page((filters or TaskFilter()).apply(queryset), page)
    for row in result.rows:
        # Clerks follow the memo; the task belongs to the post's holder, except booking in,
        # which is the clerks' own.
        row.execute_url = task_execute_url(row.task) if row.kind == TaskKind.BOOK_IN else ""
    return result


# --- Circulars in the same inbox ------------------------------------------------------------


@dataclass
class CircularItem:
    """One thing to do about a circular, shaped like a task row: what, about what, since when."""

    kind: str
    label: str
    number: str
    subject: str
    sender: str
    since: Any
    urgency: int
    url: str

    @property
    def urgency_label(self) -> str:
        return str(Urgency(self.urgency).label)


CIRCULAR_CAP = 200  # per kind; the circulars list shows the rest
DISTRIBUTION_WORK = {
    DistributionState.SENT: "ลงทะเบียนรับหนังสือเวียน",
    DistributionState.RECEIVED: "รับทราบหนังสือเวียน",
    DistributionState.ACKNOWLEDGED: "รายงานผลตามหนังสือเวียน",
}


def _circular_sources(user: Any, posts: list[int] | None = None) -> tuple[Any, Any, Any]:
    """What waits for `user` about circulars, as three querysets: circulars to sign (the
    signer's post), copies to book in, acknowledge or report on (the receiving unit's clerks),
    and reports to accept (the issuing unit's clerks and the circular's author)."""
    if posts is None:
        posts = [p.pk for p, _c in positions_of_user(user=user)]
    to_sign = Directive.objects.filter(state=DirectiveState.AWAITING_SIGNATURE, signing_position_id__in=posts)
    official = getattr(user, "official", None)
    owing = Distribution.objects.none()
    reviews = FollowUpReport.objects.none()
    if official is not None:
        if official.is_clerk:
            owing = Distribution.objects.filter(unit_id=official.unit_id, state__in=list(DISTRIBUTION_WORK)).exclude(
                state=DistributionState.ACKNOWLEDGED, directive__report_required=False
            )
        reviews = FollowUpReport.objects.filter(
            status=ReportStatus.SUBMITTED, distribution__directive__unit_id=official.unit_id
        )
        if not official.is_clerk:
            reviews = reviews.filter(distribution__directive__created_by=user)
    return to_sign, owing, reviews


def circular_count(*, user: Any, posts: list[int] | None = None) -> int:
    """How many circular items the inbox lists (each kind capped like the list)."""
    return sum(
        min(_capped_count(source), CIRCULAR_CAP)
        for source in _circular_sources(user, posts)
        if source.query.is_empty() is False
    )


def menu_count(*, user: Any, positions: list[Any] | None = None, letters: int | None = None) -> tuple[int, bool]:
    """The menu's "กล่องงาน (๓)": memo tasks, circular items and received letters, as the inbox
    lists them (`letters`: their count, when the caller has it already)."""
    posts = [p.pk for p, _ in (positions if positions is not None else positions_of_user(user=user))]
    tasks, capped = inbox_task_count(user=user, posts=posts)
    if letters is None:
        letters = letter_work_count(user=user, posts=posts)
    return tasks + circular_count(user=user, posts=posts) + letters, capped


def circular_work(*, user: Any, posts: list[int] | None = None) -> list[CircularItem]:
    """Circulars waiting for `user`, most urgent first, then oldest; one query per kind."""
    to_sign, owing, reviews = _circular_sources(user, posts)
    items: list[CircularItem] = []
    for d in to_sign.select_related("unit").order_by("created_at")[:CIRCULAR_CAP]:
        url = reverse("memos:directive_detail", args=[d.pk])
        sender = d.unit.short_name or d.unit.name
        items.append(CircularItem("sign", "ลงนามหนังสือเวียน", d.number, d.subject, sender, d.created_at, d.urgency, url))
    for dist in owing.select_related("directive__unit").order_by("sent_at")[:CIRCULAR_CAP]:
        directive = dist.directive
        url = reverse("memos:distribution_detail", args=[dist.pk])
        sender = directive.unit.short_name or directive.unit.name
        label = DISTRIBUTION_WORK[DistributionState(dist.state)]
        items.append(
            CircularItem(
                dist.state, label, directive.number, directive.subject, sender, dist.sent_at, directive.urgency, url
            )
        )
    for report in reviews.select_related("distribution__unit", "distribution__directive").order_by("submitted_at")[
        :CIRCULAR_CAP
    ]:
        directive = report.distribution.directive
        url = reverse("memos:distribution_detail", args=[report.distribution_id])
        items.append(
            CircularItem(
                "review",
                "ตรวจรับรายงานผล",
                directive.number,
                directive.subject,
                report.distribution.unit.name,
                report.submitted_at,
                directive.urgency,
                url,
            )
        )
    items.sort(key=lambda i: (-i.urgency, i.since))
    return items
