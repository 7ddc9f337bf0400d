"""What the drafter reads from the preflight checker, word for word.

tests/documents/test_preflight.py shows which slips each rule catches; these tests pin what
the drafter is then told: the Thai message, the text it points at, what to write instead,
and where (the line of a checked file, or the field of the drafting form), in the order
shown (errors first, then by line).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from docx import Document

from documents.data import Block, MemoDoc, Section
from documents.preflight import (
    ERROR,
    WARNING,
    Finding,
    check_memo,
    check_text,
    closing_item_numbers,
    docx_text,
    has_errors,
)

TODAY = dt.date(2026, 11, 24)  # พ.ศ. ๒๕๖๙
# Five lines, so the body starts on line 6.
HEADER = (
    "บันทึกข้อความ\nส่วนราชการ สำนักงานเขตพระนคร\nที่ กท ๕๐๐๑/๑๒ วันที่ ๒๐ พฤศจิกายน ๒๕๖๙\n"
    "เรื่อง ขออนุมัติจัดซื้อวัสดุ\nเรียน ผู้อำนวยการเขตพระนคร\n"
)
CHECK_DATE = "ตรวจสอบวันที่อีกครั้ง"


def check(body: str, today: dt.date = TODAY) -> list[Finding]:
    return check_text(HEADER + body, today=today)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# --- the whole list, in the order shown ----------------------------------------------------


def test_findings_of_a_whole_memo_errors_first_then_by_line() -> None:
    body = (
        "ประชุมครั้งที่ 3/2569 เมื่อวันที่ ๑ ธันวาคม ๒๕๖๙\n"  # 6
        "ตามหนังสือลงวันที่ ๓๑ มิถุนายน ๒๕๖๙\n"  # 7
        "ค่าวัสดุ ๕๐๐ บาท (๕๐๐) และค่าจ้าง ๑,๐๐๐ บาท (หนึ่งร้อยบาทถ้วน)\n"  # 8
        "ค่าวัสดุ ๑,๒๕๐.- บาท (พันสองร้อยห้าสิบบาทถ้วนนะ)\n"  # 9
        "ข้อพิจารณา เห็นควรดำเนินการ ดังนี้\n๑. อนุมัติโครงการ\n๒. แจ้งเวียน\n"  # 10-12
        "จึงเรียนมาเพื่อโปรดพิจารณา ขอได้โปรดอนุมัติในข้อ ๑ และสั่งการในข้อ ๒ - ๓"  # 13
    )
    assert check(body) == [
        Finding(
            ERROR,
            "impossible-date",
            "ไม่มีวันที่ ๓๑ ในเดือนมิถุนายน (เดือนนี้มี ๓๐ วัน)",
            "๓๑ มิถุนายน ๒๕๖๙",
            CHECK_DATE,
            "",
            7,
        ),
        Finding(
            ERROR,
            "money-words",
            "จำนวนเงินตัวอักษรไม่ตรงกับตัวเลข: ตัวเลขคือ ๑,๐๐๐.- บาท แต่ตัวอักษรอ่านได้ ๑๐๐.- บาท",
            "๑,๐๐๐ บาท (หนึ่งร้อยบาทถ้วน)",
            "(หนึ่งพันบาทถ้วน)",
            "",
            8,
        ),
        Finding(
            ERROR,
            "closing-items",
            "ประโยคท้ายอ้างถึงข้อ ๓ ซึ่งไม่มีในข้อเสนอ",
            "ข้อ ๒ - ๓",
            "ข้อเสนอมี ๒ ข้อ (ข้อ ๑ - ๒): แก้ประโยคท้ายให้อ้างเฉพาะข้อที่มี หรือเพิ่มข้อเสนอ",
            "closing",
            13,
        ),
        Finding(WARNING, "mixed-digits", "ใช้เลขอารบิกปนกับเลขไทยในเอกสารเดียวกัน", "3/2569", "๓/๒๕๖๙", "", 6),
        Finding(
            WARNING,
            "money-words",
            "อ่านจำนวนเงินที่เขียนเป็นตัวอักษรไม่ได้ โปรดตรวจสอบว่าตรงกับตัวเลข",
            "๑,๒๕๐.- บาท (พันสองร้อยห้าสิบบาทถ้วนนะ)",
            "(หนึ่งพันสองร้อยห้าสิบบาทถ้วน)",
            "",
            9,
        ),
    ]


def test_the_terminal_shows_one_line_per_finding() -> None:
    [impossible] = check("ตามหนังสือลงวันที่ ๓๑ มิถุนายน ๒๕๖๙")
    assert impossible.format() == (
        "ข้อผิดพลาด [impossible-date] บรรทัด 6: ไม่มีวันที่ ๓๑ ในเดือนมิถุนายน (เดือนนี้มี ๓๐ วัน) «๓๑ มิถุนายน ๒๕๖๙» → ตรวจสอบวันที่อีกครั้ง"
    )
    # A closing typed over two lines of the form is quoted on one line, after its field.
    doc = dataclasses.replace(memo_doc(), closing="จึงเรียนมาเพื่อโปรดพิจารณา\nอนุมัติในข้อ ๑")
    [unnamed] = check_memo(doc, today=TODAY)
    assert unnamed.format() == (
        "คำเตือน [closing-items] closing: ประโยคท้ายไม่ได้ขอให้พิจารณาข้อ ๒ ผู้มีอำนาจจึงอาจไม่สั่งการในข้อนั้น"
        " «จึงเรียนมาเพื่อโปรดพิจารณา อนุมัติในข้อ ๑» → ระบุข้อ ๒ ในประโยคท้ายด้วย"
    )
    [no_subject] = check_memo(dataclasses.replace(memo_doc(), subject=""), today=TODAY)
    assert no_subject.format() == "ข้อผิดพลาด [empty-subject] subject: ไม่มีเรื่อง → ระบุเรื่องให้สั้นและได้ใจความ"


def test_only_errors_block_sending() -> None:
    assert has_errors(check("ตามหนังสือลงวันที่ ๓๑ มิถุนายน ๒๕๖๙"))
    assert not has_errors(check("มีผู้เข้าร่วม 45 คน เมื่อ ๑ ธันวาคม ๒๕๖๙"))
    assert not has_errors([])


# --- subject and addressee -----------------------------------------------------------------


def test_a_text_without_subject_or_addressee_lines_is_told_what_to_add() -> None:
    assert check_text("บันทึกข้อความ\nเนื้อความ", today=TODAY) == [
        Finding(ERROR, "empty-subject", "ไม่มีเรื่อง", "", "ระบุเรื่องให้สั้นและได้ใจความ", "subject", None),
        Finding(ERROR, "empty-addressee", "ไม่มีผู้รับ (เรียน)", "", "ระบุตำแหน่งของผู้รับหลังคำว่า เรียน", "addressee", None),
    ]


def test_empty_subject_and_addressee_lines_are_pointed_at() -> None:
    assert check_text("บันทึกข้อความ\nเรื่อง ..........\nเรียน\nเนื้อความ", today=TODAY) == [
        Finding(ERROR, "empty-subject", "ไม่มีเรื่อง", "เรื่อง ..........", "ระบุเรื่องให้สั้นและได้ใจความ", "subject", 2),
        Finding(ERROR, "empty-addressee", "ไม่มีผู้รับ (เรียน)", "เรียน", "ระบุตำแหน่งของผู้รับหลังคำว่า เรียน", "addressee", 3),
    ]


# --- dates and years ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "date", ["๑/๑/๒๕๖๙", "๓๑/๑/๒๕๖๙", "๓๑/๑๒/๒๕๖๙", "๒๙/๒/๒๕๖๗", "๒๙ กุมภาพันธ์ ๒๕๖๗", "๓๑ ธ.ค. ๒๕๖๘"]
)
def test_first_and_last_days_of_months_and_leap_days_are_real_dates(date: str) -> None:
    assert check(f"ตามหนังสือลงวันที่ {date}") == []


def test_a_day_missing_from_a_numeric_date_is_an_error() -> None:
    assert check("ตามหนังสือลงวันที่ ๒๙/๒/๒๕๖๖") == [
        Finding(ERROR, "impossible-date", "วันที่นี้ไม่มีอยู่จริง", "๒๙/๒/๒๕๖๖", CHECK_DATE, "", 6)
    ]


def test_a_leap_day_in_a_christian_era_year_is_only_a_year_slip() -> None:
    assert codes(check("ตามหนังสือลงวันที่ ๒๙ กุมภาพันธ์ ๒๐๒๔")) == ["year"]
    assert codes(check("ตามหนังสือลงวันที่ ๒๙/๒/๒๐๒๔")) == ["year"]


def ce_year(text: str, year: str, suggestion: str) -> Finding:
    return Finding(ERROR, "year", f"ปี {year} ดูเป็นปีคริสต์ศักราช เอกสารราชการใช้ปีพุทธศักราช", text, suggestion, "", 6)


def test_christian_era_years_are_errors_with_the_buddhist_year_to_write() -> None:
    assert check("ลงวันที่ ๒ มกราคม 2021 ตามคำสั่ง พ.ศ. ๒๐๒๐ และหนังสือลงวันที่ ๑/๑/๒๐๑๙") == [
        ce_year("๒ มกราคม 2021", "๒๐๒๑", "๒ มกราคม ๒๕๖๔"),
        ce_year("๑/๑/๒๐๑๙", "๒๐๑๙", "๑/๑/๒๕๖๒"),
        ce_year("พ.ศ. ๒๐๒๐", "๒๐๒๐", "พ.ศ. ๒๕๖๓"),
        Finding(WARNING, "mixed-digits", "ใช้เลขอารบิกปนกับเลขไทยในเอกสารเดียวกัน", "2021", "๒๐๒๑", "", 6),
    ]


@pytest.mark.parametrize(("year", "buddhist"), [("๑๙๐๐", "๒๔๔๓"), ("๒๒๐๐", "๒๗๔๓")])
def test_years_1900_to_2200_are_taken_for_christian_era(year: str, buddhist: str) -> None:
    assert check(f"ลงวันที่ ๑ มกราคม {year}") == [ce_year(f"๑ มกราคม {year}", year, f"๑ มกราคม {buddhist}")]


def far_year(text: str, year: str, today: str = "๒๕๖๙") -> Finding:
    return Finding(
        WARNING,
        "year",
        f"ปี พ.ศ. {year} ห่างจากปีปัจจุบัน (พ.ศ. {today}) มากผิดปกติ",
        text,
        "ตรวจสอบปี พ.ศ. อีกครั้ง",
        "",
        6,
    )


def test_years_far_from_today_are_pointed_at() -> None:
    body = "ภายในปี พ.ศ. ๒๕๗๕ ตามหนังสือลงวันที่ ๑/๑/๒๕๑๘ และ ๓ มีนาคม ๒๕๑๘"
    assert check(body) == [
        far_year("๓ มีนาคม ๒๕๑๘", "๒๕๑๘"),
        far_year("๑/๑/๒๕๑๘", "๒๕๑๘"),
        far_year("พ.ศ. ๒๕๗๕", "๒๕๗๕"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ภายในปี พ.ศ. ๒๕๗๔",  # five years ahead
        "ภายใน ๓๐ กันยายน ๒๕๗๔",
        "ตามหนังสือลงวันที่ ๑ มกราคม ๒๕๑๙",  # fifty years back
        "ตามหนังสือลงวันที่ ๑/๑/๒๕๑๙",
        "ตามระเบียบ พ.ศ. ๒๕๑๘",  # a year alone: old acts and rules are cited by year
    ],
)
def test_five_years_ahead_and_fifty_back_are_still_plausible(text: str) -> None:
    assert check(text) == []


def test_far_is_measured_from_the_day_of_the_check() -> None:
    text = "เรื่อง ขออนุมัติ\nเรียน ผู้อำนวยการเขต\nภายในปี พ.ศ. ๒๕๖๙"
    assert check_text(text, today=dt.date(2026, 11, 24)) == []
    assert check_text(text, today=dt.date(2020, 6, 1)) == [
        dataclasses.replace(far_year("พ.ศ. ๒๕๖๙", "๒๕๖๙", today="๒๕๖๓"), line=3)
    ]


# --- closing sentence and proposals --------------------------------------------------------


@pytest.mark.parametrize("heading", ["ข้อพิจารณา", "ข้อเสนอ"])
def test_numbered_facts_are_not_proposals_when_the_considerations_have_none(heading: str) -> None:
    body = f"ข้อเท็จจริง\n๑. ก\n๒. ข\n๓. ค\n{heading} เห็นควรอนุมัติโครงการ\nจึงเรียนมาเพื่อโปรดอนุมัติในข้อ ๑"
    assert check(body) == [
        Finding(
            ERROR,
            "closing-items",
            "ประโยคท้ายอ้างถึงข้อ ๑ ซึ่งไม่มีในข้อเสนอ",
            "ข้อ ๑",
            "ไม่มีข้อเสนอที่เป็นข้อ ๆ: แก้ประโยคท้ายให้อ้างเฉพาะข้อที่มี หรือเพิ่มข้อเสนอ",
            "closing",
            11,
        )
    ]


def test_a_proposal_the_closing_does_not_ask_for_is_a_warning() -> None:
    closing = "จึงเรียนมาเพื่อโปรดพิจารณา ขอได้โปรดสั่งการในข้อ ๒ - ๓"
    assert check(f"ข้อพิจารณา\n๑. อนุมัติ\n๒. สั่งการ\n๓. แจ้งเวียน\n{closing}") == [
        Finding(
            WARNING,
            "closing-items",
            "ประโยคท้ายไม่ได้ขอให้พิจารณาข้อ ๑ ผู้มีอำนาจจึงอาจไม่สั่งการในข้อนั้น",
            closing,
            "ระบุข้อ ๑ ในประโยคท้ายด้วย",
            "closing",
            10,
        )
    ]


@pytest.mark.parametrize(
    "proposals",
    [
        "๑. อนุมัติโครงการ\n",
        "๑. อนุมัติโครงการ\n๒. แจ้งเวียน\n",
        "๑. อนุมัติโครงการ\nโดยใช้งบประมาณของสถาบัน\n๒. แจ้งเวียน\n",  # an item over two lines
    ],
)
def test_a_closing_that_asks_for_every_proposal_passes(proposals: str) -> None:
    count = proposals.count(". ")
    closing = "ขอได้โปรดอนุมัติในข้อ ๑" if count == 1 else "ขอได้โปรดอนุมัติในข้อ ๑ - ๒"
    assert check(f"ข้อพิจารณา เห็นควร ดังนี้\n{proposals}จึงเรียนมาเพื่อโปรดพิจารณา {closing}") == []


@pytest.mark.parametrize(
    ("closing", "numbers"),
    [
        ("ข้อ ๑ - ๓", {1, 2, 3}),
        ("ข้อ ๕๐ - ๖๐", set(range(50, 61))),
        ("ข้อ ๑ - ๑๐๐", set(range(1, 101))),
        ("ข้อ ๑ - ๑๐๑", {1, 101}),  # a hundred items or more: not a range anyone means
    ],
)
def test_ranges_of_items_are_read_up_to_a_hundred_items(closing: str, numbers: set[int]) -> None:
    assert closing_item_numbers(closing) == [(closing, numbers)]


# --- totals -------------------------------------------------------------------------------


def test_a_wrong_total_after_its_parts_shows_the_sum() -> None:
    body = "ค่าวัสดุ ๕๐๐ บาท รวม ๕๐๐ บาท และค่าจ้าง ๓๐๐ บาท ค่าเดินทาง ๒๐๐ บาท รวมทั้งสิ้น ๖๐๐ บาท"
    assert check(body) == [
        Finding(
            ERROR,
            "total",
            "ยอดรวม ๖๐๐ บาท ไม่เท่ากับผลรวมของรายการก่อนหน้า (๓๐๐ + ๒๐๐ = ๕๐๐)",
            "๖๐๐ บาท",
            "ตรวจสอบตัวเลข: ผลรวมคือ ๕๐๐ บาท",
            "",
            6,
        )
    ]


def test_totals_are_shown_with_satang_only_when_there_are_some() -> None:
    [f] = check("ค่าวัสดุ ๑,๒๓๔.๕๐ บาท ค่าจ้าง ๑๐๐ บาท รวมทั้งสิ้น ๑,๓๓๔ บาท")
    assert f.message == "ยอดรวม ๑,๓๓๔ บาท ไม่เท่ากับผลรวมของรายการก่อนหน้า (๑,๒๓๔.๕๐ + ๑๐๐ = ๑,๓๓๔.๕๐)"


LEAD = "โครงการที่เสนอ มีจำนวนทั้งสิ้น ๓๓๒ โครงการ กลุ่มเป้าหมายจำนวน {people} คน ดังนี้\n"
PARTS = (
    "- ยุทธศาสตร์ที่ ๑ จำนวน ๒๓๖ โครงการ กลุ่มเป้าหมายจำนวน ๔๖,๕๐๔ คน\n"
    "- ยุทธศาสตร์ที่ ๒ จำนวน ๙๖ โครงการ กลุ่มเป้าหมายจำนวน ๑๒,๒๔๘ คน\n"
)


def listed_total(stated: str, unit: str, parts: str, total: str, line: int = 6) -> Finding:
    return Finding(
        WARNING,
        "total",
        f"ยอด {stated} {unit} ไม่เท่ากับผลรวมของรายการที่แจกแจงต่อจากนั้น ({parts} = {total})",
        f"{stated} {unit}",
        f"ตรวจสอบตัวเลข: ผลรวมของรายการคือ {total} {unit}",
        "",
        line,
    )


def test_each_stated_total_is_checked_against_the_list_that_follows() -> None:
    # 236 + 96 = 332 projects and 46,504 + 12,248 = 58,752 people
    assert check(LEAD.format(people="๕๘,๗๕๒") + PARTS) == []
    assert check(LEAD.format(people="๕๘,๗๕๓") + PARTS) == [listed_total("๕๘,๗๕๓", "คน", "๔๖,๕๐๔ + ๑๒,๒๔๘", "๕๘,๗๕๒")]


def test_a_total_the_items_do_not_each_state_once_is_left_alone() -> None:
    body = (
        "มีจำนวนทั้งสิ้น ๓ โครงการ กลุ่มเป้าหมายจำนวน ๑๐ คน ดังนี้\n"
        "- โครงการ ก กลุ่มเป้าหมายจำนวน ๔ คน\n"
        "- โครงการ ข กลุ่มเป้าหมายจำนวน ๕ คน\n"
    )
    assert check(body) == [listed_total("๑๐", "คน", "๔ + ๕", "๙")]


def test_a_list_of_two_is_checked_and_a_list_of_one_is_not() -> None:
    body = (
        "ปีที่แล้วดำเนินการทั้งสิ้น ๑ โครงการ ดังนี้\n"
        "- โครงการ ก จำนวน ๒ โครงการ\n"
        "ปีนี้มีผู้เข้าอบรมรวมทั้งสิ้น ๕ คน ดังนี้\n"
        "- รุ่นที่ ๑ จำนวน ๒ คน\n"
        "- รุ่นที่ ๒ จำนวน ๒ คน\n"
    )
    assert check(body) == [listed_total("๕", "คน", "๒ + ๒", "๔", line=8)]


@pytest.mark.parametrize(
    "items",
    [
        "โครงการแรก จำนวน ๑ โครงการ\nโครงการที่สอง จำนวน ๑ โครงการ\n",  # paragraphs, not a list
        "- ก จำนวน ๑ โครงการ\n- ข จำนวน ๒ โครงการ\n(๑) ค จำนวน ๕ โครงการ\n",  # bullets, then another list
        "๑. ก จำนวน ๓ โครงการ\n๑.๑ ข จำนวน ๑ โครงการ\n๑.๒ ค จำนวน ๑ โครงการ\n",  # sub-items of one item
        "๑. ก จำนวน ๓ โครงการ\n(๑) ข จำนวน ๑ โครงการ\n(๒) ค จำนวน ๑ โครงการ\n",
        "๑. ก จำนวน ๓ โครงการ\n๑) ข จำนวน ๑ โครงการ\n๒) ค จำนวน ๑ โครงการ\n",
    ],
)
def test_only_the_items_of_one_list_right_after_the_lead_are_its_parts(items: str) -> None:
    assert check("เห็นควรดำเนินการทั้งสิ้น ๓ โครงการ ดังนี้\n" + items) == []


# --- the drafting form ----------------------------------------------------------------------


def memo_doc(**changes: object) -> MemoDoc:
    doc = MemoDoc(
        unit_line="สำนักงานเขตพระนคร",
        number="",
        date=TODAY,
        subject="ขออนุมัติจัดอบรม",
        addressee="ผู้อำนวยการเขตพระนคร",
        sections=(Section("ข้อเท็จจริง", "สำนักงานเขตได้สำรวจความต้องการแล้ว"),),
        proposals=("อนุมัติโครงการ", "แจ้งเวียน"),
        closing="จึงเรียนมาเพื่อโปรดอนุมัติในข้อ ๑ - ๒",
        signature=None,
    )
    return dataclasses.replace(doc, **changes)  # type: ignore[arg-type]


def test_an_empty_form_is_told_what_to_fill_in() -> None:
    assert check_memo(memo_doc(subject=" ", addressee=""), today=TODAY) == [
        Finding(ERROR, "empty-subject", "ไม่มีเรื่อง", "", "ระบุเรื่องให้สั้นและได้ใจความ", "subject"),
        Finding(ERROR, "empty-addressee", "ไม่มีผู้รับ (เรียน)", "", "ระบุตำแหน่งของผู้รับ", "addressee"),
    ]


def test_each_slip_is_shown_on_the_field_it_is_in() -> None:
    doc = memo_doc(
        subject="ขออนุมัติจัดอบรม 2 รุ่น",
        addressee="ผู้อำนวยการกอง 3",
        sections=(Section("ข้อเท็จจริง", "ตามหนังสือลงวันที่ ๓๑ มิถุนายน ๒๕๖๙", (Block("มีผู้สมัคร 45 คน", "๑."),)),),
        proposals=("อนุมัติงบประมาณ ๑,๐๐๐ บาท (หนึ่งร้อยบาทถ้วน)",),
        closing="จึงเรียนมาเพื่อโปรดอนุมัติในข้อ 1 - ๒",
    )
    found = [(f.severity, f.code, f.text, f.field) for f in check_memo(doc, today=TODAY)]
    assert found == [
        (ERROR, "money-words", "๑,๐๐๐ บาท (หนึ่งร้อยบาทถ้วน)", "proposals"),
        (ERROR, "impossible-date", "๓๑ มิถุนายน ๒๕๖๙", "sections"),
        (ERROR, "closing-items", "ข้อ 1 - ๒", "closing"),
        (WARNING, "mixed-digits", "2", "subject"),
        (WARNING, "mixed-digits", "3", "addressee"),
        (WARNING, "mixed-digits", "45", "sections"),
        (WARNING, "mixed-digits", "1", "closing"),
    ]


def test_proposals_are_the_parts_of_a_total_stated_just_before_them() -> None:
    doc = memo_doc(
        sections=(Section("ข้อพิจารณา", "เห็นควรดำเนินโครงการทั้งสิ้น ๓ โครงการ ดังนี้"),),
        proposals=("โครงการ ก จำนวน ๑ โครงการ", "โครงการ ข จำนวน ๑ โครงการ"),
    )
    assert check_memo(doc, today=TODAY) == [
        dataclasses.replace(listed_total("๓", "โครงการ", "๑ + ๑", "๒"), field="sections", line=None)
    ]


@pytest.mark.parametrize(
    ("date", "shown"),
    [
        (None, None),  # not dated yet
        (dt.date(2025, 11, 23), None),  # 366 days before: a leap year's worth
        (dt.date(2027, 11, 25), None),
        (dt.date(2025, 11, 22), "๒๒ พฤศจิกายน ๒๕๖๘"),
        (dt.date(2027, 11, 26), "๒๖ พฤศจิกายน ๒๕๗๐"),
    ],
)
def test_a_memo_dated_more_than_a_year_from_today_is_a_warning(date: dt.date | None, shown: str | None) -> None:
    expected = Finding(WARNING, "year", "วันที่ของบันทึกห่างจากวันนี้เกินหนึ่งปี", shown or "", "ตรวจสอบวันที่ของบันทึก", "date")
    assert check_memo(memo_doc(date=date), today=TODAY) == ([expected] if shown else [])


# --- reading a .docx ------------------------------------------------------------------------


def test_a_docx_reads_back_with_its_tabs_and_line_breaks_and_nothing_else() -> None:
    document = Document()
    subject = document.add_paragraph()
    subject.paragraph_format.tab_stops.add_tab_stop(914400)  # a tab stop is not a tab
    subject.add_run("เรื่อง")
    subject.add_run().add_tab()
    subject.add_run("ขออนุมัติ")
    subject.add_run()._r.add_t("")  # Word leaves empty text behind
    address = document.add_paragraph("เรียน")
    address.add_run().add_break()
    address.add_run("ผู้อำนวยการเขต")
    buffer = io.BytesIO()
    document.save(buffer)
    assert docx_text(buffer.getvalue()) == "เรื่อง\tขออนุมัติ\nเรียน\nผู้อำนวยการเขต"
