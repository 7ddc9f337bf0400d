"""Reads of memos: their documents, their history and the task queues. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from documents.data import Block, Endorsement, MemoDoc, Receipt, Section, Signature
from documents.thai import to_thai_digits

from .flow_hooks import memo_holders
from .models import EventAction, ItemStyle, Memo, MemoEvent, MemoState, RouteStep, Secrecy, Urgency


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


def _prefetched(memo: Memo, name: str) -> bool:
    return name in getattr(memo, "_prefetched_objects_cache", {})


def memo_events(memo: Memo) -> list[MemoEvent]:
    if _prefetched(memo, "events"):  # read by memo_page already, in order
        return list(memo.events.all())
    return list(memo.events.select_related("position").order_by("seq"))


def _received_at(event: MemoEvent) -> dt.datetime:
    """When the office says the memo arrived: what its clerk recorded (a paper copy may have
    come before it was booked in), else when the event was written."""
    recorded = event.payload.get("received_at")
    return dt.datetime.fromisoformat(recorded) if recorded else event.created_at


def memo_document_data(*, memo: Memo, upto_seq: int | None = None) -> Any:
    """The memo as it stands on paper (after event `upto_seq`, or now)."""
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
        Receipt(e.payload.get("unit_short", ""), int(e.payload.get("receive_number", 0)), _received_at(e))
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
    for section in memo.sections.all() if _prefetched(memo, "sections") else memo.sections.prefetch_related("items"):
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


# --- The memo page ----------------------------------------------------------------------------

# What the memo page (and every task page, around its form) reads besides the memo row: one
# query each, whatever the number of sections, items, proposals, steps, events, attachments
# or revisions.
MEMO_PAGE_PREFETCH = (
    "sections__items",
    "proposals",
    Prefetch("route", queryset=RouteStep.objects.select_related("position")),
    Prefetch("events", queryset=MemoEvent.objects.select_related("position").order_by("seq")),
    "attachments",
    "revisions",
)


def memo_page(*, memo: Memo, user: Any) -> dict[str, Any]:
    """Everything the memo page shows, in a fixed number of queries: the memo as a readable
    page (sections with their labels, proposals, closing, signature, notes and receipts of
    the current round), its history, attachments and revisions, where it is now, and what
    `user` may do with it. `memo` is the one the access helper returned (unit, addressee and
    signing post already joined)."""
    prefetch_related_objects([memo], *MEMO_PAGE_PREFETCH)
    sections = []
    for section in memo.sections.all():
        items = list(section.items.all())
        labels = item_labels([(i.level, i.style) for i in items])
        sections.append({"section": section, "items": list(zip(items, labels, strict=True))})
    events = list(memo.events.all())
    # The paper shows the current round only (since the last sending), as the .docx does;
    # earlier rounds stay in the history table below it.
    starts = [i for i, e in enumerate(events) if e.action in (EventAction.SUBMIT, EventAction.RESUBMIT)]
    current = events[starts[-1] :] if starts else events
    signed = [e for e in current if e.action == EventAction.SIGN]
    holder = memo_holders([memo.pk], user=user).get(memo.pk)
    is_drafter = memo.drafted_by_id == user.pk
    official = getattr(user, "official", None)
    return {
        "memo": memo,
        "sections": sections,
        "proposals": list(memo.proposals.all()),
        "closing": memo_closing(memo),
        "route": list(memo.route.all()),
        "events": events,
        "signature_event": signed[-1] if signed else None,
        "notes": [e for e in current if e.action in (EventAction.FORWARD, EventAction.DECIDE, EventAction.RETURN)],
        "receipts": [e for e in current if e.action == EventAction.RECEIVE],
        "attachments": list(memo.attachments.all()),
        "revisions": list(memo.revisions.all()),
        "holder": holder,
        "open_task": {"url": holder.task_url} if holder is not None and holder.task_url else None,
        "is_drafter": is_drafter,
        "can_edit": is_drafter and memo.state in (MemoState.DRAFT, MemoState.RETURNED),
        # The originating unit passes the decision on to the units (directives app).
        "can_start_directive": memo.state in (MemoState.APPROVED, MemoState.PARTLY_APPROVED)
        and getattr(official, "unit_id", None) == memo.unit_id,
        "can_withdraw": is_drafter
        and memo.state in (MemoState.DRAFT, MemoState.AWAITING_SIGNATURE, MemoState.IN_REVIEW, MemoState.RETURNED),
        "thai": to_thai_digits,
    }


# The registers' reads moved to registers.selectors (with their screens); the old names stay
# importable from here for callers written before the move.
from registers.selectors import (  # noqa: E402, F401
    REGISTER_HEADINGS,
    SECRET_SUBJECT,
    register_entries,
    register_filename,
    register_remark,
    register_rows,
    register_subject,
)
