"""Reads of a unit's registers for one Buddhist-era year: the screen, its filters, the CSV/XLSX
and PDF exports and the API. Nothing here writes.

What a row shows: Thai digits and Buddhist-era dates as the office writes them, and a secret
memo's subject masked (a register is read by every clerk of the office).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from documents.data import RegisterRow
from documents.thai import thai_date, thai_time, to_arabic_digits, to_thai_digits

from .access import register_unit_for
from .models import RegisterEntry, Series

# The official columns (สารบรรณ regulation แบบที่ ๑๓ and ๑๔, /work/shared/memo-format.md), in order.
REGISTER_HEADINGS = {
    Series.SEND: ["เลขทะเบียนส่ง", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"],
    Series.CIRCULAR: ["เลขทะเบียนส่ง", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"],
    Series.RECEIVE: ["เลขทะเบียนรับ", "วันที่รับ", "เวลา", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"],
}
# Column widths of the spreadsheet, in characters, by heading.
COLUMN_WIDTHS = {
    "เลขทะเบียนส่ง": 12,
    "เลขทะเบียนรับ": 12,
    "วันที่รับ": 14,
    "เวลา": 10,
    "ที่": 20,
    "ลงวันที่": 14,
    "จาก": 30,
    "ถึง": 30,
    "เรื่อง": 60,
    "การปฏิบัติ": 20,
    "หมายเหตุ": 20,
}
PRINT_TITLES = {
    Series.SEND: "ทะเบียนหนังสือส่ง",
    Series.CIRCULAR: "ทะเบียนหนังสือส่ง (หนังสือเวียน ว)",
    Series.RECEIVE: "ทะเบียนหนังสือรับ",
}
SECRET_SUBJECT = "(หนังสือชั้นลับ)"
PAGE_SIZE = 50


# What makes a row secret (its subject masked on screen, in every export, and not searched):
# a lookup per domain app whose documents a register records. Registers import none of them;
# an app adds its own rule in AppConfig.ready(), e.g. letters:
#     register_secret_rule(Q(incoming_letter__secrecy__gt=0))
_SECRET_RULES: list[Q] = [Q(memo__secrecy__gt=0)]


def register_secret_rule(rule: Q) -> None:
    """Mask the subject of the rows `rule` (a lookup on RegisterEntry) matches."""
    if rule not in _SECRET_RULES:
        _SECRET_RULES.append(rule)


def _secret_q() -> Q:
    combined = Q()
    for rule in _SECRET_RULES:
        combined |= rule
    return combined


def with_secrecy(entries: QuerySet[RegisterEntry]) -> QuerySet[RegisterEntry]:
    """The entries, each knowing whether its subject is masked (`masked`), in the same query."""
    return entries.annotate(masked=Case(When(_secret_q(), then=Value(True)), default=Value(False)))


def _is_secret(entry: RegisterEntry) -> bool:
    masked = getattr(entry, "masked", None)
    if masked is not None:
        return bool(masked)
    return entry.memo is not None and bool(getattr(entry.memo, "is_secret", False))


def register_entries(
    *, user: Any, series: str, year: int, unit_id: Any = None
) -> tuple[Any, QuerySet[RegisterEntry]] | None:
    """(unit, its entries in number order), or None when `user` may not read this register."""
    from django.http import Http404

    if series not in Series.values:
        return None
    try:
        unit = register_unit_for(user, unit_id)
    except Http404:
        return None
    return unit, register_entries_of(unit=unit, series=series, year=year)


def register_entries_of(*, unit: Any, series: str, year: int) -> QuerySet[RegisterEntry]:
    """A unit's register for one year in number order (the caller has asked registers.access)."""
    return with_secrecy(RegisterEntry.objects.filter(unit=unit, series=series, year=year)).order_by("number")


@dataclass(frozen=True)
class RegisterFilter:
    """What the clerk narrowed the register to; every part optional."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(self.date_from or self.date_to or self.text.strip())


def _local_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def register_filter(entries: QuerySet[RegisterEntry], f: RegisterFilter) -> QuerySet[RegisterEntry]:
    """Entries registered within [date_from, date_to] (Bangkok days) whose number, ที่, จาก,
    ถึง or เรื่อง holds the text (Thai or Arabic digits alike). A secret memo's subject is
    not searched: its row must not be found by words the register does not show."""
    if f.date_from:
        entries = entries.filter(registered_at__gte=_local_start(f.date_from))
    if f.date_to:
        entries = entries.filter(registered_at__lt=_local_start(f.date_to + dt.timedelta(days=1)))
    text = " ".join(f.text.split())
    if text:
        match = Q()
        for variant in {text, to_thai_digits(text), to_arabic_digits(text)}:
            match |= Q(document_number__icontains=variant) | Q(sender__icontains=variant)
            match |= Q(recipient__icontains=variant)
            match |= Q(subject__icontains=variant) & Q(masked=False)
        plain = to_arabic_digits(text)
        if plain.isdigit() and len(plain) < 10:
            match |= Q(number=int(plain))
        entries = entries.filter(match)
    return entries


def register_subject(entry: RegisterEntry) -> str:
    return SECRET_SUBJECT if _is_secret(entry) else entry.subject


def register_remark(entry: RegisterEntry) -> str:
    return (entry.remarks + (" ยกเลิกเลข: " + entry.void_reason if entry.void else "")).strip()


def register_rows(entries: Iterable[RegisterEntry], series: str) -> list[list[str]]:
    """The rows under REGISTER_HEADINGS[series], in Thai digits and BE dates."""
    rows: list[list[str]] = []
    for e in entries:
        dated = thai_date(e.document_date, abbreviated=True) if e.document_date else ""
        tail = [e.sender, e.recipient, register_subject(e), e.action, register_remark(e)]
        if series == Series.RECEIVE:
            received = [thai_date(e.registered_at, abbreviated=True), thai_time(e.registered_at)]
            rows.append([to_thai_digits(e.number), *received, to_thai_digits(e.document_number), dated, *tail])
        else:
            rows.append([to_thai_digits(e.number), to_thai_digits(e.document_number), dated, *tail])
    return rows


def register_print_rows(entries: Iterable[RegisterEntry], series: str) -> list[RegisterRow]:
    """The rows of the printed register (documents.docx_builder.build_register_docx)."""
    return [
        RegisterRow(
            number=e.number,
            ref_number=to_thai_digits(e.document_number),
            dated=e.document_date,
            sender=e.sender,
            recipient=e.recipient,
            subject=register_subject(e),
            received_at=e.registered_at if series == Series.RECEIVE else None,
            action=e.action,
            remarks=register_remark(e),
        )
        for e in entries
    ]


def register_filename(unit: Any, series: str, year: int) -> str:
    return f"{Series(series).label} {unit.short_name or unit.name} ปี {to_thai_digits(year)}"


def register_years(unit: Any, series: str) -> list[int]:
    """The Buddhist-era years the unit's register has entries in, newest first."""
    years = RegisterEntry.objects.filter(unit=unit, series=series).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)
