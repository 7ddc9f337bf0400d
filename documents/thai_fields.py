"""Form fields that take input the way Thai offices type it.

- Dates in the Buddhist era, dd/mm/yyyy, with Thai or Arabic digits ("๑๐/๐๑/๒๕๖๙",
  "10/1/2569"); ISO dates (2026-01-10) from a browser or an API are taken too. A year of
  2400 or later is a Buddhist-era year and is converted; nothing typed in the Buddhist era is
  ever stored as a Christian-era year (the bug this replaces stored 2569-01-10 as AD 2569).
- Whole numbers and amounts with Thai or Arabic digits and thousands separators ("๔๐",
  "12,000.50"). A browser's number input drops Thai digits without a word, so these are
  text inputs that bring up the numeric keypad on a phone.
Every refusal is a Thai sentence that says what to type.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .thai import BE_FROM, BE_OFFSET, parse_thai_date, thai_date, to_arabic_digits, to_thai_digits

_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DATE_HINT = "วว/ดด/ปปปป (พ.ศ.) เช่น 10/01/2569"


def parse_typed_date(text: str) -> dt.date:
    """A typed date → a date; ValueError with a Thai message when it is not one. Numeric
    (dd/mm/yyyy, ISO) here; a worded one ("๑๐ มกราคม ๒๕๖๙") through documents.thai."""
    raw = to_arabic_digits(text.strip())
    if m := _DMY.match(raw):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO.match(raw):
        year, month, day = (int(g) for g in m.groups())
    else:
        try:
            worded = parse_thai_date(text)
        except ValueError:
            raise ValueError(f"กรุณากรอกวันที่เป็น {DATE_HINT}") from None
        if worded is None:
            raise ValueError(f"ไม่มีวันที่ {to_thai_digits(text.strip())} ในปฏิทิน กรุณาตรวจสอบวัน เดือน ปี")
        return worded
    if year >= BE_FROM:
        year -= BE_OFFSET
    elif year < 1900:
        raise ValueError(f"ปี {to_thai_digits(year)} ไม่ถูกต้อง กรุณากรอกปีพุทธศักราช เช่น ๒๕๖๙")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"ไม่มีวันที่ {to_thai_digits(text.strip())} ในปฏิทิน กรุณาตรวจสอบวัน เดือน ปี") from None


def be_text(value: dt.date) -> str:
    """How a date is shown back in the field: dd/mm/yyyy in the Buddhist era."""
    return f"{value.day:02d}/{value.month:02d}/{value.year + BE_OFFSET}"


class ThaiDateInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": DATE_HINT, "inputmode": "numeric", "autocomplete": "off", "class": "thai-date"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return be_text(value)
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """A Buddhist-era date; `earliest`/`latest` (dates or callables) bound what is plausible."""

    widget = ThaiDateInput

    def __init__(
        self,
        *,
        earliest: dt.date | Callable[[], dt.date] | None = None,
        latest: dt.date | Callable[[], dt.date] | None = None,
        **kwargs: Any,
    ) -> None:
        self.earliest, self.latest = earliest, latest
        kwargs.setdefault("help_text", f"กรอกเป็น {DATE_HINT}")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return timezone.localdate(value) if timezone.is_aware(value) else value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_typed_date(str(value))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        earliest = self.earliest() if callable(self.earliest) else self.earliest
        latest = self.latest() if callable(self.latest) else self.latest
        if earliest and value < earliest:
            raise ValidationError(f"วันที่ต้องไม่ก่อน {thai_date(earliest)}", code="too_early")
        if latest and value > latest:
            raise ValidationError(f"วันที่ต้องไม่เกิน {thai_date(latest)}", code="too_late")


def _plain_number(value: Any) -> str:
    return to_arabic_digits(str(value)).replace(",", "").replace(" ", "").strip()


class NumericInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None, *, decimal: bool = False) -> None:
        super().__init__({"inputmode": "decimal" if decimal else "numeric", **(attrs or {})})


class ThaiIntegerField(forms.IntegerField):
    widget = NumericInput
    default_error_messages = {
        "invalid": "กรุณากรอกเป็นจำนวนเต็ม (ใช้เลขไทยหรือเลขอารบิกได้)",
        "max_value": "ต้องไม่เกิน %(limit_value)s",
        "min_value": "ต้องไม่น้อยกว่า %(limit_value)s",
    }

    def to_python(self, value: Any) -> int | None:
        return super().to_python(_plain_number(value) if isinstance(value, str) else value)


class ThaiDecimalField(forms.DecimalField):
    default_error_messages = {
        "invalid": "กรุณากรอกเป็นตัวเลข เช่น 12,000.50 (ใช้เลขไทยหรือเลขอารบิกได้)",
        "max_value": "ต้องไม่เกิน %(limit_value)s",
        "min_value": "ต้องไม่น้อยกว่า %(limit_value)s",
        "max_digits": "ตัวเลขยาวเกินไป",
        "max_decimal_places": "ทศนิยมได้ไม่เกิน %(max)s ตำแหน่ง",
        "max_whole_digits": "ตัวเลขยาวเกินไป",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", NumericInput(decimal=True))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = _plain_number(value)
            try:
                Decimal(value) if value else None
            except InvalidOperation:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)
