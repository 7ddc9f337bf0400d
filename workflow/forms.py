"""Forms of the task screens (sign, review, decide, revise): input shape and Thai messages only.
Rules live in memos.services; the drafting forms are memos.forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from documents.thai import item_list, to_thai_digits
from memos.models import Ask, Ruling
from memos.services import DEFAULT_NOTE
from memos.wording import compose_decision


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
