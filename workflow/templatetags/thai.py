"""Buddhist-era dates and Thai digits in templates. One style everywhere on screen:
abbreviated dates in Thai digits ("๒๔ พ.ย. ๒๕๖๙") and times in Asia/Bangkok."""

from __future__ import annotations

import datetime as dt

from django import template

from documents.thai import thai_date, thai_time, to_thai_digits

register = template.Library()


@register.filter
def thai_digits(value: object) -> str:
    return "" if value is None else to_thai_digits(value)


@register.filter
def thai_date_full(value: dt.date | dt.datetime | None) -> str:
    return thai_date(value) if value else ""


@register.filter
def thai_date_short(value: dt.date | dt.datetime | None) -> str:
    return thai_date(value, abbreviated=True) if value else ""


@register.filter(name="thai_time")
def thai_time_filter(value: dt.datetime | None) -> str:
    return thai_time(value) if value else ""


@register.filter
def thai_datetime(value: dt.datetime | None) -> str:
    return f"{thai_date(value, abbreviated=True)} {thai_time(value)}" if value else ""
