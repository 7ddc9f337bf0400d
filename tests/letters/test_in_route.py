"""A booked letter passed on (เกษียนสั่งการ): to the institute, on to its head, turned into a
memo, filed; who is told, who may see it, and the inbox that lists it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from directory.models import Position, Unit
from letters.models import IncomingLetter, IncomingState, LetterAction
from letters.services import IncomingFile, LetterFacts, letter_book_in, letter_close, letter_route
from memos.models import Memo, MemoState
from notifications.models import Notification

from .helpers import PDF

pytestmark = pytest.mark.django_db


def _booked(roles, **facts) -> IncomingLetter:
    values = {
        "sender_name": "สำนักงาน ก.พ.",
        "their_number": "นร ๑๐๐๘/ว ๑๒",
        "subject": "การประเมินผลการปฏิบัติราชการ",
        "addressee": "ปลัดกรุงเทพมหานคร",
    }
    values.update(facts)
    return letter_book_in(
        user=roles.ops_clerk,
        unit=Unit.objects.get(key="ops-secretariat"),
        facts=LetterFacts(**values),
        files=[IncomingFile(name="scan.pdf", content=PDF)],
    )


def _detail(pk: int) -> str:
    return reverse("memos:letter_detail", args=[pk])


def test_route_to_the_institute_notifies_its_clerk_and_reaches_their_inbox(client, roles):
    letter = _booked(roles)
    client.force_login(roles.ops_clerk)
    page = client.get(_detail(letter.pk)).content.decode()
    assert 'id="route"' in page and 'id="close"' in page
    hrd = Unit.objects.get(key="ops-hrd")
    response = client.post(
        reverse("memos:letter_route", args=[letter.pk]),
        {"to_unit": hrd.pk, "note": "มอบสถาบันฯ ดำเนินการ", "seen": letter.chain_seq},
    )
    assert response.status_code == 302
    letter = IncomingLetter.objects.get(pk=letter.pk)
    assert letter.state == IncomingState.ROUTED and letter.holder_unit == hrd and letter.holder_position is None
    note = Notification.objects.get(kind="letter_routed", recipient=roles.clerk, channel="inapp")
    assert "เลขรับ ๑/๒๕๖๙" in note.subject and note.url == _detail(letter.pk)
    assert Notification.objects.filter(kind="letter_routed", recipient=roles.clerk, channel="email").exists()
    # The institute's clerk finds it in the inbox and may pass it on; the same click again is refused.
    client.force_login(roles.clerk)
    inbox = client.get(reverse("memos:inbox")).content.decode()
    assert 'id="letter-work"' in inbox and "การประเมินผลการปฏิบัติราชการ" in inbox
    again = client.post(
        reverse("memos:letter_route", args=[letter.pk]),
        {"to_unit": hrd.pk, "note": "มอบสถาบันฯ ดำเนินการ", "seen": letter.chain_seq - 1},
        follow=True,
    )
    assert "มีการดำเนินการไปแล้ว" in again.content.decode()
    assert letter.events.filter(action=LetterAction.ROUTE).count() == 1
    history = client.get(_detail(letter.pk)).content.decode()
    assert "มอบสถาบันฯ ดำเนินการ" in history and "ถึง " + hrd.name in history


def test_pass_on_to_a_post_then_only_that_post_acts(client, roles):
    letter = _booked(roles)
    hrd = Unit.objects.get(key="ops-hrd")
    letter = letter_route(user=roles.ops_clerk, letter=letter, to_unit=hrd, note="มอบสถาบันฯ")
    head = Position.objects.get(key="ops-hrd-head")
    client.force_login(roles.clerk)
    response = client.post(
        reverse("memos:letter_route", args=[letter.pk]),
        {"to_position": head.pk, "note": "เสนอผู้อำนวยการพิจารณา", "seen": letter.chain_seq},
    )
    assert response.status_code == 302
    letter = IncomingLetter.objects.get(pk=letter.pk)
    assert letter.holder_position == head
    assert Notification.objects.filter(kind="letter_routed", recipient=roles.director, channel="inapp").exists()
    # The institute's clerk passed it on: it is no longer theirs to move.
    with pytest.raises(ValidationError) as refused:
        letter_route(user=roles.clerk, letter=letter, to_unit=hrd, note="อีกครั้ง")
    assert refused.value.code == "not_holder"
    client.force_login(roles.director)
    page = client.get(_detail(letter.pk)).content.decode()
    assert 'id="route"' in page and 'id="request-memo"' in page
    inbox = client.get(reverse("memos:inbox")).content.decode()
    assert f'data-letter="{letter.pk}"' in inbox


def test_memo_requested_from_a_letter_refers_to_it(client, roles):
    letter = _booked(roles)
    head = Position.objects.get(key="ops-hrd-head")
    letter = letter_route(user=roles.ops_clerk, letter=letter, to_position=head, note="เสนอ ผอ.")
    client.force_login(roles.director)
    response = client.post(reverse("memos:letter_memo", args=[letter.pk]), {"note": "ร่างตอบ", "seen": letter.chain_seq})
    memo = Memo.objects.get()
    assert response.status_code == 302 and response.url == reverse("memos:memo_detail", args=[memo.pk])
    assert memo.state == MemoState.DRAFT and memo.drafted_by == roles.director
    assert memo.reference.startswith("หนังสือสำนักงาน ก.พ. ที่ นร ๑๐๐๘/ว ๑๒")
    assert "(เลขรับ ๑/๒๕๖๙)" in memo.reference
    assert memo.subject == "การประเมินผลการปฏิบัติราชการ"
    # A double click gives the same draft.
    client.post(reverse("memos:letter_memo", args=[letter.pk]), {"note": "ร่างตอบ", "seen": letter.chain_seq})
    assert Memo.objects.count() == 1
    page = client.get(_detail(letter.pk)).content.decode()
    assert reverse("memos:memo_detail", args=[memo.pk]) in page
    paper = client.get(reverse("memos:memo_detail", args=[memo.pk])).content.decode()
    assert 'id="memo-reference"' in paper and "นร ๑๐๐๘/ว ๑๒" in paper


def test_close_as_noted(client, roles):
    letter = _booked(roles)
    client.force_login(roles.ops_clerk)
    response = client.post(
        reverse("memos:letter_close", args=[letter.pk]), {"note": "ทราบ เก็บเข้าแฟ้ม", "seen": letter.chain_seq}
    )
    assert response.status_code == 302
    letter = IncomingLetter.objects.get(pk=letter.pk)
    assert letter.state == IncomingState.CLOSED
    assert letter.events.get(action=LetterAction.CLOSE).text == "ทราบ เก็บเข้าแฟ้ม"
    page = client.get(_detail(letter.pk)).content.decode()
    assert 'id="route"' not in page and 'id="close"' not in page
    with pytest.raises(ValidationError) as refused:
        letter_close(user=roles.ops_clerk, letter=letter)
    assert refused.value.code == "already_closed"


def test_clerk_of_another_unit_gets_404_everywhere(client, roles):
    letter = _booked(roles)
    scan = letter.files.get()
    client.force_login(roles.district_clerk)
    for url in (
        _detail(letter.pk),
        reverse("memos:letter_file", args=[letter.pk, scan.pk]),
        reverse("memos:letter_book", args=[letter.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("memos:letter_route", args=[letter.pk]), {"note": "x"}).status_code == 404
    assert client.post(reverse("memos:letter_close", args=[letter.pk]), {}).status_code == 404
    listing = client.get(reverse("memos:letter_list")).content.decode()
    assert "การประเมินผลการปฏิบัติราชการ" not in listing


def test_anonymous_is_sent_to_sign_in_and_files_are_404(client, roles):
    letter = _booked(roles)
    response = client.get(_detail(letter.pk))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get(reverse("memos:letter_file", args=[letter.pk, letter.files.get().pk])).status_code == 404


def test_secret_letter_is_seen_only_by_name(client, roles):
    letter = _booked(roles, subject="เรื่องลับเฉพาะ", secrecy=2)
    hrd = Unit.objects.get(key="ops-hrd")
    with pytest.raises(ValidationError) as refused:
        letter_route(user=roles.ops_clerk, letter=letter, to_unit=hrd, note="มอบสถาบันฯ")
    assert refused.value.code == "secret_unit"
    head = Position.objects.get(key="ops-hrd-head")
    letter_route(user=roles.ops_clerk, letter=letter, to_position=head, note="เสนอ ผอ. โดยตรง")
    client.force_login(roles.director)
    assert client.get(_detail(letter.pk)).status_code == 200
    # The institute's clerk is of the same unit but not named on the route.
    client.force_login(roles.clerk)
    assert client.get(_detail(letter.pk)).status_code == 404
    # The mail that leaves the system does not carry the subject.
    note = Notification.objects.get(kind="letter_routed", recipient=roles.director, channel="email")
    assert "เรื่องลับเฉพาะ" not in note.subject + note.body


def test_list_filters_by_state_and_text(client, roles):
    _booked(roles)
    closed = _booked(roles, their_number="นร ๑๐๐๘/ว ๙๙", subject="ขอเชิญประชุม")
    letter_close(user=roles.ops_clerk, letter=closed, note="ทราบ")
    client.force_login(roles.ops_clerk)
    url = reverse("memos:letter_list")
    both = client.get(url).content.decode()
    assert "ขอเชิญประชุม" in both and "การประเมินผล" in both
    only_closed = client.get(url, {"state": "closed"}).content.decode()
    assert "ขอเชิญประชุม" in only_closed and "การประเมินผล" not in only_closed
    by_text = client.get(url, {"q": "ประเมิน"}).content.decode()
    assert "ขอเชิญประชุม" not in by_text and "การประเมินผล" in by_text


def test_a_scan_read_meanwhile_does_not_make_the_form_stale(roles):
    from letters.services import IncomingStep

    letter = _booked(roles)
    seen = letter.chain_seq
    step = IncomingStep(letter)
    step.record(LetterAction.OCR, actor=None, actor_name="ระบบอ่านข้อความ (OCR)", text="อ่านแล้ว")
    hrd = Unit.objects.get(key="ops-hrd")
    routed = letter_route(user=roles.ops_clerk, letter=letter, to_unit=hrd, note="มอบสถาบันฯ", seen=seen)
    assert routed.state == IncomingState.ROUTED
    with pytest.raises(ValidationError) as refused:
        letter_route(user=roles.ops_clerk, letter=routed, to_unit=Unit.objects.get(key="ops"), note="x", seen=seen)
    assert refused.value.code == "stale"
