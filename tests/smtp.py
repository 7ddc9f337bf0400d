"""A real SMTP server on loopback for the tests that send mail (aiosmtpd), and the settings
that point Django's SMTP backend at it."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpInbox:
    """The server's DATA handler: keeps what it accepts, or gives `reply` (an SMTP refusal,
    temporary or for good) while that is set."""

    def __init__(self, reply: str | None = None) -> None:
        self.reply = reply
        self.attempts = 0
        self.received: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []
        self.rcpt: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.attempts += 1
        if self.reply:
            return self.reply
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        self.received.append(message)
        self.raw.append(envelope.content)
        self.rcpt.append(list(envelope.rcpt_tos))
        return "250 2.0.0 OK"


def use_local_smtp(settings: Any, port: int) -> None:
    """Django's SMTP backend, to 127.0.0.1:`port`, plain, no login."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@contextmanager
def smtp_running(inbox: SmtpInbox, port: int) -> Iterator[SmtpInbox]:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
