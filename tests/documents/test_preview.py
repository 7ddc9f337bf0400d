"""The Laksaman preview copy, and the PDF a reader gets from LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from documents.docx_builder import build_directive_docx, build_memo_docx
from documents.preview import PreviewError, preview_docx, render_pdf, soffice_available
from documents.reference import reference_directive_doc, reference_memo_doc

from .helpers import W_VAL, all_runs, open_docx

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdffonts") is None,
    reason="needs LibreOffice (soffice) and poppler-utils (pdffonts, pdftotext): "
    "apt-get install libreoffice-writer-nogui fonts-tlwg-laksaman-ttf poppler-utils",
)


def test_preview_copy_names_laksaman_at_two_thirds_size_everywhere() -> None:
    original = build_memo_docx(reference_memo_doc())
    copy = open_docx(preview_docx(original))
    for run in all_runs(copy):
        rpr = run.find(qn("w:rPr"))  # type: ignore[attr-defined]
        fonts = rpr.find(qn("w:rFonts"))
        assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Laksaman"}
        assert rpr.find(qn("w:sz")).get(W_VAL) == rpr.find(qn("w:szCs")).get(W_VAL)
    sizes = {int(el.get(W_VAL)) for el in copy.element.body.iter(qn("w:szCs"))}
    assert sizes == {round(n * 0.66) for n in (32, 40, 58, 22, 28)}
    defaults = copy.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:szCs")).get(W_VAL) == str(round(32 * 0.66))
    assert defaults.find(".//" + qn("w:rFonts")).get(qn("w:cs")) == "Laksaman"
    # the original is untouched
    assert b"Laksaman" not in original


def test_without_soffice_the_preview_says_so_in_thai(settings: object, tmp_path: Path) -> None:
    settings.SOFFICE_BINARY = "no-such-soffice-binary"  # type: ignore[attr-defined]
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    assert not soffice_available()
    with pytest.raises(PreviewError, match="LibreOffice"):
        render_pdf(build_memo_docx(reference_memo_doc()))


def _pdffonts(pdf: Path) -> set[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return {re.sub(r"^[A-Z]{6}\+", "", name) for name in names}


def _pdftext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.soffice
@needs_soffice
def test_reference_memo_pdf_embeds_only_laksaman_and_keeps_the_key_strings(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    pdf = tmp_path / "memo.pdf"
    pdf.write_bytes(render_pdf(build_memo_docx(reference_memo_doc())))
    assert _pdffonts(pdf) <= {"Laksaman", "Laksaman-Bold"}
    text = _pdftext(pdf)
    for expected in (
        "ที่ กท ๐๔๐๑/๑๒๕๕",
        "วันที่ ๒๓ ธันวาคม ๒๕๖๓",
        "เรื่อง แผนพัฒนาข้าราชการกรุงเทพมหานครและบุคลากรกรุงเทพมหานครประจำปีงบประมาณ พ.ศ. ๒๕๖๔",
        "- อนุมัติในข้อ ๑",
        "ดำเนินการในข้อ",
        "(นายสันติ ตั้งชาญรัชชัย)",
        "ผู้อำนวยการส่วนยุทธศาสตร์การพัฒนา รักษาการในตำแหน่ง",
        "(นางศิลปสวย ระวีแสงสูรย์)",
        "(นางวันทนี วัฒนะ)",
        "เลขรับ ๒๑๑๕",
    ):
        assert expected in text, expected
    assert "\u0e4d\u0e32" not in text  # ำ stays one character
    assert text.count("\f") == 3  # three pages, as on paper


@pytest.mark.soffice
@needs_soffice
def test_reference_directive_pdf(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    pdf = tmp_path / "directive.pdf"
    pdf.write_bytes(render_pdf(build_directive_docx(reference_directive_doc())))
    assert _pdffonts(pdf) <= {"Laksaman", "Laksaman-Bold"}
    text = _pdftext(pdf)
    for expected in (
        "ที่ กท ๐๔๐๑/ว ๕๑",
        "วันที่ ๑๑ มกราคม ๒๕๖๔",
        "เรื่อง แผนพัฒนาข้าราชการกรุงเทพมหานคร",
        "เรียน รองปลัดกรุงเทพมหานคร",
        "(นายสันติ ตั้งชาญรัชชัย)",
        "https://bit.ly/3soaiCz",
    ):
        assert expected in text, expected
    assert text.count("\f") == 1


@pytest.mark.soffice
@needs_soffice
def test_pdfs_are_cached_and_concurrent_conversions_do_not_collide(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    docs = [
        build_memo_docx(reference_memo_doc(with_endorsements=False)),
        build_directive_docx(reference_directive_doc()),
    ]
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def convert(i: int) -> None:
        try:
            results[i] = render_pdf(docs[i])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=convert, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(results[i].startswith(b"%PDF") for i in range(2))
    assert len(list((tmp_path / "pdf-cache").glob("*.pdf"))) == 2
    assert render_pdf(docs[0]) == results[0]


def test_preview_copy_offers_breaks_between_thai_words_and_inside_addresses() -> None:
    import io
    import zipfile

    original = build_directive_docx(reference_directive_doc())
    copy = zipfile.ZipFile(io.BytesIO(preview_docx(original))).read("word/document.xml").decode()
    assert "https://\u200bbit.\u200bly/\u200b3soaiCz" in copy
    assert "bmahrd01@\u200bgmail.\u200bcom" in copy
    assert "สามารถ\u200bดาวน์โหลด" in copy
    assert "\u200b" not in zipfile.ZipFile(io.BytesIO(original)).read("word/document.xml").decode()
