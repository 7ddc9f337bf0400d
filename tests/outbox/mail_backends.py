"""Mail backends a test worker process is started with (EMAIL_BACKEND names one)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Any

from django.core.mail.backends.filebased import EmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend


class AcceptThenHang(EmailBackend):
    """The mail server accepts the message (it is written to the mail directory), then the
    worker hangs before it can record the delivery, until the test kills it with SIGKILL."""

    def send_messages(self, email_messages: Sequence[EmailMessage | Any]) -> int:
        sent = super().send_messages(email_messages)
        time.sleep(600)
        return sent


class RecordStateAtGoodbye(SMTPBackend):
    """SMTP, noting at each goodbye (QUIT) how many e-mail rows were still marked "sending"."""

    sending_at_goodbye: list[int] = []

    def close(self) -> None:
        if self.connection is not None:
            from notifications.models import Channel, Notification, Status

            sending = Notification.objects.filter(channel=Channel.EMAIL, status=Status.SENDING).count()
            RecordStateAtGoodbye.sending_at_goodbye.append(sending)
        super().close()
