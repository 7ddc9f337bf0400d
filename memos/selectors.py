"""Reads of memos: their documents, their history and the task queues. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from documents.data import Block, Endorsement, MemoDoc, Receipt, Section, Signature
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
