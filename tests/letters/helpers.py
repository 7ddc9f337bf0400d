"""Shared bits of the received-letter screen tests."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def scan(name: str = "scan.pdf", content: bytes = PDF, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def book_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sender_name": "สำนักงาน ก.พ.",
        "their_number": "นร ๑๐๐๘/ว ๑๒",
        "their_date": "๒๐ พ.ย. ๒๕๖๙",
        "subject": "การประเมินผลการปฏิบัติราชการ",
        "addressee": "ปลัดกรุงเทพมหานคร",
        "urgency": "0",
        "secrecy": "0",
        "enclosures": "",
        "remarks": "",
        "form_token": "",
    }
    data.update(overrides)
    return data
