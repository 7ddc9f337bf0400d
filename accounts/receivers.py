"""Sign-in signals to LoginEvent rows. Only wiring: what is written is decided in services.

A lockout arrives as two signals for one attempt: Django's user_login_failed and axes'
user_locked_out (sent from inside axes' own user_login_failed receiver). Whichever comes
first, the attempt ends up as one row, of kind lockout.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from .middleware import session_mark_active
from .models import LoginEvent
from .services import login_event_mark_lockout, login_event_record

# The row already written for this request's attempt, so that the second signal of a
# lockout does not add another.
_EVENT_ATTR = "_accounts_login_event"


def _typed_username(credentials: dict[str, Any] | None) -> str:
    credentials = credentials or {}
    field = get_user_model().USERNAME_FIELD
    return str(credentials.get(field) or credentials.get("username") or "")


def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    login_event_record(kind=LoginEvent.Kind.LOGIN, request=request, user=user)
    session = getattr(request, "session", None)
    if session is not None:
        # Saved with the login anyway, so the first pages after it write nothing.
        session_mark_active(session, force=True)


def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return  # no one was signed in: nothing to record
    login_event_record(kind=LoginEvent.Kind.LOGOUT, request=request, user=user)


def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    if request is not None and getattr(request, _EVENT_ATTR, None) is not None:
        return  # the lockout of this attempt is recorded already
    event = login_event_record(kind=LoginEvent.Kind.FAILURE, request=request, username=_typed_username(credentials))
    if request is not None:
        setattr(request, _EVENT_ATTR, event)


def on_locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    event = getattr(request, _EVENT_ATTR, None) if request is not None else None
    if event is not None:
        login_event_mark_lockout(event=event)
        return
    event = login_event_record(kind=LoginEvent.Kind.LOCKOUT, request=request, username=username or "")
    if request is not None:
        setattr(request, _EVENT_ATTR, event)


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="accounts.login")
    user_logged_out.connect(on_logged_out, dispatch_uid="accounts.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="accounts.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="accounts.locked_out")
