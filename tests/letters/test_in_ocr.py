"""OCR of a booked scan: a page of Thai text drawn as an image, booked in, read by the outbox
task with ocrmypdf, and found in the letter's text; without ocrmypdf the letter still stands
and its page says it has not been read."""

from __future__ import annotations

import io
import shutil

import pytest
from django.test import override_settings
from django.urls import reverse

from directory.models import Unit
from letters import tasks
from letters.models import IncomingLetter, LetterAction, OcrJob, OcrState, OcrStatus
from letters.services import IncomingFile, LetterFacts, letter_book_in

pytestmark = pytest.mark.django_db

FONT = "/usr/share/fonts/truetype/tlwg/Laksaman.ttf"


def thai_scan() -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (1654, 700), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 64)
    draw.text((100, 100), "เรื่อง ขอเชิญประชุม", font=font, fill=0)
    draw.text((100, 250), "สำนักงานปลัดกรุงเทพมหานคร", font=font, fill=0)
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")  # no resolution recorded, as many scanners do
    return buffer.getvalue()


def _book(roles) -> IncomingLetter:
    return letter_book_in(
        user=roles.ops_clerk,
        unit=Unit.objects.get(key="ops-secretariat"),
        facts=LetterFacts(sender_name="สำนักงาน ก.พ.", their_number="นร ๑/๒", subject="ขอเชิญประชุม"),
        files=[IncomingFile(name="scan.png", content=thai_scan(), content_type="image/png")],
    )


@pytest.mark.skipif(shutil.which("ocrmypdf") is None, reason="needs Debian's ocrmypdf and tesseract-ocr-tha")
def test_scan_is_read_in_thai_and_a_searchable_pdf_is_kept(client, roles):
    letter = _book(roles)
    assert letter.ocr_state == OcrState.PENDING
    client.force_login(roles.ops_clerk)
    assert "รออ่านข้อความ (OCR)" in client.get(reverse("memos:letter_detail", args=[letter.pk])).content.decode()
    job = OcrJob.objects.get(letter=letter)
    assert tasks.read_scan(job.pk) == OcrStatus.DONE
    assert tasks.read_scan(job.pk) == "skipped"  # handed over twice: read once
    letter = IncomingLetter.objects.get(pk=letter.pk)
    assert letter.ocr_state == OcrState.DONE
    assert "ขอเชิญประชุม" in letter.text and "สำนักงานปลัดกรุงเทพมหานคร" in letter.text
    scan = letter.files.get()
    assert scan.searchable and scan.searchable.open("rb").read(5) == b"%PDF-"
    assert letter.events.filter(action=LetterAction.OCR).count() == 1
    page = client.get(reverse("memos:letter_detail", args=[letter.pk])).content.decode()
    assert "อ่านข้อความด้วย OCR แล้ว" in page and f'id="searchable-{scan.pk}"' in page
    download = client.get(reverse("memos:letter_file", args=[letter.pk, scan.pk]) + "?searchable=1")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


@override_settings(OCRMYPDF_BINARY="ocrmypdf-not-installed-here")
def test_without_ocrmypdf_the_letter_stands_and_says_it_was_not_read(client, roles):
    letter = _book(roles)
    job = OcrJob.objects.get(letter=letter)
    assert tasks.read_scan(job.pk) == "failed"
    assert OcrJob.objects.get(pk=job.pk).status == OcrStatus.FAILED  # shown to the administrator
    letter = IncomingLetter.objects.get(pk=letter.pk)
    assert letter.ocr_state == OcrState.UNAVAILABLE and letter.receive_number == 1
    client.force_login(roles.ops_clerk)
    page = client.get(reverse("memos:letter_detail", args=[letter.pk])).content.decode()
    assert "ยังไม่ได้อ่านข้อความด้วย OCR" in page and 'id="receive-number"' in page
