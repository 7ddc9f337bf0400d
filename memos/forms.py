"""Forms of the memo screens (drafting, attachments, withdrawal): input shape and Thai messages
only. Rules live in memos.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory

from directory.models import Position
from documents.thai import to_thai_digits

from .models import Ask, ItemStyle, Secrecy, Urgency
from .services import (
    MAX_PROPOSALS,
    MAX_ROUTE_STEPS,
    MAX_SECTIONS,
    SUBJECT_MAX_LENGTH,
    TOP_SECRET_REFUSAL,
    ProposalInput,
    SectionInput,
    subject_too_long,
)


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.title} — {obj.unit.name}" if obj.title != obj.unit.name else obj.title


def _positions() -> Any:
    return Position.objects.filter(is_active=True).select_related("unit").order_by("sort_order")


class MemoHeaderForm(forms.Form):
    subject = forms.CharField(
        label=f"เรื่อง (ไม่เกิน {to_thai_digits(SUBJECT_MAX_LENGTH)} ตัวอักษร)",
        # The browser stops typing at the limit; a longer paste is refused in clean_subject
        # with the count, in Thai (never cut silently).
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX_LENGTH}),
    )
    addressee = PositionChoiceField(label="เรียน", queryset=_positions())
    signing_position = PositionChoiceField(label="ตำแหน่งผู้ลงนาม", queryset=_positions())
    phone = forms.CharField(label="โทรศัพท์ (ส่วนราชการ)", max_length=255, required=False)
    urgency = forms.TypedChoiceField(label="ชั้นความเร็ว", choices=Urgency.choices, coerce=int, initial=0)
    secrecy = forms.TypedChoiceField(label="ชั้นความลับ", choices=Secrecy.choices, coerce=int, initial=0)
    authority = forms.CharField(
        label="ข้อความอ้างอำนาจ (ต่อท้ายประโยคปิด)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_subject(self) -> str:
        subject = str(self.cleaned_data["subject"]).strip()
        if len(subject) > SUBJECT_MAX_LENGTH:
            raise forms.ValidationError(subject_too_long(len(subject)))
        return subject

    def clean_secrecy(self) -> int:
        value = self.cleaned_data["secrecy"]
        if value == Secrecy.TOP_SECRET:
            raise forms.ValidationError(TOP_SECRET_REFUSAL)
        return int(value)


# How the items box writes an unnumbered paragraph between numbered items (the seed's
# ข้อเท็จจริง has one after its four strategies); the edit page writes it back the same way.
PARAGRAPH_MARK = "> "


class SectionForm(forms.Form):
    heading = forms.CharField(label="หัวข้อ", max_length=200)
    intro = forms.CharField(label="ข้อความนำ", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    items = forms.CharField(
        label="ข้อย่อย (บรรทัดละหนึ่งข้อ; ขึ้นต้นด้วย “-” เป็นข้อย่อยขีด; ขึ้นต้นด้วย “>” เป็นย่อหน้าไม่มีเลขข้อ; "
        "ขึ้นต้นด้วยช่องว่างสองช่องเป็นข้อย่อยระดับที่สอง)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def to_input(self) -> SectionInput:
        items: list[tuple[int, str, str]] = []
        for raw in self.cleaned_data.get("items", "").splitlines():
            if not raw.strip():
                continue
            level = 1 if raw.startswith("  ") else 0
            text = raw.strip()
            if text.startswith("- "):
                items.append((level, ItemStyle.BULLET, text[2:].strip()))
            elif text.startswith(PARAGRAPH_MARK):
                items.append((level, ItemStyle.PARAGRAPH, text[len(PARAGRAPH_MARK) :].strip()))
            else:
                items.append((level, ItemStyle.NUMBERED, text))
        return SectionInput(self.cleaned_data["heading"], self.cleaned_data.get("intro", ""), items)


class ProposalForm(forms.Form):
    text = forms.CharField(label="ข้อเสนอ", widget=forms.Textarea(attrs={"rows": 3}))
    ask = forms.ChoiceField(label="ขอให้", choices=Ask.choices, initial=Ask.APPROVE)

    def to_input(self) -> ProposalInput:
        return ProposalInput(self.cleaned_data["text"], self.cleaned_data["ask"])


class RouteStepForm(forms.Form):
    position = PositionChoiceField(label="ตำแหน่ง", queryset=_positions())


def _formset(form: Any, most: int, **options: Any) -> Any:
    """A formset of at most `most` rows, with Thai messages. absolute_max: a forged
    TOTAL_FORMS (999999) builds at most `most` forms, then fails, instead of a million."""

    class Rows(BaseFormSet):  # type: ignore[type-arg]
        default_error_messages = {
            "missing_management_form": "ข้อมูลของแบบฟอร์มไม่ครบ กรุณาโหลดหน้านี้ใหม่แล้วลองอีกครั้ง",
            "too_many_forms": f"มีได้ไม่เกิน {to_thai_digits(most)} รายการ",
            "too_few_forms": "กรุณากรอกอย่างน้อยหนึ่งรายการ",
        }

    return formset_factory(
        form,
        formset=Rows,
        extra=0,
        min_num=1,
        max_num=most,
        absolute_max=most,
        validate_max=True,
        can_delete=True,
        can_order=True,
        **options,
    )


SectionFormSet = _formset(SectionForm, MAX_SECTIONS)
ProposalFormSet = _formset(ProposalForm, MAX_PROPOSALS, validate_min=True)
RouteFormSet = _formset(RouteStepForm, MAX_ROUTE_STEPS, validate_min=True)


def ordered(formset: Any) -> list[Any]:
    """Live forms in the order the user gave them (ORDER field), deleted ones dropped."""
    return list(formset.ordered_forms)


class AttachmentForm(forms.Form):
    title = forms.CharField(label="ชื่อเอกสาร", max_length=300, required=False)
    file = forms.FileField(label="ไฟล์")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="เหตุผลที่ถอนเรื่อง", widget=forms.Textarea(attrs={"rows": 3}))
