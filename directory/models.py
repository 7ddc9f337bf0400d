"""The organisation directory: units, posts, officials and who stands in which post when.

Moved out of memos/ without touching the tables (each keeps its memos_* name), so every
domain app can share it and memos, directives and letters stay independent of each other.
"""

from __future__ import annotations

from typing import Any

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def history(model_name: str, verbose_name: str) -> Any:
    """Track every insert, change and delete of a directory row in an append-only history
    table (django-pghistory: PostgreSQL triggers, so a change made at the SQL prompt is
    recorded too; the admin adds who made it). On SQLite the tables exist but stay empty."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=model_name,
        append_only=True,
        meta={"verbose_name": verbose_name, "verbose_name_plural": verbose_name, "ordering": ["-pgh_id"]},
    )


class UnitKind(models.TextChoices):
    ORGANISATION = "organisation", _("องค์กร")
    EXECUTIVE = "executive", _("สำนักงานผู้บริหาร")
    SECRETARIAT = "secretariat", _("สำนักงานเลขานุการ")
    DEPARTMENT = "department", _("สำนัก")
    OFFICE = "office", _("สำนักงาน/กอง")
    INSTITUTE = "institute", _("สถาบัน")
    DIVISION = "division", _("ส่วน/ฝ่าย")
    DISTRICT = "district", _("สำนักงานเขต")
    ENTERPRISE = "enterprise", _("หน่วยงานพาณิชย์")


@history("UnitHistory", "ประวัติการแก้ไขส่วนราชการ")
class Unit(models.Model):
    """A ส่วนราชการ: anything that keeps registers, sends and receives memos."""

    key = models.SlugField(_("รหัสอ้างอิง"), max_length=80, unique=True)
    name = models.CharField(_("ชื่อส่วนราชการ"), max_length=255)
    short_name = models.CharField(_("ชื่อย่อ"), max_length=64, blank=True)
    doc_code = models.CharField(
        _("รหัสหนังสือ"),
        max_length=32,
        blank=True,
        help_text=_("ส่วนหน้าของเลขที่หนังสือ เช่น กท ๐๔๐๑ ต้องกำหนดก่อนออกเลขหนังสือ"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("สังกัด"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("ประเภท"), max_length=20, choices=UnitKind.choices)
    phone = models.CharField(_("โทรศัพท์"), max_length=255, blank=True)
    mailbox = models.EmailField(_("ไปรษณีย์อิเล็กทรอนิกส์ทางราชการ"), blank=True)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    sort_order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    books_in_by_hand = models.BooleanField(
        _("เจ้าหน้าที่สารบรรณลงทะเบียนรับเอง"),
        default=False,
        help_text=_(
            "เลือกไว้: หนังสือที่ส่งถึงตำแหน่งในหน่วยงานนี้รออยู่ในคิว “รอลงรับ” จนเจ้าหน้าที่สารบรรณลงทะเบียนรับ "
            "แล้วส่งต่อผู้รับ ไม่เลือก: ระบบลงทะเบียนรับให้ทันทีที่หนังสือมาถึง"
        ),
    )

    class Meta:
        db_table = "memos_unit"  # the table it had when it lived in memos/
        verbose_name = _("ส่วนราชการ")
        verbose_name_plural = _("ส่วนราชการ")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


@history("PositionHistory", "ประวัติการแก้ไขตำแหน่ง")
class Position(models.Model):
    """A post (ตำแหน่ง). Memos are routed to posts, never to people: people come and go."""

    key = models.SlugField(_("รหัสอ้างอิง"), max_length=80, unique=True)
    title = models.CharField(_("ชื่อตำแหน่ง"), max_length=255)
    unit = models.ForeignKey(Unit, verbose_name=_("ส่วนราชการ"), on_delete=models.PROTECT, related_name="positions")
    address_as = models.CharField(
        _("คำเรียกหลัง “เรียน”"),
        max_length=255,
        blank=True,
        help_text=_("เว้นว่างไว้เพื่อใช้ชื่อตำแหน่ง"),
    )
    receiving_unit = models.ForeignKey(
        Unit,
        verbose_name=_("หน่วยรับหนังสือ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("สำนักงานที่ลงทะเบียนรับหนังสือแทนตำแหน่งนี้ เว้นว่างไว้เพื่อใช้ส่วนราชการของตำแหน่ง"),
    )
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    sort_order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    class Meta:
        db_table = "memos_position"  # the table it had when it lived in memos/
        verbose_name = _("ตำแหน่ง")
        verbose_name_plural = _("ตำแหน่ง")
        ordering = ["sort_order", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def addressee(self) -> str:
        return self.address_as or self.title

    @property
    def registering_unit(self) -> Unit:
        return self.receiving_unit or self.unit


class Prefix(models.TextChoices):
    MR = "นาย", "นาย"
    MRS = "นาง", "นาง"
    MISS = "นางสาว", "นางสาว"


@history("OfficialHistory", "ประวัติการแก้ไขข้อมูลบุคลากร")
class Official(models.Model):
    """A person in the service, tied to one login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("บัญชีผู้ใช้"),
        on_delete=models.PROTECT,
        related_name="official",
    )
    prefix = models.CharField(_("คำนำหน้า"), max_length=16, choices=Prefix.choices)
    first_name = models.CharField(_("ชื่อ"), max_length=100)
    last_name = models.CharField(_("นามสกุล"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("สังกัด"),
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("หน่วยงานที่ปฏิบัติงานอยู่ ใช้กำหนดสิทธิ์เห็นหนังสือของหน่วยงาน"),
    )
    is_clerk = models.BooleanField(
        _("เจ้าหน้าที่สารบรรณ"),
        default=False,
        help_text=_("ลงทะเบียนรับ-ส่ง และเห็นงานในคิวของหน่วยงาน"),
    )

    class Meta:
        db_table = "memos_official"  # the table it had when it lived in memos/
        verbose_name = _("ข้าราชการ/เจ้าหน้าที่")
        verbose_name_plural = _("ข้าราชการ/เจ้าหน้าที่")
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.prefix}{self.first_name} {self.last_name}"


class Capacity(models.TextChoices):
    """How someone stands in a post. The wording is what goes on the signature line."""

    HOLDER = "holder", _("ดำรงตำแหน่ง")
    ACTING_IN_POST = "acting_in_post", _("รักษาการในตำแหน่ง")
    ACTING_FOR = "acting_for", _("รักษาราชการแทน")
    DELEGATED = "delegated", _("ปฏิบัติราชการแทน")


# The words printed between the signer's own position and the post acted for.
CAPACITY_WORDING = {
    Capacity.ACTING_IN_POST: "รักษาการในตำแหน่ง",
    Capacity.ACTING_FOR: "รักษาราชการแทน",
    Capacity.DELEGATED: "ปฏิบัติราชการแทน",
}


@history("AppointmentHistory", "ประวัติการแต่งตั้งและรักษาการ")
class Appointment(models.Model):
    """Official O stands in post P, in some capacity, from one date to another (inclusive).

    Created through directory.services.appointment_create, which refuses overlaps: a post has at
    most one person answering for it on any day, so "who acts for P on D" has one answer.
    """

    official = models.ForeignKey(
        Official, verbose_name=_("ผู้ดำรงตำแหน่ง"), on_delete=models.PROTECT, related_name="appointments"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("ตำแหน่ง"), on_delete=models.PROTECT, related_name="appointments"
    )
    capacity = models.CharField(_("ฐานะ"), max_length=20, choices=Capacity.choices)
    valid_from = models.DateField(_("ตั้งแต่วันที่"))
    valid_until = models.DateField(_("ถึงวันที่"), null=True, blank=True)
    order_reference = models.CharField(_("คำสั่งแต่งตั้ง"), max_length=255, blank=True)

    class Meta:
        db_table = "memos_appointment"  # the table it had when it lived in memos/
        verbose_name = _("การแต่งตั้ง")
        verbose_name_plural = _("การแต่งตั้ง")
        ordering = ["position", "-valid_from"]
        indexes = [models.Index(fields=["position", "valid_from"]), models.Index(fields=["official", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="appointment_period_ordered",
                violation_error_message=_("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.get_capacity_display()} {self.position}"

    def clean(self) -> None:
        # The admin goes through model validation; the same rule as the service.
        from .services import appointment_overlap_error

        if self.position_id and self.valid_from:
            error = appointment_overlap_error(
                position_id=self.position_id,
                valid_from=self.valid_from,
                valid_until=self.valid_until,
                exclude_id=self.pk,
            )
            if error:
                from django.core.exceptions import ValidationError

                raise ValidationError(error)


class RecipientGroup(models.Model):
    """A name used in addressing that stands for many posts ("ผู้อำนวยการเขต")."""

    key = models.SlugField(_("รหัสอ้างอิง"), max_length=80, unique=True)
    name = models.CharField(_("ชื่อกลุ่ม"), max_length=255)
    positions = models.ManyToManyField(Position, verbose_name=_("ตำแหน่ง"), related_name="groups")
    sort_order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    class Meta:
        db_table = "memos_recipientgroup"  # the table it had when it lived in memos/
        verbose_name = _("กลุ่มผู้รับ")
        verbose_name_plural = _("กลุ่มผู้รับ")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name
