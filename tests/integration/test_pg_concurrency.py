"""Concurrency on PostgreSQL with real connections: numbering and the double-execution race.

Each thread is a separate browser session on its own database connection, released at
the same instant by a barrier.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from memos import services
from memos.models import Memo, MemoEvent
from memos.reference import reference_memo_input
from registers.models import RegisterEntry, Series
from workflow import services as workflow_services
from workflow.models import TaskLink

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(workers: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(workers))
    results: list[Any] = [None] * len(workers)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = workers[i]()
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def submitted_memo(roles: Any) -> Memo:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    workflow_services.memo_submit(memo=memo, user=roles.clerk)
    return Memo.objects.get(pk=memo.pk)


def test_eight_concurrent_signings_get_consecutive_numbers(roles, settings):
    memos = [submitted_memo(roles) for _ in range(8)]
    urls = [TaskLink.objects.get(memo=m, is_open=True).task.reverse("execute") for m in memos]

    def signer(url: str) -> Callable[[], int]:
        def go() -> int:
            client = Client()
            client.force_login(roles.director)
            return client.post(url, {"action": "sign"}).status_code

        return go

    statuses = run_together([signer(u) for u in urls])
    assert statuses == [302] * 8, statuses
    numbers = sorted(RegisterEntry.objects.filter(series=Series.SEND).values_list("number", flat=True))
    assert numbers == list(range(1, 9))  # no duplicate, no gap
    assert sorted(Memo.objects.values_list("number", flat=True)) == sorted(f"กท ๐๔๐๑/{n}" for n in "๑๒๓๔๕๖๗๘")


def test_two_people_executing_one_task_at_once_sign_it_once(roles):
    memo = submitted_memo(roles)
    url = TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute")

    def click() -> str:
        client = Client()
        client.force_login(roles.director)
        response = client.post(url, {"action": "sign"}, follow=True)
        return response.content.decode()

    pages = run_together([click, click])
    signed = [p for p in pages if isinstance(p, str) and "ลงนามแล้ว ได้เลขที่หนังสือ" in p]
    refused = [p for p in pages if isinstance(p, str) and ("งานนี้ได้ดำเนินการไปแล้ว" in p or "กรุณาลองใหม่" in p)]
    assert len(signed) == 1 and len(refused) == 1, [p if not isinstance(p, str) else p[:0] for p in pages]
    assert MemoEvent.objects.filter(memo=memo, action="sign").count() == 1
    assert RegisterEntry.objects.filter(series=Series.SEND).count() == 1
    assert reverse("memos:inbox")  # the deputy's task exists exactly once
    assert TaskLink.objects.filter(memo=memo, is_open=True, kind="review").count() == 1


def test_withdrawal_while_a_task_is_being_worked_waits_instead_of_failing(roles):
    """A request holding the flow lock (a signature in progress) and a withdrawal at once."""
    import time

    from django.db import transaction
    from viewflow.workflow.models import Process

    memo = submitted_memo(roles)

    def hold_the_flow_lock() -> str:
        with transaction.atomic():
            Process.objects.select_for_update().filter(pk=memo.process_id).exists()
            time.sleep(1.0)
        return "held"

    def withdraw() -> str:
        client = Client()
        client.force_login(roles.clerk)
        time.sleep(0.2)  # let the other side take the lock first
        response = client.post(reverse("memos:memo_withdraw", args=[memo.pk]), {"reason": "ซ้ำ"}, follow=True)
        return f"{response.status_code} " + response.content.decode()

    held, page = run_together([hold_the_flow_lock, withdraw])
    assert held == "held"
    assert page.startswith("200 ") and ("ถอนเรื่องแล้ว" in page or "กรุณาลองใหม่" in page)
    assert Memo.objects.get(pk=memo.pk).state in ("withdrawn", "awaiting_signature")


def test_a_memo_in_the_middle_of_an_action_does_not_hold_up_new_memos_of_its_unit(roles):
    # An action on a memo locks its row until it commits. The lock once covered the memo's
    # unit and posts as well (FOR UPDATE over a join), so every other memo of the unit saved
    # meanwhile waited for it at commit (its foreign keys are checked against those rows),
    # and under 50 users such waits became deadlocks: 500s. Nothing waits now; a wait would
    # end in the lock timeout below instead of hanging the test.
    from django.db import transaction

    memo = submitted_memo(roles)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic():
            services._lock(memo)
            held.set()
            release.wait(30)

    def save_another() -> int:
        held.wait(30)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '5s'")
            return services.memo_create(user=roles.clerk, data=reference_memo_input()).pk
        finally:
            release.set()

    results = run_together([hold, save_another])
    assert results[0] is None, results[0]
    assert isinstance(results[1], int), results[1]
    assert Memo.objects.filter(unit=memo.unit).count() == 2
