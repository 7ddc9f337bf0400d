"""Forms of the received-letter screens: input shape and Thai messages only. Rules live in
letters.services."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from directory.models import Position, Unit
from documents.thai_fields import ThaiDateField

from .models import Agency, Secrecy, Urgency
from .services import IncomingFile, LetterFacts
from .uploads import check_scans, limits_text


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


def _latest_date() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def _earliest_date() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=365 * 20)


class BookInForm(forms.Form):
    sender_agency = AgencyChoiceField(
        label="จาก (หน่วยงานในทะเบียน)",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label="— เลือก หรือพิมพ์ชื่อในช่องถัดไป —",
    )
    sender_name = forms.CharField(label="จาก (พิมพ์ชื่อหน่วยงาน หากไม่มีในรายการ)", max_length=300, required=False)
    their_number = forms.CharField(label="ที่ (เลขที่หนังสือของผู้ส่ง)", max_length=64, required=False)
    their_date = ThaiDateField(
        label="ลงวันที่",
        required=False,
        earliest=_earliest_date,
        latest=_latest_date,
        help_text="เช่น ๒ ธ.ค. ๒๕๖๙ หรือ 2/12/2569 (ปีพุทธศักราช)",
    )
    subject = forms.CharField(label="เรื่อง", max_length=500)
    addressee = forms.CharField(label="เรียน", max_length=300, required=False)
    urgency = forms.TypedChoiceField(label="ชั้นความเร็ว", choices=Urgency.choices, coerce=int, initial=0)
    secrecy = forms.TypedChoiceField(label="ชั้นความลับ", choices=Secrecy.choices, coerce=int, initial=0)
    enclosures = forms.CharField(label="สิ่งที่ส่งมาด้วย", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    remarks = forms.CharField(label="หมายเหตุ", max_length=300, required=False)
    scans = MultipleFileField(label="ไฟล์สแกนหนังสือ", required=False)
    # One per form shown: the same form sent twice (a double click) books once.
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, files_required: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("form_token", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.files_required = files_required
        self.fields["scans"].help_text = limits_text()
        self.fields["scans"].widget.attrs.update(
            {"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        )
        self.fields["subject"].error_messages["required"] = "กรุณาระบุเรื่อง"

    def clean_scans(self) -> list[IncomingFile]:
        uploads = self.cleaned_data.get("scans") or []
        if not uploads and self.files_required:
            raise forms.ValidationError("กรุณาแนบไฟล์สแกนของหนังสืออย่างน้อยหนึ่งไฟล์", code="required")
        return check_scans(uploads)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("sender_agency") and not (data.get("sender_name") or "").strip():
            self.add_error("sender_name", "กรุณาระบุหน่วยงานผู้ส่ง (เลือกจากรายการหรือพิมพ์ชื่อ)")
        return data

    def facts(self) -> LetterFacts:
        data = self.cleaned_data
        return LetterFacts(
            sender_agency=data.get("sender_agency"),
            sender_name=(data.get("sender_name") or "").strip(),
            their_number=data.get("their_number") or "",
            their_date=data.get("their_date"),
            subject=data["subject"],
            addressee=data.get("addressee") or "",
            urgency=data.get("urgency") or 0,
            secrecy=data.get("secrecy") or 0,
            enclosures=data.get("enclosures") or "",
            remarks=data.get("remarks") or "",
        )

    @staticmethod
    def initial_from(letter: Any) -> dict[str, Any]:
        return {
            "sender_agency": letter.sender_agency_id,
            "sender_name": "" if letter.sender_agency_id else letter.sender_name,
            "their_number": letter.their_number,
            "their_date": letter.their_date,
            "subject": letter.subject,
            "addressee": letter.addressee,
            "urgency": letter.urgency,
            "secrecy": letter.secrecy,
            "enclosures": letter.enclosures,
            "remarks": letter.remarks,
        }


class SeenForm(forms.Form):
    seen = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RejectForm(SeenForm):
    reason = forms.CharField(label="เหตุผลที่ไม่รับ", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.title} — {obj.unit.name}" if obj.title != obj.unit.name else obj.title


class RouteForm(SeenForm):
    to_unit = forms.ModelChoiceField(
        label="ส่งถึงส่วนราชการ",
        queryset=Unit.objects.filter(is_active=True).order_by("sort_order", "name"),
        required=False,
        empty_label="— ไม่เลือก —",
    )
    to_position = PositionChoiceField(
        label="หรือส่งถึงตำแหน่ง",
        queryset=Position.objects.filter(is_active=True).select_related("unit").order_by("sort_order", "pk"),
        required=False,
        empty_label="— ไม่เลือก —",
    )
    note = forms.CharField(label="เกษียนสั่งการ", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("to_unit")) == bool(data.get("to_position")):
            raise forms.ValidationError("กรุณาเลือกส่งถึงส่วนราชการหรือตำแหน่งอย่างใดอย่างหนึ่ง")
        return data


class NoteForm(SeenForm):
    note = forms.CharField(label="ข้อความ", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
