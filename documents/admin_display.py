"""Admin list columns as an official reads them: dates with Buddhist-era years, people by their
Thai names. A ModelAdmin that mixes this in keeps its list_display as field names; the mixin
swaps each date/datetime field and each user field for a column that formats it (sortable by
the same field), and joins the users' officials in the list's one query."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest

from .display import be_format, display_name


def _is_user_field(field: Any) -> bool:
    if not (field.many_to_one or field.one_to_one) or field.related_model is None:
        return False
    return bool(field.related_model._meta.label == settings.AUTH_USER_MODEL)


class ThaiColumnsMixin:
    model: Any

    def _thai_column(self, name: Any) -> Any:
        if not isinstance(name, str):
            return name
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return name  # a method or attribute of the admin: it formats itself
        column: Callable[[Any], str]
        if isinstance(field, models.DateField):  # DateTimeField too

            def column(obj: Any) -> str:
                return be_format(getattr(obj, name))

        elif _is_user_field(field):

            def column(obj: Any) -> str:
                return display_name(getattr(obj, name))

        else:
            return name
        return admin.display(description=field.verbose_name, ordering=name)(column)

    def _user_fields(self, request: HttpRequest) -> list[str]:
        names = super().get_list_display(request)  # type: ignore[misc]
        fields = []
        for name in names:
            try:
                field = self.model._meta.get_field(name) if isinstance(name, str) else None
            except FieldDoesNotExist:
                continue
            if field is not None and _is_user_field(field):
                fields.append(name)
        return fields

    # A read-only change page draws each field through Django's own formatting; a read-only
    # admin lists these names instead (see thai_readonly_fields), which resolve below.
    THAI_FIELD = "thai__"

    def __getattr__(self, name: str) -> Any:
        if name.startswith(self.THAI_FIELD):
            return self._thai_column(name[len(self.THAI_FIELD) :])
        raise AttributeError(name)

    def thai_readonly_fields(self, names: Sequence[Any]) -> list[Any]:
        """For a page where every field is read-only: dates and people as in the list."""
        return [f"{self.THAI_FIELD}{name}" if self._thai_column(name) is not name else name for name in names]

    def get_list_display(self, request: HttpRequest) -> Sequence[Any]:
        return [self._thai_column(name) for name in super().get_list_display(request)]  # type: ignore[misc]

    def get_list_select_related(self, request: HttpRequest) -> Any:
        selected = super().get_list_select_related(request)  # type: ignore[misc]
        users = [f"{name}__official" for name in self._user_fields(request)]
        if not users or selected is True:
            return selected
        if selected is False:
            # What Django would join by itself for the field columns, now that they are ours.
            names = super().get_list_display(request)  # type: ignore[misc]
            selected = []
            for name in names:
                try:
                    field = self.model._meta.get_field(name) if isinstance(name, str) else None
                except FieldDoesNotExist:
                    continue
                if field is not None and (field.many_to_one or field.one_to_one):
                    selected.append(name)
        return [*selected, *users]
