"""What mutation testing found untested in the preflight checker and the Thai readers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from documents.data import Block, Section
from documents.preflight import ERROR, WARNING, check_memo, check_text
from documents.reference import reference_memo_doc
from documents.thai import THAI_MONTHS, THAI_MONTHS_ABBR, money_words, parse_thai_date, to_thai_digits

from .memo_cases import memo_text

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_name_and_abbreviation_is_read_back(month: int) -> None:
    for name in (THAI_MONTHS[month - 1], THAI_MONTHS_ABBR[month - 1]):
        assert parse_thai_date(f"๑๕ {name} ๒๕๖๘") == dt.date(2025, month, 15)
        # a day no month has is caught in every month, so no month skips the date checks
        findings = check_text(memo_text(f"ภายในวันที่ ๓๒ {name} ๒๕๖๘"), today=TODAY)
        assert [f.code for f in findings] == ["impossible-date"], name


@pytest.mark.parametrize("month", range(1, 13))
def test_the_last_day_of_each_month_passes_and_the_day_after_does_not(month: int) -> None:
    last = (dt.date(2025 + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    name = THAI_MONTHS[month - 1]
    assert check_text(memo_text(f"ภายในวันที่ {to_thai_digits(last)} {name} ๒๕๖๘"), today=TODAY) == []
    if last < 31:
        bad = check_text(memo_text(f"ภายในวันที่ {to_thai_digits(last + 1)} {name} ๒๕๖๘"), today=TODAY)
        assert [f.code for f in bad] == ["impossible-date"]


def test_day_zero_is_no_date() -> None:
    assert parse_thai_date("๐ มกราคม ๒๕๗๐") is None
    [finding] = check_text(memo_text("ภายในวันที่ ๐ มกราคม ๒๕๗๐"), today=TODAY)
    assert (finding.severity, finding.code) == (ERROR, "impossible-date")


def test_the_era_cut_off_between_christian_and_buddhist_years() -> None:
    [christian] = check_text(memo_text("ประกาศ ณ วันที่ ๑ มกราคม ๒๒๐๐"), today=TODAY)
    assert (christian.severity, christian.code) == (ERROR, "year")
    assert "๒๗๔๓" in christian.suggestion
    [far] = check_text(memo_text("ประกาศ ณ วันที่ ๑ มกราคม ๒๒๐๑"), today=TODAY)
    assert (far.severity, far.code) == (WARNING, "year")  # read as Buddhist era, far in the past
    assert check_text(memo_text("ตามหนังสือลงวันที่ 1/10/2568"), today=TODAY)[0].code == "mixed-digits"
    assert [f.code for f in check_text(memo_text("ตามหนังสือลงวันที่ ๒๙/๒/๒๕๖๘"), today=TODAY)] == ["impossible-date"]
    assert check_text(memo_text("ตามหนังสือลงวันที่ ๒๙/๒/๒๕๖๗"), today=TODAY) == []


def test_amounts_under_ten_satang_and_with_commas() -> None:
    assert money_words(Decimal("1250.05")) == "หนึ่งพันสองร้อยห้าสิบบาทห้าสตางค์"
    assert money_words("๓๕๓,๑๖๖,๔๐๕") == "สามร้อยห้าสิบสามล้านหนึ่งแสนหกหมื่นหกพันสี่ร้อยห้าบาทถ้วน"
    assert check_text(memo_text("ค่าวัสดุ ๑,๒๕๐.๐๕ บาท (หนึ่งพันสองร้อยห้าสิบบาทห้าสตางค์)"), today=TODAY) == []
    [f] = check_text(memo_text("ค่าวัสดุ ๑,๒๕๐.๐๕ บาท (หนึ่งพันสองร้อยห้าสิบบาทห้าสิบสตางค์)"), today=TODAY)
    assert f.code == "money-words" and "๑,๒๕๐.๕๐" in f.message


def test_a_wrong_total_typed_in_the_web_form_is_caught_on_its_field() -> None:
    """The form path (check_memo on the drafted memo's values) reaches the totals rule."""
    doc = reference_memo_doc()
    wrong = Block("ชาย ๑๒ คน หญิง ๑๘ คน รวมทั้งสิ้น ๓๑ คน", "๕.")
    sections = (*doc.sections[:1], dataclasses.replace(doc.sections[1], blocks=(*doc.sections[1].blocks, wrong)))
    findings = check_memo(dataclasses.replace(doc, sections=sections + doc.sections[2:]), today=TODAY)
    totals = [f for f in findings if f.code == "total"]
    assert [(f.severity, f.field) for f in totals] == [(ERROR, "sections")]
    assert "๓๐" in totals[0].message


def test_item_references_in_the_form_path_are_checked_against_the_memos_own_items() -> None:
    doc = reference_memo_doc()
    assert [f.code for f in check_memo(doc, today=dt.date(2021, 1, 4)) if f.code == "item-reference"] == []
    proposals = (doc.proposals[0].replace("ตามข้อเท็จจริงข้อ ๒", "ตามข้อเท็จจริงข้อ ๕"), *doc.proposals[1:])
    [f] = [x for x in check_memo(dataclasses.replace(doc, proposals=proposals)) if x.code == "item-reference"]
    assert (f.severity, f.field) == (ERROR, "proposals")
    assert "ข้อ ๕" in f.message and "มี ๔ ข้อ" in f.message
    section = Section("ข้อเท็จจริง", blocks=(Block("อนุมัติในข้อ ๔ แล้ว", "๑."),))
    [g] = [x for x in check_memo(dataclasses.replace(doc, sections=(section,))) if x.code == "item-reference"]
    assert "ข้อเสนอข้อ ๔" in g.message


def test_the_seed_budget_slip_stays_caught() -> None:
    findings = check_memo(reference_memo_doc(as_written=True), today=dt.date(2021, 1, 4))
    assert [f.code for f in findings if f.is_error] == ["money-words"]
