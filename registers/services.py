"""Numbering: the next number of a unit's register, and how a document number is written."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from directory.models import Unit
from documents.thai import be_year, to_thai_digits

from .models import RegisterCounter, RegisterEntry


def register_allocate(*, unit: Unit, series: str, at: Any = None, **fields: Any) -> RegisterEntry:
    """Take the next number of `series` in `unit`'s register for the Buddhist-era year of `at`.

    The counter row is locked until the caller's transaction ends, so concurrent signers
    queue; a rolled-back transaction gives its number back, so no number is skipped.
    """
    at = at or timezone.now()
    year = be_year(timezone.localtime(at).date())
    RegisterCounter.objects.bulk_create([RegisterCounter(unit=unit, year=year, series=series)], ignore_conflicts=True)
    counter = RegisterCounter.objects.select_for_update().get(unit=unit, year=year, series=series)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return RegisterEntry.objects.create(
        unit=unit, year=year, series=series, number=counter.last_number, registered_at=at, **fields
    )


def document_number(*, unit: Unit, number: int, circular: bool = False) -> str:
    if not unit.doc_code.strip():
        raise ValidationError(
            f"ยังไม่ได้กำหนดรหัสหนังสือของ{unit.name} จึงออกเลขที่หนังสือไม่ได้ "
            "กรุณาแจ้งผู้ดูแลระบบให้กำหนด “รหัสหนังสือ” ของส่วนราชการนี้ (เช่น กท ๐๔๐๑) ในหน้าผู้ดูแลระบบ",
            code="no_doc_code",
        )
    prefix = "ว " if circular else ""
    return f"{unit.doc_code.strip()}/{prefix}{to_thai_digits(number)}"
