"""What letters hand to the layers below at start-up (LettersConfig.ready)."""

from __future__ import annotations

from django.db.models import Q

from registers.selectors import register_secret_rule


def register() -> None:
    from . import (
        hooks,
        models,  # noqa: F401  (the audit chains register themselves on import)
    )
    from .ecms.registrations import register as register_ecms
    from .mail import admin as mail_admin  # noqa: F401  (the mailboxes in the admin)
    from .mail import tasks as mail_tasks  # noqa: F401  (the poll and reply tasks)
    from .mail.replies import reply_on_booking
    from .outgoing import register_outgoing

    # A secret letter's subject is masked in the printed and exported registers, as a memo's is.
    register_secret_rule(Q(incoming_letter__secrecy__gt=0) | Q(outgoing_letter__secrecy__gt=0))
    register_outgoing()  # the e-mail sender and the external letter's renderer
    register_ecms()  # e-CMS: the accept/reject notifiers on booking, and the "ecms" sender
    # A letter e-mailed to a mailbox that replies: the sender is told its เลขรับ.
    hooks.on_booked(reply_on_booking)
    mail_tasks.OUTBOX.check()  # a bad MAIL_REPLY_* setting stops start-up, not the first reply
