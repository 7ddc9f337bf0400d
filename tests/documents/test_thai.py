"""Thai digits, Buddhist-era dates, item lists and money, both ways."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from documents.thai import (
    amount_from_words,
    be_year,
    item_list,
    item_runs,
    money_digits,
    money_text,
    money_words,
    month_number,
    parse_number,
    parse_thai_date,
    thai_date,
    thai_time,
    to_arabic_digits,
    to_thai_digits,
)

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def test_digits_both_ways() -> None:
    assert to_thai_digits("กท 0401/1255") == "กท ๐๔๐๑/๑๒๕๕"
    assert to_arabic_digits("๓๕๓,๑๖๖,๔๐๕") == "353,166,405"
    assert to_thai_digits(to_arabic_digits("๐๑๒๓๔๕๖๗๘๙")) == "๐๑๒๓๔๕๖๗๘๙"


def test_dates_full_and_abbreviated() -> None:
    assert be_year(dt.date(2020, 12, 23)) == 2563
    assert thai_date(dt.date(2020, 12, 23)) == "๒๓ ธันวาคม ๒๕๖๓"
    assert thai_date(dt.date(2021, 1, 11), abbreviated=True) == "๑๑ ม.ค. ๒๕๖๔"
    assert thai_date(dt.date(2021, 1, 11), thai_digits=False) == "11 มกราคม 2564"


def test_aware_datetimes_are_dated_in_bangkok() -> None:
    # 20:00 UTC on 10 January is already 11 January in Bangkok
    late = dt.datetime(2021, 1, 10, 20, 0, tzinfo=dt.UTC)
    assert thai_date(late) == "๑๑ มกราคม ๒๕๖๔"
    assert thai_time(late) == "๐๓.๐๐ น."
    assert thai_time(dt.datetime(2021, 1, 11, 16, 0, tzinfo=BANGKOK)) == "๑๖.๐๐ น."


def test_item_lists_and_ranges() -> None:
    assert item_runs([5, 1, 2, 3, 3]) == [(1, 3), (5, 5)]
    assert item_list([1]) == "ข้อ ๑"
    assert item_list([3, 2]) == "ข้อ ๒ - ๓"
    assert item_list([1, 3]) == "ข้อ ๑ และ ๓"
    assert item_list([1, 3, 5, 6]) == "ข้อ ๑, ๓ และ ๕ - ๖"
    assert item_list([]) == ""


def test_money_in_digits_and_words() -> None:
    assert money_digits(353166405) == "๓๕๓,๑๖๖,๔๐๕.- บาท"
    assert money_digits("1250.5") == "๑,๒๕๐.๕๐ บาท"
    assert money_words(1250) == "หนึ่งพันสองร้อยห้าสิบบาทถ้วน"
    assert money_words("0.50") == "ห้าสิบสตางค์"
    assert money_words("21.25") == "ยี่สิบเอ็ดบาทยี่สิบห้าสตางค์"
    assert money_text(1250) == "๑,๒๕๐.- บาท (หนึ่งพันสองร้อยห้าสิบบาทถ้วน)"
    # a budget line larger than a float holds exactly to the satang
    assert amount_from_words(money_words("9007199254740993.25")) == Decimal("9007199254740993.25")


def test_amount_from_words_reads_what_typists_write() -> None:
    assert amount_from_words("สามร้อยห้าสิบล้าน- หนึ่งแสนหกหมื่นหกพันสี่ร้อยห้าบาทถ้วน") == 350166405
    assert amount_from_words("หนึ่งพันบาทห้าสิบสตางค์") == Decimal("1000.50")
    assert amount_from_words("ห้าสิบสตางค์") == Decimal("0.50")


@pytest.mark.parametrize("words", ["", "บาทถ้วน", "สวัสดีครับ", "หนึ่งบาทหนึ่งร้อยสตางค์"])
def test_amount_from_words_rejects_non_amounts(words: str) -> None:
    assert amount_from_words(words) is None


def test_parse_numbers_and_dates() -> None:
    assert parse_number("๓๕๓,๑๖๖,๔๐๕.-") == 353166405
    assert parse_number("๒.๓๔") == Decimal("2.34")
    assert month_number("มิ.ย.") == 6
    assert month_number("มีนาคม") == 3
    assert month_number("เดือนหน้า") is None
    assert parse_thai_date("๒๓ ธันวาคม ๒๕๖๓") == dt.date(2020, 12, 23)
    assert parse_thai_date("๑๑ ม.ค. ๒๕๖๔") == dt.date(2021, 1, 11)
    assert parse_thai_date("๒๘ เมษายน พ.ศ. ๒๕๕๒") == dt.date(2009, 4, 28)
    assert parse_thai_date("๓๑ มิถุนายน ๒๕๖๔") is None
    with pytest.raises(ValueError):
        parse_thai_date("เมื่อวานนี้")
