"""Celery tasks of the e-CMS exchange. Beat entries (config/celery.py):
letters.ecms.tasks.poll_inbound (every few minutes) and letters.ecms.tasks.sweep_notifiers
(every 15 s, like the other outboxes)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from .client import HubRefused, HubUnavailable
from .notifiers import OUTBOX, notifier_send
from .services import ecms_poll

logger = logging.getLogger(__name__)


@shared_task(name="letters.ecms.tasks.send_notifier", ignore_result=True)
def send_notifier(row_id: int) -> str:
    """Send one notifier if it is due: "sent", "skipped", "retry", "failed" or "lost"."""
    return OUTBOX.run(row_id, notifier_send)


@shared_task(name="letters.ecms.tasks.sweep_notifiers", ignore_result=True)
def sweep_notifiers() -> int:
    return OUTBOX.sweep()


@shared_task(name="letters.ecms.tasks.poll_inbound", ignore_result=True)
def poll_inbound() -> dict[str, int]:
    """Take the letters waiting for us at the hub. A hub that is down is only logged: the
    letters wait there for the next poll."""
    if not settings.ECMS_HUB_URL:
        return {}
    try:
        result = ecms_poll()
    except (HubUnavailable, HubRefused) as exc:
        logger.warning("e-CMS poll: %s", exc)
        return {"error": 1}
    return {"taken": result.taken, "known": result.known, "invalid": result.invalid, "notices": result.notices}
