"""Reading a unit's existing register from a spreadsheet (XLSX) or a CSV file, for an office
moving from paper or another system.

The file is read by its content, not its name: an XLSX is a ZIP (openpyxl reads it, values
only, never formulas); anything else is read as CSV in UTF-8 (with or without a byte-order
mark) or, failing that, in Thai Windows/TIS-620 (cp874), the encoding older Thai systems and
Excel's "CSV" save write. Limits: MAX_BYTES per file and MAX_ROWS rows.

The heading row is found among the first rows by its Thai headings (those of our own export,
so an exported register reads back, and a few usual variants); columns may come in any
order. Each row becomes either a row to create or a refusal with its row number (as the
spreadsheet numbers it) and every Thai reason: no number, a number that is not a whole
number, a missing subject, a date that is no date or lies outside the chosen Buddhist-era
year, a text too long, a number already in the register or earlier in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from audit.kernel import refusal
from documents.thai import BE_FROM, BE_OFFSET, be_year, thai_date, to_arabic_digits, to_thai_digits
from documents.thai_fields import parse_typed_date

from .models import RegisterEntry, Series

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED = 100 * 1024 * 1024  # an XLSX is a ZIP: what it may unpack to (a "zip bomb" is refused)
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 10
LIMITS_TEXT = f"ไฟล์ XLSX หรือ CSV ขนาดไม่เกิน {to_thai_digits(MAX_BYTES // (1024 * 1024))} MB และไม่เกิน {to_thai_digits(f'{MAX_ROWS:,}')} แถว"

# Field → the headings that name it (compared without spaces).
ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("เลขทะเบียนรับ", "เลขทะเบียนส่ง", "เลขทะเบียน", "เลขรับ", "เลขส่ง", "ทะเบียนรับที่", "ทะเบียนส่งที่"),
    "received_date": ("วันที่รับ", "วันที่ลงทะเบียน", "รับวันที่"),
    "received_time": ("เวลา", "เวลารับ"),
    "document_number": ("ที่", "เลขที่หนังสือ", "เลขที่"),
    "document_date": ("ลงวันที่", "หนังสือลงวันที่"),
    "sender": ("จาก",),
    "recipient": ("ถึง",),
    "subject": ("เรื่อง",),
    "action": ("การปฏิบัติ",),
    "remarks": ("หมายเหตุ",),
}
TEXT_LIMITS = {
    f: RegisterEntry._meta.get_field(f).max_length  # type: ignore[union-attr]
    for f in ("document_number", "sender", "recipient", "subject", "action", "remarks")
}
LABELS = {
    "document_number": "ที่",
    "sender": "จาก",
    "recipient": "ถึง",
    "subject": "เรื่อง",
    "action": "การปฏิบัติ",
    "remarks": "หมายเหตุ",
}
_TIME = re.compile(r"^(\d{1,2})\s*[.:]\s*(\d{2})(?:\s*[.:]\s*\d{2})?\s*(?:น\.?)?$")


@dataclass
class Preview:
    """What the file holds: rows to create (ready to store as JSON) and rows refused."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)


def _squash(value: Any) -> str:
    return re.sub(r"\s+", "", str(value or ""))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# --- Reading the file ------------------------------------------------------------------------


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any damage to the file is the same answer to the clerk
        raise refusal("อ่านไฟล์ XLSX ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกไฟล์ใหม่จากโปรแกรมตารางคำนวณ", code="unreadable")
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        raise refusal("ไฟล์ XLSX ไม่มีแผ่นงาน", code="unreadable")
    try:
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        book.close()


def decode_csv(data: bytes) -> str:
    """UTF-8 (a byte-order mark dropped) or else Thai Windows / TIS-620 (cp874)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")
    except UnicodeDecodeError:
        raise refusal(
            "อ่านไฟล์ CSV ไม่ได้ รองรับเฉพาะรหัสอักขระ UTF-8 หรือ TIS-620 (Windows-874) "
            "กรุณาบันทึกไฟล์เป็น “CSV UTF-8” แล้วอัปโหลดใหม่",
            code="encoding",
        ) from None


def _csv_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    text = decode_csv(data)
    if "\x00" in text:
        raise refusal("ไฟล์นี้ไม่ใช่ไฟล์ CSV หรือ XLSX กรุณาเลือกไฟล์ทะเบียนที่บันทึกจากโปรแกรมตารางคำนวณ", code="type")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1)
    except csv.Error as exc:
        raise refusal(f"อ่านไฟล์ CSV ไม่ได้ ({exc}) กรุณาตรวจสอบเครื่องหมายคำพูดในไฟล์", code="unreadable") from None


def file_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    if data.startswith(b"PK\x03\x04"):
        try:
            unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise refusal("อ่านไฟล์ XLSX ไม่ได้ ไฟล์อาจเสียหาย", code="unreadable") from None
        if unpacked > MAX_UNPACKED:
            raise refusal("ไฟล์ XLSX นี้ขยายแล้วใหญ่เกินกำหนด กรุณาบันทึกเฉพาะแผ่นงานทะเบียนเป็นไฟล์ใหม่", code="too_big")
        return _xlsx_rows(data)
    return _csv_rows(data)


def _columns(row: Sequence[Any]) -> dict[str, int] | None:
    names = [_squash(v) for v in row]
    found: dict[str, int] = {}
    for fieldname, aliases in ALIASES.items():
        for i, name in enumerate(names):
            if name in aliases and i not in found.values():
                found[fieldname] = i
                break
    return found if "number" in found and "subject" in found else None


# --- Reading one row -------------------------------------------------------------------------


def _number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        number = int(value)
    else:
        plain = to_arabic_digits(_text(value)).replace(",", "")
        if not plain.isdigit():
            raise ValueError
        number = int(plain)
    if not 0 < number < 1_000_000:
        raise ValueError
    return number


def _date(value: Any) -> dt.date | None:
    """None for an empty cell; ValueError (Thai message) for what is no date."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        # A spreadsheet date typed with a Buddhist-era year is stored as that year.
        return value.replace(year=value.year - BE_OFFSET) if value.year >= BE_FROM else value
    return parse_typed_date(_text(value))


def _time(value: Any) -> dt.time:
    if value is None or _text(value) == "":
        return dt.time(0, 0)
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    match = _TIME.match(to_arabic_digits(_text(value)))
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"เวลา “{_text(value)}” ไม่ถูกต้อง กรุณากรอกเป็น ชช.นน เช่น ๑๐.๓๐")
    return dt.time(int(match[1]), int(match[2]))


def _cell(row: Sequence[Any], columns: dict[str, int], name: str) -> Any:
    i = columns.get(name)
    return row[i] if i is not None and i < len(row) else None


def _read_row(
    row: Sequence[Any], columns: dict[str, int], *, series: str, year: int
) -> tuple[dict[str, Any], list[str], str]:
    """(the entry's fields, the reasons it is refused, its number as shown)."""
    reasons: list[str] = []
    values = {name: _text(_cell(row, columns, name)) for name in TEXT_LIMITS}
    raw_number = _cell(row, columns, "number")
    shown = to_thai_digits(_text(raw_number))
    number: int | None = None
    if _text(raw_number) == "":
        reasons.append("ไม่มีเลขทะเบียน")
    else:
        try:
            number = _number(raw_number)
        except ValueError:
            reasons.append(f"เลขทะเบียน “{shown}” ไม่ใช่จำนวนเต็มบวก")
    if not values["subject"]:
        reasons.append("ไม่มีเรื่อง")
    for name, limit in TEXT_LIMITS.items():
        if limit and len(values[name]) > limit:
            reasons.append(f"ช่อง “{LABELS[name]}” ยาวเกิน {to_thai_digits(limit)} ตัวอักษร")

    document_date: dt.date | None = None
    try:
        document_date = _date(_cell(row, columns, "document_date"))
    except ValueError as exc:
        reasons.append(f"ลงวันที่ไม่ถูกต้อง: {exc}")
    registered_on: dt.date | None = None
    at_time = dt.time(0, 0)
    if series == Series.RECEIVE:
        try:
            registered_on = _date(_cell(row, columns, "received_date"))
            if registered_on is None:
                reasons.append("ไม่มีวันที่รับ")
        except ValueError as exc:
            reasons.append(f"วันที่รับไม่ถูกต้อง: {exc}")
        try:
            at_time = _time(_cell(row, columns, "received_time"))
        except ValueError as exc:
            reasons.append(str(exc))
    else:
        registered_on = document_date
        if registered_on is None and "ลงวันที่ไม่ถูกต้อง" not in " ".join(reasons):
            reasons.append("ไม่มีลงวันที่")
    if registered_on is not None and be_year(registered_on) != year:
        reasons.append(
            f"วันที่ {thai_date(registered_on, abbreviated=True)} ไม่อยู่ในปี พ.ศ. {to_thai_digits(year)} ของทะเบียนที่เลือก"
        )
    fields: dict[str, Any] = {**values, "number": number}
    if registered_on is not None:
        at = timezone.make_aware(dt.datetime.combine(registered_on, at_time))
        fields["registered_at"] = at.isoformat()
    fields["document_date"] = document_date.isoformat() if document_date else None
    return fields, reasons, shown


def read_register_file(data: bytes, *, unit: Any, series: str, year: int) -> Preview:
    """The preview of importing `data` into `unit`'s `series` register of `year`; a refusal
    (ValidationError, Thai) when the file as a whole cannot be read."""
    if len(data) > MAX_BYTES:
        raise refusal(f"ไฟล์ใหญ่เกินกำหนด รับได้ {LIMITS_TEXT}", code="too_big")
    if not data.strip():
        raise refusal("ไฟล์ว่างเปล่า", code="empty")
    columns: dict[str, int] | None = None
    preview = Preview()
    first_row: dict[int, int] = {}  # number → the row that holds it first
    counted = 0
    for row_number, row in file_rows(data):
        if row_number > MAX_ROWS * 2 + HEADER_SEARCH_ROWS:
            raise refusal(
                f"ไฟล์มีรายการเกิน {to_thai_digits(f'{MAX_ROWS:,}')} แถว กรุณาแบ่งไฟล์แล้วนำเข้าทีละส่วน", code="too_many"
            )
        if columns is None:
            columns = _columns(row)
            if columns is None and row_number >= HEADER_SEARCH_ROWS:
                break
            continue
        if all(_text(v) == "" for v in row):
            continue
        counted += 1
        if counted > MAX_ROWS:
            raise refusal(
                f"ไฟล์มีรายการเกิน {to_thai_digits(f'{MAX_ROWS:,}')} แถว กรุณาแบ่งไฟล์แล้วนำเข้าทีละส่วน", code="too_many"
            )
        fields, reasons, shown = _read_row(row, columns, series=series, year=year)
        number = fields["number"]
        if number is not None and not reasons:
            if number in first_row:
                reasons.append(
                    f"เลขทะเบียน {to_thai_digits(number)} ซ้ำกับแถวที่ {to_thai_digits(first_row[number])} ในไฟล์นี้"
                )
            else:
                first_row[number] = row_number
        fields["row"] = row_number
        if reasons:
            preview.refused.append(
                {"row": row_number, "number": shown, "subject": fields["subject"], "reasons": reasons}
            )
        else:
            preview.rows.append(fields)
    if columns is None:
        raise refusal(
            "ไม่พบแถวหัวตารางในไฟล์ ต้องมีคอลัมน์ “เลขทะเบียนรับ” หรือ “เลขทะเบียนส่ง” และ “เรื่อง” "
            f"ภายใน {to_thai_digits(HEADER_SEARCH_ROWS)} แถวแรก (ใช้หัวตารางเดียวกับไฟล์ที่ส่งออกจากระบบได้)",
            code="no_header",
        )
    mark_existing(preview, unit=unit, series=series, year=year)
    if not preview.rows and not preview.refused:
        raise refusal("ไม่มีรายการในไฟล์ (มีเพียงแถวหัวตาราง)", code="empty")
    return preview


def mark_existing(preview: Preview, *, unit: Any, series: str, year: int) -> None:
    """Move rows whose number the register already holds to the refused list."""
    numbers = [r["number"] for r in preview.rows]
    existing = {
        e.number: e
        for e in RegisterEntry.objects.filter(unit=unit, series=series, year=year, number__in=numbers).only(
            "number", "document_number"
        )
    }
    if not existing:
        return
    keep = []
    for r in preview.rows:
        first = existing.get(r["number"])
        if first is None:
            keep.append(r)
            continue
        reason = f"เลขทะเบียน {to_thai_digits(r['number'])} มีอยู่ในทะเบียนแล้ว" + (
            f" (ที่ {first.document_number})" if first.document_number else ""
        )
        preview.refused.append(
            {"row": r["row"], "number": to_thai_digits(r["number"]), "subject": r["subject"], "reasons": [reason]}
        )
    preview.rows = keep
    preview.refused.sort(key=lambda r: r["row"])
