"""Each preflight rule finds its slip and stays quiet on correct text (true and false cases)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from documents.data import Block, MemoDoc, Section
from documents.docx_builder import build_memo_docx
from documents.preflight import ERROR, WARNING, Finding, check_memo, check_text, closing_item_numbers, docx_text
from documents.reference import reference_memo_doc

TODAY = dt.date(2026, 11, 24)
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed-memo.txt"

HEADER = "บันทึกข้อความ\nส่วนราชการ สำนักงานเขตพระนคร\nที่ กท ๕๐๐๑/๑๒ วันที่ ๒๐ พฤศจิกายน ๒๕๖๙\nเรื่อง ขออนุมัติจัดซื้อวัสดุ\nเรียน ผู้อำนวยการเขตพระนคร\n"


def codes(findings: list[Finding], severity: str | None = None) -> list[str]:
    return [f.code for f in findings if severity is None or f.severity == severity]


def check(body: str) -> list[Finding]:
    return check_text(HEADER + body, today=TODAY)


# --- money ---------------------------------------------------------------------------------


def test_amount_words_that_say_another_amount_are_an_error_with_the_right_words() -> None:
    findings = check("งบประมาณ ๓๕๓,๑๖๖,๔๐๕.- บาท (สามร้อยห้าสิบล้านหนึ่งแสนหกหมื่นหกพันสี่ร้อยห้าบาทถ้วน)")
    [f] = findings
    assert (f.severity, f.code, f.line) == (ERROR, "money-words", 6)
    assert f.suggestion == "(สามร้อยห้าสิบสามล้านหนึ่งแสนหกหมื่นหกพันสี่ร้อยห้าบาทถ้วน)"
    assert "๓๕๐,๑๖๖,๔๐๕" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "งบประมาณ ๓๕๓,๑๖๖,๔๐๕.- บาท (สามร้อยห้าสิบสามล้าน- หนึ่งแสนหกหมื่นหกพันสี่ร้อยห้าบาทถ้วน)",
        "ค่าวัสดุ ๑,๒๕๐.๕๐ บาท (หนึ่งพันสองร้อยห้าสิบบาทห้าสิบสตางค์)",
        "ค่าวัสดุ 1,250.- บาท (หนึ่งพันสองร้อยห้าสิบบาทถ้วน)",
    ],
)
def test_amount_words_that_agree_pass(text: str) -> None:
    assert "money-words" not in codes(check(text))


def test_unreadable_amount_words_are_a_warning() -> None:
    assert codes(check("ค่าวัสดุ ๑,๒๕๐.- บาท (พันสองร้อยห้าสิบบาทถ้วนนะ)"), WARNING) == ["money-words"]


# --- digits --------------------------------------------------------------------------------


def test_arabic_digits_among_thai_digits_are_a_warning_with_the_thai_form() -> None:
    findings = check("ประชุมเมื่อวันที่ ๕ ธันวาคม ๒๕๖๙ มีผู้เข้าร่วม 45 คน")
    assert [(f.severity, f.code, f.text, f.suggestion) for f in findings] == [(WARNING, "mixed-digits", "45", "๔๕")]


def test_addresses_codes_and_all_arabic_text_are_not_mixed_digits() -> None:
    text = "ส่งทาง bmahrd01@gmail.com หรือ https://bit.ly/3soaiCz ตามแบบ HRD 64 และ ISO 9001 จำนวน ๓ ชุด"
    assert codes(check(text)) == []
    all_arabic = check_text(
        HEADER.replace("๕๐๐๑/๑๒", "5001/12").replace("๒๐ พฤศจิกายน ๒๕๖๙", "20 พฤศจิกายน 2569") + "จำนวน 45 คน",
        today=TODAY,
    )
    assert codes(all_arabic) == []


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["๓๑ มิถุนายน ๒๕๖๔", "๓๐ กุมภาพันธ์ ๒๕๖๙", "๒๙ ก.พ. ๒๕๖๕", "๓๑/๐๔/๒๕๖๙", "๑๒/๑๓/๒๕๖๙"])
def test_impossible_dates_are_errors(date: str) -> None:
    assert codes(check(f"ตามหนังสือลงวันที่ {date}"), ERROR) == ["impossible-date"]


@pytest.mark.parametrize("date", ["๓๐ มิถุนายน ๒๕๖๔", "๒๙ กุมภาพันธ์ ๒๕๖๗", "๑๑ ม.ค. ๒๕๖๔", "๑๑/๑๒/๒๕๖๓"])
def test_real_dates_pass(date: str) -> None:
    assert codes(check(f"ตามหนังสือลงวันที่ {date}")) == []


def test_a_christian_era_year_is_an_error_with_the_buddhist_year() -> None:
    [f] = check("ลงวันที่ ๓ กันยายน ๒๐๒๐")
    assert (f.severity, f.code, f.suggestion) == (ERROR, "year", "๓ กันยายน ๒๕๖๓")


@pytest.mark.parametrize("text", ["ลงวันที่ ๓ กันยายน ๒๖๖๓", "ลงวันที่ ๓ กันยายน ๒๔๖๓", "ภายในปี พ.ศ. ๒๕๘๐"])
def test_years_far_from_today_are_warnings(text: str) -> None:
    assert codes(check(text), WARNING) == ["year"]


@pytest.mark.parametrize("text", ["ลงวันที่ ๑ ตุลาคม ๒๕๕๑", "ภายใน ๓๐ กันยายน ๒๕๗๐", "พระราชบัญญัติ พ.ศ. ๒๔๙๖"])
def test_old_references_and_near_deadlines_pass(text: str) -> None:
    assert codes(check(text)) == []


# --- closing items -------------------------------------------------------------------------

PROPOSALS = "ข้อพิจารณาและเสนอแนะ เห็นควรดำเนินการ ดังนี้\n๑. อนุมัติ\n๒. สั่งการ\n๓. แจ้งเวียน\n"


def test_closing_items_that_do_not_exist_are_an_error() -> None:
    findings = check(PROPOSALS + "จึงเรียนมาเพื่อโปรดพิจารณา ขอได้โปรดอนุมัติในข้อ ๑ และสั่งการในข้อ ๒ - ๔")
    [f] = [f for f in findings if f.severity == ERROR]
    assert (f.code, f.text) == ("closing-items", "ข้อ ๒ - ๔")
    assert "ข้อ ๔" in f.message


def test_closing_that_names_every_item_passes_and_one_that_skips_an_item_warns() -> None:
    assert codes(check(PROPOSALS + "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบ ขอได้โปรดอนุมัติในข้อ ๑ และสั่งการในข้อ ๒ - ๓")) == []
    assert codes(check(PROPOSALS + "จึงเรียนมาเพื่อโปรดพิจารณา ขอได้โปรดอนุมัติในข้อ ๑ และ ๓")) == ["closing-items"]


def test_numbered_facts_before_the_considerations_are_not_proposals() -> None:
    facts = "ข้อเท็จจริง ดังนี้\n๑. ก\n๒. ข\n๓. ค\n๔. ง\n"
    findings = check(facts + "ข้อพิจารณา เห็นควร ดังนี้\n๑. อนุมัติ\n๒. สั่งการ\nจึงเรียนมาเพื่อโปรดอนุมัติในข้อ ๑ - ๔")
    assert codes(findings, ERROR) == ["closing-items"]


def test_item_references_are_read_as_officials_write_them() -> None:
    assert closing_item_numbers("ขอได้โปรดอนุมัติในข้อ ๑ และสั่งการในข้อ ๒ - ๓") == [("ข้อ ๑", {1}), ("ข้อ ๒ - ๓", {2, 3})]
    assert closing_item_numbers("อนุมัติในข้อ ๑, ๓ และ ๕ - ๖") == [("ข้อ ๑, ๓ และ ๕ - ๖", {1, 3, 5, 6})]
    assert closing_item_numbers("ตามข้อเท็จจริง") == []


# --- totals --------------------------------------------------------------------------------

LEAD = "รวบรวมแล้ว มีจำนวนทั้งสิ้น {total} โครงการ กลุ่มเป้าหมายจำนวน ๕๘,๗๕๓ คน จำแนกได้ ดังนี้\n"
PARTS = (
    "- ยุทธศาสตร์ที่ ๑ จำนวน {first} โครงการ/กิจกรรม กลุ่มเป้าหมายจำนวน ๔๖,๕๐๔ คน\n"
    "- ยุทธศาสตร์ที่ ๒ จำนวน ๑๕ โครงการ/กิจกรรม กลุ่มเป้าหมายจำนวน ๑,๒๗๖ คน\n"
    "- ยุทธศาสตร์ที่ ๓ จำนวน ๓๓ โครงการ/กิจกรรม กลุ่มเป้าหมายจำนวน ๒,๙๙๑ คน\n"
    "- ยุทธศาสตร์ที่ ๔ จำนวน ๔๘ โครงการ/กิจกรรม กลุ่มเป้าหมายจำนวน ๗,๙๘๒ คน\n"
)


def test_listed_parts_that_add_up_to_the_stated_totals_pass() -> None:
    # the reference: 236+15+33+48 = 332 and 46,504+1,276+2,991+7,982 = 58,753
    assert codes(check(LEAD.format(total="๓๓๒") + PARTS.format(first="๒๓๖"))) == []


def test_listed_parts_that_do_not_add_up_are_a_warning_with_the_sum() -> None:
    [f] = check(LEAD.format(total="๓๓๒") + PARTS.format(first="๒๓๗"))
    assert (f.severity, f.code, f.text) == (WARNING, "total", "๓๓๒ โครงการ")
    assert "๓๓๓" in f.suggestion


def test_a_total_after_its_parts_in_one_paragraph_must_add_up() -> None:
    ok = "ปี ๒๕๖๑ จำนวน ๖๕๓ คน ปี ๒๕๖๒ จำนวน ๑๙๕ คน และปี ๒๕๖๓ จำนวน ๑๔๖ คน รวมจำนวนทั้งสิ้น ๙๙๔ คน"
    assert codes(check(ok)) == []
    [f] = check(ok.replace("๙๙๔", "๙๙๕"))
    assert (f.severity, f.code) == (ERROR, "total")
    assert "๙๙๔" in f.suggestion


# --- subject and addressee -----------------------------------------------------------------


def test_empty_subject_and_addressee_are_errors() -> None:
    text = "บันทึกข้อความ\nเรื่อง ..........\nเรียน\nเนื้อความ"
    findings = check_text(text, today=TODAY)
    assert sorted(codes(findings, ERROR)) == ["empty-addressee", "empty-subject"]
    assert {f.field for f in findings} == {"subject", "addressee"}


# --- the reference -------------------------------------------------------------------------


@pytest.mark.skipif(not SEED.is_file(), reason="shared/seed-memo.txt is not beside the repository")
def test_the_seed_memo_has_exactly_the_budget_words_slip() -> None:
    findings = check_text(SEED.read_text(encoding="utf-8"), today=TODAY)
    assert [(f.severity, f.code) for f in findings] == [(ERROR, "money-words")]


def test_reference_memo_doc_is_clean_and_its_as_written_budget_is_flagged_on_the_field() -> None:
    assert codes(check_memo(reference_memo_doc(), today=dt.date(2020, 12, 23))) == []
    findings = check_memo(reference_memo_doc(as_written=True), today=dt.date(2020, 12, 23))
    assert [(f.severity, f.code, f.field) for f in findings] == [(ERROR, "money-words", "sections")]


def test_generated_docx_reads_back_clean() -> None:
    text = docx_text(build_memo_docx(reference_memo_doc()))
    assert codes(check_text(text, today=dt.date(2020, 12, 23))) == []


def test_check_memo_names_the_fields() -> None:
    doc = MemoDoc(
        unit_line="สำนักงานเขตพระนคร",
        number="",
        date=dt.date(2026, 11, 24),
        subject=" ",
        addressee="",
        sections=(Section("ข้อเท็จจริง", blocks=(Block("ลงวันที่ ๓๑ มิถุนายน ๒๕๖๙ จำนวน 45 คน", "๑."),)),),
        proposals=("อนุมัติ",),
        closing="จึงเรียนมาเพื่อโปรดอนุมัติในข้อ ๑ - ๒",
        signature=None,
    )
    by_field = {(f.field, f.code) for f in check_memo(doc, today=TODAY)}
    assert by_field == {
        ("subject", "empty-subject"),
        ("addressee", "empty-addressee"),
        ("sections", "impossible-date"),
        ("sections", "mixed-digits"),
        ("closing", "closing-items"),
    }
    fixed = dataclasses.replace(
        doc,
        subject="ขออนุมัติ",
        addressee="ผู้อำนวยการเขต",
        sections=(Section("ข้อเท็จจริง", blocks=(Block("ลงวันที่ ๓๐ มิถุนายน ๒๕๖๙ จำนวน ๔๕ คน", "๑."),)),),
        closing="จึงเรียนมาเพื่อโปรดอนุมัติในข้อ ๑",
    )
    assert check_memo(fixed, today=TODAY) == []
