"""Keyed hash chains of events, for any object that keeps a history (a memo, a directive).

Each event's digest is an HMAC-SHA256 under a key that lives outside the database
(settings.AUDIT_HMAC_KEY, from the environment) over the event's fields, its place in the
chain, the owner's row as the event left it (state, number, ...) and the link before it.
The owner's row carries the chain's head: how many events it has (chain_seq) and a seal,
a second HMAC over the last digest that is stored nowhere else (chain_head). Appending
moves the head with one conditional UPDATE of the row the service already holds locked:
no earlier event is read. Verifying finds:

- an edited event: its digest no longer matches;
- a chain recomputed by someone with SQL access: without the key no digest matches;
- a deleted event in the middle: a gap in seq;
- deleted last events: the head counts more events than there are, and winding the head
  back too needs the seal of the earlier head, which only the key makes;
- an owner row edited by SQL: it no longer matches what its last event recorded;
- history wound back to an older copy (a restored backup, a row saved beforehand): only
  against a checkpoint kept outside the database (`verify_audit --write-checkpoint`).

The digest format below is what every stored chain was made with: changing it means a
migration that re-seals every chain. This module knows no domain app: memos and
directives describe their chains with a ChainKind and register it (audit is below them).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import hmac
import itertools
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

# --- The digest ---------------------------------------------------------------------------


def audit_key() -> bytes:
    key = getattr(settings, "AUDIT_HMAC_KEY", "")
    if not key:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY is not set: the audit chain cannot be written or verified.")
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        # The database hands datetimes back in UTC: the digest must see the same text.
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} cannot be part of an audit digest")


def plain(value: Any) -> Any:
    """`value` as a JSON column gives it back (dict keys as text, tuples as lists, dates as
    ISO text): what is digested is exactly what a later read returns."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=_json_default))


def _mac(message: Mapping[str, Any], key: bytes | None) -> str:
    raw = json.dumps(message, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default)
    return hmac.new(key or audit_key(), raw.encode("utf-8"), hashlib.sha256).hexdigest()


def event_digest(
    *,
    kind: str,
    owner: int,
    seq: int,
    fields: Mapping[str, Any],
    row: Mapping[str, Any],
    prev: str,
    key: bytes | None = None,
) -> str:
    """The digest of event `seq` of `owner`; `prev` is the seal of the event before it ("" for the first)."""
    return _mac(
        {"use": "event", "kind": kind, "owner": owner, "seq": seq, "fields": fields, "row": row, "prev": prev}, key
    )


def head_seal(*, kind: str, owner: int, seq: int, digest: str, key: bytes | None = None) -> str:
    """The head stored on the owner after event `seq`. Not derivable from the events without
    the key, so deleting the last events and winding the head back is not possible either."""
    return _mac({"use": "head", "kind": kind, "owner": owner, "seq": seq, "digest": digest}, key)


def snapshot(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name)) for name in names}


# --- Kinds of chain -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainKind:
    """One kind of chained history.

    The owner model has `chain_seq` (PositiveIntegerField, default 0) and `chain_head`
    (CharField 64, blank); the event model has `seq`, `owner_row` (JSONField) and `hash`
    (CharField 64), and a foreign key `owner_field` to the owner.
    """

    name: str  # "memos": also on the command line and inside every digest
    label: str  # "บันทึกข้อความ"
    counter: str  # the Thai classifier: "เรื่อง", "ฉบับ"
    owner_model: type[models.Model]
    event_model: type[models.Model]
    owner_field: str
    owner_fields: tuple[str, ...]  # the owner's row as each event leaves it
    event_fields: tuple[str, ...]  # the event's own fields (attnames), besides seq and owner_row

    @property
    def owner_attname(self) -> str:
        return f"{self.owner_field}_id"


_kinds: dict[str, ChainKind] = {}


def register(kind: ChainKind) -> ChainKind:
    _kinds[kind.name] = kind
    return kind


def kinds() -> list[ChainKind]:
    return list(_kinds.values())


def kind_named(name: str) -> ChainKind:
    return _kinds[name]


def append_only() -> Any:
    """The PostgreSQL trigger (django-pgtrigger) that refuses UPDATE and DELETE on an event
    table, for the event model's Meta.triggers. Maintenance that must rewrite events (a
    re-sealing migration) runs under pgtrigger.ignore("<app>.<Model>:append_only")."""
    import pgtrigger

    return pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


# --- Appending ------------------------------------------------------------------------------


def _seal_onto(kind: ChainKind, owner_pk: int, row: dict[str, Any], events: list[Any], seq: int, head: str) -> str:
    for event in events:
        seq += 1
        event.seq = seq
        event.owner_row = row
        fields = {}
        for name in kind.event_fields:
            value = plain(getattr(event, name))
            if isinstance(kind.event_model._meta.get_field(name), models.JSONField):
                setattr(event, name, value)  # stored as digested
            fields[name] = value
        event.hash = event_digest(kind=kind.name, owner=owner_pk, seq=seq, fields=fields, row=row, prev=head)
        head = head_seal(kind=kind.name, owner=owner_pk, seq=seq, digest=event.hash)
    return head


def chain_append(
    kind: ChainKind, *, owner: Any, events: list[Any], changes: Mapping[str, Any] | None = None
) -> list[Any]:
    """Give `events` (unsaved, fields set) the next places in `owner`'s chain and insert them.

    The caller holds the owner's row lock, as the services do, and has either saved the
    owner's own changes already or passes them as `changes` (column name → value, already
    set on `owner`), which are written by the same UPDATE that moves the head: the events
    record the row as it stands after them. Two statements whatever the length: the head
    moves with an UPDATE conditional on the head the caller read, then the events are
    inserted. Should the caller's copy of the owner be stale (appended to since it was
    read), the row is read again under lock and the append redone.
    """
    if not events:
        return events
    changes = dict(changes or {})
    manager = kind.owner_model._default_manager
    with transaction.atomic(savepoint=False):
        for event in events:
            setattr(event, kind.owner_attname, owner.pk)
        row = snapshot(owner, kind.owner_fields)
        head = _seal_onto(kind, owner.pk, row, events, owner.chain_seq, owner.chain_head)
        seq = owner.chain_seq + len(events)
        moved = manager.filter(pk=owner.pk, chain_seq=owner.chain_seq, chain_head=owner.chain_head).update(
            **changes, chain_seq=seq, chain_head=head
        )
        if not moved:
            fresh: Any = manager.select_for_update().get(pk=owner.pk)
            for name, value in changes.items():
                # Past the descriptors: a protected FSM field refuses plain assignment.
                fresh.__dict__[fresh._meta.get_field(name).attname] = value
            row = snapshot(fresh, kind.owner_fields)
            head = _seal_onto(kind, owner.pk, row, events, fresh.chain_seq, fresh.chain_head)
            seq = fresh.chain_seq + len(events)
            manager.filter(pk=owner.pk).update(**changes, chain_seq=seq, chain_head=head)
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            kind.event_model._base_manager.bulk_create(events)
    owner.chain_seq, owner.chain_head = seq, head
    return events


# --- Verifying ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    kind: str
    owner_id: int
    events: int
    first_bad_seq: int | None
    reason: str = ""
    head_seq: int = 0
    head: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


@dataclass(frozen=True)
class Checkpoint:
    """A head as it stood once, kept outside the database: the chain must still pass it."""

    seq: int
    head: str


def _verify(kind: ChainKind, owner: Any, events: Iterable[Any], checkpoint: Checkpoint | None = None) -> ChainReport:
    key = audit_key()
    label = kind.label

    def bad(count: int, seq: int, reason: str) -> ChainReport:
        return ChainReport(kind.name, owner.pk, count, seq, reason, owner.chain_seq, owner.chain_head)

    prev = ""
    count = 0
    last = None
    for event in events:
        count += 1
        expected = count
        if event.seq != expected:
            missing = f"{expected}" if event.seq == expected + 1 else f"{expected}–{event.seq - 1}"
            return bad(count, expected, f"เหตุการณ์ลำดับที่ {missing} ถูกลบออกจากห่วงโซ่")
        fields = {name: plain(getattr(event, name)) for name in kind.event_fields}
        digest = event_digest(
            kind=kind.name, owner=owner.pk, seq=event.seq, fields=fields, row=event.owner_row, prev=prev, key=key
        )
        if not hmac.compare_digest(digest, event.hash):
            return bad(
                count,
                event.seq,
                "ค่าตรวจสอบไม่ตรงกับเนื้อหา: เหตุการณ์ถูกแก้ไขหลังบันทึก หรือห่วงโซ่ถูกคำนวณใหม่โดยไม่มีกุญแจของระบบ",
            )
        prev = head_seal(kind=kind.name, owner=owner.pk, seq=event.seq, digest=event.hash, key=key)
        if checkpoint and event.seq == checkpoint.seq and not hmac.compare_digest(prev, checkpoint.head):
            return bad(count, event.seq, "ไม่ตรงกับจุดตรวจสอบที่เก็บไว้นอกฐานข้อมูล: ประวัติถูกเขียนใหม่")
        last = event
    if count == 0:
        return bad(0, 1, "ไม่พบบันทึกเหตุการณ์เลย (ถูกลบทั้งหมด)")
    if owner.chain_seq > count:
        return bad(count, count + 1, f"เหตุการณ์ท้ายห่วงโซ่ถูกลบ: {label}บันทึกไว้ว่ามี {owner.chain_seq} เหตุการณ์ พบเพียง {count}")
    if owner.chain_seq < count:
        return bad(count, owner.chain_seq + 1, f"เหตุการณ์นี้ไม่ได้บันทึกผ่านระบบ: {label}นับไว้เพียง {owner.chain_seq} เหตุการณ์")
    if not hmac.compare_digest(owner.chain_head, prev):
        return bad(count, count, f"ค่าหัวห่วงโซ่ที่เก็บไว้กับ{label}ไม่ตรงกับเหตุการณ์ล่าสุด: ห่วงโซ่ถูกย้อนหรือแก้ไข")
    if checkpoint and checkpoint.seq > count:
        return bad(count, count + 1, f"ห่วงโซ่สั้นกว่าจุดตรวจสอบที่เก็บไว้นอกฐานข้อมูล ({checkpoint.seq} เหตุการณ์): ประวัติถูกย้อนกลับ")
    row = snapshot(owner, kind.owner_fields)
    assert last is not None
    if row != last.owner_row:
        changed = ", ".join(
            f"{name} เป็น {row.get(name)!r} แต่เหตุการณ์ล่าสุดบันทึกไว้ {last.owner_row.get(name)!r}"
            for name in kind.owner_fields
            if row.get(name) != last.owner_row.get(name)
        )
        return bad(count, last.seq, f"ข้อมูลของ{label}ถูกแก้ไขนอกระบบ: {changed}")
    return ChainReport(kind.name, owner.pk, count, None, "", owner.chain_seq, owner.chain_head)


def _owners(kind: ChainKind) -> models.QuerySet[Any]:
    return kind.owner_model._default_manager.only("pk", "chain_seq", "chain_head", *kind.owner_fields).order_by("pk")


def _events(kind: ChainKind) -> models.QuerySet[Any]:
    return kind.event_model._base_manager.only(
        "pk", kind.owner_attname, "seq", "hash", "owner_row", *kind.event_fields
    ).order_by(kind.owner_attname, "seq")


def chain_verify(kind: ChainKind, owner_id: int, *, checkpoint: Checkpoint | None = None) -> ChainReport:
    owner = _owners(kind).get(pk=owner_id)
    return _verify(kind, owner, _events(kind).filter(**{kind.owner_attname: owner_id}).iterator(), checkpoint)


def chain_verify_all(
    kind: ChainKind,
    owner_ids: Iterable[int] | None = None,
    *,
    checkpoints: Mapping[int, Checkpoint] | None = None,
) -> Iterator[ChainReport]:
    """One report per owner, from two streamed queries whatever the number of owners."""
    owners = _owners(kind)
    events = _events(kind)
    if owner_ids is not None:
        ids = list(owner_ids)
        owners = owners.filter(pk__in=ids)
        events = events.filter(**{f"{kind.owner_attname}__in": ids})
    grouped = itertools.groupby(events.iterator(chunk_size=2000), key=lambda e: getattr(e, kind.owner_attname))
    pending = next(grouped, None)
    for owner in owners.iterator(chunk_size=2000):
        while pending is not None and pending[0] < owner.pk:
            pending = next(grouped, None)  # events of an owner not asked about
        if pending is not None and pending[0] == owner.pk:
            yield _verify(kind, owner, pending[1], (checkpoints or {}).get(owner.pk))
            pending = next(grouped, None)  # groupby skips whatever an early return left
        else:
            yield _verify(kind, owner, (), (checkpoints or {}).get(owner.pk))
