"""People and dates on screens we do not lay out ourselves (the admin, viewflow's pages) and on
our own: officials by their Thai names, never by their logins; years in the Buddhist era.

Used by the `thai` template library (display_name, be_date), the admin's columns
(documents.admin_display) and our overrides of viewflow's templates. Nothing is patched:
Django's User.__str__ (the login) and its date formats stay as they are. It knows users only
through their attributes, so any app may use it (no import of accounts or directory).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import dateformat, timezone
from django.utils.formats import get_format


def display_name(user: Any) -> str:
    """ "นางวันทนี วัฒนะ": the official's name with prefix; else the account's full name; else
    the login. Nobody (None) is an empty string."""
    if user is None:
        return ""
    # A user with no official record raises RelatedObjectDoesNotExist, an AttributeError.
    official = getattr(user, "official", None)
    if official is not None:
        return str(official.full_name)
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or user.get_username())


def be_format(value: dt.date | dt.datetime | None, fmt: str = "") -> str:
    """`value` in Django's date format `fmt` (default: the active language's DATETIME_FORMAT or
    DATE_FORMAT) with its year in the Buddhist era: "Y" gives 2569, "y" 69. Datetimes are
    shown in local time (Asia/Bangkok)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        fmt = fmt or str(get_format("DATETIME_FORMAT"))
    else:
        fmt = fmt or str(get_format("DATE_FORMAT"))
    year = value.year + 543
    out = []
    escaped = False
    for char in fmt:
        if escaped:
            out.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "Y":
            out.append("".join("\\" + d for d in f"{year:04d}"))
        elif char == "y":
            out.append("".join("\\" + d for d in f"{year % 100:02d}"))
        else:
            out.append(char)
    return str(dateformat.format(value, "".join(out)))
