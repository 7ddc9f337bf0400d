"""Writes of the accounts app."""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from .client import client_ip, client_user_agent
from .models import LoginEvent

USERNAME_MAX = LoginEvent._meta.get_field("username").max_length or 150


def login_event_record(
    *,
    kind: str,
    request: HttpRequest | None,
    username: str = "",
    user: Any = None,
) -> LoginEvent:
    """Record a sign-in event. `username` is what was typed (it may name no account);
    `user` is the account when one is known."""
    if user is not None and not getattr(user, "pk", None):
        user = None  # AnonymousUser, or an object not saved
    if not username and user is not None:
        username = user.get_username()
    user_model = get_user_model()
    return LoginEvent.objects.create(
        kind=kind,
        user=user if isinstance(user, user_model) else None,
        username=(username or "")[:USERNAME_MAX],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=client_user_agent(request) if request is not None else "",
        backend=str(getattr(user, "backend", "") or "")[:255] if kind == LoginEvent.Kind.LOGIN else "",
    )


def login_event_mark_lockout(*, event: LoginEvent) -> None:
    """The failed attempt `event` records turned out to lock the user name (Django and axes
    report it in two signals, in either order): the row says so instead of adding another."""
    if event.kind != LoginEvent.Kind.LOCKOUT:
        event.kind = LoginEvent.Kind.LOCKOUT
        event.save(update_fields=["kind"])


def login_unlock(*, usernames: list[str]) -> int:
    """Lift the lockout of these user names, from every address. Returns the attempt rows removed."""
    return sum(reset(username=username) for username in usernames)
