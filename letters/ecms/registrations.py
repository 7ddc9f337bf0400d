"""What the e-CMS exchange hands to the letters app at start-up (LettersConfig.ready)."""

from __future__ import annotations


def register() -> None:
    from .. import hooks
    from . import admin, tasks  # noqa: F401  (the notifier task must be known wherever rows are handed over)
    from .notifiers import OUTBOX
    from .services import on_booked, on_rejected, send_letter

    OUTBOX.check()
    hooks.on_booked(on_booked)
    hooks.on_rejected(on_rejected)
    hooks.register_sender("ecms", send_letter)
    admin.register()
