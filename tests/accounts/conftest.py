from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "ม้าลาย-ถูกต้อง-2569"
LOCKED = "บัญชีนี้ถูกระงับการเข้าสู่ระบบชั่วคราว เนื่องจากใส่รหัสผ่านผิดหลายครั้ง กรุณาลองใหม่ในอีก ๑๕ นาที หรือติดต่อผู้ดูแลระบบ"


@pytest.fixture
def somchai(db: None) -> Any:
    return get_user_model().objects.create_user("somchai", "somchai@example.go.th", PASSWORD)


def attempt(
    client: Client, password: str, *, username: str = "somchai", ip: str = "10.0.0.1", path: str = "/accounts/login/"
) -> Any:
    """One sign-in through the login page, as a browser at `ip` posts it."""
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
