"""Every sign-in, sign-out, failed attempt and lockout leaves a LoginEvent, read-only in the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import LoginEvent

from .conftest import PASSWORD, attempt

pytestmark = pytest.mark.django_db

Kind = LoginEvent.Kind


def events() -> list[tuple[str, str, str | None]]:
    return list(LoginEvent.objects.order_by("id").values_list("kind", "username", "ip_address"))


def test_sign_in_and_out_are_recorded_with_address_and_browser(client: Client, somchai: Any) -> None:
    long_agent = "Mozilla/5.0 " + "x" * 400
    response = client.post(
        "/accounts/login/",
        {"username": "somchai", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.7",
        HTTP_USER_AGENT=long_agent,
    )
    assert response.status_code == 302
    client.post("/accounts/logout/", REMOTE_ADDR="10.0.0.7")

    assert events() == [(Kind.LOGIN, "somchai", "10.0.0.7"), (Kind.LOGOUT, "somchai", "10.0.0.7")]
    login = LoginEvent.objects.get(kind=Kind.LOGIN)
    assert login.user == somchai
    assert login.user_agent == long_agent[:255]
    assert login.backend == "django.contrib.auth.backends.ModelBackend"


def test_failures_then_the_lockout_then_refusals(client: Client, somchai: Any) -> None:
    for _ in range(5):
        attempt(client, "ผิด", ip="10.0.0.8")
    attempt(client, PASSWORD, ip="10.0.0.8")  # refused: locked

    kinds = [kind for kind, _username, _ip in events()]
    assert kinds == [Kind.FAILURE] * 4 + [Kind.LOCKOUT, Kind.LOCKOUT]
    assert {(username, ip) for _kind, username, ip in events()} == {("somchai", "10.0.0.8")}
    # The account is linked only where a sign-in succeeded: a typed name may belong to no one.
    assert not LoginEvent.objects.exclude(user=None).exists()


def test_an_unknown_user_name_is_recorded_as_typed_and_cut_to_length(client: Client, db: None) -> None:
    attempt(client, "ผิด", username="ไม่มีผู้ใช้นี้")
    attempt(client, "ผิด", username="a" * 300)
    assert [username for _k, username, _ip in events()] == ["ไม่มีผู้ใช้นี้", "a" * 150]


def test_forwarded_address_is_believed_only_from_a_trusted_proxy(client: Client, somchai: Any, settings: Any) -> None:
    client.post(
        "/accounts/login/",
        {"username": "somchai", "password": "ผิด"},
        REMOTE_ADDR="192.0.2.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        "/accounts/login/",
        {"username": "somchai", "password": "ผิด"},
        REMOTE_ADDR="192.0.2.1",  # the proxy
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",  # the client wrote the first entry
    )
    assert [ip for _k, _u, ip in events()] == ["192.0.2.1", "203.0.113.9"]


def test_the_admin_shows_the_record_and_lets_no_one_change_it(client: Client, somchai: Any) -> None:
    attempt(client, "ผิด")
    admin = get_user_model().objects.create_superuser("admin", "admin@example.go.th", PASSWORD)
    client.force_login(admin)
    event = LoginEvent.objects.get(kind=Kind.FAILURE)

    listing = client.get("/admin/accounts/loginevent/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "ประวัติการเข้าสู่ระบบ" in body and "เข้าสู่ระบบไม่สำเร็จ" in body and "somchai" in body
    detail = client.get(f"/admin/accounts/loginevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get("/admin/accounts/loginevent/add/").status_code == 403
    assert client.post(f"/admin/accounts/loginevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/accounts/loginevent/{event.pk}/change/", {"kind": "login"}).status_code == 403
    assert LoginEvent.objects.get(pk=event.pk).kind == Kind.FAILURE
