"""The outgoing letter screens: drafting (from scratch and as an answer), the buttons along
the chain, the document through the access check, and another unit's 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import Position
from letters.outgoing import outgoing_sign, outgoing_submit
from letters.outgoing_models import OutgoingLetter, OutgoingState
from tests.conftest import official

from .out_helpers import agency, docx_text, draft, received

pytestmark = pytest.mark.django_db


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "recipient_name": "สำนักงาน ก.พ.",
        "recipient_email": "saraban@ocsc.example",
        "addressee": "เลขาธิการคณะกรรมการข้าราชการพลเรือน",
        "subject": "ขอความอนุเคราะห์ข้อมูล",
        "body": "ย่อหน้าแรก\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
        "urgency": "0",
        "secrecy": "0",
        "signing_position": str(Position.objects.get(key="ops-hrd-head").pk),
    }
    data.update(overrides)
    return data


def test_drafting_in_the_form_then_the_buttons_along_the_chain(roles, client):
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:letters_out:new"))
    assert page.status_code == 200 and 'id="out-save"' in page.content.decode()
    response = client.post(reverse("memos:letters_out:new"), _form())
    letter = OutgoingLetter.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("memos:letters_out:detail", args=[letter.pk])
    detail = client.get(response["Location"]).content.decode()
    assert 'id="out-submit"' in detail and 'id="out-edit"' in detail and 'id="out-withdraw"' in detail

    # A double click on "submit": one submission, the second says why in Thai.
    client.post(reverse("memos:letters_out:submit", args=[letter.pk]))
    second = client.post(reverse("memos:letters_out:submit", args=[letter.pk]), follow=True).content.decode()
    assert "ไม่สามารถเสนอลงนามได้" in second
    assert letter.events.filter(action="submit").count() == 1

    client.force_login(roles.director)
    waiting = client.get(reverse("memos:letters_out:list")).content.decode()
    assert "ลงนามหนังสือภายนอก" in waiting and letter.subject in waiting
    detail = client.get(reverse("memos:letters_out:detail", args=[letter.pk])).content.decode()
    assert 'id="out-sign"' in detail and 'id="out-return"' in detail and 'id="out-forward"' not in detail
    refused = client.post(reverse("memos:letters_out:return", args=[letter.pk]), {"note": ""}, follow=True)
    assert "กรุณาระบุเหตุผลที่ส่งคืน" in refused.content.decode()
    client.post(reverse("memos:letters_out:return", args=[letter.pk]), {"note": "แก้ย่อหน้าแรก"})
    assert OutgoingLetter.objects.get(pk=letter.pk).state == OutgoingState.RETURNED

    client.force_login(roles.clerk)
    detail = client.get(reverse("memos:letters_out:detail", args=[letter.pk])).content.decode()
    assert 'id="out-resubmit"' in detail and "แก้ย่อหน้าแรก" in detail
    client.post(reverse("memos:letters_out:edit", args=[letter.pk]), _form(body="ย่อหน้าที่แก้แล้ว"))
    client.post(reverse("memos:letters_out:resubmit", args=[letter.pk]), {"note": ""})

    client.force_login(roles.director)
    client.post(reverse("memos:letters_out:sign", args=[letter.pk]))
    letter = OutgoingLetter.objects.get(pk=letter.pk)
    assert letter.state == OutgoingState.SIGNED and letter.number == "กท ๐๔๐๑/๑"

    client.force_login(roles.clerk)
    detail = client.get(reverse("memos:letters_out:detail", args=[letter.pk])).content.decode()
    assert 'id="out-send"' in detail and 'id="out-number"' in detail
    document = client.get(reverse("memos:letters_out:document", args=[letter.pk]))
    assert document.status_code == 200
    assert "กท ๐๔๐๑/๑" in docx_text(document.content) and "ย่อหน้าที่แก้แล้ว" in docx_text(document.content)


def test_reply_to_prefills_from_the_received_letter_and_links_the_answer(roles, client):
    ocsc = agency()
    incoming = received(roles, sender_agency=ocsc, sender_name="")
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:letters_out:new") + f"?reply_to={incoming.pk}").content.decode()
    assert 'id="out-reply-to"' in page
    assert "หนังสือสำนักงาน ก.พ. ที่ นร ๑๐๐๘/ว ๑๔ ลงวันที่ ๒๐ พฤศจิกายน ๒๕๖๙" in page
    assert "saraban@ocsc.example" in page and incoming.subject in page
    client.post(
        reverse("memos:letters_out:new") + f"?reply_to={incoming.pk}",
        _form(reply_to=str(incoming.pk), recipient_agency=str(ocsc.pk), recipient_name=""),
    )
    letter = OutgoingLetter.objects.get()
    assert letter.in_reply_to_id == incoming.pk and letter.recipient_name == "สำนักงาน ก.พ."


def test_reply_to_a_letter_the_user_cannot_see_is_404(roles, client):
    incoming = received(roles)
    client.force_login(roles.district_clerk)
    assert client.get(reverse("memos:letters_out:new") + f"?reply_to={incoming.pk}").status_code == 404
    assert client.get(reverse("memos:letters_out:new") + "?reply_to=abc").status_code == 404


def test_another_unit_gets_404_on_the_letter_its_document_and_its_buttons(roles, client):
    letter = outgoing_sign(letter=outgoing_submit(letter=draft(roles.clerk), user=roles.clerk), user=roles.director)
    client.force_login(roles.district_clerk)
    for name in ("detail", "document", "preview"):
        assert client.get(reverse(f"memos:letters_out:{name}", args=[letter.pk])).status_code == 404
    for name in ("send", "withdraw", "submit", "sign"):
        assert (
            client.post(reverse(f"memos:letters_out:{name}", args=[letter.pk]), {"channel": "post"}).status_code == 404
        )
    assert client.get(reverse("memos:letters_out:detail", args=[999999])).status_code == 404
    assert OutgoingLetter.objects.get(pk=letter.pk).state == OutgoingState.SIGNED
    client.logout()
    assert client.get(reverse("memos:letters_out:document", args=[letter.pk])).status_code == 404


def test_a_secret_letter_is_not_shown_to_the_unit_at_large(roles, client):
    letter = draft(roles.clerk, secrecy=1)
    colleague = official("colleague", "นาย", "สมศักดิ์", "ร่วมงาน", "ops-hrd")
    client.force_login(colleague)
    assert client.get(reverse("memos:letters_out:detail", args=[letter.pk])).status_code == 404
    open_letter = draft(roles.clerk, subject="เรื่องทั่วไป")
    assert client.get(reverse("memos:letters_out:detail", args=[open_letter.pk])).status_code == 200


def test_enclosure_upload_is_checked_by_content(roles, client):
    letter = draft(roles.clerk)
    client.force_login(roles.clerk)
    fake = SimpleUploadedFile("แผน.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    page = client.post(
        reverse("memos:letters_out:attach", args=[letter.pk]), {"file": fake, "title": "แผน"}, follow=True
    ).content.decode()
    assert "ไม่ใช่ไฟล์ .pdf" in page
    assert not letter.files.exists()


def test_bad_form_input_is_shown_in_thai_and_nothing_is_saved(roles, client):
    client.force_login(roles.clerk)
    page = client.post(
        reverse("memos:letters_out:new"),
        _form(subject="", recipient_name="", recipient_email="not-an-email", signing_position="999999"),
    ).content.decode()
    assert "กรุณาเลือกหน่วยงานหรือพิมพ์ชื่อผู้รับ" in page and "รูปแบบอีเมลไม่ถูกต้อง" in page
    assert not OutgoingLetter.objects.exists()


def test_pages_stay_within_their_query_budget(roles, client, django_assert_max_num_queries):
    letter = outgoing_submit(letter=draft(roles.clerk), user=roles.clerk)
    client.force_login(roles.director)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("memos:letters_out:detail", args=[letter.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("memos:letters_out:list")).status_code == 200


def test_withdraw_button_needs_a_reason_and_ends_the_letter(roles, client):
    letter = outgoing_submit(letter=draft(roles.clerk), user=roles.clerk)
    client.force_login(roles.clerk)
    detail = client.get(reverse("memos:letters_out:detail", args=[letter.pk])).content.decode()
    assert 'id="out-withdraw"' in detail
    page = client.post(reverse("memos:letters_out:withdraw", args=[letter.pk]), {"reason": ""}, follow=True)
    assert "กรุณาระบุเหตุผลที่ถอนเรื่อง" in page.content.decode()
    page = client.post(
        reverse("memos:letters_out:withdraw", args=[letter.pk]), {"reason": "ผู้บริหารให้ยุติเรื่อง"}, follow=True
    ).content.decode()
    assert OutgoingLetter.objects.get(pk=letter.pk).state == OutgoingState.WITHDRAWN
    assert "ผู้บริหารให้ยุติเรื่อง" in page and 'id="out-withdraw"' not in page and 'id="out-edit"' not in page
    # The signer no longer has it waiting.
    client.force_login(roles.director)
    assert "ไม่มีหนังสือรอท่านดำเนินการ" in client.get(reverse("memos:letters_out:list")).content.decode()
