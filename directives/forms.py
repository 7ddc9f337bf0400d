"""Forms: input shape and Thai labels only; the rules live in directives.services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from directory.models import Position, RecipientGroup, Unit
from documents.thai_fields import ThaiDateField, ThaiDecimalField, ThaiIntegerField
from memos.models import Urgency

from .models import DeadlineRule
from .services import DirectiveInput, ReportInput


def _today() -> dt.date:
    return timezone.localdate()


def _in_two_years() -> dt.date:
    # A report deadline further away than this is a typing slip (9999-12-31 was accepted).
    return timezone.localdate() + dt.timedelta(days=730)


def _ten_years_ago() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=3653)


class DirectiveForm(forms.Form):
    subject = forms.CharField(label="เรื่อง", max_length=500)
    urgency = forms.TypedChoiceField(label="ชั้นความเร็ว", choices=Urgency.choices, coerce=int)
    decision_summary = forms.CharField(
        label="สรุปผลการพิจารณาสั่งการ", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    actions = forms.CharField(
        label="สิ่งที่หน่วยงานต้องดำเนินการ (บรรทัดละหนึ่งข้อ)", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    groups = forms.ModelMultipleChoiceField(
        label="เรียน (กลุ่มผู้รับ)",
        queryset=RecipientGroup.objects.order_by("sort_order", "name"),
        widget=forms.CheckboxSelectMultiple,
    )
    report_required = forms.BooleanField(label="ต้องรายงานผลการดำเนินการ", required=False)
    deadline_rule = forms.ChoiceField(
        label="กำหนดส่งรายงาน", choices=DeadlineRule.choices, widget=forms.RadioSelect, required=False
    )
    deadline_date = ThaiDateField(label="ส่งรายงานภายในวันที่", required=False, earliest=_today, latest=_in_two_years)
    deadline_days = ThaiIntegerField(
        label="ส่งรายงานภายใน (วัน) นับแต่วันที่ดำเนินการแล้วเสร็จ", min_value=1, max_value=365, required=False
    )
    contact_mailbox = forms.EmailField(label="ไปรษณีย์อิเล็กทรอนิกส์สำหรับส่งรายงาน/ติดต่อ", required=False)
    signing_position = forms.ModelChoiceField(label="ตำแหน่งผู้ลงนาม", queryset=Position.objects.none())
    body = forms.CharField(label="ข้อความ (แก้ไขได้ ข้อความนี้คือสิ่งที่พิมพ์ในหนังสือ)", widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signing_position"].queryset = Position.objects.filter(unit=unit, is_active=True)  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, data: DirectiveInput) -> dict[str, Any]:
        return {
            "subject": data.subject,
            "urgency": data.urgency,
            "decision_summary": data.decision_summary,
            "actions": "\n".join(data.actions),
            "groups": data.group_ids,
            "report_required": data.report_required,
            "deadline_rule": data.deadline_rule,
            "deadline_date": data.deadline_date,
            "deadline_days": data.deadline_days,
            "contact_mailbox": data.contact_mailbox,
            "signing_position": data.signing_position_id,
            "body": data.body,
        }

    def to_input(self) -> DirectiveInput:
        c = self.cleaned_data
        groups = sorted(c["groups"], key=lambda g: (g.sort_order, g.name))
        return DirectiveInput(
            subject=c["subject"],
            decision_summary=c["decision_summary"],
            actions=[line for line in c["actions"].splitlines() if line.strip()],
            group_ids=[g.pk for g in groups],
            signing_position_id=c["signing_position"].pk,
            body=c["body"],
            report_required=c["report_required"],
            deadline_rule=c["deadline_rule"] or DeadlineRule.AFTER_COMPLETION,
            deadline_date=c["deadline_date"],
            deadline_days=c["deadline_days"],
            contact_mailbox=c["contact_mailbox"],
            urgency=c["urgency"],
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="เหตุผล", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CompletionForm(forms.Form):
    completed_on = ThaiDateField(label="วันที่ดำเนินโครงการแล้วเสร็จ", earliest=_ten_years_ago, latest=_today)


class ReportForm(forms.Form):
    project_name = forms.CharField(label="ชื่อโครงการ", max_length=500)
    started_on = ThaiDateField(label="วันที่เริ่มโครงการ", earliest=_ten_years_ago, latest=_in_two_years)
    ended_on = ThaiDateField(label="วันที่สิ้นสุดโครงการ", earliest=_ten_years_ago, latest=_in_two_years)
    participants_executives = ThaiIntegerField(
        label="ผู้เข้าร่วม: ผู้บริหาร (คน)", min_value=0, max_value=1_000_000, initial=0
    )
    participants_officials = ThaiIntegerField(
        label="ผู้เข้าร่วม: ข้าราชการ (คน)", min_value=0, max_value=1_000_000, initial=0
    )
    participants_staff = ThaiIntegerField(
        label="ผู้เข้าร่วม: ลูกจ้างและบุคลากรอื่น (คน)", min_value=0, max_value=1_000_000, initial=0
    )
    budget_used = ThaiDecimalField(label="งบประมาณที่ใช้ (บาท)", min_value=0, max_digits=14, decimal_places=2)
    outcome = forms.CharField(label="ผลการดำเนินงาน", widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label="ไฟล์รายงาน (แบบ สพข. ๒)", required=False)

    def to_input(self) -> ReportInput:
        c = self.cleaned_data
        return ReportInput(
            project_name=c["project_name"],
            started_on=c["started_on"],
            ended_on=c["ended_on"],
            participants_executives=c["participants_executives"],
            participants_officials=c["participants_officials"],
            participants_staff=c["participants_staff"],
            budget_used=c["budget_used"],
            outcome=c["outcome"],
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "รับรายงาน"), ("return", "ส่งคืนแก้ไข")])
    reason = forms.CharField(label="เหตุผลที่ส่งคืน", widget=forms.Textarea(attrs={"rows": 3}), required=False)
