"""Forms: input shape and Thai messages only. Rules live in memos.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from directory.models import Position
from documents.thai import item_list, to_thai_digits
from memos.models import Ask, ItemStyle, Ruling, Secrecy, Urgency
from memos.services import (
    DEFAULT_NOTE,
    MAX_PROPOSALS,
    MAX_ROUTE_STEPS,
    MAX_SECTIONS,
    SUBJECT_MAX_LENGTH,
    TOP_SECRET_REFUSAL,
    ProposalInput,
    SectionInput,
    subject_too_long,
)
from memos.wording import compose_decision


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


class SectionForm(forms.Form):
    heading = forms.CharField(label="หัวข้อ", max_length=200)
    intro = forms.CharField(label="ข้อความนำ", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    items = forms.CharField(
        label="ข้อย่อย (บรรทัดละหนึ่งข้อ; ขึ้นต้นด้วย “-” เป็นข้อย่อยขีด; ขึ้นต้นด้วยช่องว่างสองช่องเป็นข้อย่อยระดับที่สอง)",
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


class SignForm(forms.Form):
    action = forms.ChoiceField(choices=[("sign", "ลงนาม"), ("return", "ส่งคืนผู้ร่าง")])
    reason = forms.CharField(label="เหตุผลที่ส่งคืน", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("forward", "เสนอต่อ"), ("return", "ส่งคืนผู้ร่าง")])
    note = forms.CharField(
        label="ข้อความเกษียน", initial=DEFAULT_NOTE, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label="เหตุผลที่ส่งคืน", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    """The decider's choices, per proposal: the ruling and, if she wants, who is to act and the
    "ตามที่ … เสนอ" tail. The wording itself comes from memos.wording.compose_decision, on
    submit and in the page's preview (workflow.preview_views), never from the browser."""

    action = forms.ChoiceField(choices=[("decide", "สั่งการ"), ("return", "ส่งคืนผู้ร่าง")])
    # Typed once for every proposal ruled "ให้ดำเนินการ" whose own fields are blank: the usual
    # decision ("ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓ ตามที่ … เสนอ").
    order_actor = forms.CharField(
        label="ผู้ดำเนินการในข้อที่ให้ดำเนินการ (ถ้ามี) เช่น ทุกหน่วยงานและส่วนราชการ", required=False, max_length=300
    )
    order_tail = forms.CharField(
        label="ตามที่ (ผู้เสนอ) เสนอ ในข้อที่ให้ดำเนินการ (ถ้ามี) เช่น สพข. และ รป.กทม.", required=False, max_length=300
    )
    extra = forms.CharField(label="ข้อความสั่งการเพิ่มเติม", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="เหตุผลที่ส่งคืน", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, proposals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default_for = {Ask.APPROVE: Ruling.APPROVE, Ask.ORDER: Ruling.ORDER, Ask.ACKNOWLEDGE: Ruling.ACKNOWLEDGE}
        self.proposals = proposals
        self.proposal_numbers = [p.number for p in proposals]
        for p in proposals:
            n = to_thai_digits(p.number)
            self.fields[f"ruling_{p.number}"] = forms.ChoiceField(
                label=f"ผลการพิจารณาข้อ {n}",
                choices=Ruling.choices,
                initial=default_for.get(p.ask),
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"actor_{p.number}"] = forms.CharField(
                label=f"ผู้ดำเนินการในข้อ {n} (เมื่อให้ดำเนินการ)", required=False, max_length=300
            )
            self.fields[f"tail_{p.number}"] = forms.CharField(
                label=f"ตามที่ (ผู้เสนอ) เสนอ ในข้อ {n}", required=False, max_length=300
            )
            self.fields[f"note_{p.number}"] = forms.CharField(label="ข้อความเพิ่มเติม", required=False, max_length=500)

    def rows(self) -> list[dict[str, Any]]:
        """Each proposal's own box: its ruling, and its wording fields (open when in use)."""
        rows = []
        for p in self.proposals:
            row: dict[str, Any] = {"proposal": p, "ruling": self[f"ruling_{p.number}"]}
            for name in ("actor", "tail", "note"):
                row[name] = self[f"{name}_{p.number}"]
            row["open"] = any(row[name].value() or row[name].errors for name in ("actor", "tail", "note"))
            rows.append(row)
        return rows

    def _text(self, name: str) -> str:
        if not self.is_bound:
            return str(self.get_initial_for_field(self.fields[name], name) or "")
        # Whatever of the posted values is valid: the preview shows a half-made decision as far
        # as it goes (no action is posted with it, and a ruling may not be chosen yet).
        self.errors  # noqa: B018 - cleans the posted values, once
        return str(self.cleaned_data.get(name) or "")

    def _per_proposal(self, prefix: str) -> dict[int, str]:
        return {n: self._text(f"{prefix}_{n}") for n in self.proposal_numbers}

    def rulings(self) -> dict[int, str]:
        return self._per_proposal("ruling")

    def notes(self) -> dict[int, str]:
        return self._per_proposal("note")

    def decision_inputs(self) -> dict[str, Any]:
        """The keyword arguments of memos.services.memo_decide (and of compose_decision)."""
        return {
            "rulings": self.rulings(),
            "notes": self.notes(),
            "actors": self._per_proposal("actor"),
            "tails": self._per_proposal("tail"),
            "order_actor": self._text("order_actor"),
            "order_tail": self._text("order_tail"),
            "extra": self._text("extra"),
        }

    def preview_lines(self) -> list[str]:
        """The decision as it would be recorded with the choices made so far."""
        inputs = self.decision_inputs()
        rulings = inputs.pop("rulings")
        return compose_decision(sorted(rulings.items()), **inputs)

    def undecided(self) -> list[int]:
        return [n for n, ruling in self.rulings().items() if not ruling]

    def preview_html(self) -> SafeString:
        """The preview's content, the same on the page as first drawn and from the preview
        endpoint (workflow.preview_views), so the browser only puts it in place."""
        html = format_html_join("", "<div>- {}</div>", ((line,) for line in self.preview_lines()))
        if undecided := self.undecided():
            html += format_html('<div class="preview-missing">ยังไม่ได้พิจารณา{}</div>', item_list(undecided))
        return html


class ReviseForm(forms.Form):
    # The one thing the drafter does on this task: send the corrected memo again. (Without an
    # action field the task page drew no button, and a returned memo could not be resent.)
    action = forms.ChoiceField(choices=[("resubmit", "เสนอใหม่")])
    note = forms.CharField(
        label="ข้อความถึงผู้ลงนาม (ถ้ามี)", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="เหตุผลที่ถอนเรื่อง", widget=forms.Textarea(attrs={"rows": 3}))
