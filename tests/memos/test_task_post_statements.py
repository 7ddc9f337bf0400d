"""The whole task POST has an absolute statement budget: forward with a note, and decide.

Everything one click costs is counted: the session and the user, the access check, the flow
lock, the service (lock, rules, one UPDATE for the memo and its chain head, the event, the
document version), viewflow closing the task and creating the next ones, the arrival at the
next post (its receive number), the task links and the notification rows.

Issue 11 asks for at most 25. The budgets below are what the POSTs cost now (test run,
savepoint of the test's own transaction included); bench/results/2026-12-02.md lists the
statements that remain and where each comes from (about half are viewflow's bookkeeping, the
access check and the flow lock, outside the memo services). Lower a budget when a statement
goes; never raise one without saying why in that file.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from memos import services
from memos.models import EventAction, Memo, MemoEvent, MemoState
from memos.reference import DEPUTY_NOTE, reference_memo_input
from workflow.models import TaskLink

pytestmark = pytest.mark.django_db

TARGET = 25  # issue 11, item 5: not met yet
# 69 before the service kernel, 54 after it; +2 since closing a task also marks read the
# notifications that asked for it (one UPDATE of those when the next task opens, one when
# this one closes).
# +1: the search index job of the memo, written in the same transaction (search/indexer.py).
FORWARD_BUDGET = 57
DECIDE_BUDGET = 49  # 58 before the service kernel, 47 after it; +1: the notifications UPDATE above


def open_task_url(memo: Memo) -> str:
    return TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute")


def _in_review(client, roles) -> Memo:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    client.force_login(roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    client.force_login(roles.director)
    client.post(open_task_url(memo), {"action": "sign"})
    return Memo.objects.get(pk=memo.pk)


def test_forward_with_a_note_and_decide_stay_within_their_budgets(client, roles, django_assert_max_num_queries):
    memo = _in_review(client, roles)

    client.force_login(roles.deputy)
    url = open_task_url(memo)
    with django_assert_max_num_queries(FORWARD_BUDGET):
        response = client.post(url, {"action": "forward", "note": DEPUTY_NOTE})
    assert response.status_code == 302
    # What the deputy and the Permanent Secretary's office see: the note, and the memo booked
    # in at the next post, waiting in the Permanent Secretary's inbox.
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.current_step == 1
    assert MemoEvent.objects.get(memo=memo, action=EventAction.FORWARD).text == DEPUTY_NOTE
    assert MemoEvent.objects.filter(memo=memo, action=EventAction.RECEIVE).count() == 2
    assert TaskLink.objects.get(memo=memo, is_open=True).owner_id == roles.perm_sec.pk

    client.force_login(roles.perm_sec)
    url = open_task_url(memo)
    with django_assert_max_num_queries(DECIDE_BUDGET):
        response = client.post(
            url, {"action": "decide", "ruling_1": "approve", "ruling_2": "approve", "ruling_3": "order"}
        )
    assert response.status_code == 302
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.APPROVED
    assert not TaskLink.objects.filter(memo=memo, is_open=True).exists()


def test_a_refused_step_rolls_back_at_the_view_and_says_why(client, roles):
    """The services inside the task view take no savepoints of their own: the view's boundary
    rolls a refusal back, and the page answers with the Thai message, nothing half-written."""
    memo = _in_review(client, roles)
    client.force_login(roles.deputy)
    url = open_task_url(memo)
    events = MemoEvent.objects.filter(memo=memo).count()
    response = client.post(url, {"action": "forward", "note": "   "})
    assert response.status_code == 400
    assert "กรุณาเขียนข้อความเกษียน" in response.content.decode()
    assert MemoEvent.objects.filter(memo=memo).count() == events
    assert Memo.objects.get(pk=memo.pk).current_step == 0
    # The same task still works afterwards.
    assert client.post(url, {"action": "forward", "note": DEPUTY_NOTE}).status_code == 302
    assert Memo.objects.get(pk=memo.pk).current_step == 1
