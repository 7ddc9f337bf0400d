"""Review tasks waiting longer than their urgency allows remind whoever holds them.

Run by `notifications.tasks.send_reminders` (registered in workflow.apps). Allowances are
in working days (settings.REVIEW_REMINDER_DAYS; ops.workdays: weekends, Thai public holidays
and the administrator's days off do not count). One reminder per task per working day: the dedup key names the day, so the
beat task running every quarter of an hour sends nothing new after the first run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone

from directory.models import Appointment
from documents.thai import thai_date, to_thai_digits
from memos.models import Urgency
from notifications import reminders as reminder_registry
from notifications.services import notification_enqueue
from ops.workdays import WorkCalendar, is_working_day, working_days_between

from .models import TaskKind, TaskLink
from .nodes import task_execute_url
from .services import task_done_key

DEFAULT_REVIEW_REMINDER_DAYS = {"most_urgent": 0, "very_urgent": 1, "urgent": 2, "normal": 3}


__all__ = ["is_working_day", "remind_overdue_reviews", "working_days_between"]


def allowance_days() -> dict[int, int]:
    """Urgency rank → working days a task may wait before its holder is reminded."""
    configured = dict(DEFAULT_REVIEW_REMINDER_DAYS)
    configured.update(getattr(settings, "REVIEW_REMINDER_DAYS", {}) or {})
    result: dict[int, int] = {}
    for urgency in Urgency:
        days = configured.get(urgency.name.lower())
        if not isinstance(days, int) or days < 0:
            raise ImproperlyConfigured(
                f"REVIEW_REMINDER_DAYS[{urgency.name.lower()!r}] must be a whole number of days, got {days!r}"
            )
        result[int(urgency.value)] = days
    return result


def check_settings() -> None:
    """Called at start-up: a wrong allowance should stop the process, not a worker (the
    holiday settings are checked by ops)."""
    allowance_days()


def register_provider() -> None:
    reminder_registry.register(overdue_reviews)


def overdue_reviews() -> None:
    """The reminder provider (notifications.reminders takes no arguments, returns nothing)."""
    remind_overdue_reviews()


def remind_overdue_reviews(now: dt.datetime | None = None) -> int:
    """Remind the holder of every open memo task past its allowance; returns how many tasks."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    off = WorkCalendar()
    if not is_working_day(today, off):
        return 0  # nobody is at the desk; the next working day's run reminds them
    allowances = allowance_days()
    links = list(
        TaskLink.objects.filter(is_open=True)
        .exclude(kind=TaskKind.REVISE)  # the drafter's own correction is not a review
        .select_related("memo__unit", "position", "task__owner")
        .order_by("created_at")
    )
    late = [
        link
        for link in links
        if working_days_between(timezone.localdate(link.created_at), today, off) > allowances.get(link.urgency, 3)
    ]
    if not late:
        return 0
    # Whoever acts for each post today, in one query for all the late tasks.
    holders: dict[int, Any] = {
        a.position_id: a.official.user
        for a in Appointment.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
            valid_from__lte=today,
            position_id__in={link.position_id for link in late if link.position_id},
        ).select_related("official__user")
    }
    reminded = 0
    for link in late:
        # A post's task goes to whoever acts for the post today (the holder may be on leave);
        # a task of no post to its owner.
        user = holders.get(link.position_id) if link.position_id else link.task.owner
        if user is None:
            continue  # a vacant post: nobody to remind; the vacancy shows in the admin
        memo = link.memo
        waited = working_days_between(timezone.localdate(link.created_at), today, off)
        urgency = Urgency(link.urgency).label
        number = f"ที่ {memo.number} " if memo.number else ""
        position = f" ในฐานะ{link.position.title}" if link.position else ""
        notification_enqueue(
            kind="reminder",
            subject=f"เตือน: บันทึกข้อความรอท่านพิจารณา {to_thai_digits(waited)} วันทำการ: {number}เรื่อง {memo.subject}",
            body=(
                f"บันทึกข้อความ{number}เรื่อง {memo.subject}\nจาก {memo.unit.name}\n"
                f"ชั้นความเร็ว {urgency} รอ{link.get_kind_display()}{position} "
                f"ตั้งแต่ {thai_date(link.created_at)} รวม {to_thai_digits(waited)} วันทำการ "
                f"เกินกำหนด {to_thai_digits(allowances.get(link.urgency, 3))} วันทำการ\n\n"
                "กรุณาพิจารณาดำเนินการ"
            ),
            url=task_execute_url(link.task),
            about=memo,
            dedup_key=f"reminder:task:{link.task_id}:{today:%Y-%m-%d}",
            done_key=task_done_key(link.task_id),
            recipients=[user],
        )
        reminded += 1
    return reminded
