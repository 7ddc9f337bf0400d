"""The external letter (หนังสือภายนอก) and the printed registers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from documents.docx_builder import RECEIVE, SEND, build_letter_docx, build_register_docx
from documents.letter_example import example_letter_doc, example_register_rows
from documents.preview import render_pdf

from . import pdf as pdfread
from .helpers import open_docx, paragraph_texts, tiny_png

UNIT = "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร"


def test_letter_says_what_the_regulation_asks_in_order() -> None:
    texts = [t for t in paragraph_texts(open_docx(build_letter_docx(example_letter_doc()))) if t.strip()]
    order = [
        "ที่ กท ๐๔๐๑/๑๓๒",
        "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
        "๑๕ มกราคม ๒๕๖๔",
        "เรื่อง  ขอความอนุเคราะห์",
        "เรียน  เลขาธิการคณะกรรมการข้าราชการพลเรือน",
        "อ้างถึง\tหนังสือสำนักงาน ก.พ.",
        "สิ่งที่ส่งมาด้วย\tแผนพัฒนาทักษะ",
        "ตามที่ สำนักงาน ก.พ.",
        "ขอแสดงความนับถือ",
        "(นายสันติ ตั้งชาญรัชชัย)",
        "ส่วนยุทธศาสตร์การพัฒนา",
        "โทร. ๐ ๒๖๒๑ ๑๕๒๘",
        "โทรสาร ๐ ๒๖๒๑ ๑๕๒๓",
        "ไปรษณีย์อิเล็กทรอนิกส์ bmahrd01@gmail.com",
    ]
    at = [next(i for i, t in enumerate(texts) if t.startswith(expected)) for expected in order]
    assert at == sorted(at)


def test_letter_emblem_is_3_cm_high_and_centred(settings: object, tmp_path: Path) -> None:
    emblem = tmp_path / "garuda.png"
    emblem.write_bytes(tiny_png())
    settings.DOCUMENT_EMBLEM_PATH = str(emblem)  # type: ignore[attr-defined]
    doc = open_docx(build_letter_docx(example_letter_doc()))
    [extent] = list(doc.element.body.iter(qn("wp:extent")))
    assert round(int(extent.get("cy")) / 360000, 2) == 3.0
    para = extent.getparent().getparent().getparent().getparent()
    assert para.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == "center"
    assert doc.core_properties.author == UNIT


@pytest.mark.parametrize("kind", [RECEIVE, SEND])
def test_registers_print_the_official_columns_across_the_page(kind: str) -> None:
    doc = open_docx(build_register_docx(kind, UNIT, 2564, example_register_rows()))
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    [table] = doc.tables
    head = [c.text for c in table.rows[0].cells]
    first = "เลขทะเบียนรับ" if kind == RECEIVE else "เลขทะเบียนส่ง"
    assert head == [first, "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"]
    assert table.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None  # repeated on each page
    assert len(table.rows) == 4
    number_cell = table.rows[2].cells[0].text
    if kind == RECEIVE:
        assert number_cell == "๑๓๒\n๑๕ ม.ค. ๒๕๖๔\n๑๐.๓๐ น."
    else:
        assert number_cell == "๑๓๒"
    title = "ทะเบียนหนังสือรับ" if kind == RECEIVE else "ทะเบียนหนังสือส่ง"
    assert paragraph_texts(doc)[0] == title


def test_an_unknown_register_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        build_register_docx("archive", UNIT, 2564, ())


@pytest.mark.soffice
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="needs LibreOffice and poppler-utils"
)
def test_letter_renders_at_the_guided_layout(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    path = tmp_path / "letter.pdf"
    path.write_bytes(render_pdf(build_letter_docx(example_letter_doc())))
    [page] = pdfread.pages(path)
    words: dict[str, pdfread.Word] = {}
    for word in page.words:
        words.setdefault(word.text, word)  # the first occurrence, top down
    left_margin, centre = 3 * 28.35, page.width / 2 + 14.17
    number = words["กท"]
    address = words["สถาบันพัฒนาข้าราชการกรุงเทพมหานคร"]
    assert abs(number.y1 - address.y1) < 3  # ที่ and the address's first line on one line
    assert words["ที่"].x0 < left_margin + 3 and address.x0 > centre
    assert number.y0 > 3 * 28.35  # under the emblem's 3 cm
    date = words["มกราคม"]
    assert date.y0 > address.y1 and abs(words["๑๕"].x0 - centre) < 40  # the date from the centre
    regards = words["ขอแสดงความนับถือ"]
    assert regards.x0 > centre - 40
    foot = words["โทรสาร"]
    assert foot.x0 < left_margin + 3 and foot.y0 > regards.y1
