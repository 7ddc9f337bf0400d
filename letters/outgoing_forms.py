"""Forms of the outgoing letter screens: input shape and Thai messages only. Rules live in
letters.outgoing."""

from __future__ import annotations

from typing import Any

from django import forms

from directory.models import Position
from documents.thai import to_thai_digits

from .models import Agency, Secrecy, Urgency
from .outgoing import SUBJECT_MAX, TOP_SECRET_REFUSAL, OutgoingInput
from .outgoing_models import SendChannel

REVIEW_FIELDS = ("reviewer_1", "reviewer_2", "reviewer_3")


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.title} — {obj.unit.name}" if obj.title != obj.unit.name else obj.title


def _positions() -> Any:
    return Position.objects.filter(is_active=True).select_related("unit").order_by("sort_order")


class OutgoingForm(forms.Form):
    recipient_agency = forms.ModelChoiceField(
        label="ถึง (หน่วยงานในทะเบียน)",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label="— พิมพ์ชื่อผู้รับเองด้านล่าง —",
    )
    recipient_name = forms.CharField(label="ถึง (ชื่อหน่วยงานหรือบุคคล)", max_length=300, required=False)
    recipient_address = forms.CharField(
        label="ที่อยู่ผู้รับ (สำหรับส่งทางไปรษณีย์)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recipient_email = forms.EmailField(
        label="อีเมลผู้รับ (สำหรับส่งทางอีเมล)",
        required=False,
        error_messages={"invalid": "รูปแบบอีเมลไม่ถูกต้อง เช่น saraban@example.go.th"},
    )
    addressee = forms.CharField(label="เรียน", max_length=300)
    subject = forms.CharField(
        label=f"เรื่อง (ไม่เกิน {to_thai_digits(SUBJECT_MAX)} ตัวอักษร)",
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX}),
    )
    reference = forms.CharField(
        label="อ้างถึง (บรรทัดละหนึ่งรายการ)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    enclosures = forms.CharField(
        label="สิ่งที่ส่งมาด้วย (บรรทัดละหนึ่งรายการ)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(label="ข้อความ (แต่ละย่อหน้าเว้นหนึ่งบรรทัด)", widget=forms.Textarea(attrs={"rows": 10}))
    urgency = forms.TypedChoiceField(label="ชั้นความเร็ว", choices=Urgency.choices, coerce=int, initial=0)
    secrecy = forms.TypedChoiceField(label="ชั้นความลับ", choices=Secrecy.choices, coerce=int, initial=0)
    reviewer_1 = PositionChoiceField(label="ผู้ตรวจเสนอ ลำดับที่ ๑", queryset=_positions(), required=False)
    reviewer_2 = PositionChoiceField(label="ผู้ตรวจเสนอ ลำดับที่ ๒", queryset=_positions(), required=False)
    reviewer_3 = PositionChoiceField(label="ผู้ตรวจเสนอ ลำดับที่ ๓", queryset=_positions(), required=False)
    signing_position = PositionChoiceField(label="ตำแหน่งผู้ลงนาม", queryset=_positions())
    owner_unit_line = forms.CharField(label="ส่วนราชการเจ้าของเรื่อง (ท้ายหนังสือ)", max_length=300, required=False)
    phone = forms.CharField(label="โทร.", max_length=100, required=False)

    def clean_subject(self) -> str:
        subject = str(self.cleaned_data["subject"]).strip()
        if len(subject) > SUBJECT_MAX:
            raise forms.ValidationError(
                f"เรื่องยาวได้ไม่เกิน {to_thai_digits(SUBJECT_MAX)} ตัวอักษร (ขณะนี้ {to_thai_digits(len(subject))} ตัวอักษร)"
            )
        return subject

    def clean_secrecy(self) -> int:
        value = int(self.cleaned_data["secrecy"])
        if value == Secrecy.TOP_SECRET:
            raise forms.ValidationError(TOP_SECRET_REFUSAL)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("recipient_agency") or str(data.get("recipient_name") or "").strip()):
            self.add_error("recipient_name", "กรุณาเลือกหน่วยงานหรือพิมพ์ชื่อผู้รับ (ถึง)")
        return data

    def to_input(self) -> OutgoingInput:
        data = self.cleaned_data
        reviewers = tuple(data[name].pk for name in REVIEW_FIELDS if data.get(name) is not None)
        return OutgoingInput(
            subject=data["subject"],
            addressee=data["addressee"],
            body=data["body"],
            signing_position_id=data["signing_position"].pk,
            recipient_agency=data.get("recipient_agency"),
            recipient_name=data.get("recipient_name") or "",
            recipient_address=data.get("recipient_address") or "",
            recipient_email=data.get("recipient_email") or "",
            reference=data.get("reference") or "",
            enclosures=data.get("enclosures") or "",
            urgency=int(data["urgency"]),
            secrecy=int(data["secrecy"]),
            review_position_ids=reviewers,
            phone=data.get("phone") or "",
            owner_unit_line=data.get("owner_unit_line") or "",
        )


class NoteForm(forms.Form):
    note = forms.CharField(label="ข้อความ/ความเห็น", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    note = forms.CharField(
        label="เหตุผลที่ส่งคืน",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "กรุณาระบุเหตุผลที่ส่งคืน เพื่อให้ผู้ร่างแก้ไขได้ถูกต้อง"},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="เหตุผลที่ถอนเรื่อง",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "กรุณาระบุเหตุผลที่ถอนเรื่อง"},
    )


class SendForm(forms.Form):
    channel = forms.ChoiceField(
        label="ช่องทางการส่ง",
        choices=SendChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "กรุณาเลือกช่องทางการส่ง", "invalid_choice": "ช่องทางการส่งไม่ถูกต้อง"},
    )


class AttachForm(forms.Form):
    file = forms.FileField(label="ไฟล์สิ่งที่ส่งมาด้วย", error_messages={"required": "กรุณาเลือกไฟล์ที่จะแนบ"})
    title = forms.CharField(label="ชื่อเอกสาร", max_length=300, required=False)
