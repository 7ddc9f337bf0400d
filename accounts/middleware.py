"""Two small middlewares: idle expiry of sessions and the Permissions-Policy header."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

SEEN_KEY = "_accounts_seen"


def session_mark_active(session: Any, *, force: bool = False) -> None:
    """Note activity in the session, which makes Django save it (and push its expiry back)
    if the last note is older than SESSION_REFRESH_SECONDS."""
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    if force or not isinstance(seen, int) or now - seen >= settings.SESSION_REFRESH_SECONDS:
        session[SEEN_KEY] = now


class SessionIdleMiddleware:
    """Keeps an active user's session alive: the session (its database row and cookie) expires
    SESSION_COOKIE_AGE after it was last saved, so it is saved again whenever more than
    SESSION_REFRESH_SECONDS have passed. An idle user is signed out after SESSION_COOKIE_AGE
    at the latest, an active one never, and a request costs no write most of the time
    (SESSION_SAVE_EVERY_REQUEST would write on every request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # The session says whether someone is signed in; loading the user would cost a query.
        if session is not None and SESSION_KEY in session:
            session_mark_active(session)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Switches off browser features the product never uses (PERMISSIONS_POLICY)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
