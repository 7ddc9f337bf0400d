"""The send, circular (ว) and receive registers of each unit, with gapless numbering.

The tables keep the memos_* names they had before this app was split out of memos/. An
entry may point at the memo it records (by name: registers sit below the domain apps and
import none of them).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Position, Unit


class Series(models.TextChoices):
    SEND = "send", _("ทะเบียนหนังสือส่ง")
    CIRCULAR = "circular", _("ทะเบียนหนังสือเวียน (ว)")
    RECEIVE = "receive", _("ทะเบียนหนังสือรับ")


class RegisterCounter(models.Model):
    """The last number issued in one series of one unit in one Buddhist-era year.

    Allocation locks this row, so numbers are consecutive and consumed only if the
    transaction that took them commits.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("ปี พ.ศ."))
    series = models.CharField(max_length=10, choices=Series.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "memos_registercounter"  # the table it had when it lived in memos/
        constraints = [models.UniqueConstraint(fields=["unit", "year", "series"], name="register_counter_unique")]


class RegisterEntry(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("ส่วนราชการ"), on_delete=models.PROTECT, related_name="register_entries"
    )
    year = models.PositiveIntegerField(_("ปี พ.ศ."))
    series = models.CharField(_("ทะเบียน"), max_length=10, choices=Series.choices)
    number = models.PositiveIntegerField(_("เลขทะเบียน"))
    registered_at = models.DateTimeField(_("วันเวลาที่ลงทะเบียน"))
    document_number = models.CharField(_("ที่"), max_length=64, blank=True)
    document_date = models.DateField(_("ลงวันที่"), null=True, blank=True)
    sender = models.CharField(_("จาก"), max_length=300)
    recipient = models.CharField(_("ถึง"), max_length=500)
    subject = models.CharField(_("เรื่อง"), max_length=500)
    action = models.CharField(_("การปฏิบัติ"), max_length=300, blank=True)
    remarks = models.CharField(_("หมายเหตุ"), max_length=300, blank=True)
    memo = models.ForeignKey(
        "memos.Memo", null=True, blank=True, on_delete=models.PROTECT, related_name="register_entries"
    )
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    void = models.BooleanField(_("ยกเลิกเลข"), default=False)
    void_reason = models.CharField(_("เหตุที่ยกเลิก"), max_length=300, blank=True)
    imported_in = models.ForeignKey(
        "RegisterImport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("นำเข้าจากไฟล์"),
    )

    class Meta:
        db_table = "memos_registerentry"  # the table it had when it lived in memos/
        verbose_name = _("รายการทะเบียน")
        verbose_name_plural = _("รายการทะเบียน")
        ordering = ["unit", "series", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "series", "number"], name="register_number_unique")
        ]


class RegisterImport(models.Model):
    """One upload of a unit's existing register (from paper or another system).

    Uploading makes a preview: the rows that would be created (`rows`, ready to write) and
    the rows refused with their Thai reasons (`refused`). Confirming writes the rows in one
    transaction and moves the counter past the highest imported number; a batch is
    confirmed once (a second click finds it done).
    """

    class State(models.TextChoices):
        PREVIEW = "preview", _("รอยืนยัน")
        DONE = "done", _("นำเข้าแล้ว")

    unit = models.ForeignKey(Unit, verbose_name=_("ส่วนราชการ"), on_delete=models.PROTECT, related_name="+")
    series = models.CharField(_("ทะเบียน"), max_length=10, choices=Series.choices)
    year = models.PositiveIntegerField(_("ปี พ.ศ."))
    filename = models.CharField(_("ชื่อไฟล์"), max_length=255)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(_("สถานะ"), max_length=10, choices=State.choices, default=State.PREVIEW)
    rows = models.JSONField(default=list)
    refused = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("อัปโหลดเมื่อ"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("ยืนยันเมื่อ"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("จำนวนรายการที่นำเข้า"), default=0)

    class Meta:
        verbose_name = _("การนำเข้าทะเบียน")
        verbose_name_plural = _("การนำเข้าทะเบียน")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_series_display()} {self.unit} {self.year}: {self.filename}"
