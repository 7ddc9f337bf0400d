"""Thai digits, times, items and money exactly as they are printed, and amounts read back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from documents.thai import amount_from_words, item_list, money_digits, money_text, parse_number, thai_time


def test_arabic_digits_on_request_for_text_that_keeps_them() -> None:
    assert item_list([1, 2, 4], thai_digits=False) == "ข้อ 1 - 2 และ 4"
    assert money_digits(1250, thai_digits=False) == "1,250.- บาท"
    assert money_text("1250.50", thai_digits=False) == "1,250.50 บาท (หนึ่งพันสองร้อยห้าสิบบาทห้าสิบสตางค์)"
    assert thai_time(dt.time(9, 5), thai_digits=False) == "09.05 น."
    assert thai_time(dt.time(9, 5)) == "๐๙.๐๕ น."


def test_amounts_typed_with_thousands_separators_and_thai_digits() -> None:
    assert money_text("๓๕๓,๑๖๖,๔๐๕") == "๓๕๓,๑๖๖,๔๐๕.- บาท (สามร้อยห้าสิบสามล้านหนึ่งแสนหกหมื่นหกพันสี่ร้อยห้าบาทถ้วน)"


@pytest.mark.parametrize(
    ("amount", "printed"),
    [("0.125", "๐.๑๓ บาท"), ("1250.005", "๑,๒๕๐.๐๑ บาท"), ("2.345", "๒.๓๕ บาท"), ("0.994", "๐.๙๙ บาท")],
)
def test_half_a_satang_rounds_up(amount: str, printed: str) -> None:
    assert money_digits(amount) == printed


@pytest.mark.parametrize("words", ["หนึ่งพันบาทถ้วน", "หนึ่งพันบาทตรง", "หนึ่งพันบาทเท่านั้น", "หนึ่งพันบาท"])
def test_the_ways_of_closing_an_amount_in_words(words: str) -> None:
    assert amount_from_words(words) == 1000


def test_a_number_at_the_end_of_a_sentence_keeps_its_value() -> None:
    assert parse_number("๑,๒๕๐.") == 1250
    assert parse_number("๓๒๕...") == 325
    assert parse_number("๑,๒๕๐.๕๐") == Decimal("1250.50")
