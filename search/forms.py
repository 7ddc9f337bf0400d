"""The search form, shared by the results page and the API: what a person may type, checked
and answered in Thai (a bad year or unit is a message, never a 500)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from documents.thai import be_year, to_arabic_digits

from .selectors import SearchQuery
from .sources import SOURCES

MAX_QUERY = 200


def _int_or_none(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


class SearchForm(forms.Form):
    q = forms.CharField(label="ค้นหา", required=False, max_length=MAX_QUERY, strip=True)
    kind = forms.ChoiceField(label="ประเภท", required=False)
    year = forms.CharField(label="ปี พ.ศ.", required=False, max_length=8)
    unit = forms.CharField(label="หน่วยงาน", required=False, max_length=20)
    state = forms.ChoiceField(label="สถานะ", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field: Any = self.fields["kind"]
        kind_field.choices = [("", "ทุกประเภท"), *[(k, s.label) for k, s in SOURCES.items()]]
        states: dict[str, str] = {}
        for src in SOURCES.values():
            for value, label in src.states:
                states.setdefault(value, label)
        state_field: Any = self.fields["state"]
        state_field.choices = [("", "ทุกสถานะ"), *states.items()]
        self.fields["kind"].error_messages["invalid_choice"] = "ประเภทเอกสารไม่ถูกต้อง"
        self.fields["state"].error_messages["invalid_choice"] = "สถานะไม่ถูกต้อง"
        self.fields["q"].error_messages["max_length"] = f"คำค้นยาวได้ไม่เกิน {MAX_QUERY} ตัวอักษร"

    def clean_year(self) -> int | None:
        raw = to_arabic_digits(self.cleaned_data.get("year") or "").strip()
        if not raw:
            return None
        if not raw.isdigit() or not 2400 <= int(raw) <= be_year(timezone.localdate()) + 1:
            raise forms.ValidationError("ปี พ.ศ. ไม่ถูกต้อง เช่น ๒๕๖๙")
        return int(raw)

    def clean_unit(self) -> int | None:
        raw = to_arabic_digits(self.cleaned_data.get("unit") or "").strip()
        if not raw:
            return None
        if not raw.isdigit() or int(raw) > 2**62:
            raise forms.ValidationError("หน่วยงานไม่ถูกต้อง")
        return int(raw)

    def query(self) -> SearchQuery:
        data = self.cleaned_data
        return SearchQuery(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            year=_int_or_none(data.get("year")),
            unit=_int_or_none(data.get("unit")),
            state=data.get("state") or "",
        )
