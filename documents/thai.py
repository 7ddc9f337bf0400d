"""Thai typesetting helpers: digits, Buddhist-era dates, times, item ranges, money.

pythainlp.util does the language work (month names, baht text, reading number words); it is
imported inside the functions because importing pythainlp costs ~90 ms, which start-up of
every process (web, worker, manage.py) should not pay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

BE_OFFSET = 543


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
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole = int(value)
    satang = int((value - whole) * 100)
    text = f"{whole:,}.-" if satang == 0 else f"{whole:,}.{satang:02d}"
    text = f"{text} บาท"
    return to_thai_digits(text) if thai_digits else text


def money_words(amount: Decimal | int | float | str) -> str:
    """ "หนึ่งพันสองร้อยห้าสิบบาทถ้วน" (pythainlp's bahttext)."""
    from pythainlp.util import bahttext

    return str(bahttext(float(Decimal(str(amount)))))


def money_text(amount: Decimal | int | float | str, *, thai_digits: bool = True) -> str:
    """Digits then words in parentheses: "๑,๒๕๐.- บาท (หนึ่งพันสองร้อยห้าสิบบาทถ้วน)"."""
    return f"{money_digits(amount, thai_digits=thai_digits)} ({money_words(amount)})"
