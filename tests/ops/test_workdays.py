"""Working days: Thai public holidays from the `holidays` package and the days off an
administrator adds are not working days, and the reminders and report deadlines follow them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from directives import services as directive_services
from directives.models import Distribution
from memos import services as memo_services
from memos.reference import reference_memo_input
from notifications.models import Channel, Notification
from ops.models import DayOff
from ops.workdays import WorkCalendar, is_working_day, next_working_day, working_days_between
from tests.audit.conftest import decided_memo, sent_directive
from tests.factories import UserFactory
from workflow import services as workflow_services
from workflow.reminders import remind_overdue_reviews

pytestmark = pytest.mark.django_db

BKK = dt.timezone(dt.timedelta(hours=7))


def test_songkran_and_its_substitutes_are_not_working_days() -> None:
    for day in (13, 14, 15):
        assert not is_working_day(dt.date(2026, 4, day)), day
    assert is_working_day(dt.date(2026, 4, 16))  # Thursday after Songkran
    # Other years too, without anybody listing them.
    assert not is_working_day(dt.date(2027, 4, 13))
    assert not is_working_day(dt.date(2026, 12, 7))  # Monday in lieu of 5 December (a Saturday)
    assert not is_working_day(dt.date(2026, 5, 13))  # วันพืชมงคล: a government holiday
    assert WorkCalendar().names(dt.date(2026, 4, 14)) == ["วันสงกรานต์"]
    # Thursday 9 April → Monday 20 April: Fri 10, Thu 16, Fri 17, Mon 20.
    assert working_days_between(dt.date(2026, 4, 9), dt.date(2026, 4, 20)) == 4


def test_a_day_off_added_in_the_admin_is_not_a_working_day(client: Client) -> None:
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    page = client.get("/admin/ops/dayoff/add/")
    assert page.status_code == 200 and "วันหยุดเพิ่มเติม" in page.content.decode()
    assert is_working_day(dt.date(2026, 6, 15))

    response = client.post(
        "/admin/ops/dayoff/add/",
        {"date": "2026-06-15", "name": "วันหยุดพิเศษตามมติคณะรัฐมนตรี", "note": "มติ ครม. 2 มิ.ย. 2569"},
    )
    assert response.status_code == 302
    assert not is_working_day(dt.date(2026, 6, 15))
    assert "วันหยุดพิเศษตามมติคณะรัฐมนตรี" in WorkCalendar().names(dt.date(2026, 6, 15))
    listing = client.get("/admin/ops/dayoff/").content.decode()
    assert "๑๕ มิถุนายน ๒๕๖๙" in listing

    # The same day twice: a Thai error, not a second row.
    again = client.post("/admin/ops/dayoff/add/", {"date": "2026-06-15", "name": "ซ้ำ"})
    assert again.status_code == 200 and DayOff.objects.count() == 1


def reminders_for(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, channel=Channel.INAPP, kind="reminder"))


def run_on(moment: dt.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return remind_overdue_reviews()


def test_review_reminders_skip_songkran_and_the_administrators_days_off(roles: Any) -> None:
    DayOff.objects.create(date=dt.date(2026, 4, 17), name="วันหยุดของหน่วยงาน")
    with time_machine.travel(dt.datetime(2026, 4, 9, 10, 0, tzinfo=BKK), tick=False):
        memo = memo_services.memo_create(user=roles.clerk, data=reference_memo_input())
        workflow_services.memo_submit(memo=memo, user=roles.clerk)

    # A normal memo may wait three working days: Fri 10, Thu 16, Mon 20. Nobody is reminded
    # during Songkran, nor on the organisation's own day off.
    for day in (10, 13, 14, 15, 16, 17, 20):
        assert run_on(dt.datetime(2026, 4, day, 9, 0, tzinfo=BKK)) == 0, day
    assert reminders_for(roles.director) == []
    assert run_on(dt.datetime(2026, 4, 21, 9, 0, tzinfo=BKK)) == 1
    [reminder] = reminders_for(roles.director)
    assert "รอท่านพิจารณา ๔ วันทำการ" in reminder.subject


def test_a_report_deadline_ending_in_songkran_moves_to_the_next_working_day(roles: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 23, 10, 0, tzinfo=BKK), tick=False):
        directive = sent_directive(decided_memo(roles), roles)
    assert directive.deadline_days == 14
    district = Distribution.objects.get(directive=directive, unit__key="district-01")
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, 0, tzinfo=BKK), tick=False):
        directive_services.distribution_acknowledge(user=roles.district_clerk, distribution=district)
        # Finished on 30 March: two weeks later is Monday 13 April, Songkran.
        district = directive_services.distribution_record_completion(
            user=roles.district_clerk, distribution=district, completed_on=dt.date(2026, 3, 30)
        )
    assert district.due_date == dt.date(2026, 4, 16)
    assert next_working_day(dt.date(2026, 4, 16)) == dt.date(2026, 4, 16)
