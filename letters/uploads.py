"""Scans of received letters, as uploaded on the booking form or sent to the API: PDF, JPEG or
PNG, checked by what their bytes are (documents.uploads.content_is), within the limits per
file and per letter (settings LETTER_FILE_MAX_BYTES, LETTER_TOTAL_MAX_BYTES)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from documents.thai import to_thai_digits
from documents.uploads import content_is

from .services import SCAN_EXTENSIONS, IncomingFile


def megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    return to_thai_digits(f"{mb:.0f}" if mb >= 10 or mb == int(mb) else f"{mb:.1f}")


def limits_text() -> str:
    return (
        f"รับไฟล์ PDF, JPEG หรือ PNG ไฟล์ละไม่เกิน {megabytes(settings.LETTER_FILE_MAX_BYTES)} เมกะไบต์ "
        f"รวมทั้งฉบับไม่เกิน {megabytes(settings.LETTER_TOTAL_MAX_BYTES)} เมกะไบต์"
    )


def check_scan(upload: UploadedFile) -> IncomingFile:
    """A scan, checked by what its bytes are (not by its name), read into an IncomingFile."""
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:255]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SCAN_EXTENSIONS:
        raise ValidationError(f"ไม่รับไฟล์ {name}: รับเฉพาะไฟล์ .pdf .jpg .jpeg หรือ .png", code="type")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(f"ไฟล์ {name} ว่างเปล่า", code="empty")
    if size > settings.LETTER_FILE_MAX_BYTES:
        raise ValidationError(
            f"ไฟล์ {name} มีขนาด {megabytes(size)} เมกะไบต์ เกินที่กำหนดไว้ไฟล์ละ "
            f"{megabytes(settings.LETTER_FILE_MAX_BYTES)} เมกะไบต์",
            code="size",
        )
    upload.seek(0)
    head = upload.read(8192)
    if not content_is(head, extension):
        raise ValidationError(
            f"เนื้อไฟล์ {name} ไม่ใช่ไฟล์ .{extension} ตามที่ชื่อไฟล์ระบุ กรุณาสแกนหรือบันทึกไฟล์ใหม่แล้วแนบอีกครั้ง",
            code="content",
        )
    upload.seek(0)
    content = upload.read()
    kind = {"pdf": "application/pdf", "png": "image/png"}.get(extension, "image/jpeg")
    return IncomingFile(name=name, content=content, content_type=kind)


def check_scans(uploads: Iterable[UploadedFile]) -> list[IncomingFile]:
    """Every scan checked (all refusals together), then the letter's total."""
    errors: list[ValidationError] = []
    checked: list[IncomingFile] = []
    for upload in uploads:
        try:
            checked.append(check_scan(upload))
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    total = sum(len(f.content) for f in checked)
    if total > settings.LETTER_TOTAL_MAX_BYTES:
        raise ValidationError(
            f"ไฟล์ทั้งหมดรวม {megabytes(total)} เมกะไบต์ เกินที่กำหนดไว้ฉบับละ "
            f"{megabytes(settings.LETTER_TOTAL_MAX_BYTES)} เมกะไบต์",
            code="total_size",
        )
    return checked
