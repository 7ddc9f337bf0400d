"""The circular prefilled from the decision reads like the seed's (seed-memo.txt, the circular
กท ๐๔๐๑/ว ๕๑): what was approved and ordered in words, not item numbers of a memo the units
have not read; the report's form, deadline and mailbox; a QR code and the link of the
circular's page, where a unit downloads its files and files its report; the decided memo as
สิ่งที่ส่งมาด้วย."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from docx.oxml.ns import qn

from directives import selectors, services
from directives.models import Directive
from documents.docx_builder import qr_png
from tests.directives.conftest import approve_reference_memo, issue_directive
from tests.documents.helpers import open_docx, paragraph_texts

pytestmark = pytest.mark.django_db

BKK = dt.timezone(dt.timedelta(hours=7))
TODAY = dt.datetime(2026, 11, 24, 9, 30, tzinfo=BKK)  # ๒๔ พฤศจิกายน ๒๕๖๙

# The seed circular's own words (seed-memo.txt, กท ๐๔๐๑/ว ๕๑).
SEED_OPENING = "ขอส่งสำเนาหนังสือ ที่"
SEED_DECISION = "มาเพื่อโปรดทราบ และดำเนินการตามที่ปลัดกรุงเทพมหานครได้โปรดอนุมัติ แผนพัฒนาข้าราชการกรุงเทพมหานครและบุคลากรกรุงเทพมหานคร ประจำปีงบประมาณ พ.ศ. ๒๕๖๔"
SEED_ORDER = "และสั่งการให้ทุกหน่วยงาน และส่วนราชการในสังกัดสำนักปลัดกรุงเทพมหานคร ดำเนินโครงการ/กิจกรรม"
SEED_FIRST_ACTION_END = (
    "ภายหลังจากที่ดำเนินโครงการแล้วเสร็จภายในสองสัปดาห์ และดำเนินการพัฒนาบุคลากรในสังกัด ให้ครอบคลุมยุทธศาสตร์ที่เกี่ยวข้อง"
)
SEED_CHANNEL = "ในรูปแบบเอกสาร และไฟล์ข้อมูลทางไปรษณีย์อิเล็กทรอนิกส์ (E-mail): bmahrd01@gmail.com"
SEED_DOWNLOAD = "ทั้งนี้ สามารถดาวน์โหลดเอกสารได้ที่ QR Code ด้านล่าง หรือที่ "
MAILBOX = "bmahrd01@gmail.com"


@pytest.fixture
def memo(client, roles):
    with time_machine.travel(TODAY, tick=False):
        return approve_reference_memo(client, roles)


@pytest.fixture
def directive(memo, roles) -> Directive:
    with time_machine.travel(TODAY, tick=False):
        return issue_directive(memo, roles)


def link_of(directive: Directive) -> str:
    return settings.SITE_URL + reverse("memos:directive_detail", args=[directive.pk])


def test_prefill_quotes_the_decision_in_words_in_the_seed_paragraphs(memo) -> None:
    body = selectors.directive_initial(memo).body
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 3, body
    opening, report, download = paragraphs
    assert opening.startswith(
        f"พร้อมนี้ สถาบันพัฒนาข้าราชการกรุงเทพมหานคร {SEED_OPENING} {memo.number} ลงวันที่ {memo_date(memo)} เรื่อง {memo.subject} "
    )
    for phrase in (SEED_DECISION, SEED_ORDER, SEED_FIRST_ACTION_END, "๗๐ : ๒๐ : ๑๐"):
        assert phrase in opening
    # Words the units can read, not pointers into a memo they have not seen.
    assert "ข้อ ๒ - ๓" not in body and "อนุมัติในข้อ" not in body
    assert "ตามต้นเรื่องข้อ" not in body and "ตามข้อเท็จจริงข้อ" not in body
    assert body.count("ให้ทุกหน่วยงาน") == 1
    # The report: its form, deadline, to whom and by which channel.
    assert report.startswith("สำหรับการรายงานผลการดำเนินงาน ตามแบบ สพข. ๒/")
    assert "โปรดส่งให้สถาบันพัฒนาข้าราชการกรุงเทพมหานคร ภายในสองสัปดาห์ภายหลังจากที่ดำเนินการแล้วเสร็จ" in report
    assert report.endswith(SEED_CHANNEL)
    assert download.startswith("ทั้งนี้ สามารถดาวน์โหลดเอกสารได้ที่ QR Code ด้านล่าง")
    assert not re.search("[0-9]", body.replace(MAILBOX, "")), "Arabic digits outside the mailbox"


def test_the_saved_circular_names_its_page_where_units_download_and_report(directive) -> None:
    link = link_of(directive)
    doc = selectors.directive_document_data(directive)
    assert doc.link == link
    download = doc.body.split("\n\n")[-1]
    assert download.startswith(f"{SEED_DOWNLOAD}{link} ")
    assert download.endswith("และรายงานผลการดำเนินงานผ่านระบบได้ที่เดียวกัน")
    # The prefill given the page names it too, in the seed's words.
    data = selectors.directive_input_of(directive)
    assert f"{SEED_DOWNLOAD}{link}" in selectors.prefill_body(memo=directive.memo, data=data, link=link)


def test_a_clerk_text_without_the_qr_sentence_is_printed_as_written(directive) -> None:
    directive.body = "พร้อมนี้ ขอส่งสำเนาหนังสือมาเพื่อโปรดทราบ"
    assert selectors.directive_document_data(directive).body == directive.body
    directive.body = f"ดาวน์โหลดเอกสารได้ที่ QR Code ด้านล่าง หรือที่ {link_of(directive)}"
    assert selectors.directive_document_data(directive).body == directive.body  # not twice


def test_the_document_has_the_paragraphs_the_attachment_the_qr_code_and_the_link(directive) -> None:
    link = link_of(directive)
    data = selectors.directive_docx(directive)
    doc = open_docx(data)
    texts = [t for t in paragraph_texts(doc) if t]
    memo = directive.memo
    assert f"สิ่งที่ส่งมาด้วย\tสำเนาบันทึกข้อความ ที่ {memo.number} ลงวันที่ {memo_date(memo)} จำนวน ๑ ชุด" in texts
    opening = next(t for t in texts if t.startswith("พร้อมนี้"))
    assert SEED_DECISION in opening and SEED_ORDER in opening and MAILBOX not in opening
    assert any(t.startswith("สำหรับการรายงานผล") and t.endswith(SEED_CHANNEL) for t in texts)
    assert any(t.startswith(f"{SEED_DOWNLOAD}{link}") for t in texts)
    # The QR code is a picture in the body; the link is printed under it.
    assert len(doc.inline_shapes) == 1
    pictures = [i for i, p in enumerate(doc.paragraphs) if p._p.find(f".//{qn('w:drawing')}") is not None]
    assert len(pictures) == 1
    assert doc.paragraphs[pictures[0] + 1].text == link
    assert round(doc.inline_shapes[0].width.cm, 1) == 2.5
    png = qr_image(data)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert decoded(png, link) == link


def test_every_number_the_reader_reads_is_in_thai_digits(directive) -> None:
    texts = paragraph_texts(open_docx(selectors.directive_docx(directive)))
    link = link_of(directive)
    for text in texts:
        rest = text.replace(link, "").replace(MAILBOX, "")
        assert not re.search("[0-9]", rest), text


def test_the_circular_page_shows_the_link_and_the_attachment(client, roles, directive) -> None:
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:directive_detail", args=[directive.pk])).content.decode()
    link = link_of(directive)
    assert f'href="{link}"' in page
    assert "สิ่งที่ส่งมาด้วย" in page and reverse("memos:memo_detail", args=[directive.memo.pk]) in page


def test_the_new_circular_form_says_where_the_link_goes(client, roles, memo) -> None:
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:directive_new", args=[memo.pk])).content.decode()
    help_text = page.split('id="body-help">')[1].split("</small>")[0]
    assert "QR Code ด้านล่าง" in help_text and "เมื่อบันทึกร่างแล้ว" in help_text


def test_orders_to_different_actors_keep_their_own_and_lone_orders_take_the_deciders(memo) -> None:
    two = [
        ("ให้สำนักงานเขต จัดทำแผน ตามข้อเท็จจริงข้อ ๒", "ทุกหน่วยงาน"),
        ("ให้สำนักการแพทย์ รายงานผล", "ทุกหน่วยงาน"),
    ]
    assert selectors._ordered(two) == ("สั่งการ", ("ให้สำนักงานเขต จัดทำแผน ตามข้อเท็จจริงข้อ ๒", "ให้สำนักการแพทย์ รายงานผล"))
    assert selectors._ordered([("จัดทำแผน", "ให้ทุกหน่วยงานดำเนินการ")]) == ("สั่งการให้ทุกหน่วยงาน", ("จัดทำแผน",))
    assert selectors._plain("ดำเนินโครงการ ตามแบบ สพข. ๒/๕๔ ตามต้นเรื่องข้อ ๒ ภายหลัง") == (
        "ดำเนินโครงการ ตามแบบ สพข. ๒/๕๔ ภายหลัง"
    )
    assert selectors._plain("จัดทำแผนตามข้อ ๒ - ๓ ตามข้อบัญญัติงบประมาณ") == "จัดทำแผน ตามข้อบัญญัติงบประมาณ"


# --- helpers ---------------------------------------------------------------------------------


def memo_date(memo) -> str:
    from documents.thai import thai_date

    return thai_date(memo.dated)


def qr_image(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        images = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(images) == 1, images
        return z.read(images[0])


def decoded(png: bytes, link: str) -> str:
    """What a phone reads from the picture: decoded when a QR decoder is installed; otherwise
    the picture must be, byte for byte, the QR code of the link."""
    try:
        import zxingcpp  # type: ignore[import-not-found]
        from PIL import Image  # type: ignore[import-not-found]
    except ImportError:
        assert png == qr_png(link)
        return link
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return results[0].text if results else ""


def test_signed_the_qr_code_sits_beside_the_signature_out_of_the_text_flow(directive, roles) -> None:
    with time_machine.travel(TODAY, tick=False):
        directive = services.directive_sign_and_send(user=roles.director, directive=directive)
    doc = open_docx(selectors.directive_docx(directive))
    paragraphs = doc.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p._p.find(f".//{qn('w:drawing')}") is not None)
    for p in paragraphs[at : at + 2]:  # the QR code and the link under it, in one frame
        frame = p._p.find(f"{qn('w:pPr')}/{qn('w:framePr')}")
        assert frame is not None and frame.get(qn("w:hAnchor")) == "margin" and frame.get(qn("w:x")) == "0"
    assert paragraphs[at + 1].text == link_of(directive)
    # Anchored to the signature's first lines: the name follows the frame.
    rest = [p.text for p in paragraphs[at + 2 :] if p.text]
    assert rest[0] == "(นายสันติ ตั้งชาญรัชชัย)"


def test_paragraphs_typed_in_the_form_are_the_paragraphs_printed(directive) -> None:
    directive.body = "ย่อหน้าแรก\r\n\r\nย่อหน้าที่สอง\r\nบรรทัดต่อไป\r\n\r\n\r\nทั้งนี้ สามารถดาวน์โหลดเอกสารได้ที่ QR Code ด้านล่าง"
    texts = [t for t in paragraph_texts(open_docx(selectors.directive_docx(directive))) if t]
    start = texts.index("ย่อหน้าแรก")
    assert texts[start + 1] == "ย่อหน้าที่สองบรรทัดต่อไป"  # one paragraph, a line break inside
    assert texts[start + 2] == f"{SEED_DOWNLOAD}{link_of(directive)}"
