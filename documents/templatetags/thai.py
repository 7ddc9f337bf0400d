"""Buddhist-era dates, Thai digits and people's Thai names in templates. One style everywhere on
screen: abbreviated dates in Thai digits ("๒๔ พ.ย. ๒๕๖๙") and times in Asia/Bangkok.

(It lives in documents, beside documents.thai and below every app, so that every app's
templates can load it.)"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import template

from ..display import be_format, display_name
from ..thai import thai_date, thai_time, to_thai_digits

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
def be_date(value: Any, fmt: str = "") -> Any:
    """Django's `date` filter with the Buddhist-era year: {{ task.created|be_date:"j M Y H:i" }}
    gives "24 พ.ย. 2569 09:30" (without a format, the language's own date(time) format).
    Nothing gives ""; anything else but a date is shown as it is (a table of mixed values)."""
    if value is None or isinstance(value, dt.date):
        return be_format(value, fmt)
    return value


@register.filter(name="display_name")
def display_name_filter(user: Any) -> str:
    """A person by their Thai name, never by their login: {{ task.owner|display_name }}."""
    return display_name(user)


_CE_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")


@register.filter
def be_years(title: Any) -> str:
    """A heading Django has already formatted with a Christian-era year ("พฤศจิกายน 2026",
    the admin's date drill-down) with the Buddhist-era year instead ("พฤศจิกายน 2569")."""
    return _CE_YEAR.sub(lambda m: str(int(m.group(1)) + 543), str(title))
