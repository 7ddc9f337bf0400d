"""Delivery timing defaults; the outbox engine (notifications.tasks.OUTBOX) reads the
settings and refuses bad ones."""

from __future__ import annotations

import datetime as dt

# 1, 5, 15 minutes, 1 hour, 4 hours: a mail server that is down for a restart is caught
# within minutes, one down for an afternoon still gets the mail, and after about five
# hours an administrator is better placed to act than another retry.
DEFAULT_RETRY_DELAYS: tuple[int, ...] = (60, 300, 900, 3600, 14400)

# A fresh row was handed to Celery at commit; the sweep leaves it to that hand-off for this
# long so that a busy queue is not filled with duplicates of the same delivery.
FRESH_ROW_GRACE = dt.timedelta(seconds=60)
