"""Callbacks other parts of the letters app register at start-up, so that booking a letter
can set off e-CMS's accept notifier or the e-mail reply without the booking service
importing either (they import the services, not the other way round)."""

from __future__ import annotations

from collections.abc import Callable
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
