"""Register entries as the office booked them, for the register tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from registers.models import RegisterEntry, Series
from registers.services import register_allocate


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def book(unit: Any, series: str = Series.RECEIVE, *, day: dt.date, **fields: Any) -> RegisterEntry:
    defaults = {
        "sender": "สำนักงานเขตพระนคร",
        "recipient": unit.name,
        "subject": "รายงานผลการดำเนินโครงการ",
        "document_number": "กท ๕๐๐๑/๑๒๓",
        "document_date": day - dt.timedelta(days=2),
    }
    return register_allocate(unit=unit, series=series, at=at(day), **{**defaults, **fields})
