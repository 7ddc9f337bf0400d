"""Query filters (django-filter) for the list endpoints."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from directives.models import Directive, DirectiveState
from directory.models import Position, Unit, UnitKind
from memos.models import Memo, MemoState

BE_OFFSET = 543
MAX_ID = 2**31 - 1


class MemoFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=MemoState.choices, help_text="สถานะ")
    year = django_filters.NumberFilter(
        method="filter_year", min_value=2500, max_value=3000, help_text="ปี พ.ศ. ที่สร้างเรื่อง เช่น 2569"
    )
    unit = django_filters.NumberFilter(
        field_name="unit_id", min_value=1, max_value=MAX_ID, help_text="รหัสส่วนราชการเจ้าของเรื่อง"
    )

    class Meta:
        model = Memo
        fields = ["state", "year", "unit"]

    def filter_year(self, queryset: QuerySet[Memo], name: str, value: int) -> QuerySet[Memo]:
        return queryset.filter(created_at__year=int(value) - BE_OFFSET)


class CircularFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=DirectiveState.choices, help_text="สถานะ")

    class Meta:
        model = Directive
        fields = ["state"]


class UnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, help_text="ประเภทส่วนราชการ")
    q = django_filters.CharFilter(method="filter_q", max_length=200, help_text="ค้นจากชื่อหรือชื่อย่อ")

    class Meta:
        model = Unit
        fields = ["kind", "q"]

    def filter_q(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class PositionFilter(django_filters.FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id", min_value=1, max_value=MAX_ID, help_text="รหัสส่วนราชการ")
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", max_length=200, help_text="ค้นจากชื่อตำแหน่ง"
    )

    class Meta:
        model = Position
        fields = ["unit", "q"]
