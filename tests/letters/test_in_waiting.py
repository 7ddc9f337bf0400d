"""Items waiting to be booked in (from e-mail or e-CMS): the clerk's queue, booking one through
the same form prefilled, refusing one with a reason (the channel is told through hooks)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from directory.models import Unit
from letters import hooks
from letters.models import Channel, IncomingLetter, IncomingState, LetterAction
from letters.services import IncomingFile, LetterFacts, letter_intake

from .helpers import PDF, book_form

pytestmark = pytest.mark.django_db


def _item(ref: str = "<m1@ocsc.go.th>", **facts) -> IncomingLetter:
    values = {
        "sender_name": "สำนักงาน ก.พ.",
        "their_number": "นร ๑๐๐๘/ว ๒๐",
        "their_date": dt.date(2026, 11, 25),
        "subject": "ขอเชิญประชุมชี้แจง",
    }
    values.update(facts)
    item, _created = letter_intake(
        unit=Unit.objects.get(key="ops-secretariat"),
        channel=Channel.EMAIL,
        source_ref=ref,
        facts=LetterFacts(**values),
        files=[IncomingFile(name="letter.pdf", content=PDF, content_type="application/pdf")],
    )
    return item


def test_clerk_sees_the_queue_and_the_menu_count(client, roles):
    item = _item()
    client.force_login(roles.ops_clerk)
    page = client.get(reverse("memos:letter_waiting")).content.decode()
    assert f'id="waiting-{item.pk}"' in page and "ขอเชิญประชุมชี้แจง" in page
    assert 'id="menu-letters"' in page and "หนังสือรับ (๑)" in page
    detail = client.get(reverse("memos:letter_detail", args=[item.pk])).content.decode()
    assert 'id="book-waiting"' in detail and 'id="reject"' in detail and 'id="receive-number"' not in detail
    inbox = client.get(reverse("memos:inbox")).content.decode()
    assert "letter-waiting-row" in inbox and "ลงทะเบียนรับ (ไปรษณีย์อิเล็กทรอนิกส์)" in inbox
    # Not a clerk: no queue, no count.
    client.force_login(roles.director)
    assert client.get(reverse("memos:letter_waiting")).status_code == 404
    assert "หนังสือรับ (" not in client.get(reverse("memos:letter_list")).content.decode()


def test_waiting_item_is_booked_through_the_prefilled_form(client, roles):
    item = _item()
    client.force_login(roles.ops_clerk)
    url = reverse("memos:letter_book", args=[item.pk])
    form = client.get(url).content.decode()
    assert 'value="นร ๑๐๐๘/ว ๒๐"' in form and 'value="25/11/2569"' in form and "letter.pdf" in form
    response = client.post(
        url,
        book_form(
            their_number="นร ๑๐๐๘/ว ๒๐",
            their_date="25/11/2569",
            subject="ขอเชิญประชุมชี้แจง (แก้ไขตามหนังสือ)",
        ),
    )
    assert response.status_code == 302
    letter = IncomingLetter.objects.get(pk=item.pk)
    assert letter.state == IncomingState.BOOKED and letter.receive_number == 1 and letter.channel == Channel.EMAIL
    assert letter.subject == "ขอเชิญประชุมชี้แจง (แก้ไขตามหนังสือ)"
    assert "๑/๒๕๖๙" in client.get(response.url).content.decode()
    # Sent again (a second tab): told it is booked, nothing new.
    again = client.post(url, book_form(their_number="นร ๑๐๐๘/ว ๒๐", their_date="25/11/2569"))
    assert again.status_code == 302
    assert IncomingLetter.objects.filter(receive_number__isnull=False).count() == 1


def test_waiting_item_is_refused_with_a_reason_and_the_channel_is_told(client, roles):
    told: list[tuple[int, str]] = []

    def listener(letter, reason):
        told.append((letter.pk, reason))

    hooks.on_rejected(listener)
    try:
        item = _item()
        client.force_login(roles.ops_clerk)
        url = reverse("memos:letter_reject", args=[item.pk])
        empty = client.post(url, {"reason": "", "seen": item.chain_seq}, follow=True)
        assert "กรุณาระบุเหตุผลที่ไม่รับหนังสือ" in empty.content.decode()
        response = client.post(url, {"reason": "ส่งผิดหน่วยงาน", "seen": item.chain_seq}, follow=True)
        assert "บันทึกการไม่รับหนังสือแล้ว" in response.content.decode()
        letter = IncomingLetter.objects.get(pk=item.pk)
        assert letter.state == IncomingState.REJECTED and letter.receive_number is None
        assert letter.events.get(action=LetterAction.REJECT).text == "ส่งผิดหน่วยงาน"
        assert told == [(item.pk, "ส่งผิดหน่วยงาน")]
        # A double click: refused in Thai, the channel is not told twice.
        again = client.post(url, {"reason": "ส่งผิดหน่วยงาน", "seen": item.chain_seq}, follow=True)
        assert "ถูกปฏิเสธไปแล้ว" in again.content.decode()
        assert len(told) == 1
        assert f'id="waiting-{item.pk}"' not in client.get(reverse("memos:letter_waiting")).content.decode()
    finally:
        hooks._rejected.remove(listener)


def test_clerk_of_another_unit_cannot_book_or_refuse(client, roles):
    item = _item()
    client.force_login(roles.clerk)
    assert client.get(reverse("memos:letter_book", args=[item.pk])).status_code == 404
    assert client.post(reverse("memos:letter_reject", args=[item.pk]), {"reason": "x"}).status_code == 404
    assert IncomingLetter.objects.get(pk=item.pk).state == IncomingState.WAITING
