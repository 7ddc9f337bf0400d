"""The Celery task that sends a signed external letter, through the outbox engine (claim,
retries, lease, sweep: outbox/engine.py). What is this module's own: turning the letter into
what a channel sends (the signed PDF and the enclosures), handing it to the registered
sender (letters.hooks), and recording on the letter that it went."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from outbox import Lease, Outbox

from . import hooks
from .outgoing_models import DispatchStatus, OutgoingDispatch, OutgoingLetter

logger = logging.getLogger(__name__)

OUTBOX = Outbox(
    model=OutgoingDispatch,
    task="letters.outgoing_tasks.send_letter",
    noun="outgoing letter dispatch",
    working=DispatchStatus.SENDING,
    done=DispatchStatus.SENT,
    # 1, 5, 15 minutes, 1 and 4 hours: a mail server or the e-CMS hub that is down usually
    # comes back within the hour; after the last, the row shows as failed on the letter and
    # in the admin, where it is sent again after the fault is fixed.
    retry_delays_setting="LETTER_SEND_RETRY_DELAYS",
    default_retry_delays=(60, 300, 900, 3600, 14400),
    lease_setting="LETTER_SEND_LEASE_SECONDS",
    default_lease_seconds=180,
    select_related=("letter", "letter__unit", "letter__recipient_agency"),
    stuck_error="เครื่องประมวลผล (worker) หยุดทำงานระหว่างส่งหนังสือ",
    sweep_batch=200,
)


class ChannelMissing(hooks.SendFailed):
    pass


def send_dispatch(dispatch: OutgoingDispatch, lease: Lease[OutgoingDispatch]) -> dict[str, Any]:
    from .outgoing import outgoing_mark_sent
    from .outgoing_selectors import outbound_letter

    letter: OutgoingLetter = dispatch.letter
    send = hooks.sender(dispatch.channel)
    if send is None:
        raise ChannelMissing(
            "ระบบยังไม่ได้ตั้งค่าการส่งหนังสือทางระบบ e-CMS" if dispatch.channel == "ecms" else "ยังไม่ได้ตั้งค่าช่องทางการส่งนี้"
        )
    outbound = outbound_letter(letter)
    # A worker that lost its claim while converting must not send what another attempt sends.
    lease.renew()
    result = send(outbound)
    now = timezone.now()
    outgoing_mark_sent(dispatch=dispatch, result=result, at=now)
    logger.info("outgoing letter %s sent by %s: %s", letter.pk, dispatch.channel, result.reference)
    return {"reference": result.reference[:300], "detail": result.detail[:500], "sent_at": now}


@shared_task(name="letters.outgoing_tasks.send_letter", ignore_result=True)
def send_letter(dispatch_id: int) -> str:
    """Send one letter if it is due: "sent", "skipped", "retry", "failed" or "lost"."""
    return OUTBOX.run(dispatch_id, send_dispatch)


@shared_task(name="letters.outgoing_tasks.sweep_dispatches", ignore_result=True)
def sweep_dispatches() -> int:
    """Run by beat every minute: take back sends of dead workers, hand over due ones."""
    return OUTBOX.sweep()


def dispatch_error(dispatch: OutgoingDispatch) -> str:
    """The last failure as the clerk reads it (without the exception's class name)."""
    error = dispatch.last_error or ""
    for prefix in ("SendFailed: ", "ChannelMissing: "):
        if error.startswith(prefix):
            return error[len(prefix) :]
    return error
