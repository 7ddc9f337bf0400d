"""Booking in a paper letter on screen: the clerk's form, the เลขรับ shown big, and every bad
input refused in Thai with nothing booked."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from letters.models import IncomingLetter, IncomingState, OcrJob
from registers.models import RegisterEntry, Series

from .helpers import book_form, png_bytes, scan

pytestmark = pytest.mark.django_db

NEW = "/memos/letters/new/"


def _book(client, **overrides):
    files = overrides.pop("scans", None)
    data = book_form(**overrides)
    data["scans"] = files if files is not None else [scan()]
    return client.post(NEW, data)


def test_clerk_books_a_paper_letter_and_sees_its_receive_number(client, roles):
    client.force_login(roles.ops_clerk)
    page = client.get(NEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="book-in"' in html and "ไฟล์ละไม่เกิน ๒๐ เมกะไบต์" in html and "รวมทั้งฉบับไม่เกิน ๕๐ เมกะไบต์" in html
    response = _book(client, scans=[scan(), scan("page2.png", png_bytes(), "image/png")])
    letter = IncomingLetter.objects.get()
    assert response.status_code == 302 and response.url == f"/memos/letters/{letter.pk}/?booked=1"
    page = client.get(response.url)
    html = page.content.decode()
    assert '<span id="receive-number" class="receive-number">๑/๒๕๖๙</span>' in html
    assert "ลงทะเบียนรับแล้ว" in html
    assert letter.state == IncomingState.BOOKED and letter.their_date.isoformat() == "2026-11-20"
    assert letter.files.count() == 2 and OcrJob.objects.filter(letter=letter).count() == 2
    # The scans are served through the letter's access check, under their own names.
    first = letter.files.order_by("pk").first()
    download = client.get(reverse("memos:letter_file", args=[letter.pk, first.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "scan.pdf" in download["Content-Disposition"]


def test_the_same_form_sent_twice_books_once(client, roles):
    client.force_login(roles.ops_clerk)
    first = _book(client, their_number="", form_token="abc123")
    second = _book(client, their_number="", form_token="abc123")
    letter = IncomingLetter.objects.get()
    assert first.url == second.url == f"/memos/letters/{letter.pk}/?booked=1"
    assert RegisterEntry.objects.filter(series=Series.RECEIVE).count() == 1


def test_duplicate_letter_is_refused_in_the_form_naming_the_first_booking(client, roles):
    client.force_login(roles.ops_clerk)
    _book(client)
    again = _book(client, their_number="นร1008/ว12", form_token="other")
    assert again.status_code == 400
    html = again.content.decode()
    assert 'id="book-in-errors"' in html
    assert "ลงทะเบียนรับไว้แล้ว เลขรับ ๑/๒๕๖๙" in html
    # What the clerk typed is still there.
    assert 'value="นร1008/ว12"' in html
    assert IncomingLetter.objects.count() == 1


def test_a_pdf_that_is_really_text_is_refused_by_its_content(client, roles):
    client.force_login(roles.ops_clerk)
    response = _book(client, scans=[scan("letter.pdf", "นี่คือข้อความ ไม่ใช่ PDF".encode(), "application/pdf")])
    assert response.status_code == 400
    assert "เนื้อไฟล์ letter.pdf ไม่ใช่ไฟล์ .pdf" in response.content.decode()
    assert not IncomingLetter.objects.exists() and not RegisterEntry.objects.exists()


def test_other_file_types_are_refused(client, roles):
    client.force_login(roles.ops_clerk)
    response = _book(client, scans=[scan("letter.docx", b"PK\x03\x04....", "application/octet-stream")])
    assert response.status_code == 400
    assert "รับเฉพาะไฟล์ .pdf .jpg .jpeg หรือ .png" in response.content.decode()
    assert not IncomingLetter.objects.exists()


@override_settings(LETTER_FILE_MAX_BYTES=1024, LETTER_TOTAL_MAX_BYTES=1536)
def test_limits_per_file_and_per_letter_are_stated_and_enforced(client, roles):
    client.force_login(roles.ops_clerk)
    big = b"%PDF-1.4\n" + b"0" * 2000
    response = _book(client, scans=[scan("big.pdf", big)])
    assert response.status_code == 400
    assert "ไฟล์ big.pdf มีขนาด" in response.content.decode() and "เกินที่กำหนดไว้ไฟล์ละ" in response.content.decode()
    part = b"%PDF-1.4\n" + b"0" * 900
    response = _book(client, scans=[scan("a.pdf", part), scan("b.pdf", part)])
    assert response.status_code == 400
    assert "เกินที่กำหนดไว้ฉบับละ" in response.content.decode()
    assert not IncomingLetter.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("๓๒ ธ.ค. ๒๕๖๙", "ไม่มีวันที่ ๓๒ ธ.ค. ๒๕๖๙ ในปฏิทิน"),
        ("2/12/69", "กรุณากรอกวันที่เป็น วว/ดด/ปปปป (พ.ศ.)"),
        ("31/12/2580", "วันที่ต้องไม่เกิน"),
    ],
)
def test_unreadable_dates_are_refused_in_thai(client, roles, typed, message):
    client.force_login(roles.ops_clerk)
    response = _book(client, their_date=typed)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IncomingLetter.objects.exists()


@pytest.mark.parametrize("typed", ["๒ ธ.ค. ๒๕๖๙", "2/12/2569"])
def test_buddhist_era_dates_are_read(client, roles, typed):
    client.force_login(roles.ops_clerk)
    import time_machine

    with time_machine.travel("2026-12-03 09:00 +0700"):
        response = _book(client, their_date=typed)
    assert response.status_code == 302
    assert IncomingLetter.objects.get().their_date.isoformat() == "2026-12-02"


def test_missing_sender_subject_and_scan_are_named(client, roles):
    client.force_login(roles.ops_clerk)
    response = _book(client, sender_name="", subject="", scans=[])
    html = response.content.decode()
    assert response.status_code == 400
    assert "กรุณาระบุหน่วยงานผู้ส่ง" in html and "กรุณาระบุเรื่อง" in html and "กรุณาแนบไฟล์สแกน" in html


def test_only_clerks_open_the_booking_form(client, roles):
    client.force_login(roles.director)
    assert client.get(NEW).status_code == 404
