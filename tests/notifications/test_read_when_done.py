"""A notification that asks for a task stops counting as unread once the task is done,
cancelled or taken over by someone else: the badge in the page header drops with it."""

from __future__ import annotations

from typing import Any

import pytest

from memos import services
from memos.models import Memo
from memos.reference import reference_memo_input
from notifications.models import Notification
from notifications.selectors import unread_count
from tests.factories import OfficialFactory
from workflow import services as workflow_services
from workflow.models import TaskLink

pytestmark = pytest.mark.django_db


def submitted(roles: Any) -> Memo:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    workflow_services.memo_submit(memo=memo, user=roles.clerk)
    return memo


def task_url(memo: Memo) -> str:
    return TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute")


def badge(client: Any, user: Any) -> int:
    client.force_login(user)
    return client.get("/notifications/").context["notifications_unread"]


def test_signing_the_memo_marks_the_signers_notification_read(roles, client):
    memo = submitted(roles)
    assert badge(client, roles.director) == 1  # "มีบันทึกข้อความรอท่านลงนาม"

    response = client.post(task_url(memo), {"action": "sign"})
    assert response.status_code == 302
    assert badge(client, roles.director) == 0
    told = Notification.objects.get(recipient=roles.director, channel="inapp", kind="task_assigned")
    assert told.read_at is not None
    # The next person's notification is new and unread.
    assert unread_count(roles.deputy) == 1


def test_withdrawing_the_memo_marks_the_signers_notification_read(roles, client):
    memo = submitted(roles)
    assert unread_count(roles.director) == 1
    workflow_services.memo_withdraw(memo=memo, user=roles.clerk, reason="ยื่นผิดเรื่อง")
    assert unread_count(roles.director) == 0


def test_a_task_taken_over_leaves_the_former_assignees_unread_count(roles):
    memo = submitted(roles)
    task = TaskLink.objects.get(memo=memo, is_open=True).task
    assert unread_count(roles.director) == 1
    successor = OfficialFactory(unit_key="ops-hrd").user
    Notification.objects.create(
        recipient=successor, channel="inapp", kind="reminder", subject="เตือน", body="-",
        dedup_key="reminder:x", done_key=f"task:{task.pk}", status="sent",
    )  # fmt: skip
    workflow_services.task_link_take_over(task=task, user=successor)
    assert unread_count(roles.director) == 0
    assert unread_count(successor) == 1  # the work is now hers: her notification still waits


def test_a_notification_of_other_work_stays_unread(roles, client):
    first = submitted(roles)
    second = submitted(roles)
    assert unread_count(roles.director) == 2
    client.force_login(roles.director)
    client.post(task_url(first), {"action": "sign"})
    assert unread_count(roles.director) == 1
    [waiting] = Notification.objects.filter(recipient=roles.director, channel="inapp", read_at__isnull=True)
    assert waiting.url == task_url(second)


def test_circular_notifications_are_read_once_their_work_is_done(roles, client):
    """The signer's notice ends with the signature; a district's arrival notice when its clerk
    books the circular in (other districts' clerks keep theirs); the issuer's "report filed"
    notice when the report is accepted."""
    from directives import services as directive_services
    from tests.directives.conftest import approve_reference_memo, issue_directive
    from tests.directives.test_directives import report_input

    directive = issue_directive(approve_reference_memo(client, roles), roles)
    signer_notice = Notification.objects.get(recipient=roles.director, channel="inapp", url__contains="directives")
    assert signer_notice.read_at is None
    directive = directive_services.directive_sign_and_send(user=roles.director, directive=directive)
    signer_notice.refresh_from_db()
    assert signer_notice.read_at is not None

    assert unread_count(roles.district_clerk) == 1 and unread_count(roles.dept_clerk) == 1
    distribution = directive.distributions.get(unit__key="district-01")
    distribution = directive_services.distribution_receive(user=roles.district_clerk, distribution=distribution)
    assert unread_count(roles.district_clerk) == 0
    assert unread_count(roles.dept_clerk) == 1  # สำนักการแพทย์ has not booked it in yet

    directive_services.distribution_acknowledge(user=roles.district_clerk, distribution=distribution)
    report = directive_services.report_submit(user=roles.district_clerk, distribution=distribution, data=report_input())
    issuer_unread = unread_count(roles.clerk)
    directive_services.report_accept(user=roles.clerk, report=report)
    assert unread_count(roles.clerk) == issuer_unread - 1
