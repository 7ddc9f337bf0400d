"""The reference memo and circular as a reader sees them in the preview: three pages, page
numbers in Thai digits, a continuation marker at the foot of every page but the last, no
letter-spaced lines, and receipt stamps clear of the heading."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import zoneinfo
from pathlib import Path

import pytest

from documents.continuation import mark_pages
from documents.data import Receipt
from documents.docx_builder import build_directive_docx, build_memo_docx
from documents.preview import render_pdf
from documents.reference import reference_directive_doc, reference_memo_doc

from . import pdf as pdfread

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(
        shutil.which("soffice") is None or shutil.which("pdftotext") is None,
        reason="needs LibreOffice (soffice) and poppler-utils: "
        "apt-get install libreoffice-writer-nogui fonts-tlwg-laksaman-ttf poppler-utils",
    ),
]

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def _render(docx: bytes, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(render_pdf(mark_pages(docx)))
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from django.test import override_settings

    tmp = tmp_path_factory.mktemp("paper")
    with override_settings(VAR_DIR=tmp, DOCUMENT_PAGE_MARKS=True):  # off for the rest of the suite
        return {
            "memo": _render(build_memo_docx(reference_memo_doc()), tmp, "memo"),
            "circular": _render(build_directive_docx(reference_directive_doc()), tmp, "circular"),
        }


def test_reference_memo_takes_three_pages_like_the_paper(rendered: dict[str, Path]) -> None:
    assert len(pdfread.pages(rendered["memo"])) == 3
    assert len(pdfread.pages(rendered["circular"])) == 1


def test_page_two_is_numbered_in_thai_digits_at_the_top_centre(rendered: dict[str, Path]) -> None:
    pages = pdfread.pages(rendered["memo"])
    for number, page in enumerate(pages, 1):
        top = page.lines()[0]
        top_text = " ".join(w.text for w in top)
        if number == 1:
            assert not top_text.startswith("-")
            continue
        expected = f"- {'๐๑๒๓๔๕๖๗๘๙'[number]} -"
        assert top_text == expected, (number, top_text)
        centre = (top[0].x0 + top[-1].x1) / 2
        assert abs(centre - (page.width / 2 + 14.17)) < 6  # centred over the text (margins 3 / 2 cm)
    assert "- ๒ -" in pdfread.text(rendered["memo"], page=2)


def test_every_page_but_the_last_ends_with_the_next_pages_first_word(rendered: dict[str, Path]) -> None:
    pages = pdfread.pages(rendered["memo"])
    for number, page in enumerate(pages, 1):
        lines = [" ".join(w.text for w in line) for line in page.lines()]
        last = lines[-1]
        if number == len(pages):
            assert not last.startswith("/"), last
            continue
        assert last.startswith("/") and last.endswith("..."), (number, last)
        word = last[1:-3]
        following = [" ".join(w.text for w in line) for line in pages[number].lines()]
        first_body_line = following[1]  # after the page number
        assert first_body_line.replace(" ", "").startswith(word.replace(" ", "")), (word, first_body_line)
        # bottom right, below the text
        marker = page.lines()[-1]
        assert marker[-1].x1 > page.width - 2 * 28.35 - 5
        assert marker[0].y0 > page.lines()[-2][0].y1


def test_no_line_of_the_preview_has_its_letters_spread_apart(rendered: dict[str, Path]) -> None:
    for name, path in rendered.items():
        runs = pdfread.spread_runs(pdfread.text(path, mode="-layout"))
        assert runs == [], (name, runs)


@pytest.mark.parametrize("receipts", [2, 5, 8, 11])
def test_receipt_stamps_never_overlap_the_heading(receipts: int, tmp_path: Path, settings: object) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    units = ("รป.กทม.", "ส.ส.ป.", "สำนักงานเลขานุการสำนักพัฒนาสังคมกรุงเทพมหานคร", "สนค.", "สพข.", "กพ.", "สยป.", "สกค.")
    stamps = tuple(
        Receipt(units[i % len(units)], 100 + i, dt.datetime(2020, 12, 24 + i % 5, 9 + i % 8, 0, tzinfo=BANGKOK))
        for i in range(receipts)
    )
    doc = dataclasses.replace(reference_memo_doc(), receipts=stamps, secrecy="ลับ" if receipts == 5 else "")
    path = tmp_path / "stamps.pdf"
    path.write_bytes(render_pdf(build_memo_docx(doc)))
    page = pdfread.pages(path)[0]
    heading = next(w for w in page.words if w.text == "บันทึกข้อความ")
    field = next(w for w in page.words if w.text == "ส่วนราชการ")
    stamp_text = [w for w in page.words if w.y1 <= field.y0 and w is not heading and w.text not in ("ลับ",)]
    for word in stamp_text:
        assert not word.overlaps(heading, pad=1), (word, heading)
    shown = sum(1 for w in page.words if w.text == "เลขรับ")
    assert shown == min(receipts, 8)
    if receipts > 8:
        text = pdfread.text(path, page=1)
        assert f"รับแล้ว {'๑๑' if receipts == 11 else receipts} หน่วยงาน ดูทะเบียน" in text
    # a long unit name wraps inside its box: no stamp word runs past the right margin
    for word in stamp_text:
        assert word.x1 <= page.width - 2 * 28.35 + 2, word
    if receipts == 5:
        secret = [w for w in page.words if w.text == "ลับ"]
        assert secret, "the secrecy mark is printed"
        for mark in secret:
            for word in stamp_text:
                assert not word.overlaps(mark, pad=1), (word, mark)


def test_a_long_address_does_not_spread_the_line_before_it(tmp_path: Path, settings: object) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    body = (
        "ทั้งนี้ สามารถดาวน์โหลดเอกสารประกอบการประชุมและแบบรายงานผลการดำเนินงานได้ที่ "
        "https://www.bangkok.go.th/hrd/documents/2564/plan-report-form-download-center/index.html "
        "หรือสอบถามทางไปรษณีย์อิเล็กทรอนิกส์ training.and.development.office@bangkok.go.th "
        "ตามแผน Digital Government Skill Set Self-Assessment ของสำนักงาน ก.พ."
    )
    doc = dataclasses.replace(reference_directive_doc(), body=body, link="")
    path = tmp_path / "circular.pdf"
    path.write_bytes(render_pdf(build_directive_docx(doc)))
    layout = pdfread.text(path, mode="-layout")
    assert pdfread.spread_runs(layout) == []
    raw = pdfread.text(path)
    assert "Skill Set Self-Assessment" in raw.replace("\n", " ")
