"""Helpers for the directive tests: a reference memo carried to "approved" through the test
client, a directive issued from it, and bulk-made units for the scale tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from directives import selectors, services
from directives.models import Directive
from directory.models import Official, Position, RecipientGroup, Unit, UnitKind
from memos import services as memo_services
from memos.models import Memo, MemoState
from memos.reference import DEPUTY_NOTE, ORDER_ACTOR, reference_memo_input
from tests.integration.celery_support import MemoryBroker, use_broker
from workflow.models import TaskLink


@pytest.fixture(autouse=True)
def memory_broker() -> Iterator[MemoryBroker]:
    """Hand-offs after commit go to an in-memory queue of this test, never to var/broker."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    broker = MemoryBroker(queue)
    with use_broker("memory://", queue=queue):
        yield broker
    broker.take()


def open_task_url(memo: Memo) -> str:
    return TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute")


def approve_reference_memo(client: Any, roles: Any) -> Memo:
    """clerk drafts → acting director signs → deputy forwards → Permanent Secretary approves ๑,
    orders ๒ - ๓: the reference memo's path, each step as its person would click it."""
    memo = memo_services.memo_create(user=roles.clerk, data=reference_memo_input())
    client.force_login(roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    client.force_login(roles.director)
    client.post(open_task_url(memo), {"action": "sign"})
    client.force_login(roles.deputy)
    client.post(open_task_url(memo), {"action": "forward", "note": DEPUTY_NOTE})
    client.force_login(roles.perm_sec)
    client.post(
        open_task_url(memo),
        {
            "action": "decide",
            "ruling_1": "approve",
            "ruling_2": "order",
            "ruling_3": "order",
            "order_actor": ORDER_ACTOR,
        },
    )
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.APPROVED, memo.state
    return memo


def issue_directive(memo: Memo, roles: Any, **changes: Any) -> Directive:
    """Drafted by the institute's clerk from the prefill, submitted, signed by the acting director."""
    data = selectors.directive_initial(memo)
    for name, value in changes.items():
        setattr(data, name, value)
    directive = services.directive_create(user=roles.clerk, memo=memo, data=data)
    services.directive_submit(user=roles.clerk, directive=directive)
    return directive


def make_units(prefix: str, count: int, *, clerks: bool = True) -> RecipientGroup:
    """`count` new units, each with a post in one new group, a mailbox and (optionally) a
    clerk, all in bulk so the scale tests stay fast."""
    parent = Unit.objects.get(key="bma")
    units = Unit.objects.bulk_create(
        Unit(
            key=f"{prefix}-{i}",
            name=f"หน่วยทดสอบ {prefix} {i}",
            kind=UnitKind.OFFICE,
            parent=parent,
            mailbox=f"{prefix}-{i}@bangkok.go.th",
            sort_order=10_000 + i,
        )
        for i in range(count)
    )
    units = list(Unit.objects.filter(key__startswith=f"{prefix}-"))
    positions = Position.objects.bulk_create(
        Position(key=f"{prefix}-{u.pk}-head", title=f"หัวหน้า{u.name}", unit=u) for u in units
    )
    positions = list(Position.objects.filter(key__startswith=f"{prefix}-"))
    group = RecipientGroup.objects.create(key=f"group-{prefix}", name=f"กลุ่มทดสอบ {prefix}", sort_order=99)
    group.positions.add(*positions)
    if clerks:
        User = get_user_model()
        User.objects.bulk_create(
            User(username=f"{prefix}-clerk-{u.pk}", email=f"{prefix}-clerk-{u.pk}@example.go.th", password="!")
            for u in units
        )
        users = {u.username: u for u in User.objects.filter(username__startswith=f"{prefix}-clerk-")}
        Official.objects.bulk_create(
            Official(
                user=users[f"{prefix}-clerk-{u.pk}"],
                prefix="นาย",
                first_name="สารบรรณ",
                last_name=str(u.pk),
                unit=u,
                is_clerk=True,
            )
            for u in units
        )
    return group
