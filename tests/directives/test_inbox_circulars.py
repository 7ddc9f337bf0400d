"""One inbox for everything a person must act on: circulars to sign, to book in, acknowledge
or report on, and reports to accept are listed beside the memo tasks, and the menu's count
agrees with the list."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directives import services
from directives.models import Distribution
from documents.thai import to_arabic_digits
from tests.directives.conftest import approve_reference_memo, issue_directive
from tests.directives.test_directives import report_input

pytestmark = pytest.mark.django_db


def inbox(client) -> str:
    return client.get(reverse("memos:inbox")).content.decode()


def menu_count(page: str) -> int:
    found = re.search(r'id="menu-inbox"[^>]*>กล่องงาน(?: \(([๐-๙0-9]+)\+?\))?<', page)
    assert found, "menu link not found"
    return int(to_arabic_digits(found.group(1))) if found.group(1) else 0


def rows(page: str) -> int:
    return page.count('class="task-row"') + page.count('class="circular-row"')


def test_each_step_of_a_circular_waits_in_the_inbox_of_who_must_take_it(client, roles):
    memo = approve_reference_memo(client, roles)
    directive = issue_directive(memo, roles)

    client.force_login(roles.director)  # the signer
    page = inbox(client)
    assert "ลงนามหนังสือเวียน" in page and directive.subject in page
    assert menu_count(page) == rows(page)

    services.directive_sign_and_send(user=roles.director, directive=directive)
    client.force_login(roles.district_clerk)
    page = inbox(client)
    assert "ลงทะเบียนรับหนังสือเวียน" in page and menu_count(page) == rows(page) >= 1
    district = Distribution.objects.get(directive=directive, unit__key="district-01")
    assert reverse("memos:distribution_detail", args=[district.pk]) in page  # one tap to the action

    services.distribution_receive(user=roles.district_clerk, distribution=district)
    assert "รับทราบหนังสือเวียน" in inbox(client)
    services.distribution_acknowledge(user=roles.district_clerk, distribution=district)
    assert "รายงานผลตามหนังสือเวียน" in inbox(client)
    services.report_submit(user=roles.district_clerk, distribution=district, data=report_input())
    page = inbox(client)
    assert "รายงานผลตามหนังสือเวียน" not in page and menu_count(page) == rows(page)

    client.force_login(roles.clerk)  # the issuing institute's clerk accepts the reports
    page = inbox(client)
    assert "ตรวจรับรายงานผล" in page and "สำนักงานเขตพระนคร" in page
    assert menu_count(page) == rows(page)


def test_the_inbox_costs_the_same_queries_however_many_circulars_wait(client, roles):
    memo = approve_reference_memo(client, roles)
    services.directive_sign_and_send(user=roles.director, directive=issue_directive(memo, roles))
    client.force_login(roles.district_clerk)
    inbox(client)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            inbox(client)
        return len(ctx.captured_queries)

    one = count()
    for _ in range(4):
        again = approve_reference_memo(client, roles)
        services.directive_sign_and_send(user=roles.director, directive=issue_directive(again, roles))
    client.force_login(roles.district_clerk)
    assert count() == one
    assert inbox(client).count('class="circular-row"') == 5
