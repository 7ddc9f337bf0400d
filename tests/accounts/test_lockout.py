"""Wrong passwords lock a user name: from one address after 5, from anywhere after 20; the
login page says so in Thai; an administrator can lift it."""

from __future__ import annotations

import datetime as dt
import html
import io
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from .conftest import LOCKED, PASSWORD, attempt, signed_in

pytestmark = pytest.mark.django_db


def page_text(response: Any) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def test_fifth_wrong_password_locks_with_a_thai_message_and_the_right_one_is_refused(
    client: Client, somchai: Any
) -> None:
    for _ in range(4):
        response = attempt(client, "ผิด")
        assert response.status_code == 200
        assert "รหัสผ่านที่ถูกต้อง" in page_text(response)  # Django's usual "wrong password"
        assert "ถูกระงับ" not in page_text(response)

    response = attempt(client, "ผิด")
    assert response.status_code == 429
    assert LOCKED in page_text(response)
    assert "รหัสผ่านที่ถูกต้อง" not in page_text(response)
    # Still the login page, with the user name kept and a form to try again later.
    assert 'name="username"' in response.content.decode() and 'value="somchai"' in response.content.decode()

    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert LOCKED in page_text(response)
    assert not signed_in(client)


def test_wrong_passwords_are_not_stored(client: Client, somchai: Any) -> None:
    attempt(client, "เกือบถูก-2569")  # a near miss tells much about the real one
    stored = AccessAttempt.objects.get(username="somchai")
    assert "เกือบถูก" not in stored.post_data and "password=****" in stored.post_data


def test_the_lockout_ends_after_its_cool_off(client: Client, somchai: Any) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            attempt(client, "ผิด")
        clock.shift(dt.timedelta(minutes=10))
        response = attempt(client, PASSWORD)
        assert response.status_code == 429
        # A refused attempt neither extends the lockout nor hides how long is left.
        assert "กรุณาลองใหม่ในอีก ๕ นาที" in page_text(response)
        clock.shift(dt.timedelta(minutes=5, seconds=1))
        response = attempt(client, PASSWORD)
        assert response.status_code == 302
        assert signed_in(client)


def test_one_address_locks_only_that_user_name_from_that_address(somchai: Any) -> None:
    get_user_model().objects.create_user("malee", "malee@example.go.th", PASSWORD)
    office = Client()
    for _ in range(5):
        attempt(office, "ผิด", ip="10.0.0.1")
    assert attempt(office, PASSWORD, ip="10.0.0.1").status_code == 429

    # A colleague behind the same office address is not affected.
    colleague = Client()
    assert attempt(colleague, PASSWORD, username="malee", ip="10.0.0.1").status_code == 302
    assert signed_in(colleague)
    # Nor is the user at another machine (another address).
    elsewhere = Client()
    assert attempt(elsewhere, PASSWORD, ip="10.0.0.9").status_code == 302
    assert signed_in(elsewhere)


def test_twenty_failures_from_many_addresses_lock_the_user_name_everywhere(somchai: Any) -> None:
    client = Client()
    for host in range(1, 5):  # 4 addresses × 4 wrong passwords: none of them is locked alone
        for _ in range(4):
            assert attempt(client, "ผิด", ip=f"10.0.1.{host}").status_code == 200
    for _ in range(3):
        assert attempt(client, "ผิด", ip="10.0.1.5").status_code == 200
    response = attempt(client, "ผิด", ip="10.0.1.5")  # the 20th
    assert response.status_code == 429

    fresh = Client()
    response = attempt(fresh, PASSWORD, ip="10.0.2.1")
    assert response.status_code == 429
    assert LOCKED in page_text(response)
    assert not signed_in(fresh)


def test_a_successful_sign_in_clears_earlier_mistakes(client: Client, somchai: Any) -> None:
    for _ in range(4):
        attempt(client, "ผิด")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "ผิด").status_code == 200


def test_the_admin_login_page_is_locked_the_same_way(client: Client, somchai: Any) -> None:
    somchai.is_staff = True
    somchai.save()
    for _ in range(5):
        response = attempt(client, "ผิด", path="/admin/login/")
    assert response.status_code == 429
    assert LOCKED in page_text(response)
    assert attempt(client, PASSWORD, path="/admin/login/").status_code == 429


def test_an_administrator_unlocks_in_the_admin(client: Client, somchai: Any) -> None:
    for _ in range(5):
        attempt(client, "ผิด")
    assert attempt(client, PASSWORD).status_code == 429

    admin = get_user_model().objects.create_superuser("admin", "admin@example.go.th", PASSWORD)
    admin_client = Client()
    admin_client.force_login(admin)
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "somchai" in listing.content.decode()
    assert "การพยายามเข้าสู่ระบบ" in page_text(listing)  # axes' admin, in Thai
    ids = [str(pk) for pk in AccessAttempt.objects.filter(username="somchai").values_list("pk", flat=True)]
    response = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="somchai").exists()

    assert attempt(client, PASSWORD).status_code == 302
    assert signed_in(client)


def test_axes_reset_username_unlocks_from_the_command_line(client: Client, somchai: Any) -> None:
    for _ in range(5):
        attempt(client, "ผิด")
    out = io.StringIO()
    call_command("axes_reset_username", "somchai", stdout=out)
    assert "removed" in out.getvalue()
    assert attempt(client, PASSWORD).status_code == 302


def test_a_lockout_needs_no_password_of_the_user(client: Client, db: None) -> None:
    """Accounts that sign in by other means (OIDC later) have no usable password: a wrong
    guess at one is counted, and the lockout page still comes out."""
    user = get_user_model().objects.create_user("oidc-only", "o@example.go.th")
    assert not user.has_usable_password()
    for _ in range(5):
        response = attempt(client, "อะไรก็ได้", username="oidc-only")
    assert response.status_code == 429
    assert LOCKED in page_text(response)


def test_the_admin_unlock_action_lifts_a_user_name_locked_from_many_addresses(somchai: Any) -> None:
    client = Client()
    for host in range(1, 6):  # 5 addresses × 4: locked everywhere by the per-user limit
        for _ in range(4):
            attempt(client, "ผิด", ip=f"10.0.3.{host}")
    assert attempt(client, PASSWORD, ip="10.0.3.9").status_code == 429

    admin = get_user_model().objects.create_superuser("admin", "admin@example.go.th", PASSWORD)
    admin_client = Client()
    admin_client.force_login(admin)
    one_row = AccessAttempt.objects.filter(username="somchai").first()
    assert one_row is not None
    response = admin_client.post(
        "/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": [str(one_row.pk)]}, follow=True
    )
    assert "ปลดการระงับ somchai แล้ว" in page_text(response)
    assert not AccessAttempt.objects.filter(username="somchai").exists()
    assert LogEntry.objects.filter(user=admin, action_flag=DELETION).count() == 5

    assert attempt(client, PASSWORD, ip="10.0.3.9").status_code == 302
