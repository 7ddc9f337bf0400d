"""Memos and directives carried through their services, and the attacker's tools: SQL
access (on PostgreSQL including switching the append-only triggers off, as a table owner or
superuser can) and full knowledge of the chain's algorithm, but not the HMAC key."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.test import override_settings

from audit.chain import ChainKind, event_digest, head_seal, kind_named, plain, snapshot
from directives import selectors as directive_selectors
from directives import services as directive_services
from directives.models import Directive
from memos import services
from memos.models import Memo, MemoState
from memos.reference import DEPUTY_NOTE, ORDER_ACTOR, reference_memo_input

EVENT_TRIGGERS = ("memos.MemoEvent:append_only", "directives.DirectiveEvent:append_only")


def decided_memo(roles: Any) -> Memo:
    """clerk drafts and submits → acting director signs → deputy forwards → Permanent
    Secretary approves: events create, submit, sign, forward, decide."""
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    services.memo_submit(memo=memo, user=roles.clerk)
    services.memo_sign(memo=memo, user=roles.director)
    services.memo_forward(memo=memo, user=roles.deputy, note=DEPUTY_NOTE)
    services.memo_decide(
        memo=memo,
        user=roles.perm_sec,
        rulings={1: "approve", 2: "order", 3: "order"},
        order_actor=ORDER_ACTOR,
    )
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.APPROVED
    return memo


def sent_directive(memo: Memo, roles: Any) -> Directive:
    """Drafted from the decision, submitted, signed and sent; the district's clerk books it in."""
    directive = directive_services.directive_create(
        user=roles.clerk, memo=memo, data=directive_selectors.directive_initial(memo)
    )
    directive_services.directive_submit(user=roles.clerk, directive=directive)
    directive = directive_services.directive_sign_and_send(user=roles.director, directive=directive)
    district = directive.distributions.get(unit__key="district-01")
    directive_services.distribution_receive(user=roles.district_clerk, distribution=district)
    return Directive.objects.get(pk=directive.pk)


@contextmanager
def with_sql_access() -> Iterator[None]:
    """Rows changed as by someone at the SQL prompt. On PostgreSQL the append-only triggers
    would refuse it (tests/audit/test_triggers_pg.py), so they are switched off first."""
    if connection.vendor == "postgresql":
        import pgtrigger

        with pgtrigger.ignore(*EVENT_TRIGGERS):
            yield
    else:
        yield


def sql_delete(model: Any, **where: Any) -> int:
    """DELETE as typed at the SQL prompt: no Django collector, no PROTECT (the document
    versions that point at a deleted event go too, as the attacker would have to)."""
    pks = list(model._base_manager.filter(**where).values_list("pk", flat=True))
    if model._meta.label == "memos.MemoEvent":
        from documents.models import DocumentVersion

        DocumentVersion.objects.filter(event_id__in=pks)._raw_delete(DocumentVersion.objects.db)
    with with_sql_access(), connection.cursor() as cursor:
        for pk in pks:
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608 (table from _meta)
    return len(pks)


def reseal(kind_name: str, owner_id: int, key: str) -> None:
    """Recompute an owner's whole chain and head with `key`, exactly as audit.chain does:
    what an attacker who knows the algorithm but not the key can do."""
    kind: ChainKind = kind_named(kind_name)
    owner = kind.owner_model._default_manager.get(pk=owner_id)
    events = list(kind.event_model._base_manager.filter(**{kind.owner_attname: owner_id}).order_by("seq"))
    with override_settings(AUDIT_HMAC_KEY=key), with_sql_access():
        head = ""
        for event in events:
            fields = {name: plain(getattr(event, name)) for name in kind.event_fields}
            if event is events[-1]:
                event.owner_row = snapshot(owner, kind.owner_fields)
            event.hash = event_digest(
                kind=kind.name, owner=owner_id, seq=event.seq, fields=fields, row=event.owner_row, prev=head
            )
            head = head_seal(kind=kind.name, owner=owner_id, seq=event.seq, digest=event.hash)
            kind.event_model._base_manager.filter(pk=event.pk).update(hash=event.hash, owner_row=event.owner_row)
        kind.owner_model._default_manager.filter(pk=owner_id).update(chain_seq=len(events), chain_head=head)
