"""The register screen's filters and the import upload, in Thai, taking Buddhist-era dates
and Thai digits as the office types them."""

from __future__ import annotations

from typing import Any

from django import forms

from documents.thai_fields import ThaiDateField, ThaiIntegerField

from .imports import LIMITS_TEXT, MAX_BYTES
from .models import Series


class RegisterFilterForm(forms.Form):
    series = forms.ChoiceField(label="ทะเบียน", choices=Series.choices, required=False)
    date_from = ThaiDateField(label="ตั้งแต่วันที่", required=False)
    date_to = ThaiDateField(label="ถึงวันที่", required=False)
    q = forms.CharField(
        label="ค้นหา",
        required=False,
        max_length=200,
        help_text="เลขทะเบียน ที่ จาก ถึง หรือเรื่อง",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "เลขทะเบียน ที่ จาก ถึง หรือเรื่อง"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น")
        return data


class RegisterImportForm(forms.Form):
    series = forms.ChoiceField(label="ทะเบียน", choices=Series.choices)
    year = ThaiIntegerField(
        label="ปี พ.ศ.",
        min_value=2400,
        max_value=2800,
        error_messages={
            "min_value": "กรุณากรอกปีพุทธศักราช เช่น ๒๕๖๙",
            "max_value": "กรุณากรอกปีพุทธศักราช เช่น ๒๕๖๙",
        },
    )
    file = forms.FileField(
        label="ไฟล์ทะเบียน (XLSX หรือ CSV)",
        help_text=LIMITS_TEXT,
        error_messages={"required": "กรุณาเลือกไฟล์ทะเบียนที่จะนำเข้า", "empty": "ไฟล์ว่างเปล่า"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"ไฟล์ใหญ่เกินกำหนด รับได้ {LIMITS_TEXT}", code="too_big")
        return upload
