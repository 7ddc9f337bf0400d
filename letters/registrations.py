"""What letters hand to the layers below at start-up (LettersConfig.ready)."""

from __future__ import annotations


def register() -> None:
    from . import models  # noqa: F401  (the audit chains register themselves on import)
    from .ecms.registrations import register as register_ecms
    from .outgoing import register_outgoing

    register_outgoing()  # the e-mail sender and the external letter's renderer
    register_ecms()  # e-CMS: the accept/reject notifiers on booking, and the "ecms" sender
