"""Thai typesetting helpers: digits, Buddhist-era dates, times, item ranges, money.

pythainlp.util does the language work (month names, baht text, reading number words); it is
imported inside the functions because importing pythainlp costs ~90 ms, which start-up of
every process (web, worker, manage.py) should not pay.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

BE_OFFSET = 543
BE_FROM = 2400  # a year at or past this is Buddhist-era (AD 2400 is centuries away)


def to_thai_digits(value: object) -> str:
    """Arabic digits → Thai digits, everything else unchanged."""
    return str(value).translate(_TO_THAI)


def to_arabic_digits(value: str) -> str:
    return value.translate(_TO_ARABIC)


def be_year(date: dt.date) -> int:
    return date.year + BE_OFFSET


def _localdate(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def thai_date(value: dt.date | dt.datetime, *, abbreviated: bool = False, thai_digits: bool = True) -> str:
    """ "๒๓ ธันวาคม ๒๕๖๓" (or "๒๓ ธ.ค. ๒๕๖๓"), in the local time zone for datetimes."""
    from pythainlp.util import thai_strftime

    day = _localdate(value)
    fmt = "%-d %b %Y" if abbreviated else "%-d %B %Y"
    as_datetime = dt.datetime(day.year, day.month, day.day)
    return thai_strftime(as_datetime, fmt, thaidigit=thai_digits)


def thai_time(value: dt.datetime | dt.time, *, thai_digits: bool = True) -> str:
    """ "๑๖.๐๐ น." in the local time zone."""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.time()
    text = f"{value.hour:02d}.{value.minute:02d} น."
    return to_thai_digits(text) if thai_digits else text


def item_runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted, de-duplicated runs of consecutive numbers: [1, 2, 3, 5] → [(1, 3), (5, 5)]."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def item_list(numbers: Iterable[int], *, thai_digits: bool = True, prefix: str = "ข้อ ") -> str:
    """How a memo names items: "ข้อ ๑", "ข้อ ๒ - ๓", "ข้อ ๑ และ ๓", "ข้อ ๑, ๓ และ ๕ - ๖".

    Runs of two or more consecutive items become a range; parts are joined with commas and
    a final "และ", as officials write them.
    """
    runs = item_runs(numbers)
    if not runs:
        return ""
    conv = to_thai_digits if thai_digits else str
    parts = [conv(a) if a == b else f"{conv(a)} - {conv(b)}" for a, b in runs]
    if len(parts) == 1:
        body = parts[0]
    else:
        body = ", ".join(parts[:-1]) + " และ " + parts[-1]
    return f"{prefix}{body}"


def money_digits(amount: Decimal | int | float | str, *, thai_digits: bool = True) -> str:
    """ "๓๕๓,๑๖๖,๔๐๕.- บาท" for whole baht, "๑,๒๕๐.๕๐ บาท" otherwise (the official style)."""
    value = _to_decimal(amount)
    whole = int(value)
    satang = int((value - whole) * 100)
    text = f"{whole:,}.-" if satang == 0 else f"{whole:,}.{satang:02d}"
    text = f"{text} บาท"
    return to_thai_digits(text) if thai_digits else text


def money_words(amount: Decimal | int | float | str) -> str:
    """ "หนึ่งพันสองร้อยห้าสิบบาทถ้วน", "ห้าสิบสตางค์" for less than a baht.

    Worded from integers with num_to_thaiword (bahttext goes through a float, which cannot
    hold every amount exactly), in bahttext's style.
    """
    from pythainlp.util import num_to_thaiword

    value = _to_decimal(amount)
    whole = int(value)
    satang = int((value - whole) * 100)
    if whole == 0 and satang:
        return f"{num_to_thaiword(satang)}สตางค์"
    baht = f"{num_to_thaiword(whole)}บาท"
    return baht + (f"{num_to_thaiword(satang)}สตางค์" if satang else "ถ้วน")


def money_text(amount: Decimal | int | float | str, *, thai_digits: bool = True) -> str:
    """Digits then words in parentheses: "๑,๒๕๐.- บาท (หนึ่งพันสองร้อยห้าสิบบาทถ้วน)"."""
    return f"{money_digits(amount, thai_digits=thai_digits)} ({money_words(amount)})"


def _to_decimal(amount: Decimal | int | float | str) -> Decimal:
    value = Decimal(to_arabic_digits(str(amount)).replace(",", ""))
    return abs(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- Reading back what people typed (the preflight checker) ---------------------------------

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
_MONTH_NUMBER = {name: i for i, name in enumerate(THAI_MONTHS, 1)} | {
    name: i for i, name in enumerate(THAI_MONTHS_ABBR, 1)
}
# Longest first, so "มี.ค." is not read as a shorter name and "มิถุนายน" wins over any prefix.
_MONTH_ALTERNATION = "|".join(re.escape(m) for m in sorted(_MONTH_NUMBER, key=len, reverse=True))
DIGIT = "[0-9๐-๙]"
DATE_RE = re.compile(
    rf"(?<![0-9๐-๙])(?P<day>{DIGIT}{{1,2}})\s*(?P<month>{_MONTH_ALTERNATION})\s*(?:พ\.ศ\.\s*)?(?P<year>{DIGIT}{{4}})(?![0-9๐-๙])"
)
NUMBER_RE = re.compile(rf"{DIGIT}{{1,3}}(?:,{DIGIT}{{3}})+(?:\.{DIGIT}+)?|{DIGIT}+(?:\.{DIGIT}+)?")


def month_number(name: str) -> int | None:
    """1–12 for a full ("มิถุนายน") or abbreviated ("มิ.ย.") Thai month name."""
    return _MONTH_NUMBER.get(name.strip())


def parse_number(text: str) -> Decimal:
    """ "๓๕๓,๑๖๖,๔๐๕" → 353166405, "๒.๓๔" → 2.34; Thai or Arabic digits, thousands commas."""
    cleaned = to_arabic_digits(text).replace(",", "").strip().removesuffix(".-").rstrip(".")
    return Decimal(cleaned)


def parse_thai_date(text: str) -> dt.date | None:
    """ "๒๓ ธันวาคม ๒๕๖๓" / "๑๑ ม.ค. ๒๕๖๔" → a date; None when it is no such date.

    Raises ValueError when the text is not a day-month-year at all.
    """
    match = DATE_RE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a Thai date: {text!r}")
    month = month_number(match["month"])
    assert month is not None
    try:
        return dt.date(int(to_arabic_digits(match["year"])) - BE_OFFSET, month, int(to_arabic_digits(match["day"])))
    except ValueError:
        return None


_WORD_NOISE = re.compile(r"[\s\-\u200b]+")


def amount_from_words(words: str) -> Decimal | None:
    """ "สามร้อยห้าสิบล้านหนึ่งแสน...บาทถ้วน" → the amount; None when the words are not a number.

    Line-break hyphens and spaces that typists leave inside long words ("...ห้าสิบล้าน-
    หนึ่งแสน...") are ignored.
    """
    from pythainlp.util import thaiword_to_num

    text = _WORD_NOISE.sub("", words)
    text = text.removesuffix("ถ้วน").removesuffix("ตรง").removesuffix("เท่านั้น")
    if not text:
        return None
    baht_part, has_baht, satang_part = text.partition("บาท")
    satang_part = satang_part.removesuffix("สตางค์")
    if not has_baht and baht_part.endswith("สตางค์"):
        baht_part, satang_part = "", baht_part.removesuffix("สตางค์")
    if not baht_part and not satang_part:
        return None
    try:
        baht = int(thaiword_to_num(baht_part)) if baht_part else 0
        satang = int(thaiword_to_num(satang_part)) if satang_part else 0
    except (ValueError, TypeError, KeyError, IndexError):
        return None
    if satang >= 100:
        return None
    return Decimal(baht) + Decimal(satang) / 100
