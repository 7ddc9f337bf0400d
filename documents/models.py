"""Stored versions of the official documents.

A row is written, pending, in the same transaction as the memo event that changed the
paper; a Celery task then builds the .docx and stores it through Django's default storage
(so S3-compatible storage works by configuration). The row is the outbox entry and, once
done, the version people download. A PageMarking, written when the version is done, is the
second step's outbox entry: it adds the continuation markers and then repoints the version's
file at the marked copy (documents/tasks.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class DocumentKind(models.TextChoices):
    MEMO = "memo", "บันทึกข้อความ"
    DIRECTIVE = "directive", "หนังสือเวียน"
    LETTER = "letter", "หนังสือภายนอก"


class VersionStatus(models.TextChoices):
    PENDING = "pending", "รอจัดทำ"
    RENDERING = "rendering", "กำลังจัดทำ"
    DONE = "done", "เสร็จแล้ว"
    FAILED = "failed", "จัดทำไม่สำเร็จ"


class DocumentVersion(models.Model):
    kind = models.CharField("ชนิดเอกสาร", max_length=12, choices=DocumentKind.choices, default=DocumentKind.MEMO)
    memo = models.ForeignKey(
        "memos.Memo",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document_versions",
        verbose_name="บันทึกข้อความ",
    )
    # Filled by the directives app for kind=directive; a plain id rather than a foreign key
    # so this app does not depend on a model that does not exist yet.
    directive_id = models.BigIntegerField("รหัสหนังสือเวียน", null=True, blank=True)
    # Filled by the letters app for kind=letter (letters.OutgoingLetter), a plain id for the
    # same reason: documents sit below the domain apps.
    letter_id = models.BigIntegerField("รหัสหนังสือภายนอก", null=True, blank=True)
    version = models.PositiveIntegerField("ฉบับที่")
    event = models.ForeignKey(
        "memos.MemoEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document_versions",
        verbose_name="เหตุการณ์ที่ทำให้เกิดฉบับนี้",
    )
    status = models.CharField("สถานะ", max_length=10, choices=VersionStatus.choices, default=VersionStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("จำนวนครั้งที่พยายามจัดทำ", default=0)
    # While pending: when the next attempt is due. While rendering: when the claim expires
    # and the sweep takes the row back from a worker presumed dead.
    next_attempt_at = models.DateTimeField("กำหนดจัดทำครั้งถัดไป", default=timezone.now)
    file = models.FileField("ไฟล์", upload_to="documents/", max_length=300, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveIntegerField("ขนาด (ไบต์)", null=True, blank=True)
    created_at = models.DateTimeField("สร้างเมื่อ", default=timezone.now)
    rendered_at = models.DateTimeField("จัดทำเสร็จเมื่อ", null=True, blank=True)
    last_error = models.TextField("ข้อผิดพลาดล่าสุด", blank=True)

    class Meta:
        verbose_name = "ฉบับเอกสาร"
        verbose_name_plural = "ฉบับเอกสาร"
        ordering = ["memo_id", "kind", "version"]
        constraints = [
            # A retried or doubled request for the same event makes one version.
            models.UniqueConstraint(
                fields=["memo", "kind", "event"], condition=Q(event__isnull=False), name="document_version_event"
            ),
            models.UniqueConstraint(
                fields=["memo", "kind", "version"], condition=Q(memo__isnull=False), name="document_version_number"
            ),
            models.UniqueConstraint(
                fields=["directive_id", "kind", "version"],
                condition=Q(directive_id__isnull=False),
                name="document_version_directive_number",
            ),
            models.UniqueConstraint(
                fields=["letter_id", "kind", "version"],
                condition=Q(letter_id__isnull=False),
                name="document_version_letter_number",
            ),
            models.CheckConstraint(
                condition=Q(memo__isnull=False) | Q(directive_id__isnull=False) | Q(letter_id__isnull=False),
                name="document_version_has_subject",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="document_version_sweep")]

    def __str__(self) -> str:
        if self.memo_id:
            owner = f"memo {self.memo_id}"
        elif self.letter_id:
            owner = f"letter {self.letter_id}"
        else:
            owner = f"directive {self.directive_id}"
        return f"{self.get_kind_display()} {owner} ฉบับที่ {self.version}"

    @property
    def is_ready(self) -> bool:
        return self.status == VersionStatus.DONE and bool(self.file)

    @property
    def event_label(self) -> str:
        return self.event.get_action_display() if self.event_id and self.event else ""


class MarkingStatus(models.TextChoices):
    PENDING = "pending", "รอใส่คำต่อหน้า"
    MARKING = "marking", "กำลังใส่คำต่อหน้า"
    DONE = "done", "เสร็จแล้ว"
    FAILED = "failed", "ใส่คำต่อหน้าไม่สำเร็จ"


class MarkingOutcome(models.TextChoices):
    MARKED = "marked", "ใส่คำต่อหน้าแล้ว"
    SUPERSEDED = "superseded", "ข้าม: มีฉบับใหม่กว่าแล้ว"


class PageMarking(models.Model):
    """The second step of a stored version of more than a page: LibreOffice lays it out and the
    continuation markers ("/ข้อ ๒...") are written into a marked copy, which then becomes the
    version's file (documents/tasks.py). Written, pending, in the transaction that records the
    version done; an outbox row of its own, so a failed layout is retried while the unmarked
    version stays served. Keeps the unmarked file and its hash."""

    version = models.OneToOneField(
        DocumentVersion, on_delete=models.PROTECT, related_name="marking", verbose_name="ฉบับเอกสาร"
    )
    status = models.CharField("สถานะ", max_length=10, choices=MarkingStatus.choices, default=MarkingStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("จำนวนครั้งที่พยายาม", default=0)
    next_attempt_at = models.DateTimeField("กำหนดครั้งถัดไป", default=timezone.now)
    last_error = models.TextField("ข้อผิดพลาดล่าสุด", blank=True)
    created_at = models.DateTimeField("สร้างเมื่อ", default=timezone.now)
    # The version as the render step stored it, before the marks.
    plain_file = models.FileField("ไฟล์ก่อนใส่คำต่อหน้า", upload_to="documents/", max_length=300)
    plain_sha256 = models.CharField("SHA-256 ก่อนใส่คำต่อหน้า", max_length=64)
    plain_size = models.PositiveIntegerField("ขนาดก่อนใส่คำต่อหน้า (ไบต์)")
    outcome = models.CharField("ผล", max_length=12, choices=MarkingOutcome.choices, blank=True)
    marked_sha256 = models.CharField("SHA-256 หลังใส่คำต่อหน้า", max_length=64, blank=True)
    marked_size = models.PositiveIntegerField("ขนาดหลังใส่คำต่อหน้า (ไบต์)", null=True, blank=True)
    marked_at = models.DateTimeField("ใส่คำต่อหน้าเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "การใส่คำต่อหน้า"
        verbose_name_plural = "การใส่คำต่อหน้า"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="page_marking_sweep")]

    def __str__(self) -> str:
        return f"คำต่อหน้า: {self.version}"
