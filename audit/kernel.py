"""The service kernel: what every write of a domain service does, written once.

A service (memos.services, directives.services, and the letters app to come) is one
transaction that

1. locks the row it changes (`locked`: SELECT … FOR UPDATE; refresh_from_db cannot reload
   a protected FSM field, so the row is read again under the lock);
2. fires an FSM transition (`Step.fire`), an illegal one becoming a Thai message, never a 500;
3. saves the row's changes and appends the audit event (`Step.record`): one UPDATE that
   writes the changes and moves the chain's head (audit.chain), one INSERT of the event,
   and no read of an earlier event;
4. writes outbox rows in the same transaction (`Step.notify`, and the documents to render,
   which the domain app asks for after `record`), handed to Celery after commit by the
   outbox engine (outbox/).

So a service reads its inputs, checks its rules and says what changes; for example:

    @service
    def memo_forward(*, memo, user, note):
        step = MemoStep(memo)                      # row lock
        ...                                        # the rules
        step.fire("fsm_forward", action_label="เสนอต่อ")
        step.owner.current_step += 1
        step.record(EventAction.FORWARD, save=["state", "current_step"], actor=user, ...)

Transactions and savepoints: `@service` opens an atomic block. Nested in a caller's
transaction it takes a savepoint (SAVEPOINT … RELEASE: two statements), so a refused step
leaves the caller's transaction usable. Inside a `boundary()`, an atomic block whose
caller turns a refusal into a page (the task views: roll back, show the form with the
message), a service needs no savepoint of its own: its error reaches the boundary, which
rolls back to its own savepoint. Should anything between the boundary and the service
take a savepoint, the service takes one too.

This module lives with the audit chain (shared services): the domain apps above import it;
it imports only what lies below it (notifications' outbox).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from notifications.services import notification_enqueue

from .chain import ChainKind, chain_append

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=models.Model)

# The savepoint depth at which the innermost boundary() stands, or None outside one.
_boundary_depth: ContextVar[int | None] = ContextVar("service_boundary_depth", default=None)


def refusal(message: str, code: str = "invalid") -> ValidationError:
    """A rule says no: the Thai message a person reads, and a code the tests and the API read."""
    return ValidationError(message, code=code)


@contextmanager
def boundary() -> Iterator[None]:
    """An atomic block whose caller handles a refused service (rolls back, shows why)."""
    with transaction.atomic():
        token = _boundary_depth.set(len(transaction.get_connection().savepoint_ids))
        try:
            yield
        finally:
            _boundary_depth.reset(token)


def _inside_boundary() -> bool:
    depth = _boundary_depth.get()
    connection = transaction.get_connection()
    if depth is None or not connection.in_atomic_block:
        return False
    ids = connection.savepoint_ids
    return len(ids) >= depth and all(sid is None for sid in ids[depth:])


def service(func: F) -> F:
    """Run `func` as one transaction (a savepoint when nested, none inside a boundary())."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with transaction.atomic(savepoint=not _inside_boundary()):
            return func(*args, **kwargs)

    return cast(F, wrapper)


def locked(queryset: models.QuerySet[M], pk: Any, *, related: Sequence[str] = ()) -> M:
    """The row, read again under its lock, with the rows it joins (`related`) read but not
    locked: FOR UPDATE over a join would also lock the unit and the posts, and every row saved
    in that unit meanwhile (its foreign keys are checked against them) would wait, or
    deadlock, under load (bench/b9_load.py: 13 deadlocks, 500s, in 60 s). NO KEY: other rows
    may still reference this one while it is held."""
    if related:
        queryset = queryset.select_related(*related)
    return queryset.select_for_update(of=("self",), no_key=True).get(pk=pk)


def state_label(obj: models.Model, state: str) -> str:
    choices = dict(cast(Any, obj._meta.get_field("state")).choices or [])
    return str(choices.get(state, state))


def fire(obj: Any, transition: str, *args: Any, action_label: str, subject: str = "") -> str:
    """Run one FSM transition of `obj`; returns the state before it. An illegal one becomes
    "ไม่สามารถ<action>ได้ เนื่องจาก<subject>อยู่ในสถานะ “<state>”" (code "state")."""
    before = obj.state
    try:
        getattr(obj, transition)(*args)
    except TransitionNotAllowed:
        raise refusal(f"ไม่สามารถ{action_label}ได้ เนื่องจาก{subject}อยู่ในสถานะ “{state_label(obj, before)}”", code="state")
    return before


class Step(Generic[M]):
    """One service's change to an owner of an audit chain (a memo, a directive), locked.

    Subclasses name the chain (`kind`), how the owner is locked (`related`), what every
    event of the chain carries besides its own fields (`event_defaults`) and how an
    illegal transition is worded (`subject`).
    """

    kind: ChainKind
    related: Sequence[str] = ()
    subject = ""

    def __init__(self, owner: M | int, *, lock: bool = True, related: Sequence[str] | None = None) -> None:
        pk = owner if isinstance(owner, int) else owner.pk
        model = cast(type[M], self.kind.owner_model)
        if lock:
            self.owner: M = locked(
                model._default_manager.all(), pk, related=self.related if related is None else related
            )
        else:
            assert not isinstance(owner, int)
            self.owner = owner
        self.before: str = getattr(self.owner, "state", "")
        self.events: list[Any] = []

    def fire(self, transition: str, *args: Any, action_label: str) -> str:
        return fire(self.owner, transition, *args, action_label=action_label, subject=self.subject)

    def event_defaults(self) -> dict[str, Any]:
        return {}

    def record(
        self, action: str, *, save: Iterable[str] = (), at: Any = None, touch: bool | None = None, **fields: Any
    ) -> Any:
        """Save the owner's fields named in `save` and append one event: one UPDATE (the
        changes and the chain's head), one INSERT. The owner's `updated_at`, if it has one,
        moves with its changes (`touch`, by default whether `save` names any)."""
        owner = self.owner
        now = at or timezone.now()
        names = list(save)
        if touch is None:
            touch = bool(names)
        if touch and any(f.name == "updated_at" for f in owner._meta.concrete_fields):
            owner.updated_at = now  # type: ignore[attr-defined]
            names.append("updated_at")
        attnames = dict.fromkeys(cast("models.Field[Any, Any]", owner._meta.get_field(name)).attname for name in names)
        changes = {attname: getattr(owner, attname) for attname in attnames}
        fields = {**self.event_defaults(), **fields, self.kind.owner_field: owner}
        event = self.kind.event_model(action=action, created_at=now, **fields)
        chain_append(self.kind, owner=owner, events=[event], changes=changes)
        self.events.append(event)
        return event

    def notify(self, *, about: models.Model | None = None, **kwargs: Any) -> Any:
        """Outbox rows for the people to tell, committed with the event (notifications)."""
        return notification_enqueue(about=about if about is not None else self.owner, **kwargs)
