"""Thai input is taken where users type it: Buddhist-era dates (Thai or Arabic digits) and
Thai digits in number fields. A Buddhist-era year is never stored as a Christian-era one,
and input that cannot be read gets a Thai message instead of disappearing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from directives import services
from directives.forms import ReportForm
from directives.models import Distribution, FollowUpReport
from documents.thai_fields import ThaiDateField, ThaiDecimalField, ThaiIntegerField, be_text, parse_typed_date
from tests.directives.conftest import approve_reference_memo
from tests.directives.test_directives import report_input, sent_directive

BKK = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("10/01/2569", dt.date(2026, 1, 10)),
        ("๑๐/๐๑/๒๕๖๙", dt.date(2026, 1, 10)),
        ("1/1/2569", dt.date(2026, 1, 1)),
        ("10-01-2569", dt.date(2026, 1, 10)),
        ("10.1.๒๕๖๙", dt.date(2026, 1, 10)),
        (" 29/02/2567 ", dt.date(2024, 2, 29)),
        ("2026-01-10", dt.date(2026, 1, 10)),  # ISO, from a browser or the API
        ("10/01/2026", dt.date(2026, 1, 10)),  # typed in the Christian era: taken as such
        ("2569-01-10", dt.date(2026, 1, 10)),  # the old bug's input: a BE year is converted
    ],
)
def test_buddhist_era_dates_are_read(typed, date):
    assert parse_typed_date(typed) == date
    assert ThaiDateField().clean(typed) == date


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2569", "ไม่มีวันที่ ๓๑/๐๒/๒๕๖๙ ในปฏิทิน"),
        ("10/01/69", "กรุณากรอกวันที่เป็น วว/ดด/ปปปป (พ.ศ.)"),
        ("สิบมกรา", "กรุณากรอกวันที่เป็น วว/ดด/ปปปป (พ.ศ.)"),
        ("10/01/1500", "ปี ๑๕๐๐ ไม่ถูกต้อง"),
    ],
)
def test_unreadable_dates_get_a_thai_message(typed, message):
    with pytest.raises(ValidationError) as refused:
        ThaiDateField().clean(typed)
    assert message in refused.value.messages[0]


def test_dates_are_shown_back_in_the_buddhist_era():
    assert be_text(dt.date(2026, 1, 10)) == "10/01/2569"
    assert 'value="10/01/2569"' in ThaiDateField().widget.render("d", dt.date(2026, 1, 10))


@pytest.mark.parametrize(("typed", "value"), [("๔๐", 40), ("40", 40), ("๑,๒๐๐", 1200), (" 7 ", 7)])
def test_thai_digits_in_whole_numbers(typed, value):
    assert ThaiIntegerField().clean(typed) == value


@pytest.mark.parametrize(("typed", "value"), [("๑๒,๐๐๐.๕๐", Decimal("12000.50")), ("12000.5", Decimal("12000.5"))])
def test_thai_digits_in_amounts(typed, value):
    assert ThaiDecimalField(max_digits=14, decimal_places=2).clean(typed) == value


def test_a_number_that_is_not_one_is_refused_not_dropped():
    with pytest.raises(ValidationError, match="กรุณากรอกเป็นจำนวนเต็ม"):
        ThaiIntegerField().clean("สี่สิบ")
    with pytest.raises(ValidationError, match="กรุณากรอกเป็นตัวเลข"):
        ThaiDecimalField(max_digits=14, decimal_places=2).clean("หนึ่งหมื่น")


@pytest.mark.django_db
def test_a_report_typed_in_the_buddhist_era_with_thai_digits_is_stored_right(client, roles):
    with time_machine.travel(dt.datetime(2026, 1, 20, 10, 0, tzinfo=BKK), tick=False):
        memo = approve_reference_memo(client, roles)
        directive = sent_directive(memo, roles)
        district = Distribution.objects.get(directive=directive, unit__key="district-01")
        services.distribution_receive(user=roles.district_clerk, distribution=district)
        services.distribution_acknowledge(user=roles.district_clerk, distribution=district)
        client.force_login(roles.district_clerk)
        response = client.post(
            reverse("memos:distribution_report", args=[district.pk]),
            {
                "project_name": "โครงการอบรมข้าราชการบรรจุใหม่",
                "started_on": "๑๐/๐๑/๒๕๖๙",
                "ended_on": "14/01/2569",
                "participants_executives": "๑",
                "participants_officials": "๔๐",
                "participants_staff": "5",
                "budget_used": "๑๒,๐๐๐.๕๐",
                "outcome": "บรรลุเป้าหมาย",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        report = FollowUpReport.objects.get(distribution=district)
        assert (report.started_on, report.ended_on) == (dt.date(2026, 1, 10), dt.date(2026, 1, 14))
        assert report.participants_officials == 40 and report.budget_used == Decimal("12000.50")
        page = client.get(reverse("memos:distribution_detail", args=[district.pk])).content.decode()
        assert "๑๐ ม.ค. ๒๕๖๙ – ๑๔ ม.ค. ๒๕๖๙" in page
        assert "๓๑๑๒" not in page  # the old bug: BE 2569 stored as AD 2569, shown as ๓๑๑๒


@pytest.mark.django_db
def test_the_service_refuses_a_buddhist_era_year_that_slipped_through(client, roles):
    memo = approve_reference_memo(client, roles)
    district = Distribution.objects.get(directive=sent_directive(memo, roles), unit__key="district-01")
    services.distribution_receive(user=roles.district_clerk, distribution=district)
    services.distribution_acknowledge(user=roles.district_clerk, distribution=district)
    bad = report_input(started_on=dt.date(2569, 1, 10), ended_on=dt.date(2569, 1, 14))
    with pytest.raises(ValidationError) as refused:
        services.report_submit(user=roles.district_clerk, distribution=district, data=bad)
    assert "ปีพุทธศักราชที่ยังไม่ได้แปลง" in refused.value.message_dict["started_on"][0]
    assert not FollowUpReport.objects.filter(distribution=district).exists()


def test_report_form_states_what_to_type():
    form = ReportForm()
    html = str(form["started_on"])
    assert 'placeholder="วว/ดด/ปปปป (พ.ศ.) เช่น 10/01/2569"' in html and 'inputmode="numeric"' in html
    assert 'type="number"' not in str(form["participants_officials"])  # would drop Thai digits


@pytest.mark.django_db
def test_a_deadline_years_away_is_refused(client, roles):
    from directives import selectors

    memo = approve_reference_memo(client, roles)
    data = selectors.directive_initial(memo)
    data.report_required = True
    data.deadline_rule = "fixed"
    data.deadline_date = dt.date(9999, 12, 31)
    with pytest.raises(ValidationError) as refused:
        services.directive_create(user=roles.clerk, memo=memo, data=data)
    assert "ภายใน ๒ ปีนับจากวันนี้" in refused.value.message_dict["deadline_date"][0]
