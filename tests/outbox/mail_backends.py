"""Mail backends a test worker process is started with (EMAIL_BACKEND names one)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Any

from django.core.mail.backends.filebased import EmailBackend


class AcceptThenHang(EmailBackend):
    """The mail server accepts the message (it is written to the mail directory), then the
    worker hangs before it can record the delivery, until the test kills it with SIGKILL."""

    def send_messages(self, email_messages: Sequence[EmailMessage | Any]) -> int:
        sent = super().send_messages(email_messages)
        time.sleep(600)
        return sent
