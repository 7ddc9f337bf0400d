"""A returned memo goes back on screen: the drafter finds it in the inbox with the reason and
who returned it, corrects it on the edit page, and sends it again from the revise task. Every
earlier version and note stays readable; the new version's document is requested."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import DocumentKind, DocumentVersion
from memos import services
from memos.models import EventAction, Memo, MemoEvent, MemoRevision, MemoState
from memos.reference import reference_memo_input
from memos.views import _initial_from_memo
from workflow.models import TaskKind, TaskLink

pytestmark = pytest.mark.django_db

REASON = "กรุณาแก้ไขจำนวนผู้เข้ารับการฝึกอบรมในข้อ ๒ ให้ตรงกับแผน"


def task_url(memo: Memo) -> str:
    return TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute")


def edit_form_data(memo: Memo, user, **header) -> dict[str, str]:
    """What the edit page posts when the drafter changes only the header fields given."""
    initial = _initial_from_memo(memo, user)
    data = {f"h-{k}": (v.pk if hasattr(v, "pk") else v) for k, v in {**initial["header"], **header}.items()}
    for prefix, key in (("s", "sections"), ("p", "proposals"), ("r", "route")):
        rows = initial[key]
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows), f"{prefix}-MIN_NUM_FORMS": 1}
        for i, row in enumerate(rows):
            data |= {f"{prefix}-{i}-{k}": (v.pk if hasattr(v, "pk") else v) for k, v in row.items()}
            data[f"{prefix}-{i}-ORDER"] = i + 1
    return {k: "" if v is None else str(v) for k, v in data.items()}


@pytest.fixture
def returned(client, roles) -> Memo:
    """Signed by the acting director, returned by the deputy with a reason."""
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    client.force_login(roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    client.force_login(roles.director)
    client.post(task_url(memo), {"action": "sign"})
    client.force_login(roles.deputy)
    response = client.post(task_url(memo), {"action": "return", "reason": REASON})
    assert response.status_code == 302
    return Memo.objects.get(pk=memo.pk)


def test_drafter_corrects_and_resends_a_returned_memo_from_the_screens(client, roles, returned):
    memo = returned
    assert memo.state == MemoState.RETURNED
    client.force_login(roles.clerk)

    # The inbox shows it, with who returned it and why, one tap from the revise task.
    inbox = client.get(reverse("memos:inbox")).content.decode()
    assert memo.subject in inbox and f"ส่งคืนโดย นางวันทนี วัฒนะ: {REASON}" in inbox
    assert task_url(memo) in inbox
    page = client.get(task_url(memo)).content.decode()
    assert REASON in page and "ส่งคืนโดย นางวันทนี วัฒนะ" in page
    assert 'id="action-resubmit"' in page and reverse("memos:memo_edit", args=[memo.pk]) in page

    # She corrects the subject on the edit page...
    corrected = memo.subject + " (แก้ไขจำนวนผู้เข้ารับการฝึกอบรม)"
    response = client.post(
        reverse("memos:memo_edit", args=[memo.pk]), edit_form_data(memo, roles.clerk, subject=corrected)
    )
    assert response.status_code == 302, response.content.decode()[:500]
    # ...and sends it again from the task, with a word to the signer.
    versions_before = DocumentVersion.objects.filter(memo=memo, kind=DocumentKind.MEMO).count()
    revise_url = task_url(memo)
    response = client.post(revise_url, {"action": "resubmit", "note": "แก้ไขตามที่รองปลัดฯ สั่งแล้ว"}, follow=True)
    assert "เสนอบันทึกข้อความที่แก้ไขแล้วใหม่" in response.content.decode()

    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.AWAITING_SIGNATURE and memo.subject == corrected and memo.version == 2
    # The signer has the memo again; the drafter's own task is done (her unit's queue, which
    # she sees as its clerk, now shows it waiting for the signer).
    link = TaskLink.objects.get(memo=memo, is_open=True)
    assert link.kind == TaskKind.SIGN and link.position == memo.signing_position
    assert revise_url not in client.get(reverse("memos:inbox")).content.decode()
    # Nothing earlier is lost: both versions, the return with its reason, the resubmission note.
    assert list(MemoRevision.objects.filter(memo=memo).order_by("version").values_list("version", flat=True)) == [1, 2]
    assert MemoRevision.objects.get(memo=memo, version=1).snapshot["subject"] == reference_memo_input().subject
    assert MemoEvent.objects.get(memo=memo, action=EventAction.RETURN).text == REASON
    assert MemoEvent.objects.get(memo=memo, action=EventAction.RESUBMIT).text == "แก้ไขตามที่รองปลัดฯ สั่งแล้ว"
    assert DocumentVersion.objects.filter(memo=memo, kind=DocumentKind.MEMO).count() == versions_before + 1
    history = client.get(reverse("memos:memo_detail", args=[memo.pk])).content.decode()
    assert REASON in history and "แก้ไขตามที่รองปลัดฯ สั่งแล้ว" in history


def test_the_signer_may_return_to_the_drafter_too(client, roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    client.force_login(roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    client.force_login(roles.director)
    assert 'id="action-return"' in client.get(task_url(memo)).content.decode()
    client.post(task_url(memo), {"action": "return", "reason": "แก้คำผิดในข้อ ๑"})
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.RETURNED
    assert TaskLink.objects.get(memo=memo, is_open=True).kind == TaskKind.REVISE


def test_resubmitting_twice_acts_once(client, roles, returned):
    client.force_login(roles.clerk)
    url = task_url(returned)
    client.post(url, {"action": "resubmit"})
    second = client.post(url, {"action": "resubmit"}, follow=True)
    assert "งานนี้ได้ดำเนินการไปแล้ว" in second.content.decode()
    assert MemoEvent.objects.filter(memo=returned, action=EventAction.RESUBMIT).count() == 1
