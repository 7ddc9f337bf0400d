"""Writes for directives, distributions and follow-up reports. Each function is one
transaction: the FSM transition, the event row and the outbox rows commit together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.kernel import Step, fire, refusal, service
from directory.models import Official, Position, RecipientGroup, Unit
from directory.selectors import NotAppointed, appointment_for_position, recipient_group_units, signature_block
from directory.services import acting_appointment
from documents.data import addressee_line
from documents.services import directive_version_request
from documents.thai import BE_FROM, thai_date, to_thai_digits
from documents.uploads import CheckedUpload, upload_check
from memos.models import Memo, MemoState, Urgency
from notifications.services import notification_enqueue, notifications_done
from ops.workdays import next_working_day
from registers.models import Series
from registers.services import document_number, register_allocate

from .models import (
    DIRECTIVE_CHAIN,
    DeadlineRule,
    Directive,
    DirectiveEvent,
    DirectiveEventAction,
    DirectiveGroup,
    DirectiveState,
    Distribution,
    DistributionState,
    FollowUpReport,
    ReportStatus,
)

DIRECTIVE_SOURCE_STATES = (MemoState.APPROVED, MemoState.PARTLY_APPROVED)


_fail = refusal


def _official(user: Any) -> Official:
    official = getattr(user, "official", None)
    if official is None:
        raise _fail("บัญชีผู้ใช้นี้ยังไม่ได้ผูกกับข้าราชการในทะเบียนบุคลากร กรุณาติดต่อผู้ดูแลระบบ", code="no_official")
    return official


def _fire(obj: Any, transition_name: str, *, action_label: str) -> str:
    """One FSM transition of a directive or a distribution; an illegal one becomes a Thai message."""
    return fire(obj, transition_name, action_label=action_label)


class DirectiveStep(Step[Directive]):
    """One service's change to a directive (audit.kernel): the directive locked, its
    transition, its event on the directive's chain (the distribution it concerns, if any)."""

    kind = DIRECTIVE_CHAIN
    related = ("unit", "memo", "signing_position")

    def record(  # type: ignore[override]
        self,
        action: str,
        *,
        user: Any = None,
        actor_name: str = "",
        distribution: Distribution | None = None,
        text: str = "",
        payload: dict[str, Any] | None = None,
        at: dt.datetime | None = None,
        save: tuple[str, ...] = (),
    ) -> DirectiveEvent:
        """Append to the directive's chain after the distribution's own changes are saved
        (the directive's, named in `save`, go with the head's UPDATE): the event records the
        directive's row. The directive was read under lock by this step, or read with its
        distribution (_lock_distribution locks only the distribution's row): then the head's
        conditional UPDATE finds it moved if another unit appended meanwhile, and the append
        is redone on the row read again under lock (audit.chain.chain_append)."""
        if not actor_name and user is not None:
            official = getattr(user, "official", None)
            actor_name = official.full_name if official else user.get_username()
        event: DirectiveEvent = super().record(
            action,
            save=save,
            at=at,
            distribution=distribution,
            actor=user,
            actor_name=actor_name,
            text=text,
            payload=payload or {},
        )
        return event


def _event(directive: Directive, action: str, **fields: Any) -> DirectiveEvent:
    """An event of a directive the caller holds locked (directly or through its distribution)."""
    return DirectiveStep(directive, lock=False).record(action, **fields)


def _lock_distribution(distribution: Distribution | int) -> Distribution:
    pk = distribution if isinstance(distribution, int) else distribution.pk
    return (
        # Only the distribution's row: 87 units receiving at once must not queue on the
        # directive's row and the issuer's unit.
        Distribution.objects.select_for_update(of=("self",), no_key=True)
        .select_related("directive__unit", "directive__created_by", "unit")
        .get(pk=pk)
    )


# --- Drafting ---------------------------------------------------------------------------------

DEADLINE_HORIZON_DAYS = 730  # a report deadline beyond two years is a typing slip


@dataclass
class DirectiveInput:
    subject: str
    decision_summary: str
    actions: list[str]
    group_ids: list[int]
    signing_position_id: int
    body: str
    report_required: bool = True
    deadline_rule: str = DeadlineRule.AFTER_COMPLETION
    deadline_date: dt.date | None = None
    deadline_days: int | None = 14
    contact_mailbox: str = ""
    urgency: int = Urgency.NORMAL


def _validate(data: DirectiveInput, *, unit: Unit) -> None:
    errors: dict[str, list[str]] = {}
    if not data.subject.strip():
        errors.setdefault("subject", []).append("กรุณาระบุเรื่อง")
    if not data.body.strip():
        errors.setdefault("body", []).append("กรุณาระบุข้อความของหนังสือ")
    if not data.group_ids:
        errors.setdefault("groups", []).append("กรุณาเลือกกลุ่มผู้รับอย่างน้อยหนึ่งกลุ่ม")
    elif RecipientGroup.objects.filter(pk__in=data.group_ids).count() != len(set(data.group_ids)):
        errors.setdefault("groups", []).append("มีกลุ่มผู้รับที่ไม่มีอยู่ในทะเบียน")
    if data.urgency not in Urgency.values:
        errors.setdefault("urgency", []).append("ชั้นความเร็วไม่ถูกต้อง")
    position = Position.objects.filter(pk=data.signing_position_id, is_active=True).first()
    if position is None:
        errors.setdefault("signing_position", []).append("กรุณาเลือกตำแหน่งผู้ลงนาม")
    elif position.unit_id != unit.pk:
        errors.setdefault("signing_position", []).append(f"ผู้ลงนามต้องเป็นตำแหน่งใน{unit.name}")
    if data.report_required:
        if data.deadline_rule == DeadlineRule.FIXED:
            if data.deadline_date is None:
                errors.setdefault("deadline_date", []).append("กรุณาระบุวันที่ต้องส่งรายงาน")
            elif data.deadline_date < timezone.localdate():
                errors.setdefault("deadline_date", []).append("วันที่ต้องส่งรายงานผ่านมาแล้ว")
            elif data.deadline_date > timezone.localdate() + dt.timedelta(days=DEADLINE_HORIZON_DAYS):
                # 9999-12-31, or a Buddhist-era year taken as Christian-era (2569 → AD 2569).
                errors.setdefault("deadline_date", []).append(
                    f"วันที่ต้องส่งรายงานต้องอยู่ภายใน ๒ ปีนับจากวันนี้ (ระบุไว้ {thai_date(data.deadline_date)})"
                )
        elif data.deadline_rule == DeadlineRule.AFTER_COMPLETION:
            if not data.deadline_days or data.deadline_days < 1:
                errors.setdefault("deadline_days", []).append("กรุณาระบุจำนวนวันหลังดำเนินการแล้วเสร็จ (อย่างน้อย ๑ วัน)")
        else:
            errors.setdefault("deadline_rule", []).append("กำหนดส่งรายงานไม่ถูกต้อง")
    if errors:
        raise ValidationError(errors)


def _write(directive: Directive, data: DirectiveInput) -> None:
    directive.subject = data.subject.strip()
    directive.decision_summary = data.decision_summary.strip()
    directive.actions = [a.strip() for a in data.actions if a.strip()]
    directive.signing_position_id = data.signing_position_id
    directive.body = data.body.strip()
    directive.report_required = data.report_required
    directive.deadline_rule = data.deadline_rule
    fixed = data.report_required and data.deadline_rule == DeadlineRule.FIXED
    after = data.report_required and data.deadline_rule == DeadlineRule.AFTER_COMPLETION
    directive.deadline_date = data.deadline_date if fixed else None
    directive.deadline_days = data.deadline_days if after else None
    directive.contact_mailbox = data.contact_mailbox.strip()
    directive.urgency = data.urgency


def _write_groups(directive: Directive, group_ids: list[int]) -> None:
    DirectiveGroup.objects.filter(directive=directive).delete()
    unique = list(dict.fromkeys(group_ids))
    DirectiveGroup.objects.bulk_create(
        DirectiveGroup(directive=directive, group_id=gid, order=i) for i, gid in enumerate(unique)
    )


@service
def directive_create(*, user: Any, memo: Memo, data: DirectiveInput) -> Directive:
    """A member of the memo's unit starts a directive from the approved memo."""
    official = _official(user)
    memo = Memo.objects.select_for_update(of=("self",), no_key=True).select_related("unit").get(pk=memo.pk)
    if official.unit_id != memo.unit_id:
        raise _fail(f"ออกหนังสือเวียนจากบันทึกนี้ได้เฉพาะเจ้าหน้าที่ของ{memo.unit.name}", code="not_unit")
    if memo.state not in DIRECTIVE_SOURCE_STATES:
        raise _fail(
            f"ออกหนังสือเวียนได้เฉพาะบันทึกข้อความที่อนุมัติแล้ว บันทึกนี้อยู่ในสถานะ “{memo.get_state_display()}”",
            code="state",
        )
    _validate(data, unit=memo.unit)
    directive = Directive(memo=memo, unit=memo.unit, created_by=user)
    _write(directive, data)
    directive.save()
    _write_groups(directive, data.group_ids)
    _event(directive, DirectiveEventAction.CREATE, user=user, actor_name=official.full_name)
    return directive


@service
def directive_update(*, user: Any, directive: Directive, data: DirectiveInput) -> Directive:
    official = _official(user)
    step = DirectiveStep(directive)
    directive = step.owner
    if official.unit_id != directive.unit_id:
        raise _fail(f"แก้ไขได้เฉพาะเจ้าหน้าที่ของ{directive.unit.name}", code="not_unit")
    if directive.state != DirectiveState.DRAFT:
        raise _fail("แก้ไขได้เฉพาะหนังสือเวียนที่ยังเป็นร่าง", code="state")
    _validate(data, unit=directive.unit)
    _write(directive, data)
    directive.save()
    _write_groups(directive, data.group_ids)
    step.record(DirectiveEventAction.UPDATE, user=user, actor_name=official.full_name)
    return directive


def _acting_for(user: Any, position: Position) -> Any:
    return acting_appointment(user, position, doing="ลงนาม")


@service
def directive_submit(*, user: Any, directive: Directive) -> Directive:
    """The drafter sends the directive to whoever acts for the signing post (and tells them)."""
    official = _official(user)
    step = DirectiveStep(directive)
    directive = step.owner
    if official.unit_id != directive.unit_id:
        raise _fail(f"เสนอลงนามได้เฉพาะเจ้าหน้าที่ของ{directive.unit.name}", code="not_unit")
    step.fire("fsm_submit", action_label="เสนอลงนาม")
    step.record(DirectiveEventAction.SUBMIT, save=("state",), user=user, actor_name=official.full_name)
    notifications_done(done_keys=[_done_key(directive, "revise")])
    appointment = appointment_for_position(position=directive.signing_position)
    if appointment is not None:
        step.notify(
            kind="task_assigned",
            subject=f"มีหนังสือเวียนรอท่านลงนาม: เรื่อง {directive.subject}",
            body=(
                f"มีหนังสือเวียนรอท่านลงนามในฐานะ{directive.signing_position.title}\n\n"
                f"เรื่อง {directive.subject}\nจาก {directive.unit.name}\n\n"
                "เมื่อลงนามแล้ว ระบบจะออกเลขหนังสือเวียนและส่งถึงทุกหน่วยงานผู้รับทันที"
            ),
            url=reverse("memos:directive_detail", args=[directive.pk]),
            about=directive,
            dedup_key=f"directive:{directive.pk}:submitted:{directive.events.count()}",
            done_key=_done_key(directive, "sign"),
            recipients=[appointment.official.user],
        )
    return directive


@service
def directive_return(*, user: Any, directive: Directive, reason: str) -> Directive:
    """The signer sends the draft back to its unit with a reason instead of signing."""
    step = DirectiveStep(directive)
    directive = step.owner
    appointment = _acting_for(user, directive.signing_position)
    if not reason.strip():
        raise ValidationError({"reason": ["กรุณาระบุเหตุผลที่ส่งคืน"]})
    step.fire("fsm_return", action_label="ส่งคืน")
    step.record(
        DirectiveEventAction.RETURN,
        save=("state",),
        user=user,
        actor_name=appointment.official.full_name,
        text=reason,
    )
    notifications_done(done_keys=[_done_key(directive, "sign")])
    step.notify(
        kind="memo_returned",
        subject=f"หนังสือเวียนถูกส่งคืนแก้ไข: เรื่อง {directive.subject}",
        body=f"{appointment.official.full_name} ส่งคืนร่างหนังสือเวียน\n\nเรื่อง {directive.subject}\n\nเหตุผล: {reason.strip()}",
        url=reverse("memos:directive_detail", args=[directive.pk]),
        about=directive,
        dedup_key=f"directive:{directive.pk}:returned:{directive.events.count()}",
        done_key=_done_key(directive, "revise"),
        recipients=[directive.created_by],
    )
    return directive


def _signature_lines(official: Official, position: Position, unit: Unit) -> list[str]:
    try:
        lines = list(signature_block(official=official, position=position).lines)
    except NotAppointed as exc:
        raise _fail(str(exc), code="not_acting")
    # The reference directive closes the block with the parent department's name
    # ("สำนักปลัดกรุงเทพมหานคร"); the whole organisation's name is never printed there.
    parent = unit.parent
    if parent is not None and parent.parent_id is not None:
        lines.append(parent.name)
    return lines


def unit_mailboxes(units: list[Unit]) -> list[str]:
    return [u.mailbox for u in units if u.mailbox]


@service
def directive_sign_and_send(*, user: Any, directive: Directive) -> Directive:
    """Whoever acts for the signing post today signs: the directive takes the next circular
    number (ว) and today's date, and reaches every unit of its groups as they stand now.

    Idempotent under double clicks and concurrent requests: the directive row is locked and
    its state checked first, so the second caller finds it sent and is told so; the unique
    (directive, unit) constraint backs this at the database.

    The number of queries does not depend on the number of units: the units come from one
    query, the distributions and the notifications are inserted in bulk, and the e-mails are
    delivered by workers after commit.
    """
    step = DirectiveStep(directive)
    directive = step.owner
    if directive.state == DirectiveState.SENT:
        raise _fail(f"หนังสือเวียนนี้ลงนามและส่งแล้ว (ที่ {directive.number}) ระบบไม่ได้ส่งซ้ำ", code="already_sent")
    appointment = _acting_for(user, directive.signing_position)
    if directive.state != DirectiveState.AWAITING_SIGNATURE:
        step.fire("fsm_sign_and_send", action_label="ลงนาม")  # raises the Thai state message
    notifications_done(done_keys=[_done_key(directive, "sign")])
    unit = directive.unit
    groups = [row.group for row in DirectiveGroup.objects.filter(directive=directive).select_related("group")]
    units = recipient_group_units(groups=groups, exclude_unit=unit)
    if not units:
        raise _fail("กลุ่มผู้รับที่เลือกไม่มีหน่วยงานผู้รับเลย กรุณาตรวจสอบกลุ่มผู้รับ", code="no_units")
    now = timezone.now()
    today = timezone.localdate(now)
    document_number(unit=unit, number=1)  # a missing document code fails before a number is taken
    entry = register_allocate(
        unit=unit,
        series=Series.CIRCULAR,
        at=now,
        document_date=today,
        sender=unit.name,
        recipient=addressee_line([g.name for g in groups])[:500],
        subject=directive.subject[:500],
        position=directive.signing_position,
        action="แจ้งเวียน",
        remarks=f"อ้างบันทึกที่ {directive.memo.number}"[:300] if directive.memo.number else "",
    )
    directive.number = document_number(unit=unit, number=entry.number, circular=True)
    entry.document_number = directive.number
    entry.save(update_fields=["document_number"])
    directive.dated = today
    directive.register_entry = entry
    directive.signature_lines = _signature_lines(appointment.official, directive.signing_position, unit)
    directive.signed_by = user
    directive.sent_at = now
    step.fire("fsm_sign_and_send", action_label="ลงนาม")
    directive.save()

    due = (
        directive.deadline_date if directive.report_required and directive.deadline_rule == DeadlineRule.FIXED else None
    )
    Distribution.objects.bulk_create(
        [Distribution(directive=directive, unit=u, sent_at=now, due_date=due) for u in units], batch_size=500
    )
    step.record(
        DirectiveEventAction.SEND,
        user=user,
        actor_name=appointment.official.full_name,
        payload={"number": directive.number, "units": len(units), "groups": [g.key for g in groups]},
        at=now,
    )
    _notify_arrival(directive, units)
    # The signed circular is stored once, with its sha256, for every unit to download alike.
    directive_version_request(directive=directive)
    return directive


def _done_key(directive: Directive, work: str) -> str:
    """What a directive's notifications carry as done_key: "sign", "revise" or "arrival" (book in)."""
    return f"directive:{directive.pk}:{work}"


def _notify_arrival(directive: Directive, units: list[Unit]) -> None:
    """Every recipient unit's clerks and official mailbox, in one outbox call (bulk insert)."""
    clerks = [
        o.user
        for o in Official.objects.filter(unit__in=[u.pk for u in units], is_clerk=True, user__is_active=True)
        .select_related("user")
        .only("user")
    ]
    report = f"\n{report_requirement_text(directive)}" if directive.report_required else ""
    urgency = f"[{Urgency(directive.urgency).label}] " if directive.urgency else ""
    notification_enqueue(
        kind="directive_arrived",
        subject=f"{urgency}หนังสือเวียนที่ {directive.number} เรื่อง {directive.subject}",
        body=(
            f"{directive.unit.name} ส่งหนังสือเวียนที่ {directive.number} "
            f"ลงวันที่ {thai_date(directive.dated or timezone.localdate())} ถึงหน่วยงานของท่าน\n"
            f"เรื่อง {directive.subject}\n{report}\n\n"
            "กรุณาลงทะเบียนรับและดำเนินการจากรายการหนังสือเวียนเข้าของหน่วยงาน"
        ),
        url=reverse("memos:directive_incoming"),
        about=directive,
        dedup_key=f"directive:{directive.pk}:sent",
        done_key=_done_key(directive, "arrival"),
        recipients=clerks,
        emails=unit_mailboxes(units),
    )


def report_requirement_text(directive: Directive) -> str:
    """The sentence on paper and in mails that tells a unit when its report is due."""
    if not directive.report_required:
        return ""
    where = f" ทางไปรษณีย์อิเล็กทรอนิกส์ (E-mail): {directive.contact_mailbox}" if directive.contact_mailbox else ""
    if directive.deadline_rule == DeadlineRule.FIXED and directive.deadline_date:
        when = f"ภายในวันที่ {thai_date(directive.deadline_date)}"
    else:
        days = directive.deadline_days or 0
        spelled = "ภายในสองสัปดาห์" if days == 14 else f"ภายใน {to_thai_digits(days)} วัน"
        when = f"{spelled}ภายหลังจากที่ดำเนินการแล้วเสร็จ"
    return f"สำหรับการรายงานผลการดำเนินการ โปรดส่งให้{directive.unit.name} {when}{where}"


# --- A unit's side ---------------------------------------------------------------------------


def _unit_member(user: Any, distribution: Distribution, *, clerk: bool = False) -> Official:
    official = _official(user)
    if official.unit_id != distribution.unit_id or (clerk and not official.is_clerk):
        who = "เจ้าหน้าที่สารบรรณของ" if clerk else "เจ้าหน้าที่ของ"
        raise _fail(f"ดำเนินการได้เฉพาะ{who}{distribution.unit.name}", code="not_unit")
    return official


@service
def distribution_receive(*, user: Any, distribution: Distribution) -> Distribution:
    """The unit's clerk books the directive into the unit's incoming register (เลขรับ, date, time)."""
    distribution = _lock_distribution(distribution)
    official = _unit_member(user, distribution, clerk=True)
    if distribution.state != DistributionState.SENT:
        raise _fail(
            f"หนังสือเวียนนี้ลงทะเบียนรับแล้ว (เลขรับ {to_thai_digits(distribution.receipt.number if distribution.receipt else '')})",
            code="already_received",
        )
    directive = distribution.directive
    now = timezone.now()
    entry = register_allocate(
        unit=distribution.unit,
        series=Series.RECEIVE,
        at=now,
        document_number=directive.number,
        document_date=directive.dated,
        sender=directive.unit.name,
        recipient=distribution.unit.name,
        subject=directive.subject[:500],
        action="หนังสือเวียน" + ("/รายงานผล" if directive.report_required else ""),
    )
    _fire(distribution, "fsm_receive", action_label="ลงทะเบียนรับ")
    distribution.receipt = entry
    distribution.received_at = now
    distribution.received_by = user
    distribution.save(update_fields=["state", "receipt", "received_at", "received_by"])
    _event(
        directive,
        DirectiveEventAction.RECEIVE,
        user=user,
        actor_name=official.full_name,
        distribution=distribution,
        payload={"receive_number": entry.number},
        at=now,
    )
    notifications_done(
        done_keys=[_done_key(directive, "arrival")],
        recipients=Official.objects.filter(unit=distribution.unit_id, is_clerk=True).values("user_id"),
    )
    return distribution


@service
def distribution_acknowledge(*, user: Any, distribution: Distribution) -> Distribution:
    distribution = _lock_distribution(distribution)
    official = _unit_member(user, distribution)
    _fire(distribution, "fsm_acknowledge", action_label="รับทราบ")
    distribution.acknowledged_at = timezone.now()
    distribution.acknowledged_by = user
    distribution.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
    _event(
        distribution.directive,
        DirectiveEventAction.ACKNOWLEDGE,
        user=user,
        actor_name=official.full_name,
        distribution=distribution,
    )
    return distribution


@service
def distribution_record_completion(*, user: Any, distribution: Distribution, completed_on: dt.date) -> Distribution:
    """The unit's own completion date; where the deadline counts from it, it sets the due date."""
    distribution = _lock_distribution(distribution)
    official = _unit_member(user, distribution)
    directive = distribution.directive
    if not directive.report_required:
        raise _fail("หนังสือเวียนนี้ไม่ต้องรายงานผล", code="no_report")
    if distribution.state not in (DistributionState.RECEIVED, DistributionState.ACKNOWLEDGED):
        raise _fail("บันทึกวันดำเนินการแล้วเสร็จได้หลังลงทะเบียนรับ และก่อนส่งรายงาน", code="state")
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": ["วันดำเนินการแล้วเสร็จต้องไม่เป็นวันในอนาคต"]})
    if directive.dated and completed_on < directive.dated - dt.timedelta(days=366):
        raise ValidationError({"completed_on": ["วันดำเนินการแล้วเสร็จเก่าเกินกว่าจะเกี่ยวกับหนังสือเวียนนี้"]})
    distribution.completed_on = completed_on
    fields = ["completed_on"]
    if directive.deadline_rule == DeadlineRule.AFTER_COMPLETION and directive.deadline_days:
        # A period counted in days that ends on a day off ends on the next working day.
        distribution.due_date = next_working_day(completed_on + dt.timedelta(days=directive.deadline_days))
        fields.append("due_date")
    distribution.save(update_fields=fields)
    _event(
        directive,
        DirectiveEventAction.COMPLETE,
        user=user,
        actor_name=official.full_name,
        distribution=distribution,
        payload={"completed_on": completed_on.isoformat()},
    )
    return distribution


@dataclass
class ReportInput:
    project_name: str
    started_on: dt.date
    ended_on: dt.date
    participants_executives: int
    participants_officials: int
    participants_staff: int
    budget_used: Decimal
    outcome: str


def _check_upload(upload: UploadedFile) -> CheckedUpload:
    try:
        return upload_check(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


def _issuer_people(directive: Directive) -> list[Any]:
    """The issuer: who drafted the directive, and the issuing unit's clerks who follow it up."""
    people = {directive.created_by_id: directive.created_by}
    for o in Official.objects.filter(unit_id=directive.unit_id, is_clerk=True, user__is_active=True).select_related(
        "user"
    ):
        people[o.user_id] = o.user
    return list(people.values())


@service
def report_submit(
    *, user: Any, distribution: Distribution, data: ReportInput, upload: UploadedFile | None = None
) -> FollowUpReport:
    """The unit files its report (late is allowed: the dashboard keeps it marked as late)."""
    errors: dict[str, list[str]] = {}
    if not data.project_name.strip():
        errors.setdefault("project_name", []).append("กรุณาระบุชื่อโครงการ")
    for name in ("started_on", "ended_on"):
        if getattr(data, name).year >= BE_FROM:
            # A Buddhist-era year that reached us as a Christian-era one: refuse, never store.
            errors.setdefault(name, []).append("ปีของวันที่ไม่ถูกต้อง (ดูเหมือนปีพุทธศักราชที่ยังไม่ได้แปลง)")
    if data.ended_on < data.started_on:
        errors.setdefault("ended_on", []).append("วันสิ้นสุดโครงการต้องไม่ก่อนวันเริ่มโครงการ")
    if min(data.participants_executives, data.participants_officials, data.participants_staff) < 0:
        errors.setdefault("participants_staff", []).append("จำนวนผู้เข้าร่วมต้องไม่ติดลบ")
    if data.budget_used < 0:
        errors.setdefault("budget_used", []).append("งบประมาณที่ใช้ต้องไม่ติดลบ")
    if not data.outcome.strip():
        errors.setdefault("outcome", []).append("กรุณาสรุปผลการดำเนินงาน")
    if errors:
        raise ValidationError(errors)
    checked = _check_upload(upload) if upload is not None else None
    distribution = _lock_distribution(distribution)
    official = _unit_member(user, distribution)
    directive = distribution.directive
    if not directive.report_required:
        raise _fail("หนังสือเวียนนี้ไม่ต้องรายงานผล", code="no_report")
    _fire(distribution, "fsm_submit_report", action_label="ส่งรายงาน")
    distribution.save(update_fields=["state"])
    now = timezone.now()
    report = FollowUpReport(
        distribution=distribution,
        project_name=data.project_name.strip(),
        started_on=data.started_on,
        ended_on=data.ended_on,
        participants_executives=data.participants_executives,
        participants_officials=data.participants_officials,
        participants_staff=data.participants_staff,
        budget_used=data.budget_used,
        outcome=data.outcome.strip(),
        file_size=checked.size if checked else 0,
        original_name=checked.name if checked else "",
        submitted_by=user,
        submitted_at=now,
    )
    if upload is not None:
        report.file = upload  # type: ignore[assignment]
    report.save()
    _event(
        directive,
        DirectiveEventAction.REPORT,
        user=user,
        actor_name=official.full_name,
        distribution=distribution,
        payload={"report": report.pk},
        at=now,
    )
    notification_enqueue(
        kind="report_filed",
        subject=f"{distribution.unit.name} ส่งรายงานผลตามหนังสือเวียนที่ {directive.number}",
        body=(
            f"{distribution.unit.name} ส่งรายงานผลการดำเนินการตามหนังสือเวียนที่ {directive.number} "
            f"เรื่อง {directive.subject}\nโครงการ: {report.project_name}\n\nกรุณาตรวจรับหรือส่งคืนพร้อมเหตุผล"
        ),
        url=reverse("memos:distribution_detail", args=[distribution.pk]),
        about=distribution,
        dedup_key=f"distribution:{distribution.pk}:report:{report.pk}",
        done_key=f"report:{report.pk}:review",
        recipients=_issuer_people(directive),
    )
    notifications_done(done_keys=[f"distribution:{distribution.pk}:report-again"])
    return report


def _issuer_member(user: Any, directive: Directive) -> Official:
    official = _official(user)
    if official.unit_id != directive.unit_id:
        raise _fail(f"ตรวจรับรายงานได้เฉพาะเจ้าหน้าที่ของ{directive.unit.name}", code="not_issuer")
    return official


def _lock_report(report: FollowUpReport) -> tuple[FollowUpReport, Distribution]:
    distribution = _lock_distribution(report.distribution_id)
    report = FollowUpReport.objects.select_for_update().get(pk=report.pk)
    return report, distribution


@service
def report_accept(*, user: Any, report: FollowUpReport) -> FollowUpReport:
    report, distribution = _lock_report(report)
    directive = distribution.directive
    official = _issuer_member(user, directive)
    if report.status != ReportStatus.SUBMITTED:
        raise _fail(f"รายงานนี้{report.get_status_display()}", code="state")
    _fire(distribution, "fsm_accept_report", action_label="รับรายงาน")
    now = timezone.now()
    distribution.reported_at = now
    distribution.save(update_fields=["state", "reported_at"])
    report.status = ReportStatus.ACCEPTED
    report.reviewed_by = user
    report.reviewed_at = now
    report.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    _event(
        directive,
        DirectiveEventAction.ACCEPT,
        user=user,
        actor_name=official.full_name,
        distribution=distribution,
        payload={"report": report.pk},
        at=now,
    )
    notifications_done(done_keys=[f"report:{report.pk}:review"])
    return report


@service
def report_return(*, user: Any, report: FollowUpReport, reason: str) -> FollowUpReport:
    """The issuer sends the report back; the unit is told why and files again."""
    if not reason.strip():
        raise ValidationError({"reason": ["กรุณาระบุเหตุผลที่ส่งคืน เพื่อให้หน่วยงานแก้ไขได้ถูกต้อง"]})
    report, distribution = _lock_report(report)
    directive = distribution.directive
    official = _issuer_member(user, directive)
    if report.status != ReportStatus.SUBMITTED:
        raise _fail(f"รายงานนี้{report.get_status_display()}", code="state")
    _fire(distribution, "fsm_return_report", action_label="ส่งคืนรายงาน")
    distribution.save(update_fields=["state"])
    now = timezone.now()
    report.status = ReportStatus.RETURNED
    report.reviewed_by = user
    report.reviewed_at = now
    report.return_reason = reason.strip()
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason"])
    _event(
        directive,
        DirectiveEventAction.RETURN_REPORT,
        user=user,
        actor_name=official.full_name,
        distribution=distribution,
        text=reason.strip(),
        payload={"report": report.pk},
        at=now,
    )
    notifications_done(done_keys=[f"report:{report.pk}:review"])
    unit = distribution.unit
    people = [report.submitted_by] + [
        o.user for o in Official.objects.filter(unit=unit, is_clerk=True, user__is_active=True).select_related("user")
    ]
    notification_enqueue(
        kind="report_returned",
        subject=f"รายงานผลตามหนังสือเวียนที่ {directive.number} ถูกส่งคืนแก้ไข",
        body=(
            f"{directive.unit.name} ส่งคืนรายงานผลการดำเนินการ\nโครงการ: {report.project_name}\n"
            f"ตามหนังสือเวียนที่ {directive.number} เรื่อง {directive.subject}\n\nเหตุผล: {reason.strip()}\n\n"
            "กรุณาแก้ไขและส่งรายงานใหม่"
        ),
        url=reverse("memos:distribution_detail", args=[distribution.pk]),
        about=distribution,
        dedup_key=f"distribution:{distribution.pk}:report:{report.pk}:returned",
        done_key=f"distribution:{distribution.pk}:report-again",
        recipients=people,
        emails=[unit.mailbox] if unit.mailbox else [],
    )
    return report
