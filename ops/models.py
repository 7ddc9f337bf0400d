from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayOff(models.Model):
    """A day off that the `holidays` package cannot know: a special holiday the cabinet
    announces during the year, a provincial or organisation's own day off. Entered by an
    administrator; the Thai public holidays themselves come from the package."""

    date = models.DateField(_("วันที่"), unique=True)
    name = models.CharField(_("ชื่อวันหยุด"), max_length=200)
    note = models.CharField(_("หมายเหตุ"), max_length=300, blank=True, help_text=_("เช่น ที่มาของประกาศ"))

    class Meta:
        verbose_name = _("วันหยุดเพิ่มเติม")
        verbose_name_plural = _("วันหยุดเพิ่มเติม")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
