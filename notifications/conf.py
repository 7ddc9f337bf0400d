"""Delivery timing, read from settings with defaults so the app works without them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# 1, 5, 15 minutes, 1 hour, 4 hours: a mail server that is down for a restart is caught
# within minutes, one down for an afternoon still gets the mail, and after about five
# hours an administrator is better placed to act than another retry.
DEFAULT_RETRY_DELAYS: tuple[int, ...] = (60, 300, 900, 3600, 14400)

# Longer than any SMTP conversation can take (EMAIL_TIMEOUT bounds each socket wait), so a
# row is only taken back from a worker that has really died.
DEFAULT_SENDING_LEASE_SECONDS = 600

# A fresh row was handed to Celery at commit; the sweep leaves it to that hand-off for this
# long so that a busy queue is not filled with duplicates of the same delivery.
FRESH_ROW_GRACE = dt.timedelta(seconds=60)


def retry_delays() -> tuple[int, ...]:
    """Seconds to wait after the 1st, 2nd, … failed attempt; one more failure than there
    are delays marks the notification failed."""
    raw: object = getattr(settings, "NOTIFICATION_RETRY_DELAYS", DEFAULT_RETRY_DELAYS)
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        raise ImproperlyConfigured(f"NOTIFICATION_RETRY_DELAYS must be a list of seconds, got {raw!r}")
    delays: list[int] = []
    for item in raw:
        try:
            seconds = int(item)
        except (TypeError, ValueError):
            raise ImproperlyConfigured(f"NOTIFICATION_RETRY_DELAYS must hold whole seconds, got {item!r}")
        if seconds < 0:
            raise ImproperlyConfigured(f"NOTIFICATION_RETRY_DELAYS cannot hold a negative delay, got {seconds}")
        delays.append(seconds)
    return tuple(delays)


def sending_lease() -> dt.timedelta:
    seconds = getattr(settings, "NOTIFICATION_SENDING_LEASE_SECONDS", None)
    if seconds is None:
        seconds = max(DEFAULT_SENDING_LEASE_SECONDS, 3 * int(getattr(settings, "EMAIL_TIMEOUT", 0) or 0))
    return dt.timedelta(seconds=int(seconds))
