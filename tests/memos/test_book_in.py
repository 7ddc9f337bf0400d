"""Booking in as a clerk's step: where an office books in by hand, a memo sent to one of its
posts waits in the clerks' "รอลงรับ" queue; a clerk books it in (เลขรับ from the office's
receive register, now or an earlier moment for a paper copy, never in the future and never
before it was sent) and it goes on to the post's holder with the clerk's note."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from directory.models import Unit
from memos import services
from memos.models import EventAction, Memo, MemoEvent
from memos.reference import DEPUTY_NOTE, reference_memo_input
from memos.selectors import memo_document_data
from notifications.models import Notification
from registers.models import RegisterEntry, Series
from workflow import services as workflow_services
from workflow.models import TaskKind, TaskLink

pytestmark = pytest.mark.django_db

BKK = dt.timezone(dt.timedelta(hours=7))
SIGNED = dt.datetime(2026, 11, 23, 9, 0, tzinfo=BKK)


def open_link(memo: Memo) -> TaskLink:
    return TaskLink.objects.get(memo=memo, is_open=True)


@pytest.fixture
def by_hand(roles) -> None:
    # The deputy's office and the Permanent Secretary's secretariat book in through their clerks.
    Unit.objects.filter(key__in=["deputy-1-office", "ops-secretariat"]).update(books_in_by_hand=True)


@pytest.fixture
def deputy_clerk(roles):
    from tests.factories import OfficialFactory

    return OfficialFactory(first_name="จันทร์เพ็ญ", last_name="ลงรับดี", unit_key="deputy-1-office", is_clerk=True).user


def signed_memo(client, roles) -> Memo:
    with time_machine.travel(SIGNED, tick=False):
        memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
        workflow_services.memo_submit(memo=memo, user=roles.clerk)
        client.force_login(roles.director)
        client.post(open_link(memo).task.reverse("execute"), {"action": "sign"})
    return Memo.objects.get(pk=memo.pk)


def test_a_clerk_books_in_and_passes_the_memo_on(client, roles, by_hand, deputy_clerk):
    memo = signed_memo(client, roles)
    link = open_link(memo)
    assert link.kind == TaskKind.BOOK_IN and link.position.key == "deputy-1"
    assert not RegisterEntry.objects.filter(memo=memo, series=Series.RECEIVE).exists()  # nothing stamped yet
    # The clerks are told; the deputy is not yet (nothing has reached her desk).
    assert Notification.objects.filter(recipient=deputy_clerk, kind="task_assigned").exists()
    assert not Notification.objects.filter(recipient=roles.deputy, kind="task_assigned").exists()
    client.force_login(roles.deputy)
    assert memo.subject not in client.get(reverse("memos:inbox")).content.decode()
    assert client.get(link.task.reverse("execute")).status_code == 404  # not hers to book in

    with time_machine.travel(SIGNED + dt.timedelta(hours=2), tick=False):
        client.force_login(deputy_clerk)
        inbox = client.get(reverse("memos:inbox")).content.decode()
        assert memo.subject in inbox and link.task.reverse("execute") in inbox
        page = client.get(link.task.reverse("execute")).content.decode()
        assert "รอเจ้าหน้าที่สารบรรณของ" in page and "ลงทะเบียนรับและส่งต่อ" in page
        response = client.post(
            link.task.reverse("execute"), {"action": "book_in", "note": "เรื่องด่วน เสนอภายในวันนี้"}, follow=True
        )
        assert "ลงทะเบียนรับแล้ว เลขรับ ๑ ส่งต่อรองปลัดกรุงเทพมหานครแล้ว" in response.content.decode()

    receipt = RegisterEntry.objects.get(memo=memo, series=Series.RECEIVE)
    assert receipt.unit.key == "deputy-1-office" and receipt.number == 1
    assert receipt.registered_at == SIGNED + dt.timedelta(hours=2) and receipt.remarks == "เรื่องด่วน เสนอภายในวันนี้"
    event = MemoEvent.objects.get(memo=memo, action=EventAction.RECEIVE)
    assert event.actor == deputy_clerk and event.actor_name == "นายจันทร์เพ็ญ ลงรับดี" and event.payload["by_hand"]
    # Now it is on the deputy's desk, and she is told.
    review = open_link(memo)
    assert review.kind == TaskKind.REVIEW and review.position.key == "deputy-1"
    assert Notification.objects.filter(recipient=roles.deputy, kind="task_assigned").exists()
    client.force_login(roles.deputy)
    assert memo.subject in client.get(reverse("memos:inbox")).content.decode()
    # The stamp on the paper says what the clerk recorded.
    [stamp] = memo_document_data(memo=Memo.objects.get(pk=memo.pk)).receipts
    assert stamp.number == 1 and stamp.received_at == SIGNED + dt.timedelta(hours=2)


def test_a_paper_copy_that_came_earlier_is_booked_at_its_time(client, roles, by_hand, deputy_clerk):
    memo = signed_memo(client, roles)
    url = open_link(memo).task.reverse("execute")
    client.force_login(deputy_clerk)
    with time_machine.travel(SIGNED + dt.timedelta(days=1), tick=False):
        client.post(url, {"action": "book_in", "received_on": "23/11/2569", "received_time": "10.15"})
    receipt = RegisterEntry.objects.get(memo=memo, series=Series.RECEIVE)
    assert receipt.registered_at == dt.datetime(2026, 11, 23, 10, 15, tzinfo=BKK)


@pytest.mark.parametrize(
    ("day", "time", "message"),
    [
        ("24/11/2569", "09.00", "วันเวลาที่รับต้องไม่เป็นเวลาในอนาคต"),
        ("23/11/2569", "08.59", "วันเวลาที่รับต้องไม่ก่อนเวลาที่ส่งหนังสือ"),
        ("23/11/2569", "25.00", "กรุณากรอกเวลาเป็น ชช.นน"),
    ],
)
def test_impossible_receipt_times_are_refused(client, roles, by_hand, deputy_clerk, day, time, message):
    memo = signed_memo(client, roles)
    url = open_link(memo).task.reverse("execute")
    client.force_login(deputy_clerk)
    with time_machine.travel(SIGNED + dt.timedelta(hours=3), tick=False):
        response = client.post(url, {"action": "book_in", "received_on": day, "received_time": time})
    assert response.status_code == 400 and message in response.content.decode()
    assert not RegisterEntry.objects.filter(memo=memo, series=Series.RECEIVE).exists()
    assert open_link(memo).kind == TaskKind.BOOK_IN


def test_another_offices_clerk_cannot_book_it_in(client, roles, by_hand, deputy_clerk):
    memo = signed_memo(client, roles)
    client.force_login(roles.ops_clerk)  # ส.ส.ป.: not the office this memo reached
    assert client.post(open_link(memo).task.reverse("execute"), {"action": "book_in"}).status_code == 404
    assert open_link(memo).kind == TaskKind.BOOK_IN


def test_booking_twice_books_once(client, roles, by_hand, deputy_clerk):
    memo = signed_memo(client, roles)
    url = open_link(memo).task.reverse("execute")
    client.force_login(deputy_clerk)
    client.post(url, {"action": "book_in"})
    second = client.post(url, {"action": "book_in"}, follow=True)
    assert "งานนี้ได้ดำเนินการไปแล้ว" in second.content.decode()
    assert RegisterEntry.objects.filter(memo=memo, series=Series.RECEIVE).count() == 1


def test_each_office_on_the_route_books_in_and_the_decision_follows(client, roles, by_hand, deputy_clerk):
    memo = signed_memo(client, roles)
    client.force_login(deputy_clerk)
    client.post(open_link(memo).task.reverse("execute"), {"action": "book_in"})
    client.force_login(roles.deputy)
    client.post(open_link(memo).task.reverse("execute"), {"action": "forward", "note": DEPUTY_NOTE})
    link = open_link(memo)
    assert link.kind == TaskKind.BOOK_IN and link.registering_unit.short_name == "ส.ส.ป."
    client.force_login(roles.ops_clerk)
    client.post(link.task.reverse("execute"), {"action": "book_in"})
    assert open_link(memo).kind == TaskKind.DECIDE
    receipts = RegisterEntry.objects.filter(memo=memo, series=Series.RECEIVE).order_by("pk")
    assert [r.unit.short_name or r.unit.name for r in receipts][1] == "ส.ส.ป."


def test_offices_that_do_not_book_by_hand_keep_automatic_receipts(client, roles):
    memo = signed_memo(client, roles)
    assert open_link(memo).kind == TaskKind.REVIEW
    assert RegisterEntry.objects.filter(memo=memo, series=Series.RECEIVE, unit__key="deputy-1-office").exists()
