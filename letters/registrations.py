"""What letters hand to the layers below at start-up (LettersConfig.ready)."""

from __future__ import annotations


def register() -> None:
    from . import models  # noqa: F401  (the audit chains register themselves on import)
    from .ecms.registrations import register as register_ecms

    register_ecms()
