"""Reads of memos: their documents, their history and the task queues. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from directory.models import CAPACITY_WORDING, Capacity
from directory.selectors import positions_of_user
from documents.thai import to_thai_digits

from .models import EventAction, ItemStyle, Memo, MemoEvent, Secrecy, Urgency


def item_labels(items: list[tuple[int, str]]) -> list[str]:
    """Labels for (level, style) items: numbered "๑." and "๔.๑", bullets "-", paragraphs ""."""
    counters: list[int] = []
    labels = []
    for level, style in items:
        if style == ItemStyle.BULLET:
            labels.append("-")
            continue
        if style == ItemStyle.PARAGRAPH:
            labels.append("")
            continue
        del counters[level + 1 :]
        while len(counters) <= level:
            counters.append(0)
        counters[level] += 1
        numbers = [to_thai_digits(n) for n in counters[: level + 1]]
        labels.append(".".join(numbers) + ("." if level == 0 else ""))
    return labels


def memo_unit_line(memo: Memo) -> str:
    return f"{memo.unit.name} ({memo.phone})" if memo.phone else memo.unit.name


def memo_closing(memo: Memo) -> str:
    from .wording import compose_closing

    return compose_closing([(p.number, p.ask) for p in memo.proposals.all()], authority=memo.authority)


def memo_events(memo: Memo) -> list[MemoEvent]:
    return list(memo.events.select_related("position").order_by("seq"))


def memo_document_data(*, memo: Memo, upto_seq: int | None = None) -> Any:
    """The memo as it stands on paper (after event `upto_seq`, or now)."""
    from documents.data import Block, Endorsement, MemoDoc, Receipt, Section, Signature

    events = [e for e in memo_events(memo) if upto_seq is None or e.seq <= upto_seq]
    # Only what happened since the last (re)submission is on the current paper; earlier
    # rounds stay in the history and in earlier document versions.
    last_round = max(
        (i for i, e in enumerate(events) if e.action in (EventAction.SUBMIT, EventAction.RESUBMIT)), default=0
    )
    current = events[last_round:]
    sign_event = next((e for e in reversed(current) if e.action == EventAction.SIGN), None)
    signature = None
    if sign_event is not None and sign_event.signature_lines:
        lines = list(sign_event.signature_lines)
        signature = Signature(lines[0], tuple(lines[1:]))
    receipts = tuple(
        Receipt(e.payload.get("unit_short", ""), int(e.payload.get("receive_number", 0)), e.created_at)
        for e in current
        if e.action == EventAction.RECEIVE
    )
    endorsements = []
    for e in current:
        if e.action not in (EventAction.FORWARD, EventAction.DECIDE) or not e.signature_lines:
            continue
        if e.action == EventAction.FORWARD:
            kind = "note"
            text_lines = tuple(line for line in e.text.splitlines() if line.strip())
        else:
            kind = "decision"
            text_lines = tuple(f"- {line}" for line in e.payload.get("lines", e.text.splitlines()))
        sig = Signature(e.signature_lines[0], tuple(e.signature_lines[1:]))
        endorsements.append(Endorsement(kind, text_lines, sig, timezone.localtime(e.created_at).date()))
    sections = []
    for section in memo.sections.prefetch_related("items"):
        items = list(section.items.all())
        labels = item_labels([(i.level, i.style) for i in items])
        blocks = tuple(Block(i.text, label, i.level) for i, label in zip(items, labels, strict=True))
        sections.append(Section(section.heading, section.intro, blocks))
    proposals = tuple(p.text for p in memo.proposals.all())
    return MemoDoc(
        unit_line=memo_unit_line(memo),
        number=memo.number,
        date=memo.dated,
        subject=memo.subject,
        addressee=memo.addressee.addressee,
        sections=tuple(sections),
        proposals=proposals,
        closing=memo_closing(memo),
        signature=signature,
        urgency=str(Urgency(memo.urgency).label) if memo.urgency else "",
        secrecy=str(Secrecy(memo.secrecy).label) if memo.secrecy else "",
        attachments=tuple(a.title for a in memo.attachments.all()),
        receipts=receipts,
        endorsements=tuple(endorsements),
    )


def memo_holder(memo: Memo) -> tuple[Any, Any] | None:
    """Which post holds the memo now and since when (the open task), for "where is it now"."""
    from workflow.models import TaskLink

    link = TaskLink.objects.filter(memo=memo, is_open=True).select_related("position", "task__owner__official").first()
    if link is None:
        return None
    return link, link.created_at


@dataclass(frozen=True)
class TaskFilter:
    """What an official may narrow a queue by: subject or number, originating unit, memo state."""

    text: str = ""
    unit_id: int | None = None
    state: str = ""

    def apply(self, queryset: Any) -> Any:
        from django.db.models import Q

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


def _inbox_streams(user: Any, posts: Any, filters: TaskFilter) -> tuple[Any, Any]:
    """The inbox ("mine") as two disjoint streams, each walked in display order by its own partial index
    (owner; post): an OR across them makes PostgreSQL sort every open task (bench/,
    benchmark 2). A post's task belongs to whoever acts for the post today, never to a former
    holder who still owns it; only tasks of no post (the drafter's revise) go by owner."""
    from workflow.models import TaskLink

    open_links = filters.apply(TaskLink.objects.filter(is_open=True))
    return open_links.filter(owner=user, position__isnull=True), open_links.filter(position_id__in=list(posts))


def inbox_task_count(*, user: Any) -> tuple[int, bool]:
    """How many open tasks `user`'s inbox holds (capped at COUNT_CAP) and whether it is
    capped: the menu's "กล่องงาน (๓)". Three small queries."""
    posts = [p.pk for p, _ in positions_of_user(user=user)]
    owned, of_posts = _inbox_streams(user, posts, TaskFilter())
    total = _capped_count(owned) + _capped_count(of_posts)
    return min(total, COUNT_CAP), total > COUNT_CAP


def inbox_tasks(*, user: Any, filters: TaskFilter | None = None, page: int = 1) -> TaskPage:
    """Open memo tasks for `user`: owned, or of a post they act for today (marked acting).

    Most urgent first, then oldest. A fixed number of queries whatever the length: the
    user's posts, three counts, the page's keys from each stream, and one page of tasks with
    everything a row shows.
    """
    from workflow.models import TaskLink
    from workflow.nodes import task_execute_url

    acting = {p.pk: c for p, c in positions_of_user(user=user)}
    owned, of_posts = _inbox_streams(user, acting, filters or TaskFilter())
    total, pages, page, capped = _page_bounds(_capped_count(owned) + _capped_count(of_posts), page)
    end = page * PAGE_SIZE
    order = ("-urgency", "created_at", "pk")
    keys = {
        pk: (-urgency, created, pk)
        for stream in (owned, of_posts)
        for pk, urgency, created in stream.order_by(*order).values_list("pk", "urgency", "created_at")[:end]
    }
    wanted = sorted(keys, key=keys.__getitem__)[end - PAGE_SIZE : end]
    by_pk = TaskLink.objects.select_related("memo__unit", "position", "task", "task__process").in_bulk(wanted)
    result = TaskPage([by_pk[pk] for pk in wanted], total, page, pages, capped)
    for row in result.rows:
        capacity = acting.get(row.position_id) if row.position_id else None
        # Only acting capacities are marked; a holder's own tasks need no label.
        row.acting_wording = CAPACITY_WORDING.get(Capacity(capacity), "") if capacity else ""
        row.execute_url = task_execute_url(row.task)
    return result


def unit_queue(*, user: Any, filters: TaskFilter | None = None, page: int = 1) -> TaskPage | None:
    """Open tasks of posts in the clerk's unit (or booked in by it), for the unit's clerks."""

    from workflow.models import TaskLink

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
        row.execute_url = ""  # clerks follow the memo; the task belongs to the post's holder
    return result
