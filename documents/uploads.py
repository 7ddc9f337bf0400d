"""One check for every uploaded file: allowed type, size, and content that is what its name
says. An .exe renamed .pdf is refused: the first bytes are read (puremagic) and must belong
to the family of the declared extension; a browser-declared type that contradicts the
extension is refused too. Stored names are random (see `stored_name`); the original name is
kept beside the file as metadata, never as a path."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from .thai import to_thai_digits

# What the first bytes may be identified as, per declared extension. puremagic names every
# ZIP container after the Office formats, so the ZIP-based formats share one family.
_ZIP = frozenset({".docx", ".xlsx", ".pptx", ".zip", ".odt", ".ods", ".odp", ".docm", ".xlsm", ".xltx", ".xlsb"})
_OLE = frozenset({".doc", ".xls", ".ppt", ".msi", ".msg", ".vsd", ".spo", ".opt", ".rvt"})
FAMILIES: dict[str, frozenset[str]] = {
    "pdf": frozenset({".pdf"}),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "doc": _OLE,
    "xls": _OLE,
    "jpg": frozenset({".jpg", ".jpeg", ".jfif", ".jpe"}),
    "jpeg": frozenset({".jpg", ".jpeg", ".jfif", ".jpe"}),
    "png": frozenset({".png"}),
}
# Declared types that say nothing (browsers send these for anything they do not know).
_VAGUE_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
_DECLARED_PREFIX = {
    "pdf": ("application/pdf", "application/x-pdf"),
    "jpg": ("image/jpeg", "image/pjpeg"),
    "jpeg": ("image/jpeg", "image/pjpeg"),
    "png": ("image/png",),
}
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # as the user's computer called it: shown and used on download, never a path
    extension: str
    size: int
    content_type: str


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _identified(head: bytes) -> set[str]:
    try:
        return {match.extension.lower() for match in puremagic.magic_string(head)}
    except puremagic.PureError:
        return set()


def content_is(head: bytes, extension: str) -> bool:
    """Whether the first bytes of a file belong to the family of `extension` (see FAMILIES);
    a type with no family here is not checked. Every upload and received file asks this."""
    family = FAMILIES.get(extension.lower())
    return family is None or bool(_identified(head[:HEAD_BYTES]) & family)


def upload_check(upload: UploadedFile) -> CheckedUpload:
    """The upload, checked; or a ValidationError in Thai whose code says why
    (type / size / empty / content)."""
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:255]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = [e.lower() for e in settings.ATTACHMENT_EXTENSIONS]
    if extension not in allowed:
        raise _refuse(f"ไม่รับไฟล์ประเภท .{extension or '?'} รับเฉพาะ {', '.join('.' + e for e in allowed)}", "type")
    size = upload.size or 0
    if size > settings.ATTACHMENT_MAX_BYTES:
        limit_mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise _refuse(f"ไฟล์ {name} มีขนาดเกิน {to_thai_digits(limit_mb)} เมกะไบต์", "size")
    if size == 0:
        raise _refuse(f"ไฟล์ {name} ว่างเปล่า", "empty")
    if not content_is(_head(upload), extension):
        raise _refuse(
            f"เนื้อไฟล์ {name} ไม่ใช่ไฟล์ .{extension} ตามที่ชื่อไฟล์ระบุ "
            f"กรุณาตรวจสอบว่าแนบไฟล์ถูกต้อง หรือบันทึกไฟล์ใหม่เป็น .{extension} แล้วแนบอีกครั้ง",
            "content",
        )
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    expected = _DECLARED_PREFIX.get(extension)
    if expected and declared not in _VAGUE_TYPES and declared not in expected:
        raise _refuse(f"ชนิดไฟล์ที่ส่งมา ({declared}) ไม่ตรงกับนามสกุล .{extension} ของไฟล์ {name}", "content")
    return CheckedUpload(name=name, extension=extension, size=size, content_type=declared)


def stored_name(folder: str, original: str) -> str:
    """A random storage path under `folder`: nothing about the file (its name, its memo's
    subject) can be guessed from it. The extension stays, for the content type on download."""
    extension = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    suffix = f".{extension}" if extension.isalnum() and len(extension) <= 5 else ""
    return f"{folder}/{uuid.uuid4().hex}{suffix}"
