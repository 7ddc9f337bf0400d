"""The engine is tested on both real outboxes: document versions and e-mail notifications.
Hand-offs go to an in-memory broker of each test's own (the notifications tests' fixture)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from documents import tasks as document_tasks
from documents.models import DocumentKind, DocumentVersion
from notifications import tasks as notification_tasks
from notifications.models import Channel, Notification
from outbox import Outbox
from tests.notifications.conftest import memory_broker  # noqa: F401  (autouse here too)

_numbers = itertools.count(1)


@dataclass
class Subject:
    box: Outbox[Any]
    make: Callable[[], Any]  # a new pending row, due now


def _document_version() -> DocumentVersion:
    # A circular's version: its directive is a plain id, so no memo is needed for a row.
    return DocumentVersion.objects.create(kind=DocumentKind.DIRECTIVE, directive_id=next(_numbers), version=1)


def _email_notification() -> Notification:
    n = next(_numbers)
    return Notification.objects.create(
        channel=Channel.EMAIL,
        email=f"saraban.unit{n}@bangkok.go.th",
        kind="directive_arrived",
        subject=f"ได้รับหนังสือเวียน ที่ กท ๐๔๐๑/ว {n}",
        body="-",
        dedup_key=f"outbox-test:{n}",
    )


@pytest.fixture(params=["documents", "notifications"])
def subject(request: pytest.FixtureRequest) -> Subject:
    if request.param == "documents":
        return Subject(document_tasks.OUTBOX, _document_version)
    return Subject(notification_tasks.OUTBOX, _email_notification)
