"""The outbox of notifiers owed to the hub (outbox/engine.py: claim, lease, retries, sweep):
a row is written in the transaction of the event that owes it and handed to Celery on
commit; a hub that is down is tried again later, and after the last delay the row waits,
failed, for an administrator (admin: retry). Nothing here imports the letters' services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from outbox import Lease, Outbox

from .client import HubClient
from .models import EcmsNotifier, NotifierKind, NotifierStatus
from .xml import build_notifier

OUTBOX = Outbox(
    model=EcmsNotifier,
    task="letters.ecms.tasks.send_notifier",
    noun="e-CMS notifier",
    working=NotifierStatus.SENDING,
    done=NotifierStatus.SENT,
    # The hub is another organisation's server: it is down for hours at times, so the
    # delays stretch to a day before an administrator is asked to look.
    retry_delays_setting="ECMS_NOTIFIER_RETRY_DELAYS",
    default_retry_delays=(60, 300, 1800, 7200, 21600, 86400),
    lease_setting="ECMS_NOTIFIER_LEASE_SECONDS",
    default_lease_seconds=lambda: int(settings.ECMS_TIMEOUT) * 2 + 30,
    stuck_error="เครื่องประมวลผล (worker) หยุดทำงานระหว่างส่งการแจ้งกลับไปยัง e-CMS",
)


def notifier_queue(
    kind: str,
    *,
    process_id: str,
    letter: Any = None,
    letter_number: str,
    letter_date: str,
    subject: str,
    accept_id: str = "",
    reason: str = "",
) -> EcmsNotifier:
    """The notifier of this kind for this process, written once (call inside the event's
    transaction); a second call returns the first row."""
    row, created = EcmsNotifier.objects.get_or_create(
        kind=kind,
        process_id=process_id[:200],
        defaults={
            "letter": letter,
            "letter_number": letter_number[:200],
            "letter_date": letter_date[:20],
            "subject": subject[:500],
            "accept_id": accept_id[:50],
            "reason": reason,
        },
    )
    if created:
        OUTBOX.hand_over_on_commit([row.pk])
    return row


def notifier_xml(row: EcmsNotifier, *, to: str = "") -> bytes:
    return build_notifier(
        row.kind,
        to=to or settings.ECMS_HUB_URL,
        letter_id=row.letter_number,
        date=row.letter_date,
        subject=row.subject,
        process_id=row.process_id,
        accept_id=row.accept_id,
        reason=row.reason,
        # The same id on every attempt: a hub that got an attempt whose answer was lost can
        # recognise the repeat.
        message_id=f"urn:saraban:ecms-notifier:{row.pk}",
    )


def notifier_send(row: EcmsNotifier, lease: Lease[EcmsNotifier]) -> dict[str, Any]:
    client = HubClient.from_settings()
    lease.renew()
    client.post(row.kind, notifier_xml(row, to=client.url))
    return {"sent_at": timezone.now()}


__all__ = ["OUTBOX", "NotifierKind", "notifier_queue", "notifier_send", "notifier_xml"]
