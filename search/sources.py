"""What can be found, one class per kind of document: how to read it into an index row, which
of its ids a user may open (the domain app's access helper, as a subquery), where its page is,
and which saves of which models must queue it for indexing again.

Adding a kind (outgoing letters) is one class here with `@register`. The domain apps never
import search: the signals that queue re-indexing are connected by search itself (connect()).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from directives.access import directives_visible_to
from directives.models import Directive, DirectiveState
from documents.thai import be_year
from letters.access import incoming_visible_to
from letters.models import IncomingLetter, IncomingState
from letters.outgoing_access import outgoing_visible_to
from letters.outgoing_models import OutgoingLetter, OutgoingState
from memos.access import memo_ids_visible_to, memos_visible_to
from memos.models import Memo, MemoState

from . import text

logger = logging.getLogger(__name__)


@dataclass
class Indexed:
    """The fields of one index row, as a source reads them from its document."""

    number: str = ""
    subject: str = ""
    people: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    year: int | None = None
    unit_id: int | None = None
    unit_name: str = ""
    state: str = ""
    state_label: str = ""
    secrecy: int = 0
    dated: dt.date | None = None
    source_updated_at: dt.datetime | None = None
    source_seq: int = 0


class Source:
    """One kind of searchable document."""

    kind: ClassVar[str]
    label: ClassVar[str]
    model: ClassVar[type[models.Model]]
    url_name: ClassVar[str]
    # (model, how to get the document's id from an instance of it): a save or delete of any
    # of these queues the document for indexing again.
    dependents: ClassVar[tuple[tuple[str, Callable[[Any], int | None]], ...]] = ()
    # The states a person may filter by, as (value, Thai label).
    states: ClassVar[tuple[tuple[str, str], ...]] = ()

    def objects(self) -> models.QuerySet[Any]:
        return self.model._default_manager.all()

    def read(self, obj: Any) -> Indexed:
        raise NotImplementedError

    def visible(self, user: Any) -> models.QuerySet[Any]:
        """What `user` may open: the domain app's own access helper, used as a subquery."""
        raise NotImplementedError

    def visible_ids(self, user: Any, limit: int) -> list[int] | None:
        """The ids of what `user` may open, or None when there are more than `limit` (an
        administrator): then the helper's queryset is asked row by row."""
        if getattr(user, "is_superuser", False):
            return None
        ids = list(self.visible(user).order_by().values_list("pk", flat=True)[: limit + 1])
        return ids if len(ids) <= limit else None

    def url(self, object_id: int) -> str:
        try:
            return reverse(self.url_name, args=[object_id])
        except NoReverseMatch:  # the kind's own page is not installed in this deployment
            return ""


SOURCES: dict[str, Source] = {}


def register(cls: type[Source]) -> type[Source]:
    SOURCES[cls.kind] = cls()
    return cls


def source(kind: str) -> Source:
    return SOURCES[kind]


def _date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def _files_text(rows: Iterable[Any], attribute: str = "file") -> list[str]:
    found: list[str] = []
    for row in rows:
        stored = getattr(row, attribute)
        title = getattr(row, "title", "") or ""
        if title:
            found.append(title)
        if not stored:
            continue
        try:
            with stored.open("rb") as handle:
                data = handle.read()
        except OSError:  # a file missing from storage: the row stays findable by its title
            logger.warning("search: cannot read %s", stored.name)
            continue
        extracted = text.file_text(getattr(row, "original_name", "") or stored.name, data)
        if extracted.strip():
            found.append(extracted)
    return found


@register
class MemoSource(Source):
    kind = "memo"
    label = "บันทึกข้อความ"
    url_name = "memos:memo_detail"
    dependents = (
        ("memos.Attachment", lambda a: a.memo_id),
        ("memos.MemoEvent", lambda e: e.memo_id),
        ("memos.Proposal", lambda p: p.memo_id),
    )

    model = Memo

    states = tuple((str(v), str(label)) for v, label in MemoState.choices)

    def objects(self) -> models.QuerySet[Any]:
        return (
            self.model._default_manager.select_related("unit", "addressee", "signing_position", "drafted_by")
            .prefetch_related("sections__items", "proposals", "events", "attachments")
            .order_by("pk")
        )

    def read(self, memo: Any) -> Indexed:
        body = [memo.authority]
        for section in memo.sections.all():
            body.append(section.heading)
            body.append(section.intro)
            body.extend(item.text for item in section.items.all())
        notes = []
        for proposal in memo.proposals.all():
            body.append(proposal.text)
            if proposal.ruling_note:
                notes.append(proposal.ruling_note)
        notes.extend(event.text for event in memo.events.all() if event.text)
        dated = memo.dated or _date(memo.created_at)
        return Indexed(
            number=memo.number,
            subject=memo.subject,
            people=[
                memo.unit.name,
                memo.addressee.title,
                memo.signing_position.title,
                memo.drafted_by.get_full_name(),
            ],
            body=body,
            notes=notes,
            files=_files_text(memo.attachments.all()),
            year=be_year(dated) if dated else None,
            unit_id=memo.unit_id,
            unit_name=memo.unit.name,
            state=memo.state,
            state_label=str(memo.get_state_display()),
            secrecy=memo.secrecy,
            dated=dated,
            source_updated_at=memo.updated_at,
            source_seq=memo.chain_seq,
        )

    def visible(self, user: Any) -> models.QuerySet[Any]:
        return memos_visible_to(user)

    def visible_ids(self, user: Any, limit: int) -> list[int] | None:
        # Read one way in at a time (index scans), not one pass over every memo (bench 10).
        ids = memo_ids_visible_to(user)
        return ids if ids is not None and len(ids) <= limit else None


@register
class DirectiveSource(Source):
    kind = "directive"
    label = "หนังสือเวียน"
    url_name = "memos:directive_detail"
    dependents = (("directives.DirectiveEvent", lambda e: e.directive_id),)

    model = Directive

    states = tuple((str(v), str(label)) for v, label in DirectiveState.choices)

    def objects(self) -> models.QuerySet[Any]:
        return self.model._default_manager.select_related("unit", "signing_position", "memo").order_by("pk")

    def read(self, directive: Any) -> Indexed:
        dated = directive.dated or _date(directive.created_at)
        return Indexed(
            number=directive.number,
            subject=directive.subject,
            people=[directive.unit.name, directive.signing_position.title],
            body=[directive.decision_summary, *[str(a) for a in directive.actions or []], directive.body],
            year=be_year(dated) if dated else None,
            unit_id=directive.unit_id,
            unit_name=directive.unit.name,
            state=directive.state,
            state_label=str(directive.get_state_display()),
            secrecy=0,
            dated=dated,
            source_updated_at=directive.updated_at,
            source_seq=directive.chain_seq,
        )

    def visible(self, user: Any) -> models.QuerySet[Any]:
        return directives_visible_to(user)


@register
class IncomingLetterSource(Source):
    kind = "incoming"
    label = "หนังสือรับ"
    url_name = "memos:letter_detail"
    dependents = (
        ("letters.LetterFile", lambda f: f.letter_id),
        ("letters.IncomingEvent", lambda e: e.letter_id),
    )

    model = IncomingLetter

    states = tuple((str(v), str(label)) for v, label in IncomingState.choices)

    def objects(self) -> models.QuerySet[Any]:
        return (
            self.model._default_manager.select_related("unit", "sender_agency")
            .prefetch_related("events", "files")
            .order_by("pk")
        )

    def read(self, letter: Any) -> Indexed:
        dated = letter.their_date or _date(letter.received_at) or _date(letter.created_at)
        people = [letter.sender_name, letter.addressee, letter.unit.name]
        if letter.sender_agency is not None:
            people.append(letter.sender_agency.name)
        number = letter.their_number
        body = [letter.enclosures, letter.remarks, letter.text]
        if letter.receive_number:
            body.append(f"เลขรับ {letter.receive_number}/{letter.year}")
        # The OCR text of a scan is the letter's own `text`; a file with a text layer or a
        # .docx is read here.
        files = [f for f in letter.files.all() if not f.searchable]
        return Indexed(
            number=number,
            subject=letter.subject,
            people=people,
            body=body,
            notes=[event.text for event in letter.events.all() if event.text],
            files=_files_text(files),
            year=letter.year or (be_year(dated) if dated else None),
            unit_id=letter.unit_id,
            unit_name=letter.unit.name,
            state=letter.state,
            state_label=str(letter.get_state_display()),
            secrecy=letter.secrecy,
            dated=dated,
            source_updated_at=letter.updated_at,
            source_seq=letter.chain_seq,
        )

    def visible(self, user: Any) -> models.QuerySet[Any]:
        return incoming_visible_to(user)


@register
class OutgoingLetterSource(Source):
    kind = "outgoing"
    label = "หนังสือส่ง"
    model = OutgoingLetter
    url_name = "memos:letters_out:detail"
    states = tuple((str(v), str(label)) for v, label in OutgoingState.choices)
    dependents = (
        ("letters.OutgoingFile", lambda f: f.letter_id),
        ("letters.OutgoingEvent", lambda e: e.letter_id),
    )

    def objects(self) -> models.QuerySet[Any]:
        return (
            self.model._default_manager.select_related("unit", "recipient_agency", "signing_position")
            .prefetch_related("events", "files")
            .order_by("pk")
        )

    def read(self, letter: Any) -> Indexed:
        dated = letter.dated or _date(letter.created_at)
        people = [letter.recipient_name, letter.addressee, letter.unit.name, letter.signing_position.title]
        if letter.recipient_agency is not None:
            people.append(letter.recipient_agency.name)
        return Indexed(
            number=letter.number,
            subject=letter.subject,
            people=people,
            body=[letter.body, letter.reference, letter.enclosures],
            notes=[event.text for event in letter.events.all() if event.text],
            files=_files_text(letter.files.all()),
            year=be_year(dated) if dated else None,
            unit_id=letter.unit_id,
            unit_name=letter.unit.name,
            state=letter.state,
            state_label=str(letter.get_state_display()),
            secrecy=letter.secrecy,
            dated=dated,
            source_updated_at=letter.updated_at,
            source_seq=letter.chain_seq,
        )

    def visible(self, user: Any) -> models.QuerySet[Any]:
        return outgoing_visible_to(user)


# --- Keeping the index fresh ------------------------------------------------------------


def connect() -> None:
    """Queue a document for indexing again whenever it, or a row it is read from, is saved
    or deleted. The queue row commits with the change (search.indexer.enqueue)."""
    from django.apps import apps

    from .indexer import enqueue

    for src in SOURCES.values():
        kind = src.kind

        def own(sender: Any, instance: Any, _kind: str = kind, **kwargs: Any) -> None:
            enqueue(_kind, [instance.pk])

        post_save.connect(own, sender=src.model, weak=False, dispatch_uid=f"search:{kind}:save")
        post_delete.connect(own, sender=src.model, weak=False, dispatch_uid=f"search:{kind}:delete")
        for label, owner_of in src.dependents:
            model = apps.get_model(label)

            def dependent(
                sender: Any, instance: Any, _kind: str = kind, _owner: Callable[[Any], Any] = owner_of, **kwargs: Any
            ) -> None:
                owner_id = _owner(instance)
                if owner_id:
                    enqueue(_kind, [owner_id])

            post_save.connect(dependent, sender=model, weak=False, dispatch_uid=f"search:{kind}:{label}:save")
            post_delete.connect(dependent, sender=model, weak=False, dispatch_uid=f"search:{kind}:{label}:delete")
