"""The receiving office's clerk books a memo in (เลขรับ, date, time) and passes it on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from documents.thai import to_thai_digits
from documents.thai_fields import ThaiDateField
from memos import services
from memos.models import Memo

from .views import _TaskView


class BookInForm(forms.Form):
    action = forms.ChoiceField(choices=[("book_in", "ลงทะเบียนรับและส่งต่อ")])
    received_on = ThaiDateField(
        label="วันที่รับ (เว้นว่างไว้ = วันนี้)",
        required=False,
        help_text="กรอกเมื่อรับฉบับกระดาษมาก่อนหน้านี้ เช่น 10/01/2569",
    )
    received_time = forms.TimeField(
        label="เวลาที่รับ (เว้นว่างไว้ = เวลานี้)",
        required=False,
        input_formats=["%H.%M", "%H:%M"],
        widget=forms.TextInput(attrs={"placeholder": "เช่น 09.30", "inputmode": "decimal"}),
        error_messages={"invalid": "กรุณากรอกเวลาเป็น ชช.นน เช่น 09.30"},
    )
    note = forms.CharField(
        label="ข้อความถึงผู้รับ (ถ้ามี)", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def received_at(self) -> dt.datetime | None:
        """The moment the clerk records, in Bangkok time; None for "now"."""
        day, time = self.cleaned_data.get("received_on"), self.cleaned_data.get("received_time")
        if day is None and time is None:
            return None
        local_now = timezone.localtime()
        moment = dt.datetime.combine(day or local_now.date(), time or local_now.time().replace(microsecond=0))
        return timezone.make_aware(moment)


class BookInTaskView(_TaskView):
    form_class = BookInForm
    title = "ลงทะเบียนรับ"
    template_name = "memos/task_book_in.html"

    def act(self, request: Any, memo: Memo, form: Any) -> str:
        try:
            entry = services.memo_book_in(
                memo=memo, user=request.user, received_at=form.received_at(), note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "received_at" in exc.error_dict:
                raise ValidationError({"received_on": exc.error_dict["received_at"]}) from exc
            raise
        to = f"ส่งต่อ{entry.position.title}แล้ว" if entry.position else "ส่งต่อแล้ว"
        return f"ลงทะเบียนรับแล้ว เลขรับ {to_thai_digits(entry.number)} {to}"
