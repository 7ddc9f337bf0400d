"""The decision page's live preview: the server words the decision (memos.wording) for the
values the page posts, for the person who acts on the decision task and nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from memos import services
from memos.models import Memo, MemoEvent, MemoState
from memos.reference import DEPUTY_NOTE, reference_memo_input
from workflow.models import TaskKind, TaskLink

pytestmark = pytest.mark.django_db

SEED_LINES = [
    "อนุมัติในข้อ ๑",
    "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓ ตามที่ สพข. และ รป.กทม. เสนอ",
]
SEED_FORM = {
    "ruling_1": "approve",
    "ruling_2": "order",
    "ruling_3": "order",
    "order_actor": "ทุกหน่วยงานและส่วนราชการ",
    "order_tail": "สพข. และ รป.กทม.",
}
# Session, user, task link, viewflow task, memo visibility (a few), the post's holder, proposals.
PREVIEW_QUERY_BUDGET = 12  # 10 measured


def open_link(memo: Memo) -> TaskLink:
    return TaskLink.objects.select_related("task").get(memo=memo, is_open=True)


def memo_at_decision(client, roles) -> Memo:
    """The reference memo, signed and forwarded by the deputy: the Permanent Secretary's task is open."""
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    client.force_login(roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    client.force_login(roles.director)
    client.post(open_link(memo).task.reverse("execute"), {"action": "sign"})
    client.force_login(roles.deputy)
    client.post(open_link(memo).task.reverse("execute"), {"action": "forward", "note": DEPUTY_NOTE})
    assert open_link(memo).kind == TaskKind.DECIDE
    return Memo.objects.get(pk=memo.pk)


def preview_url(memo: Memo) -> str:
    return reverse("memos:decision_preview", args=[open_link(memo).task_id])


def test_the_seed_line_comes_back_and_nothing_is_written(client, roles, django_assert_max_num_queries):
    memo = memo_at_decision(client, roles)
    url = preview_url(memo)
    events = MemoEvent.objects.filter(memo=memo).count()
    client.force_login(roles.perm_sec)
    with django_assert_max_num_queries(PREVIEW_QUERY_BUDGET):
        response = client.post(url, SEED_FORM)
    assert response.status_code == 200
    data = response.json()
    assert data["lines"] == SEED_LINES
    assert data["undecided"] == []
    assert data["html"] == "".join(f"<div>- {line}</div>" for line in SEED_LINES)
    assert Memo.objects.get(pk=memo.pk).state == MemoState.IN_REVIEW
    assert MemoEvent.objects.filter(memo=memo).count() == events


def test_per_proposal_choices_and_a_half_made_decision(client, roles):
    memo = memo_at_decision(client, roles)
    client.force_login(roles.perm_sec)
    data = client.post(
        preview_url(memo),
        {"ruling_1": "reject", "ruling_3": "order", "actor_3": "สำนักงานเขต", "tail_1": "<b>สพข.</b>"},
    ).json()
    assert data["lines"] == ["ไม่อนุมัติในข้อ ๑ ตามที่ <b>สพข.</b> เสนอ", "ให้สำนักงานเขต ดำเนินการในข้อ ๓"]
    assert data["undecided"] == [2]
    assert "&lt;b&gt;สพข.&lt;/b&gt;" in data["html"] and "<b>" not in data["html"]
    assert '<div class="preview-missing">ยังไม่ได้พิจารณาข้อ ๒</div>' in data["html"]


def test_values_the_form_refuses_are_left_out(client, roles):
    memo = memo_at_decision(client, roles)
    client.force_login(roles.perm_sec)
    data = client.post(preview_url(memo), {**SEED_FORM, "ruling_1": "bogus", "order_actor": "ก" * 301}).json()
    assert data["lines"] == ["ให้ดำเนินการในข้อ ๒ - ๓ ตามที่ สพข. และ รป.กทม. เสนอ"]
    assert data["undecided"] == [1]


def test_only_the_person_acting_for_the_decision_gets_a_preview(client, roles):
    memo = memo_at_decision(client, roles)
    url = preview_url(memo)
    client.logout()
    response = client.post(url, SEED_FORM)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # The drafter and the deputy see the memo but do not act for the Permanent Secretary's post.
    for someone in (roles.clerk, roles.deputy, roles.district_clerk):
        client.force_login(someone)
        assert client.post(url, SEED_FORM).status_code == 404
    client.force_login(roles.perm_sec)
    assert client.get(url).status_code == 405
    missing = reverse("memos:decision_preview", args=[open_link(memo).task_id + 1000])
    assert client.post(missing, SEED_FORM).status_code == 404
    # Once decided, the task is done: no more previews for it.
    client.post(open_link(memo).task.reverse("execute"), {**SEED_FORM, "action": "decide"})
    assert Memo.objects.get(pk=memo.pk).state == MemoState.APPROVED
    assert client.post(url, SEED_FORM).status_code == 404


def test_a_task_that_is_not_a_decision_has_no_preview(client, roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    client.force_login(roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    client.force_login(roles.director)
    client.post(open_link(memo).task.reverse("execute"), {"action": "sign"})
    link = open_link(memo)
    assert link.kind == TaskKind.REVIEW
    client.force_login(roles.deputy)  # acts on this task, but it is a review, not a decision
    response = client.post(reverse("memos:decision_preview", args=[link.task_id]), SEED_FORM)
    assert response.status_code == 404
