"""A memo task waiting longer than its urgency allows reminds whoever acts for the post,
once per working day; weekends and configured public holidays do not count."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from memos import services as memo_services
from memos.models import Urgency
from memos.reference import reference_memo_input
from notifications.models import Channel, Notification
from workflow import services as workflow_services
from workflow.reminders import remind_overdue_reviews, working_days_between

pytestmark = pytest.mark.django_db

BKK = dt.timezone(dt.timedelta(hours=7))
FRIDAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=BKK)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=BKK)


def submitted_on_friday(roles, urgency: int = Urgency.NORMAL):
    """Submitted on Friday 20 November: the sign task waits for the acting director."""
    with time_machine.travel(FRIDAY, tick=False):
        data = reference_memo_input()
        data.urgency = urgency
        memo = memo_services.memo_create(user=roles.clerk, data=data)
        workflow_services.memo_submit(memo=memo, user=roles.clerk)
    return memo


def reminders_for(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, channel=Channel.INAPP, kind="reminder"))


def run_on(moment: dt.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return remind_overdue_reviews()


def test_normal_memo_reminds_after_three_working_days_not_counting_the_weekend(roles):
    submitted_on_friday(roles)
    for day in (21, 22, 23, 24, 25):  # Sat, Sun, then Mon–Wed: 3 working days are allowed
        assert run_on(at(day)) == 0, day
    assert reminders_for(roles.director) == []
    assert run_on(at(26)) == 1  # Thursday: the 4th working day
    reminder = reminders_for(roles.director)
    assert len(reminder) == 1
    assert "รอท่านพิจารณา ๔ วันทำการ" in reminder[0].subject and "ในฐานะผู้อำนวยการสถาบัน" in reminder[0].body
    run_on(at(26, 15))  # the beat runs again the same afternoon: nothing new
    assert len(reminders_for(roles.director)) == 1
    run_on(at(27))  # still waiting the next working day: reminded again, once
    assert len(reminders_for(roles.director)) == 2


def test_public_holidays_do_not_count(roles, settings):
    settings.PUBLIC_HOLIDAYS = ["2026-11-26"]
    submitted_on_friday(roles)
    assert run_on(at(26)) == 0  # a holiday: no one is reminded, and it does not count
    assert run_on(at(27)) == 1  # Mon, Tue, Wed, Fri: the 4th working day
    assert run_on(at(28)) == 0  # Saturday


def test_most_urgent_is_due_the_same_working_day(roles):
    submitted_on_friday(roles, urgency=Urgency.MOST_URGENT)
    assert run_on(at(20, 16)) == 0  # still the same working day
    assert run_on(at(21)) == 0 and run_on(at(22)) == 0  # the weekend
    assert run_on(at(23)) == 1  # Monday
    assert "ด่วนที่สุด" in reminders_for(roles.director)[0].body


def test_allowances_are_configurable(roles, settings):
    settings.REVIEW_REMINDER_DAYS = {"most_urgent": 0, "very_urgent": 1, "urgent": 2, "normal": 1}
    submitted_on_friday(roles)
    assert run_on(at(23)) == 0
    assert run_on(at(24)) == 1


def test_working_days_between():
    holidays = {dt.date(2026, 12, 7), dt.date(2026, 12, 10)}  # Monday 7 and Thursday 10 December
    assert working_days_between(dt.date(2026, 12, 4), dt.date(2026, 12, 11), holidays) == 3  # Tue, Wed, Fri
    assert working_days_between(dt.date(2026, 12, 4), dt.date(2026, 12, 4), holidays) == 0
