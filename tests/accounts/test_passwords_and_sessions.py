"""Password rules in Thai, and sessions that end after a working day without activity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db


def problems(password: str, user: Any = None) -> list[str]:
    with translation.override("th"):
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            return list(exc.messages)
    return []


def test_password_rules_speak_thai_with_thai_digits(somchai: Any) -> None:
    assert problems("1234567") == [
        "รหัสผ่านนี้สั้นเกินไป ต้องมีอย่างน้อย ๑๐ ตัวอักษร",
        "รหัสผ่านนี้เป็นรหัสผ่านที่ใช้กันทั่วไป เดาได้ง่าย",
        "รหัสผ่านนี้เป็นตัวเลขทั้งหมด",
    ]
    similar = problems("somchai-2569", somchai)
    assert len(similar) == 1 and similar[0].startswith("รหัสผ่านคล้ายกับ")
    assert problems("ม้าลาย-ถูกต้อง-2569", somchai) == []
    with translation.override("th"):
        help_texts = password_validation.password_validators_help_texts()
    assert "รหัสผ่านต้องมีอย่างน้อย ๑๐ ตัวอักษร" in help_texts
    assert all(not any("a" <= ch.lower() <= "z" for ch in text) for text in help_texts), help_texts


def test_sessions_end_after_eight_idle_hours_by_default() -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_REFRESH_SECONDS < settings.SESSION_COOKIE_AGE


def test_an_active_user_stays_signed_in_and_an_idle_one_is_signed_out(client: Client, somchai: Any) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(somchai)
        assert client.get("/accounts/profile/").status_code == 200
        # Busy all day: a request every 7 hours keeps the session well past 8 hours.
        for _ in range(3):
            clock.shift(dt.timedelta(hours=7))
            assert client.get("/accounts/profile/").status_code == 200
        # Then 8 hours and a minute without a request: signed out.
        clock.shift(dt.timedelta(hours=8, minutes=1))
        response = client.get("/accounts/profile/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_requests_close_together_do_not_rewrite_the_session(
    client: Client, somchai: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(somchai)
    client.get("/accounts/profile/")  # sets the first "seen" mark
    with django_assert_max_num_queries(50) as captured:
        client.get("/accounts/profile/")
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert not any("django_session" in sql for sql in writes)
