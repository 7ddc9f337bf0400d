"""Reads of the directory: who stands in which post on a day, and how they sign."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import CAPACITY_WORDING, Appointment, Capacity, Official, Position, RecipientGroup, Unit


def today() -> dt.date:
    return timezone.localdate()


def _valid_on(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def appointment_for_position(*, position: Position, on: dt.date | None = None) -> Appointment | None:
    """Who answers for `position` on `on`: its holder or whoever acts for it that day."""
    on = on or today()
    return (
        Appointment.objects.filter(_valid_on(on), position=position)
        .select_related("official__user", "position")
        .first()
    )


def official_acting_for(*, position: Position, on: dt.date | None = None) -> Official | None:
    appointment = appointment_for_position(position=position, on=on)
    return appointment.official if appointment else None


def appointments_of_official(*, official: Official, on: dt.date | None = None) -> QuerySet[Appointment]:
    on = on or today()
    return Appointment.objects.filter(_valid_on(on), official=official).select_related("position__unit")


def positions_of_user(*, user: object, on: dt.date | None = None) -> list[tuple[Position, str]]:
    """The posts a user answers for today, with the capacity (for "acting" marks in the inbox)."""
    official = getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None
    if official is None:
        return []
    return [(a.position, a.capacity) for a in appointments_of_official(official=official, on=on)]


def substantive_position(*, official: Official, on: dt.date | None = None) -> Position | None:
    """The post the official holds in their own right (not acting)."""
    appointment = appointments_of_official(official=official, on=on).filter(capacity=Capacity.HOLDER).first()
    return appointment.position if appointment else None


@dataclass(frozen=True)
class SignatureBlock:
    name_line: str
    position_lines: tuple[str, ...]
    capacity: str

    @property
    def lines(self) -> tuple[str, ...]:
        return (self.name_line, *self.position_lines)


class NotAppointed(Exception):
    """The official does not stand in the post on that date; nobody may sign for it."""


def signature_for_appointment(*, appointment: Appointment, on: dt.date | None = None) -> SignatureBlock:
    """The signature lines of someone already found acting for the post (saves reading the
    appointment twice in a service that has just checked it)."""
    official, position = appointment.official, appointment.position
    name_line = f"({official.full_name})"
    if appointment.capacity == Capacity.HOLDER:
        return SignatureBlock(name_line, (position.title,), appointment.capacity)
    own = substantive_position(official=official, on=on)
    wording = CAPACITY_WORDING[Capacity(appointment.capacity)]
    first = f"{own.title} {wording}" if own else wording
    return SignatureBlock(name_line, (first, position.title), appointment.capacity)


def signature_block(*, official: Official, position: Position, on: dt.date | None = None) -> SignatureBlock:
    """The lines under a signature: "(name)", then the position with acting wording.

    Acting signers show their own post, the wording, then the post acted for, as
    ระเบียบงานสารบรรณ lays out and as the reference memo prints it.
    """
    on = on or today()
    appointment = (
        Appointment.objects.filter(_valid_on(on), official=official, position=position)
        .select_related("position")
        .first()
    )
    if appointment is None:
        raise NotAppointed(f"{official.full_name} ไม่ได้ดำรงหรือรักษาการตำแหน่ง {position.title} ณ วันที่ {on.isoformat()}")
    return signature_for_appointment(appointment=appointment, on=on)


def recipient_group_units(
    *, groups: list[RecipientGroup] | QuerySet[RecipientGroup], exclude_unit: Unit | None = None
) -> list[Unit]:
    """Each unit addressed through the groups, once, in directory order.

    The unit behind a post is its registering unit: that is the office that books the
    letter in and acts on it.
    """
    positions = Position.objects.filter(groups__in=list(groups), is_active=True).select_related(
        "unit", "receiving_unit"
    )
    seen: dict[int, Unit] = {}
    for position in positions.order_by("sort_order", "pk"):
        unit = position.registering_unit
        if exclude_unit is not None and unit.pk == exclude_unit.pk:
            continue
        seen.setdefault(unit.pk, unit)
    return sorted(seen.values(), key=lambda u: (u.sort_order, u.name))


# --- Memos ----------------------------------------------------------------------------------


def clerks_of(*, unit: Unit) -> QuerySet[Official]:
    """The unit's saraban clerks with an active login (who book in and follow up its mail)."""
    return Official.objects.filter(unit=unit, is_clerk=True, user__is_active=True).select_related("user")
