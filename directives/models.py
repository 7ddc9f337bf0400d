"""Circular directives (หนังสือเวียน) issued from a decided memo, their distribution to every
unit concerned, and the units' follow-up reports.

States change only through directives.services (protected FSM fields): each transition
is called there, after the service's own checks, in the transaction that also writes the
event row and the outbox rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from audit.chain import ChainKind, append_only, chain_append, register
from directory.models import Position, RecipientGroup, Unit
from documents.uploads import stored_name
from memos.models import Memo, Urgency
from registers.models import RegisterEntry


class DirectiveState(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    AWAITING_SIGNATURE = "awaiting_signature", _("รอลงนาม")
    SENT = "sent", _("ส่งแล้ว")


class DeadlineRule(models.TextChoices):
    FIXED = "fixed", _("ภายในวันที่กำหนด")
    AFTER_COMPLETION = "after_completion", _("ภายในจำนวนวันนับแต่หน่วยงานดำเนินการแล้วเสร็จ")


class Directive(models.Model):
    memo = models.ForeignKey(
        Memo, verbose_name=_("บันทึกข้อความต้นเรื่อง"), on_delete=models.PROTECT, related_name="directives"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("ส่วนราชการผู้ออกหนังสือ"), on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("เรื่อง"), max_length=500)
    urgency = models.IntegerField(_("ชั้นความเร็ว"), choices=Urgency.choices, default=Urgency.NORMAL)
    decision_summary = models.TextField(_("สรุปผลการพิจารณาสั่งการ"))
    # One action per line as the clerk wrote it; printed joined in the reference's wording.
    actions = models.JSONField(_("สิ่งที่หน่วยงานต้องดำเนินการ"), default=list, blank=True)
    groups: models.ManyToManyField[RecipientGroup, DirectiveGroup] = models.ManyToManyField(
        RecipientGroup, through="DirectiveGroup", verbose_name=_("กลุ่มผู้รับ"), related_name="+"
    )
    report_required = models.BooleanField(_("ต้องรายงานผล"), default=True)
    deadline_rule = models.CharField(
        _("กำหนดส่งรายงาน"), max_length=20, choices=DeadlineRule.choices, default=DeadlineRule.AFTER_COMPLETION
    )
    deadline_date = models.DateField(_("ส่งรายงานภายในวันที่"), null=True, blank=True)
    deadline_days = models.PositiveIntegerField(_("จำนวนวันหลังดำเนินการแล้วเสร็จ"), null=True, blank=True)
    contact_mailbox = models.EmailField(_("ไปรษณีย์อิเล็กทรอนิกส์สำหรับติดต่อ"), blank=True)
    body = models.TextField(_("ข้อความ"))
    signing_position = models.ForeignKey(
        Position, verbose_name=_("ตำแหน่งผู้ลงนาม"), on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField(_("สถานะ"), default=DirectiveState.DRAFT, choices=DirectiveState.choices, protected=True)
    number = models.CharField(_("ที่"), max_length=64, blank=True)
    dated = models.DateField(_("ลงวันที่"), null=True, blank=True)
    register_entry = models.ForeignKey(RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signature_lines = models.JSONField(default=list, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ผู้จัดทำ"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ"), auto_now=True)
    # The head of the directive's audit chain (audit.chain): how many events, and the seal
    # of the last. Moved in the transaction that appends each DirectiveEvent.
    chain_seq = models.PositiveIntegerField(default=0, editable=False)
    chain_head = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("หนังสือเวียน")
        verbose_name_plural = _("หนังสือเวียน")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report_required=False)
                | Q(deadline_rule=DeadlineRule.FIXED, deadline_date__isnull=False)
                | Q(deadline_rule=DeadlineRule.AFTER_COMPLETION, deadline_days__isnull=False),
                name="directive_deadline_complete",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or 'ร่าง'} {self.subject}"

    @transition(field=state, source=DirectiveState.DRAFT, target=DirectiveState.AWAITING_SIGNATURE)
    def fsm_submit(self) -> None:
        pass

    @transition(field=state, source=DirectiveState.AWAITING_SIGNATURE, target=DirectiveState.DRAFT)
    def fsm_return(self) -> None:
        pass

    # Signing is sending: the number, the date and the distributions come in one step.
    @transition(field=state, source=DirectiveState.AWAITING_SIGNATURE, target=DirectiveState.SENT)
    def fsm_sign_and_send(self) -> None:
        pass


class DirectiveGroup(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="group_rows")
    group = models.ForeignKey(RecipientGroup, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["directive", "group"], name="directive_group_unique")]


class DistributionState(models.TextChoices):
    SENT = "sent", _("ส่งถึงแล้ว ยังไม่ลงรับ")
    RECEIVED = "received", _("ลงทะเบียนรับแล้ว")
    ACKNOWLEDGED = "acknowledged", _("รับทราบแล้ว")
    REPORT_SUBMITTED = "report_submitted", _("ส่งรายงานแล้ว รอตรวจรับ")
    REPORTED = "reported", _("รายงานผลแล้ว")


# Still owing something to the issuer: these are the states the overdue job looks at.
OWING_STATES = (DistributionState.SENT, DistributionState.RECEIVED, DistributionState.ACKNOWLEDGED)


class Distribution(models.Model):
    """One copy of a directive to one unit, with that unit's own progress."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="distributions")
    unit = models.ForeignKey(Unit, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="+")
    state = FSMField(_("สถานะ"), default=DistributionState.SENT, choices=DistributionState.choices, protected=True)
    sent_at = models.DateTimeField(_("ส่งถึงเมื่อ"))
    receipt = models.ForeignKey(RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("ลงรับเมื่อ"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("รับทราบเมื่อ"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(_("ดำเนินการแล้วเสร็จเมื่อ"), null=True, blank=True)
    # Fixed rule: set at sending. After-completion rule: set when the unit records its date.
    due_date = models.DateField(_("กำหนดส่งรายงาน"), null=True, blank=True)
    # Set by the reminder job the first day the deadline had passed with nothing filed; kept
    # afterwards so a late report stays visible as late.
    overdue_since = models.DateField(_("เกินกำหนดตั้งแต่"), null=True, blank=True)
    reported_at = models.DateTimeField(_("ตรวจรับรายงานเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("การแจกจ่ายหนังสือเวียน")
        verbose_name_plural = _("การแจกจ่ายหนังสือเวียน")
        ordering = ["directive", "unit__sort_order", "unit__name"]
        constraints = [
            # The database's own guarantee that a double send cannot make a second set.
            models.UniqueConstraint(fields=["directive", "unit"], name="distribution_once_per_unit")
        ]
        indexes = [
            models.Index(fields=["unit", "state"], name="distribution_unit_state"),
            models.Index(fields=["state", "due_date"], name="distribution_due"),
        ]

    def __str__(self) -> str:
        return f"{self.directive} → {self.unit}"

    @property
    def is_overdue(self) -> bool:
        return self.overdue_since is not None and self.state in OWING_STATES

    @transition(field=state, source=DistributionState.SENT, target=DistributionState.RECEIVED)
    def fsm_receive(self) -> None:
        pass

    @transition(field=state, source=DistributionState.RECEIVED, target=DistributionState.ACKNOWLEDGED)
    def fsm_acknowledge(self) -> None:
        pass

    @transition(field=state, source=DistributionState.ACKNOWLEDGED, target=DistributionState.REPORT_SUBMITTED)
    def fsm_submit_report(self) -> None:
        pass

    @transition(field=state, source=DistributionState.REPORT_SUBMITTED, target=DistributionState.REPORTED)
    def fsm_accept_report(self) -> None:
        pass

    @transition(field=state, source=DistributionState.REPORT_SUBMITTED, target=DistributionState.ACKNOWLEDGED)
    def fsm_return_report(self) -> None:
        pass


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("รอตรวจรับ")
    ACCEPTED = "accepted", _("รับรายงานแล้ว")
    RETURNED = "returned", _("ส่งคืนแก้ไข")


def report_file_path(instance: FollowUpReport, filename: str) -> str:
    # Random, like a memo's attachments: the original name is kept in original_name.
    return stored_name(f"directive-reports/{instance.distribution_id}", filename)


class FollowUpReport(models.Model):
    """A unit's report on a training project (แบบ สพข. ๒). Every filing is kept: a returned
    report stays beside the corrected one."""

    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="reports")
    project_name = models.CharField(_("ชื่อโครงการ"), max_length=500)
    started_on = models.DateField(_("วันที่เริ่มโครงการ"))
    ended_on = models.DateField(_("วันที่สิ้นสุดโครงการ"))
    participants_executives = models.PositiveIntegerField(_("ผู้เข้าร่วม: ผู้บริหาร"), default=0)
    participants_officials = models.PositiveIntegerField(_("ผู้เข้าร่วม: ข้าราชการ"), default=0)
    participants_staff = models.PositiveIntegerField(_("ผู้เข้าร่วม: ลูกจ้างและบุคลากรอื่น"), default=0)
    budget_used = models.DecimalField(_("งบประมาณที่ใช้ (บาท)"), max_digits=14, decimal_places=2)
    outcome = models.TextField(_("ผลการดำเนินงาน"))
    file = models.FileField(_("ไฟล์รายงาน"), upload_to=report_file_path, blank=True, max_length=200)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(_("สถานะ"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("ส่งเมื่อ"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("ตรวจเมื่อ"), null=True, blank=True)
    return_reason = models.TextField(_("เหตุผลที่ส่งคืน"), blank=True)

    class Meta:
        verbose_name = _("รายงานผลการดำเนินการ")
        verbose_name_plural = _("รายงานผลการดำเนินการ")
        ordering = ["distribution", "-submitted_at", "-pk"]

    @property
    def participants_total(self) -> int:
        return self.participants_executives + self.participants_officials + self.participants_staff

    @property
    def was_late(self) -> bool:
        due: dt.date | None = self.distribution.due_date
        if due is None:
            return False
        from django.utils import timezone

        return timezone.localdate(self.submitted_at) > due


class DirectiveEventAction(models.TextChoices):
    CREATE = "create", _("จัดทำร่าง")
    UPDATE = "update", _("แก้ไขร่าง")
    SUBMIT = "submit", _("เสนอลงนาม")
    RETURN = "return", _("ส่งคืนแก้ไข")
    SEND = "send", _("ลงนามและส่ง")
    RECEIVE = "receive", _("ลงทะเบียนรับ")
    ACKNOWLEDGE = "acknowledge", _("รับทราบ")
    COMPLETE = "complete", _("บันทึกวันดำเนินการแล้วเสร็จ")
    REPORT = "report", _("ส่งรายงานผล")
    ACCEPT = "accept", _("รับรายงาน")
    RETURN_REPORT = "return_report", _("ส่งคืนรายงาน")
    OVERDUE = "overdue", _("เกินกำหนดส่งรายงาน")


class DirectiveEventManager(models.Manager["DirectiveEvent"]):
    """Every way of writing an event chains it: create() (directives.services._event) and
    bulk_create() (the overdue job) append to the directive's chain (audit.chain)."""

    def create(self, **kwargs: Any) -> DirectiveEvent:
        event = self.model(**kwargs)
        with transaction.atomic(savepoint=False):
            directive = kwargs.get("directive") or Directive.objects.select_for_update().get(pk=event.directive_id)
            chain_append(DIRECTIVE_CHAIN, owner=directive, events=[event])
        return event

    def bulk_create(self, objs: Iterable[DirectiveEvent], *args: Any, **kwargs: Any) -> list[DirectiveEvent]:
        events = list(objs)
        with transaction.atomic(savepoint=False):
            ids = sorted({event.directive_id for event in events})
            # In pk order, as every other locker of several directives should, so none deadlock.
            directives = {d.pk: d for d in Directive.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
            for pk in ids:
                chain_append(DIRECTIVE_CHAIN, owner=directives[pk], events=[e for e in events if e.directive_id == pk])
        return events


class DirectiveEvent(models.Model):
    """Append-only, hash-chained history of a directive and its distributions (who did what,
    when). PostgreSQL refuses UPDATE and DELETE on the table."""

    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="events")
    distribution = models.ForeignKey(
        Distribution, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("การดำเนินการ"), max_length=16, choices=DirectiveEventAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("ผู้ดำเนินการ"), max_length=300, blank=True)
    text = models.TextField(_("ข้อความ"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("เวลา"))
    # Place in the directive's chain, the directive's row as this event left it, and the digest.
    seq = models.PositiveIntegerField(editable=False)
    owner_row = models.JSONField(default=dict, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = DirectiveEventManager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["directive", "seq"], name="directive_event_seq_unique")]
        triggers = [append_only()]


DIRECTIVE_CHAIN = register(
    ChainKind(
        name="directives",
        label="หนังสือเวียน",
        counter="ฉบับ",
        owner_model=Directive,
        event_model=DirectiveEvent,
        owner_field="directive",
        owner_fields=("state", "number", "dated", "sent_at"),
        event_fields=("distribution_id", "action", "actor_id", "actor_name", "text", "payload", "created_at"),
    )
)
