"""Writes to the outbox. Call these inside the transaction of the event that causes them."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Channel, Notification, Status
from .tasks import OUTBOX

logger = logging.getLogger(__name__)

_Key = tuple[str, int | None, str]


def _key(channel: str, recipient_id: int | None, email: str) -> _Key:
    # Mirrors the two partial unique constraints: a user row is identified by the user,
    # a mailbox row by its address.
    return (channel, recipient_id, "" if recipient_id is not None else email)


def notification_enqueue(
    *,
    kind: str,
    subject: str,
    body: str,
    url: str = "",
    about: models.Model | None = None,
    dedup_key: str,
    recipients: Iterable[Any] = (),
    emails: Iterable[str] = (),
    channels: Sequence[str] = (Channel.EMAIL, Channel.INAPP),
    done_key: str = "",
) -> list[Notification]:
    """Write one outbox row per recipient and channel; return the rows this call created.

    `recipients` are users (e-mail to their address, and an in-app entry); `emails` are
    bare mailboxes such as a unit's official address (e-mail only). `dedup_key` names the
    event, e.g. f"memo:{memo.pk}:decided": a second call with the same key creates nothing
    for anyone already notified, so retries and double clicks are harmless. `url` is a
    site path such as reverse(...); mail makes it absolute with SITE_URL. `done_key` names the
    work asked for (e.g. f"task:{task.pk}"): notifications_done(done_keys=[...]) marks the in-app
    rows read once it is done.

    E-mail rows are handed to Celery after the surrounding transaction commits; if the
    broker is unreachable then, they stay pending and the outbox sweep delivers them.
    """
    unknown = set(channels) - set(Channel.values)
    if unknown:
        raise ValueError(f"unknown notification channel(s): {sorted(unknown)}")
    if not dedup_key:
        raise ValueError("dedup_key is required: it is what keeps an event from notifying twice")

    now = timezone.now()
    content_type = ContentType.objects.get_for_model(about) if about is not None else None
    object_id = about.pk if about is not None else None
    common = {
        "kind": kind,
        # A line break in a subject would be refused as a header injection at send time.
        "subject": " ".join(subject.split())[:255],
        "body": body,
        "url": url,
        "content_type": content_type,
        "object_id": object_id,
        "dedup_key": dedup_key,
        "done_key": done_key,
        "created_at": now,
        "next_attempt_at": now,
    }

    users = list({user.pk: user for user in recipients}.values())
    candidates: dict[_Key, Notification] = {}
    if Channel.EMAIL in channels:
        for user in users:
            if not user.email:
                logger.info("user %s has no e-mail address: %s sent in-app only", user.pk, kind)
                continue
            candidates[_key(Channel.EMAIL, user.pk, user.email)] = Notification(
                recipient=user, email=user.email, channel=Channel.EMAIL, status=Status.PENDING, **common
            )
        # A mailbox that is also a recipient's own address gets the mail once.
        covered = {user.email.lower() for user in users if user.email}
        for address in emails:
            address = address.strip().lower()
            if address and address not in covered:
                covered.add(address)
                candidates[_key(Channel.EMAIL, None, address)] = Notification(
                    recipient=None, email=address, channel=Channel.EMAIL, status=Status.PENDING, **common
                )
    if Channel.INAPP in channels:
        for user in users:
            # Being in the inbox is the delivery.
            candidates[_key(Channel.INAPP, user.pk, "")] = Notification(
                recipient=user, channel=Channel.INAPP, status=Status.SENT, sent_at=now, **common
            )
    if not candidates:
        return []

    # A constant number of queries however many recipients: read what this event already
    # notified, insert the rest (ignoring rows a concurrent transaction inserted first),
    # read back the ids, since bulk inserts that ignore conflicts do not return them.
    existing = {
        _key(channel, recipient_id, email)
        for channel, recipient_id, email in Notification.objects.filter(dedup_key=dedup_key).values_list(
            "channel", "recipient_id", "email"
        )
    }
    new_keys = candidates.keys() - existing
    if not new_keys:
        return []
    Notification.objects.bulk_create([candidates[k] for k in new_keys], ignore_conflicts=True, batch_size=500)
    created = [
        row
        for row in Notification.objects.filter(dedup_key=dedup_key).order_by("id")
        if _key(row.channel, row.recipient_id, row.email) in new_keys
    ]

    to_deliver = [row.pk for row in created if row.status == Status.PENDING]
    if to_deliver:
        transaction.on_commit(partial(hand_over, to_deliver))
    return created


def hand_over(notification_ids: Sequence[int]) -> int:
    """Queue delivery of these rows (fanned out through a worker for a large batch); returns
    how many were queued. Never raises for a broker outage: this runs after the user's
    transaction committed, and the rows wait for the sweep."""
    return OUTBOX.hand_over(notification_ids)


def notification_mark_read(*, user: Any, notification_id: int) -> Notification:
    """Mark the user's in-app notification read (the first opening counts); raises
    Notification.DoesNotExist for anyone else's, so a view can answer 404."""
    notification = Notification.objects.get(pk=notification_id, recipient=user, channel=Channel.INAPP)
    if notification.read_at is None:
        now = timezone.now()
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
        else:
            notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_done(*, done_keys: Iterable[str], except_user: Any = None, recipients: Any = None) -> int:
    """The work these keys name is finished, cancelled or taken over: the in-app notifications
    that asked for it are marked read, so the unread count no longer shows them. `except_user`
    (who took the work over) keeps theirs; `recipients` (users or a query of user ids), when
    given, limits it to them (one unit's clerks of a notice that went to many units). Returns
    how many were marked. `done_keys` may be a query of keys (one UPDATE with a subquery)."""
    keys: Any
    if isinstance(done_keys, QuerySet):
        keys = done_keys
    else:
        keys = [key for key in done_keys if key]
        if not keys:
            return 0
    rows = Notification.objects.filter(done_key__in=keys, channel=Channel.INAPP, read_at__isnull=True)
    if except_user is not None:
        rows = rows.exclude(recipient=except_user)
    if recipients is not None:
        rows = rows.filter(recipient__in=recipients)
    return rows.update(read_at=timezone.now())


def notification_retry(*, notification_ids: Iterable[int]) -> int:
    """Send failed (or waiting) e-mail notifications again now, with a fresh retry budget.
    Rows being sent at this moment are left alone. Returns how many were requeued."""
    return OUTBOX.retry(notification_ids)
