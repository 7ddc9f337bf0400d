"""Callbacks other parts of the letters app register at start-up, so that booking a letter
can set off e-CMS's accept notifier or the e-mail reply without the booking service
importing either (they import the services, not the other way round)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_booked: list[Callable[[Any], None]] = []


def on_booked(callback: Callable[[Any], None]) -> None:
    """`callback(letter)` runs inside the booking's transaction, after the letter has its
    เลขรับ: it may write outbox rows, which commit (or not) with the booking."""
    if callback not in _booked:
        _booked.append(callback)


def booked(letter: Any) -> None:
    for callback in list(_booked):
        callback(letter)


_rejected: list[Callable[[Any, str], None]] = []


def on_rejected(callback: Callable[[Any, str], None]) -> None:
    """`callback(letter, reason)` runs inside the transaction that refused a waiting item
    (an e-CMS letter not ours, a broken e-mail): e-CMS answers the hub with its Reject
    notifier through an outbox row."""
    if callback not in _rejected:
        _rejected.append(callback)


def rejected(letter: Any, reason: str) -> None:
    for callback in list(_rejected):
        callback(letter, reason)


# --- Sending an external letter -----------------------------------------------------------------
# The outgoing letter's service hands a signed letter to the channel that carries it (e-CMS,
# e-mail) as plain data, so the channels never import the outgoing letter's models and the
# outgoing letter never imports a channel.


@dataclass(frozen=True)
class OutboundFile:
    name: str
    content: bytes
    content_type: str  # "application/pdf", ...
    title: str = ""


@dataclass(frozen=True)
class OutboundLetter:
    """A signed external letter as a channel sends it."""

    letter_id: int  # OutgoingLetter.pk: the channel's idempotency key is ("out", letter_id)
    unit_code: str  # the issuing unit's code (directory.Unit.code)
    unit_name: str
    number: str  # the letter's number as printed: "กท ๐๔๐๑/๑๒๓"
    date: dt.date
    subject: str
    addressee: str  # เรียน ...
    recipient_name: str  # the receiving agency's name
    recipient_code: str  # its e-CMS organisation code ("" when it has none)
    recipient_email: str  # "" when not sent by e-mail
    secrecy: int
    urgency: int
    reference: str  # อ้างถึง (the letter it answers, as printed), "" if none
    main: OutboundFile  # the signed letter as PDF
    enclosures: tuple[OutboundFile, ...] = ()


@dataclass(frozen=True)
class SendResult:
    reference: str  # the hub's ProcessID / the e-mail's Message-ID
    detail: str = ""  # a Thai line for the letter's history


class SendFailed(Exception):
    """A channel could not send; `str(exc)` is a Thai sentence for the clerk. Raised inside
    the outbox task, so the send is retried and never lost."""


_senders: dict[str, Callable[[OutboundLetter], SendResult]] = {}


def register_sender(channel: str, send: Callable[[OutboundLetter], SendResult]) -> None:
    """`channel` is "ecms" or "email" (letters.models.Channel values)."""
    _senders[channel] = send


def sender(channel: str) -> Callable[[OutboundLetter], SendResult] | None:
    return _senders.get(channel)
