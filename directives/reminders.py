"""Distributions past their report deadline: marked overdue, the unit reminded, the issuer told.

Run by `notifications.tasks.send_reminders` (registered in directives.apps). Once per day:
the dedup keys carry the date, so the beat task's quarter-hourly runs add nothing after the
first one of the day. Queries per run depend on the number of directives with overdue
units, not on the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from directory.models import Official
from documents.thai import thai_date, to_thai_digits
from notifications.services import notification_enqueue
from ops.workdays import is_working_day

from .models import OWING_STATES, Directive, DirectiveEvent, DirectiveEventAction, Distribution
from .services import _issuer_people, unit_mailboxes


def overdue_distributions() -> None:
    """The reminder provider (notifications.reminders takes no arguments, returns nothing)."""
    remind_overdue_distributions()


def remind_overdue_distributions(now: dt.datetime | None = None) -> int:
    """Returns how many distributions are overdue today."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    owing = Distribution.objects.filter(state__in=OWING_STATES, due_date__lt=today, directive__report_required=True)
    newly = list(owing.filter(overdue_since__isnull=True).values_list("pk", "directive_id"))
    if newly:
        Distribution.objects.filter(pk__in=[pk for pk, _ in newly]).update(overdue_since=today)
        DirectiveEvent.objects.bulk_create(
            DirectiveEvent(
                directive_id=directive_id,
                distribution_id=pk,
                action=DirectiveEventAction.OVERDUE,
                actor_name="ระบบติดตามอัตโนมัติ",
                created_at=now,
            )
            for pk, directive_id in newly
        )
    rows = list(owing.select_related("unit").order_by("directive_id", "unit__sort_order", "unit__name"))
    if not rows:
        return 0
    if not is_working_day(today):
        # Marked overdue from the day it was, but nobody is at the desk to be reminded: the
        # next working day's run reminds them.
        return len(rows)
    by_directive: dict[int, list[Distribution]] = defaultdict(list)
    for row in rows:
        by_directive[row.directive_id].append(row)
    directives = Directive.objects.select_related("unit", "created_by").in_bulk(list(by_directive))
    clerks: dict[int, list[object]] = defaultdict(list)
    for official in Official.objects.filter(
        Q(unit_id__in={row.unit_id for row in rows}), is_clerk=True, user__is_active=True
    ).select_related("user"):
        clerks[official.unit_id].append(official.user)

    for directive_id, late in by_directive.items():
        directive = directives[directive_id]
        units = [d.unit for d in late]
        # One outbox call per directive for all its late units: the body names no unit, so
        # every unit's clerks and mailbox get the same reminder, inserted in bulk.
        notification_enqueue(
            kind="reminder",
            subject=f"เตือน: เกินกำหนดส่งรายงานผลตามหนังสือเวียนที่ {directive.number}",
            body=(
                f"หนังสือเวียนที่ {directive.number} ลงวันที่ {thai_date(directive.dated) if directive.dated else ''} "
                f"เรื่อง {directive.subject}\nจาก {directive.unit.name}\n\n"
                "หน่วยงานของท่านยังไม่ได้ส่งรายงานผลการดำเนินการ และเลยกำหนดส่งแล้ว "
                "กรุณาส่งรายงานโดยเร็ว (ยังส่งได้ ระบบจะบันทึกว่าส่งหลังกำหนด)"
            ),
            url=reverse("memos:directive_incoming"),
            about=directive,
            dedup_key=f"directive:{directive.pk}:overdue-units:{today:%Y-%m-%d}",
            recipients=[user for d in late for user in clerks.get(d.unit_id, [])],
            emails=unit_mailboxes(units),
        )
        names = "\n".join(
            f"- {d.unit.name} (กำหนด {thai_date(d.due_date, abbreviated=True) if d.due_date else '-'})" for d in late
        )
        notification_enqueue(
            kind="reminder",
            subject=(f"หน่วยงานเกินกำหนดส่งรายงาน {to_thai_digits(len(late))} หน่วยงาน: หนังสือเวียนที่ {directive.number}"),
            body=f"หนังสือเวียนที่ {directive.number} เรื่อง {directive.subject}\n\nหน่วยงานที่ยังไม่ส่งรายงานและเกินกำหนด:\n{names}",
            url=reverse("memos:directive_dashboard", args=[directive.pk]),
            about=directive,
            dedup_key=f"directive:{directive.pk}:overdue-issuer:{today:%Y-%m-%d}",
            recipients=_issuer_people(directive),
        )
    return len(rows)
