"""Continuation markers and preview page numbers, written into the .docx XML from a layout."""

from __future__ import annotations

import io
import zipfile

from docx.oxml.ns import qn

from documents import pagination
from documents.docx_builder import build_memo_docx
from documents.preview import preview_docx
from documents.reference import reference_memo_doc

from .helpers import open_docx


def _document_xml(docx: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")


def test_first_word_of_a_page_skips_the_page_number_and_keeps_an_item_label() -> None:
    assert pagination.first_word("- ๓ -\nข้อเท็จจริง สถาบันฯ ได้ดำเนินการ ดังนี้\n") == "ข้อเท็จจริง"
    assert pagination.first_word("ลับ\n- ๒ -\n๔. ดำเนินการเกี่ยวกับการพัฒนา\n") == "๔. ดำเนินการ"
    assert pagination.first_word("น้อยกว่า ๑๐ วัน/คน/ปี") == "น้อยกว่า"
    assert pagination.first_word("- ยุทธศาสตร์ที่ ๒ พัฒนา") == "- ยุทธศาสตร์"
    assert pagination.first_word("") == ""


def test_page_marks_anchor_on_the_first_paragraph_starting_on_each_page() -> None:
    pages_of = {3: 1, 5: 1, 8: 2, 9: 2, 12: 3}
    texts = ["page one", "- ๒ -\nต่อจากหน้าแรก", "- ๓ -\nรายละเอียด ปรากฏ"]
    marks = pagination.page_marks(pages_of, texts)
    assert [(m.page, m.anchor, m.next_word) for m in marks] == [
        (1, 3, "ต่อ"),
        (2, 8, "รายละเอียด"),
        (3, 12, ""),
    ]


def test_pdfinfo_destinations_are_read_with_their_page() -> None:
    out = 'Page  Destination  Name\n   1 [ XYZ 85 719 null ] "SarabanP10"\n   2 [ XYZ 85 79 null ] "5FSarabanP11"\n'
    assert pagination.paragraph_pages(out) == {10: 1, 11: 2}


def test_marks_are_frames_before_the_anchor_and_marking_again_replaces_them() -> None:
    xml = _document_xml(build_memo_docx(reference_memo_doc()))
    marks = [
        pagination.PageMark(1, 8, "ข้อเท็จจริง"),
        pagination.PageMark(2, 21, "๔. ดำเนินการ"),
        pagination.PageMark(3, 30, ""),
    ]
    once = pagination.mark_document(xml, marks)
    twice = pagination.mark_document(once, marks)
    assert once == twice
    assert pagination.has_page_marks(once)
    text = once.decode()
    assert text.count("/ข้อเท็จจริง...") == 1 and text.count("/๔. ดำเนินการ...") == 1
    assert 'w:name="_SarabanPage2"' in text and 'w:name="_SarabanPage3"' in text
    assert 'w:name="_SarabanPage1"' not in text
    assert pagination.strip_marks(once) == pagination.strip_marks(xml)


def test_preview_copy_draws_thai_page_numbers_and_empties_the_header_field() -> None:
    docx = build_memo_docx(reference_memo_doc())
    xml = pagination.mark_document(
        _document_xml(docx), [pagination.PageMark(1, 8, "ข้อ"), pagination.PageMark(2, 21, "")]
    )
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, xml if info.filename == "word/document.xml" else source.read(info.filename))
    copy = open_docx(preview_docx(out.getvalue()))
    body_text = "".join(t.text or "" for t in copy.element.body.iter(qn("w:t")))
    assert "- ๒ -" in body_text
    header = copy.sections[0].header._element
    assert not list(header.iter(qn("w:instrText")))
    assert list(header.iter(qn("w:p")))  # the header keeps its height
