"""Writes to the directory, and the checks that ask it who may act in a post's name."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from documents.thai import thai_date

from .models import Appointment, Capacity, Official, Position
from .selectors import appointment_for_position


def official_of(user: Any) -> Official:
    """The official behind a login, or a Thai refusal for an account no official is tied to."""
    official = getattr(user, "official", None)
    if official is None:
        raise ValidationError("บัญชีผู้ใช้นี้ยังไม่ได้ผูกกับข้าราชการในทะเบียนบุคลากร กรุณาติดต่อผู้ดูแลระบบ", code="no_official")
    return official


def appointment_overlap_error(
    *, position_id: int, valid_from: dt.date, valid_until: dt.date | None, exclude_id: int | None = None
) -> str | None:
    """A Thai message naming the clashing appointment, or None when the period is free."""
    clash = Appointment.objects.filter(position_id=position_id).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)
    )
    if valid_until is not None:
        clash = clash.filter(valid_from__lte=valid_until)
    if exclude_id is not None:
        clash = clash.exclude(pk=exclude_id)
    other = clash.select_related("official", "position").first()
    if other is None:
        return None
    until = thai_date(other.valid_until) if other.valid_until else "ไม่มีกำหนด"
    return (
        f"ตำแหน่ง {other.position.title} มีผู้{other.get_capacity_display()}อยู่แล้วในช่วงเวลาเดียวกัน "
        f"({other.official.full_name} ตั้งแต่ {thai_date(other.valid_from)} ถึง {until}) "
        "กรุณาสิ้นสุดการแต่งตั้งเดิมก่อน"
    )


@transaction.atomic
def appointment_create(
    *,
    official: Official,
    position: Position,
    capacity: Capacity | str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    order_reference: str = "",
) -> Appointment:
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError("วันสิ้นสุดการแต่งตั้งต้องไม่ก่อนวันเริ่มต้น")
    # Lock the post so two administrators appointing at once cannot both pass the check.
    Position.objects.select_for_update().filter(pk=position.pk).first()
    error = appointment_overlap_error(position_id=position.pk, valid_from=valid_from, valid_until=valid_until)
    if error:
        raise ValidationError(error)
    return Appointment.objects.create(
        official=official,
        position=position,
        capacity=capacity,
        valid_from=valid_from,
        valid_until=valid_until,
        order_reference=order_reference,
    )


def acting_appointment(user: Any, position: Position, *, doing: str = "ดำเนินการ") -> Any:
    """The appointment through which `user` acts for `position` today, or a Thai refusal.

    Shared by memos and directives: whoever holds or acts for the post may act in its name.
    """
    official = official_of(user)
    appointment = appointment_for_position(position=position)
    if appointment is None or appointment.official_id != official.pk:
        raise ValidationError(
            f"ท่านไม่ได้ดำรงหรือรักษาการตำแหน่ง{position.title}ในวันนี้ จึง{doing}ในนามตำแหน่งนี้ไม่ได้",
            code="not_acting",
        )
    return appointment
