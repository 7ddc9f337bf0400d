"""Buddhist-era dates, Thai digits and people's Thai names in templates. One style everywhere on
screen: abbreviated dates in Thai digits ("๒๔ พ.ย. ๒๕๖๙") and times in Asia/Bangkok.

(It lives in accounts, the lowest app that may use documents.thai, so that every app's
templates can load it.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from documents.thai import thai_date, thai_time, to_thai_digits

from ..display import be_format, display_name

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


@register.filter
def be_date(value: dt.date | dt.datetime | None, fmt: str = "") -> str:
    """Django's `date` filter with the Buddhist-era year: {{ task.created|be_date:"j M Y H:i" }}
    gives "24 พ.ย. 2569 09:30" (without a format, the language's own date(time) format)."""
    return be_format(value, fmt)


@register.filter(name="display_name")
def display_name_filter(user: Any) -> str:
    """A person by their Thai name, never by their login: {{ task.owner|display_name }}."""
    return display_name(user)
