"""Who may read, export and import a unit's registers. Every register screen asks here.

A unit's saraban clerks (directory Official.is_clerk) read their own unit's registers;
superusers read any unit's. Anyone else, and any other unit, gets 404: unknown and forbidden
look the same.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from directory.models import Unit

from .models import RegisterImport, Series

NOT_FOUND = "ไม่พบทะเบียน"


def _official(user: Any) -> Any:
    return getattr(user, "official", None) if getattr(user, "is_authenticated", False) else None


def may_keep_registers(user: Any) -> bool:
    """Whether `user` keeps some unit's registers (for links on the home page)."""
    if not getattr(user, "is_authenticated", False):
        return False
    official = _official(user)
    return bool(user.is_superuser or (official is not None and official.is_clerk))


def register_units_for(user: Any) -> list[Unit]:
    """The units whose registers `user` may read: a clerk's own unit; for a superuser, every
    unit that has a register entry (and their own)."""
    if not may_keep_registers(user):
        return []
    official = _official(user)
    if not user.is_superuser:
        return [official.unit]
    ids = set(Unit.objects.filter(register_entries__isnull=False).values_list("pk", flat=True).distinct())
    if official is not None:
        ids.add(official.unit_id)
    return list(Unit.objects.filter(pk__in=ids).order_by("name"))


def register_unit_for(user: Any, unit_id: Any = None) -> Unit:
    """The unit whose register `user` asks for: `unit_id` (a superuser's choice, or a clerk's
    own unit named explicitly) or, if none, the user's own unit. 404 otherwise."""
    if not may_keep_registers(user):
        raise Http404(NOT_FOUND)
    official = _official(user)
    if unit_id in (None, ""):
        if official is None:
            raise Http404(NOT_FOUND)
        return official.unit
    try:
        wanted = int(str(unit_id))
    except ValueError:
        raise Http404(NOT_FOUND) from None
    if user.is_superuser:
        unit = Unit.objects.filter(pk=wanted).first()
        if unit is None:
            raise Http404(NOT_FOUND)
        return unit
    if official is None or not official.is_clerk or official.unit_id != wanted:
        raise Http404(NOT_FOUND)
    return official.unit


def series_or_404(series: str) -> Series:
    if series not in Series.values:
        raise Http404(NOT_FOUND)
    return Series(series)


def register_import_for(user: Any, import_id: int) -> RegisterImport:
    """An import batch of a unit whose registers `user` may read; 404 otherwise."""
    batch = RegisterImport.objects.select_related("unit").filter(pk=import_id).first()
    if batch is None:
        raise Http404(NOT_FOUND)
    register_unit_for(user, batch.unit_id)
    return batch
