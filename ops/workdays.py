"""Working days: Monday to Friday, less the Thai public holidays and the days off an
administrator adds.

The public holidays come from the `holidays` package (TH, the "public" and "government"
categories by default: government offices also close on the Royal Ploughing Ceremony day),
substitution days included. What the package cannot know — a special holiday the cabinet
announces during the year, the organisation's own days off — is entered in the admin
(ops.DayOff), or listed in settings.PUBLIC_HOLIDAYS.

Review reminders (workflow.reminders) count their allowance in these days, and no reminder
goes out on a day off; a report deadline counted in days that ends on a day off moves to the
next working day (directives.services), as a period under the Administrative Procedure Act
does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container

import holidays as holidays_package
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import DayOff

DEFAULT_CATEGORIES = ("public", "government")


def categories() -> tuple[str, ...]:
    configured = tuple(getattr(settings, "HOLIDAY_CATEGORIES", DEFAULT_CATEGORIES) or DEFAULT_CATEGORIES)
    unknown = set(configured) - set(holidays_package.TH.supported_categories)
    if unknown:
        raise ImproperlyConfigured(
            f"HOLIDAY_CATEGORIES: unknown {', '.join(sorted(unknown))}; "
            f"the TH calendar has {', '.join(holidays_package.TH.supported_categories)}"
        )
    return configured


def configured_days_off() -> frozenset[dt.date]:
    """settings.PUBLIC_HOLIDAYS (ISO dates from the environment)."""
    return frozenset(dt.date.fromisoformat(day) for day in getattr(settings, "PUBLIC_HOLIDAYS", []) or [])


def check_settings() -> None:
    """Called at start-up: a wrong holiday setting stops the process, not a worker at 2 a.m."""
    categories()
    try:
        configured_days_off()
    except ValueError as exc:
        raise ImproperlyConfigured(f"PUBLIC_HOLIDAYS must list ISO dates: {exc}") from exc


class WorkCalendar(Container[dt.date]):
    """The days off, loaded a year at a time on first use (one query per year for the
    administrator's list). `day in calendar` is true for a day off, weekends included, so a
    calendar can stand wherever a set of days off is expected. Make one per job: it does not
    see days the administrator adds after a year was loaded."""

    def __init__(self) -> None:
        self._years: dict[int, frozenset[dt.date]] = {}
        self._configured = configured_days_off()
        self._categories = categories()

    def year(self, year: int) -> frozenset[dt.date]:
        if year not in self._years:
            public = holidays_package.country_holidays("TH", years=year, categories=self._categories)
            extra = DayOff.objects.filter(date__year=year).values_list("date", flat=True)
            self._years[year] = frozenset(public) | frozenset(extra) | {d for d in self._configured if d.year == year}
        return self._years[year]

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        return day.weekday() >= 5 or day in self.year(day.year)

    def names(self, day: dt.date) -> list[str]:
        """Why `day` is off (Thai names), empty for a working day."""
        found = []
        if day.weekday() >= 5:
            found.append("วันเสาร์" if day.weekday() == 5 else "วันอาทิตย์")
        public = holidays_package.country_holidays("TH", years=day.year, categories=self._categories, language="th")
        if day in public:
            found.extend(public.get_list(day))
        found.extend(DayOff.objects.filter(date=day).values_list("name", flat=True))
        if day in self._configured:
            found.append("วันหยุดตามที่ตั้งค่าไว้ (PUBLIC_HOLIDAYS)")
        return found


def is_working_day(day: dt.date, off: Container[dt.date] | None = None) -> bool:
    """`off`: the days off (a WorkCalendar, or any set of dates, weekends then still
    excluded); a new calendar when not given."""
    off = WorkCalendar() if off is None else off
    return day.weekday() < 5 and day not in off


def working_days_between(start: dt.date, end: dt.date, off: Container[dt.date] | None = None) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    off = WorkCalendar() if off is None else off
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        if is_working_day(day, off):
            count += 1
        day += dt.timedelta(days=1)
    return count


def next_working_day(day: dt.date, off: Container[dt.date] | None = None) -> dt.date:
    """`day` itself when it is a working day, otherwise the first working day after it."""
    off = WorkCalendar() if off is None else off
    for _ in range(366):  # Songkran and its weekend together are under a week; a year is a typo
        if is_working_day(day, off):
            return day
        day += dt.timedelta(days=1)
    raise ImproperlyConfigured("no working day within a year: check the days off (ops.DayOff)")
