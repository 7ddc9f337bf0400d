"""The reminder registry run by beat: every provider runs, each in its own transaction, and
one broken provider does not stop the others."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications import reminders
from notifications.models import Notification
from notifications.services import notification_enqueue
from notifications.tasks import OUTBOX, send_reminders


@pytest.fixture
def registered() -> Iterator[list[Any]]:
    added: list[Any] = []
    yield added
    for provider in added:
        reminders.unregister(provider)


@pytest.mark.django_db
def test_send_reminders_runs_every_provider_once_per_period(make_user: Any, registered: list[Any]) -> None:
    holder = make_user("holder")

    def overdue_reviews() -> None:
        notification_enqueue(
            kind="reminder",
            subject="เตือน: มีบันทึกข้อความรอท่านพิจารณาเกินกำหนด",
            body="บันทึกข้อความเรื่อง ขออนุมัติโครงการฝึกอบรม รอท่านพิจารณามาแล้ว ๓ วันทำการ",
            dedup_key="reminder:task:7:2026-11-24",
            recipients=[holder],
        )

    def broken() -> None:
        raise RuntimeError("a bug in another app's reminders")

    for provider in (broken, overdue_reviews, overdue_reviews):  # registering twice is harmless
        registered.append(reminders.register(provider))

    assert send_reminders() == 1  # one provider failed, and was logged
    assert Notification.objects.filter(kind="reminder", recipient=holder).count() == 2  # e-mail + in-app
    send_reminders()  # beat runs every 15 minutes: the same period reminds once
    assert Notification.objects.filter(kind="reminder").count() == 2


def test_retry_schedule_setting_is_checked(settings: Any) -> None:
    settings.NOTIFICATION_RETRY_DELAYS = ["60", 300]
    assert OUTBOX.retry_delays() == (60, 300)
    del settings.NOTIFICATION_RETRY_DELAYS
    assert OUTBOX.retry_delays() == OUTBOX.default_retry_delays
    for bad in ("60,300", ["soon"], [-1]):
        settings.NOTIFICATION_RETRY_DELAYS = bad
        with pytest.raises(ImproperlyConfigured, match="NOTIFICATION_RETRY_DELAYS"):
            OUTBOX.retry_delays()
