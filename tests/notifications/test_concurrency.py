"""Two workers delivering the same notification at the same moment send it once."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection

from notifications.models import Notification, Status
from notifications.services import notification_enqueue
from notifications.tasks import deliver


class SlowBackend(LocmemBackend):
    """A mail server that takes a moment: without a real claim, a second worker would read
    the row as still pending during this time and send it again."""

    def send_messages(self, messages: Any) -> int:
        time.sleep(0.2)
        return super().send_messages(messages)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_send_one_mail(mailoutbox: list[Any], settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    rows = notification_enqueue(
        kind="directive_arrived",
        subject="ได้รับหนังสือเวียน ที่ กท ๐๔๐๑/ว ๕๑",
        body="-",
        dedup_key="directive:51:arrived",
        emails=[f"unit{i}@bangkok.go.th" for i in range(3)],
    )
    workers_per_row = 6
    barrier = threading.Barrier(workers_per_row * len(rows))
    results: list[str] = []
    errors: list[BaseException] = []

    def worker(notification_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(deliver(notification_id))
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection; the test DB is dropped later

    threads = [threading.Thread(target=worker, args=(row.pk,)) for row in rows for _ in range(workers_per_row)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert Counter(results) == {"sent": len(rows), "skipped": len(rows) * (workers_per_row - 1)}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in rows)
    assert set(Notification.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}
