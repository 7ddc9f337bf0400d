"""The memo and directive .docx carry the Thai OOXML settings and say what the memo says."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from documents.data import DirectiveDoc, MemoDoc, Signature, directive_body_text
from documents.docx_builder import build_directive_docx, build_memo_docx, clean_text, emblem_warning
from documents.reference import reference_directive_doc, reference_memo_doc

from .helpers import W_VAL, all_runs, find_paragraph, open_docx, paragraph_texts, tiny_png

FAMILY = "TH SarabunPSK"
ARABIC = re.compile("[0-9]")


@pytest.fixture(scope="module")
def memo_bytes() -> bytes:
    return build_memo_docx(reference_memo_doc())


@pytest.fixture(scope="module")
def directive_bytes() -> bytes:
    return build_directive_docx(reference_directive_doc())


def _rpr_ok(run: object, family: str = FAMILY) -> list[str]:
    """What a run lacks of the complex-script settings memo-format.md requires."""
    problems = []
    rpr = run.find(qn("w:rPr"))  # type: ignore[attr-defined]
    if rpr is None:
        return ["no rPr"]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        problems.append("no rFonts")
    else:
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            if fonts.get(qn(f"w:{slot}")) != family:
                problems.append(f"rFonts {slot}={fonts.get(qn(f'w:{slot}'))}")
    sz, sz_cs = rpr.find(qn("w:sz")), rpr.find(qn("w:szCs"))
    if sz is None or sz_cs is None or sz.get(W_VAL) != sz_cs.get(W_VAL):
        problems.append("sz/szCs")
    if (rpr.find(qn("w:b")) is None) != (rpr.find(qn("w:bCs")) is None):
        problems.append("b without bCs")
    lang = rpr.find(qn("w:lang"))
    if lang is None or lang.get(qn("w:bidi")) != "th-TH" or lang.get(qn("w:eastAsia")) != "th-TH":
        problems.append("lang")
    return problems


@pytest.mark.parametrize("which", ["memo", "directive"])
def test_every_run_carries_complex_script_font_size_bold_and_thai_language(
    which: str, memo_bytes: bytes, directive_bytes: bytes
) -> None:
    doc = open_docx(memo_bytes if which == "memo" else directive_bytes)
    runs = list(all_runs(doc))
    assert len(runs) > 30
    bad = [(_rpr_ok(r), "".join(t.text or "" for t in r.iter(qn("w:t")))) for r in runs if _rpr_ok(r)]
    assert bad == []
    assert any(r.find(qn("w:rPr")).find(qn("w:bCs")) is not None for r in runs)  # type: ignore[union-attr]


@pytest.mark.parametrize("which", ["memo", "directive"])
def test_defaults_name_the_family_once_without_theme_fonts(
    which: str, memo_bytes: bytes, directive_bytes: bytes
) -> None:
    doc = open_docx(memo_bytes if which == "memo" else directive_bytes)
    styles = doc.styles.element
    fonts = styles.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert {k.split("}")[1]: v for k, v in fonts.attrib.items()} == {
        "ascii": FAMILY,
        "hAnsi": FAMILY,
        "eastAsia": FAMILY,
        "cs": FAMILY,
    }
    for el in styles.iter(qn("w:rFonts")):
        assert not [a for a in el.attrib if "Theme" in a or "theme" in a]
    normal_rpr = doc.styles["Normal"].element.find(qn("w:rPr"))
    assert normal_rpr.find(qn("w:szCs")).get(W_VAL) == "32"
    assert normal_rpr.find(qn("w:lang")).get(W_VAL) == "th-TH"


@pytest.mark.parametrize("which", ["memo", "directive"])
def test_a4_with_official_margins_and_page_numbers_from_page_two(
    which: str, memo_bytes: bytes, directive_bytes: bytes
) -> None:
    doc = open_docx(memo_bytes if which == "memo" else directive_bytes)
    section = doc.sections[0]
    assert (round(section.page_width.cm, 2), round(section.page_height.cm, 2)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == 3.0
    assert round(section.right_margin.cm, 1) == 2.0
    # Page one's top margin is where the emblem sits (1.5 cm, the guide's place); pages 2 on
    # start their text at 2.5 cm below a header made that tall.
    assert round(section.top_margin.cm, 1) == 1.5
    number_para = section.header._element.findall(qn("w:p"))[-1]
    spacing = number_para.find(qn("w:pPr")).find(qn("w:spacing"))
    header_bottom = section.header_distance.twips + int(spacing.get(qn("w:line"))) + int(spacing.get(qn("w:after")))
    assert round(header_bottom / 567, 1) == 2.5
    assert round(section.bottom_margin.cm, 1) == 2.0
    assert section.different_first_page_header_footer
    default_header = section.header._element
    instr = "".join(t.text for t in default_header.iter(qn("w:instrText")))
    # A plain PAGE field; the section's number format makes it Thai digits in Word.
    assert instr.strip() == "PAGE"
    pg_num = section._sectPr.find(qn("w:pgNumType"))
    assert pg_num is not None and pg_num.get(qn("w:fmt")) == "thaiNumbers"
    header_text = "".join(t.text or "" for t in default_header.iter(qn("w:t")))
    assert header_text == "- ๒ -"
    assert not list(section.first_page_header._element.iter(qn("w:instrText")))


def test_memo_header_number_date_subject_in_thai_digits(memo_bytes: bytes) -> None:
    doc = open_docx(memo_bytes)
    texts = paragraph_texts(doc)
    assert "ที่ กท ๐๔๐๑/๑๒๕๕\tวันที่ ๒๓ ธันวาคม ๒๕๖๓\t" in texts
    assert any(
        t.startswith("เรื่อง แผนพัฒนาข้าราชการกรุงเทพมหานครและบุคลากรกรุงเทพมหานครประจำปีงบประมาณ พ.ศ. ๒๕๖๔") for t in texts
    )
    assert "เรียน ปลัดกรุงเทพมหานคร" in texts
    heading = find_paragraph(doc, "บันทึกข้อความ")
    heading_rpr = heading.find(qn("w:r")).find(qn("w:rPr"))  # type: ignore[attr-defined]
    assert heading_rpr.find(qn("w:szCs")).get(W_VAL) == "58"
    assert heading_rpr.find(qn("w:bCs")) is not None


def test_header_fields_have_dotted_leaders_to_the_right_margin(memo_bytes: bytes) -> None:
    doc = open_docx(memo_bytes)
    text_width = round(Cm(16).emu / 635)  # twips
    for label in ("ส่วนราชการ", "ที่ ", "เรื่อง"):
        p = find_paragraph(doc, label)
        tabs = p.find(qn("w:pPr")).find(qn("w:tabs"))  # type: ignore[attr-defined]
        stops = [(t.get(W_VAL), t.get(qn("w:leader")), int(t.get(qn("w:pos")))) for t in tabs]
        assert ("right", "dot", text_width) in [
            (v, lead, abs(pos - text_width) < 3 and text_width) for v, lead, pos in stops
        ]
        label_rpr = p.find(qn("w:r")).find(qn("w:rPr"))  # type: ignore[attr-defined]
        assert label_rpr.find(qn("w:szCs")).get(W_VAL) == "40"
        assert label_rpr.find(qn("w:bCs")) is not None


def test_body_paragraphs_use_thai_distributed_justification(memo_bytes: bytes) -> None:
    doc = open_docx(memo_bytes)
    body = [p for p in doc.paragraphs if p.text.startswith(("๑.", "๒.", "ต้นเรื่อง", "ข้อเท็จจริง", "จึงเรียนมา"))]
    assert len(body) >= 6
    for p in body:
        assert p._p.pPr.find(qn("w:jc")).get(W_VAL) == "thaiDistribute"
        ind = p._p.pPr.find(qn("w:ind"))
        assert round(int(ind.get(qn("w:firstLine"))) / 567, 1) == 2.5


def test_proposals_numbered_in_thai_then_closing_signature_and_acting_wording(memo_bytes: bytes) -> None:
    texts = [t for t in paragraph_texts(open_docx(memo_bytes)) if t]
    start = texts.index(next(t for t in texts if t.startswith("ข้อพิจารณาและเสนอแนะ สถาบันฯ พิจารณาแล้ว")))
    assert texts[start + 1].startswith("๑. อนุมัติแผนพัฒนาข้าราชการ")
    assert texts[start + 2].startswith("๒. ให้ทุกหน่วยงาน")
    assert texts[start + 3].startswith("๓. ให้ทุกหน่วยงาน")
    assert texts[start + 4].startswith("จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบ ขอได้โปรดอนุมัติในข้อ ๑ และสั่งการในข้อ ๒ - ๓")
    assert texts[start + 5 : start + 8] == [
        "(นายสันติ ตั้งชาญรัชชัย)",
        "ผู้อำนวยการส่วนยุทธศาสตร์การพัฒนา รักษาการในตำแหน่ง",
        "ผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
    ]
    assert "๔.๑ จัดฝึกอบรมพัฒนาทักษะด้านดิจิทัล" in "\n".join(texts)


def test_note_and_decision_follow_the_memo_in_order_with_signers_and_dates(memo_bytes: bytes) -> None:
    doc = open_docx(memo_bytes)
    assert len(doc.tables) == 1
    cells = ["\n".join(p.text for p in cell.paragraphs if p.text) for cell in doc.tables[0].rows[0].cells]
    assert cells[0] == "\n".join(
        [
            "เรียน ปลัดกรุงเทพมหานคร",
            "- เพื่อโปรดพิจารณา",
            "- เห็นควรอนุมัติและสั่งการตามเสนอ",
            "(นางวันทนี วัฒนะ)",
            "รองปลัดกรุงเทพมหานคร",
            "๒๘ ธ.ค. ๒๕๖๓",
        ]
    )
    assert cells[1] == "\n".join(
        [
            "- อนุมัติในข้อ ๑",
            "- ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓ ตามที่ สพข. และ รป.กทม. เสนอ",
            "(นางศิลปสวย ระวีแสงสูรย์)",
            "ปลัดกรุงเทพมหานคร",
            "๕ ม.ค. ๒๕๖๔",
        ]
    )


def test_receipt_stamps_are_framed_at_the_top_of_page_one(memo_bytes: bytes) -> None:
    doc = open_docx(memo_bytes)
    framed = [p for p in doc.element.body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:framePr')}") is not None]
    texts = ["".join(t.text for t in p.iter(qn("w:t"))) for p in framed]
    assert texts == [
        "รป.กทม.",
        "เลขรับ ๒๑๑๕",
        "วันที่ ๒๔ ธ.ค. ๒๕๖๓",
        "เวลา ๑๐.๓๐ น.",
        "ส.ส.ป.",
        "เลขรับ ๑๒๓",
        "วันที่ ๒๙ ธ.ค. ๒๕๖๓",
        "เวลา ๑๖.๐๐ น.",
    ]
    frame = framed[0].find(qn("w:pPr")).find(qn("w:framePr"))
    assert frame.get(qn("w:vAnchor")) == "page"
    assert int(frame.get(qn("w:y"))) < Cm(2.5).emu / 635  # inside the top margin
    # the stamps come before the heading, so they anchor to page one
    assert doc.element.body.index(framed[-1]) < doc.element.body.index(find_paragraph(doc, "บันทึกข้อความ"))


def test_system_made_parts_have_no_arabic_digits(memo_bytes: bytes) -> None:
    doc = open_docx(memo_bytes)
    generated = [t for t in paragraph_texts(doc) if t.startswith(("ที่ ", "เลขรับ", "วันที่", "เวลา", "๕ ม.ค.", "๒๘ ธ.ค."))]
    assert generated
    assert not [t for t in generated if ARABIC.search(t)]


def _minimal(**changes: object) -> MemoDoc:
    base = MemoDoc(
        unit_line="สำนักงานเขตพระนคร",
        number="",
        date=None,
        subject="ขออนุมัติจัดซื้อวัสดุ",
        addressee="ผู้อำนวยการเขตพระนคร",
        sections=(),
        proposals=("อนุมัติจัดซื้อ",),
        closing="จึงเรียนมาเพื่อโปรดพิจารณา",
        signature=Signature("(นางสาวมาลี พระนครดี)", ("เจ้าพนักงานธุรการ",)),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_draft_without_number_or_date_prints_the_labels_with_empty_leaders() -> None:
    doc = open_docx(build_memo_docx(_minimal()))
    assert "ที่ \tวันที่ \t" in paragraph_texts(doc)
    assert "๑. อนุมัติจัดซื้อ" in paragraph_texts(doc)


def test_urgency_is_red_and_at_least_32_points_and_secrecy_marks_every_page() -> None:
    doc = open_docx(build_memo_docx(_minimal(urgency="ด่วนที่สุด", secrecy="ลับ")))
    urgent = next(r for r in doc.element.body.iter(qn("w:r")) if "".join(t.text for t in r.iter(qn("w:t"))) == "ด่วนที่สุด")
    rpr = urgent.find(qn("w:rPr"))
    assert rpr.find(qn("w:color")).get(W_VAL) == "FF0000"
    assert int(rpr.find(qn("w:szCs")).get(W_VAL)) >= 64
    section = doc.sections[0]
    for part in (section.header, section.first_page_header, section.footer, section.first_page_footer):
        assert not part.is_linked_to_previous
        marks = [r for r in part._element.iter(qn("w:r")) if "".join(t.text for t in r.iter(qn("w:t"))) == "ลับ"]
        assert marks, part
        assert marks[0].find(qn("w:rPr")).find(qn("w:color")).get(W_VAL) == "FF0000"
    # a memo without secrecy has no footer and no mark
    plain = open_docx(build_memo_docx(_minimal()))
    assert plain.sections[0].footer.is_linked_to_previous


def test_long_urgency_takes_its_own_line_above_the_heading() -> None:
    doc = open_docx(build_memo_docx(_minimal(urgency="ด่วนภายใน ๓๐ พฤศจิกายน ๒๕๖๙")))
    texts = [t for t in paragraph_texts(doc) if t]
    assert texts[0] == "ด่วนภายใน ๓๐ พฤศจิกายน ๒๕๖๙"
    assert texts[1].endswith("บันทึกข้อความ")


def test_characters_xml_cannot_hold_are_dropped_not_fatal() -> None:
    nasty = 'ขออนุมัติ\x00\x07 จัดซื้อ\ufffe\u200b <วัสดุ> & "อุปกรณ์"\x1b'
    data = build_memo_docx(_minimal(subject=nasty, addressee="ผู้อำนวยการ\x0b", proposals=("ข้อ\tหนึ่ง\r\nบรรทัดสอง",)))
    doc = open_docx(data)
    texts = paragraph_texts(doc)
    assert 'เรื่อง ขออนุมัติ จัดซื้อ <วัสดุ> & "อุปกรณ์"\t' in texts
    assert "เรียน ผู้อำนวยการ" in texts
    assert clean_text(nasty) == 'ขออนุมัติ จัดซื้อ <วัสดุ> & "อุปกรณ์"'
    assert any(t.startswith("๑. ข้อ หนึ่ง") for t in texts)


def test_font_family_comes_from_settings(settings: object) -> None:
    settings.DOCUMENT_FONT_FAMILY = "TH Sarabun New"  # type: ignore[attr-defined]
    doc = open_docx(build_memo_docx(_minimal()))
    assert all(not _rpr_ok(r, "TH Sarabun New") for r in all_runs(doc))


def test_emblem_from_settings_is_placed_15_cm_high(settings: object, tmp_path: object) -> None:
    emblem = tmp_path / "garuda.png"  # type: ignore[operator]
    emblem.write_bytes(tiny_png())
    settings.DOCUMENT_EMBLEM_PATH = str(emblem)  # type: ignore[attr-defined]
    assert emblem_warning() is None
    doc = open_docx(build_memo_docx(_minimal()))
    shapes = doc.inline_shapes
    assert len(shapes) == 1
    assert round(shapes[0].height.cm, 2) == 1.5
    heading = find_paragraph(doc, "บันทึกข้อความ")
    assert heading.find(f".//{qn('w:drawing')}") is not None


def test_without_emblem_the_space_is_kept_and_the_admin_is_warned(settings: object, tmp_path: object) -> None:
    settings.DOCUMENT_EMBLEM_PATH = ""  # type: ignore[attr-defined]
    assert "DOCUMENT_EMBLEM_PATH" in (emblem_warning() or "")
    doc = open_docx(build_memo_docx(_minimal()))
    assert len(doc.inline_shapes) == 0
    spacing = find_paragraph(doc, "บันทึกข้อความ").find(qn("w:pPr")).find(qn("w:spacing"))
    assert spacing.get(qn("w:lineRule")) == "atLeast"
    assert int(spacing.get(qn("w:line"))) >= Cm(1.5).emu / 635

    settings.DOCUMENT_EMBLEM_PATH = str(tmp_path / "missing.png")  # type: ignore[attr-defined,operator]
    assert "ไม่พบไฟล์ตราครุฑ" in (emblem_warning() or "")
    not_an_image = tmp_path / "garuda.png"  # type: ignore[operator]
    not_an_image.write_text("not a picture")
    settings.DOCUMENT_EMBLEM_PATH = str(not_an_image)  # type: ignore[attr-defined]
    assert "ไม่ใช่ภาพ" in (emblem_warning() or "")
    assert len(open_docx(build_memo_docx(_minimal())).inline_shapes) == 0


def test_directive_addresses_every_group_on_one_line_and_quotes_the_memo(directive_bytes: bytes) -> None:
    doc = open_docx(directive_bytes)
    texts = [t for t in paragraph_texts(doc) if t]
    assert "ที่ กท ๐๔๐๑/ว ๕๑\tวันที่ ๑๑ มกราคม ๒๕๖๔\t" in texts
    salutation = next(t for t in texts if t.startswith("เรียน "))
    assert salutation.startswith("เรียน รองปลัดกรุงเทพมหานคร ผู้อำนวยการสำนัก หัวหน้าสำนักงาน ก.ก. ")
    assert salutation.endswith("หัวหน้าส่วนราชการในสังกัดสำนักปลัดกรุงเทพมหานคร และผู้อำนวยการสำนักงานการพาณิชย์ของกรุงเทพมหานคร")
    body = next(t for t in texts if t.startswith("พร้อมนี้"))
    assert body.startswith(
        "พร้อมนี้ สถาบันพัฒนาข้าราชการกรุงเทพมหานคร ขอส่งสำเนาหนังสือ ที่ กท ๐๔๐๑/๑๒๕๕ ลงวันที่ ๒๓ ธันวาคม ๒๕๖๓ "
        "เรื่อง แผนพัฒนาข้าราชการกรุงเทพมหานครและบุคลากรกรุงเทพมหานคร ประจำปีงบประมาณ พ.ศ. ๒๕๖๔ "
        "มาเพื่อโปรดทราบ และดำเนินการตามที่ปลัดกรุงเทพมหานครได้โปรดอนุมัติ"
    )
    # The report's channel is a paragraph of its own, as in the reference circular.
    assert any(t.startswith("สำหรับการรายงานผล") and t.endswith("bmahrd01@gmail.com") for t in texts)
    assert "สิ่งที่ส่งมาด้วย\tสำเนาบันทึกข้อความ ที่ กท ๐๔๐๑/๑๒๕๕ ลงวันที่ ๒๓ ธันวาคม ๒๕๖๓ จำนวน ๑ ชุด" in texts
    assert texts[-4:] == [
        "(นายสันติ ตั้งชาญรัชชัย)",
        "ผู้อำนวยการส่วนยุทธศาสตร์การพัฒนา รักษาการในตำแหน่ง",
        "ผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
        "สำนักปลัดกรุงเทพมหานคร",
    ]


def test_urls_and_mail_addresses_are_marked_english_so_they_are_not_broken(directive_bytes: bytes) -> None:
    doc = open_docx(directive_bytes)
    for run in doc.element.body.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if text in ("bmahrd01@gmail.com", "https://bit.ly/3soaiCz"):
            assert run.find(qn("w:rPr")).find(qn("w:lang")).get(W_VAL) == "en-US"
            assert run.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:cs")) == FAMILY
            break
    else:
        raise AssertionError("no run holds the address alone")


def test_directive_body_text_prefills_and_an_edited_body_is_printed() -> None:
    doc = reference_directive_doc()
    composed = directive_body_text(doc)
    assert composed.endswith("ทั้งนี้ สามารถดาวน์โหลดเอกสารได้ที่ https://bit.ly/3soaiCz")
    assert " และดำเนินการพัฒนาบุคลากรในสังกัด" in composed
    edited: DirectiveDoc = dataclasses.replace(doc, body="พร้อมนี้ ขอส่งสำเนาหนังสือมาเพื่อโปรดทราบ")
    texts = paragraph_texts(open_docx(build_directive_docx(edited)))
    assert "พร้อมนี้ ขอส่งสำเนาหนังสือมาเพื่อโปรดทราบ" in texts


def test_directive_with_one_group_and_no_reference_date() -> None:
    doc = dataclasses.replace(
        reference_directive_doc(), addressee_groups=("ผู้อำนวยการเขต",), ref_date=None, date=dt.date(2026, 11, 24)
    )
    texts = paragraph_texts(open_docx(build_directive_docx(doc)))
    assert "เรียน ผู้อำนวยการเขต" in texts
    assert "ที่ กท ๐๔๐๑/ว ๕๑\tวันที่ ๒๔ พฤศจิกายน ๒๕๖๙\t" in texts


@pytest.mark.parametrize("which", ["memo", "directive"])
def test_core_properties_name_the_subject_the_issuing_unit_and_now(
    which: str, memo_bytes: bytes, directive_bytes: bytes
) -> None:
    doc = open_docx(memo_bytes if which == "memo" else directive_bytes)
    core = doc.core_properties
    assert core.title.startswith("แผนพัฒนาข้าราชการกรุงเทพมหานคร")
    assert core.author == "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร" == core.last_modified_by
    assert core.language == "th-TH"
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for stamp in (core.created, core.modified):
        assert stamp is not None and abs((now - stamp.replace(tzinfo=None)).total_seconds()) < 24 * 3600
    assert "python-docx" not in (core.comments + core.keywords + core.subject + core.category)
    zoom = doc.settings.element.find(qn("w:zoom"))
    assert zoom is not None and zoom.get(qn("w:percent")) == "100" and zoom.get(qn("w:val")) is None


def test_emblem_sits_at_its_guided_place_15_cm_from_the_top(memo_bytes: bytes) -> None:
    doc = open_docx(memo_bytes)
    heading = find_paragraph(doc, "บันทึกข้อความ")
    # the heading line, with the emblem, is the first paragraph in the flow of page one
    flow = [p for p in doc.element.body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:framePr')}") is None]
    assert flow[0] is heading
    assert round(doc.sections[0].top_margin.cm, 2) == 1.5


def test_no_template_leftovers_in_the_package(memo_bytes: bytes) -> None:
    import io
    import zipfile

    app = zipfile.ZipFile(io.BytesIO(memo_bytes)).read("docProps/app.xml").decode()
    assert "Macintosh" not in app and "<Pages>" not in app
    assert "ระบบสารบรรณอิเล็กทรอนิกส์" in app
