"""The in-app channel: a list with unread ones marked, the count in the page header, and
opening one marks it read and goes to what it is about."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notification
from notifications.selectors import inbox_for, unread_count
from notifications.services import notification_enqueue, notification_mark_read


def tell(user: Any, n: int, *, url: str = "/memos/12/") -> Notification:
    [row] = notification_enqueue(
        kind="task_assigned",
        subject=f"มีบันทึกข้อความเสนอท่านพิจารณา ฉบับที่ {n}",
        body="กรุณาเปิดงานจากกล่องงานของท่าน",
        url=url,
        dedup_key=f"task:{n}:assigned",
        recipients=[user],
        channels=["inapp"],
    )
    return row


@pytest.mark.django_db
def test_inbox_lists_newest_first_and_opening_marks_read(roles: Any, client: Any) -> None:
    director = roles.director
    start = timezone.now()
    for n in (1, 2, 3):
        with time_machine.travel(start + dt.timedelta(minutes=n)):
            tell(director, n)
    tell(roles.deputy, 99)  # someone else's
    client.force_login(director)

    page = client.get("/notifications/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("ฉบับที่ 3") < html.index("ฉบับที่ 2") < html.index("ฉบับที่ 1")
    assert "ฉบับที่ 99" not in html
    assert html.count("notification--unread") == 3
    assert "ยังไม่ได้อ่าน ๓ รายการ" in html
    assert page.context["notifications_unread"] == 3  # the header's count

    second = Notification.objects.get(subject__endswith="ฉบับที่ 2")
    opened = client.get(f"/notifications/{second.pk}/")
    assert opened.status_code == 302 and opened["Location"] == "/memos/12/"
    second.refresh_from_db()
    assert second.read_at is not None

    html = client.get("/notifications/").content.decode()
    assert html.count("notification--unread") == 2
    assert unread_count(director) == 2

    # Opening it again keeps the first reading time.
    first_read = second.read_at
    client.get(f"/notifications/{second.pk}/")
    second.refresh_from_db()
    assert second.read_at == first_read


@pytest.mark.django_db
def test_nobody_opens_someone_elses_notification(make_user: Any, client: Any) -> None:
    mine, theirs = make_user(), make_user()
    row = tell(theirs, 1)
    client.force_login(mine)
    assert client.get(f"/notifications/{row.pk}/").status_code == 404
    row.refresh_from_db()
    assert row.read_at is None
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(user=mine, notification_id=row.pk)


@pytest.mark.django_db
def test_link_off_the_site_is_not_followed(make_user: Any, client: Any) -> None:
    user = make_user()
    row = tell(user, 1, url="https://evil.example.com/")
    client.force_login(user)
    assert client.get(f"/notifications/{row.pk}/")["Location"] == "/notifications/"


@pytest.mark.django_db
def test_inbox_needs_login(client: Any) -> None:
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_inbox_queries_do_not_grow_with_its_length(make_user: Any, client: Any) -> None:
    user = make_user()
    client.force_login(user)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notifications/").status_code == 200
        return len(queries)

    for n in range(2):
        tell(user, n)
    few = queries_for_page()
    for n in range(2, 25):
        tell(user, n)
    assert queries_for_page() == few


@pytest.mark.django_db
def test_selectors_see_only_the_users_in_app_rows(make_user: Any) -> None:
    user = make_user()
    notification_enqueue(kind="memo_decided", subject="ผล", body="-", dedup_key="a", recipients=[user])
    assert unread_count(user) == 1  # the e-mail row of the same event is not an inbox entry
    assert [n.channel for n in inbox_for(user)] == ["inapp"]
