"""Numbering: the next number of a unit's register, how a document number is written, and
importing a unit's existing register (a preview, then one transaction)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.kernel import locked, refusal, service
from directory.models import Unit
from documents.thai import BE_FROM, be_year, thai_date, to_thai_digits

from .imports import read_register_file
from .models import RegisterCounter, RegisterEntry, RegisterImport, Series


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


# --- Importing an existing register ---------------------------------------------------------


@service
def register_import_preview(
    *, user: Any, unit: Unit, series: str, year: int, data: bytes, filename: str
) -> RegisterImport:
    """Read the file and keep what importing it would do, for the clerk to confirm."""
    if series not in Series.values:
        raise refusal("กรุณาเลือกทะเบียน", code="series")
    if not BE_FROM <= year <= BE_FROM + 400:
        raise refusal("กรุณากรอกปี พ.ศ. เช่น ๒๕๖๙", code="year")
    preview = read_register_file(data, unit=unit, series=series, year=year)
    return RegisterImport.objects.create(
        unit=unit,
        series=series,
        year=year,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=preview.rows,
        refused=preview.refused,
        created_by=user,
    )


@service
def register_import_confirm(*, user: Any, batch_id: int) -> RegisterImport:
    """Create the batch's entries with their own numbers, in one transaction, and move the
    counter past the highest, so the next allocation follows on. A batch already imported
    is refused (code "done"), so a second click does nothing."""
    batch: RegisterImport = locked(RegisterImport.objects.all(), batch_id)
    if batch.state == RegisterImport.State.DONE:
        raise refusal(
            f"นำเข้าไฟล์นี้แล้วเมื่อ {thai_date(batch.confirmed_at or batch.created_at)} "
            f"({to_thai_digits(batch.created_count)} รายการ)",
            code="done",
        )
    if not batch.rows:
        raise refusal("ไม่มีรายการที่นำเข้าได้ในไฟล์นี้", code="nothing")
    key = {"unit_id": batch.unit_id, "year": batch.year, "series": batch.series}
    RegisterCounter.objects.bulk_create([RegisterCounter(**key)], ignore_conflicts=True)
    # The counter's lock first: an allocation waits until the imported numbers are in.
    counter = RegisterCounter.objects.select_for_update().get(**key)
    numbers = [r["number"] for r in batch.rows]
    taken = sorted(RegisterEntry.objects.filter(**key, number__in=numbers).values_list("number", flat=True))
    if taken:
        shown = ", ".join(to_thai_digits(n) for n in taken[:20]) + (" …" if len(taken) > 20 else "")
        raise refusal(
            f"เลขทะเบียน {shown} ถูกใช้ในทะเบียนไปแล้วหลังจากตรวจสอบไฟล์ กรุณาอัปโหลดไฟล์อีกครั้งเพื่อตรวจสอบใหม่",
            code="taken",
        )
    RegisterEntry.objects.bulk_create(
        [
            RegisterEntry(
                **key,
                number=r["number"],
                registered_at=dt.datetime.fromisoformat(r["registered_at"]),
                document_number=r["document_number"],
                document_date=dt.date.fromisoformat(r["document_date"]) if r["document_date"] else None,
                sender=r["sender"],
                recipient=r["recipient"],
                subject=r["subject"],
                action=r["action"],
                remarks=r["remarks"],
                imported_in=batch,
            )
            for r in batch.rows
        ]
    )
    counter.last_number = max(counter.last_number, *numbers)
    counter.save(update_fields=["last_number"])
    batch.state = RegisterImport.State.DONE
    batch.confirmed_at = timezone.now()
    batch.created_count = len(batch.rows)
    batch.save(update_fields=["state", "confirmed_at", "created_count"])
    return batch
