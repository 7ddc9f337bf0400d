"""The search index: one row per searchable document, rebuilt from the domain apps' own rows,
and the outbox of documents waiting to be indexed again.

The index holds no rules: who may see a row is asked of the domain apps' access helpers at
query time (search.selectors), so a change of route or appointment needs no re-indexing.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    kind = models.CharField(_("ประเภท"), max_length=16)
    object_id = models.BigIntegerField()
    number = models.CharField(_("ที่"), max_length=64, blank=True)
    number_key = models.CharField(max_length=64, blank=True, db_index=True)
    subject = models.CharField(_("เรื่อง"), max_length=500, blank=True)
    # Who it is from or by: the unit, the sender, the signer.
    people = models.TextField(_("ผู้ส่ง/หน่วยงาน"), blank=True)
    # The text a person reads, in its original form, for the snippet: body, notes and
    # decisions, then attachments' text.
    content = models.TextField(blank=True)
    # Everything above, normalised (search.text.normalise): what the trigram index covers.
    haystack = models.TextField(blank=True)
    # The same words separated by spaces (PyThaiNLP newmm): whole-word matches rank first.
    segmented = models.TextField(blank=True)
    year = models.PositiveIntegerField(_("ปี พ.ศ."), null=True, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True)
    unit_name = models.CharField(_("หน่วยงาน"), max_length=300, blank=True)
    state = models.CharField(_("สถานะ"), max_length=32, blank=True)
    state_label = models.CharField(max_length=100, blank=True)
    secrecy = models.PositiveSmallIntegerField(_("ชั้นความลับ"), default=0)
    dated = models.DateField(_("ลงวันที่"), null=True, blank=True)
    # The source's updated_at and audit-chain length when indexed: the sweep re-indexes a
    # document whose source moved on (a state written by UPDATE fires no signal).
    source_updated_at = models.DateTimeField(null=True, blank=True)
    source_seq = models.PositiveIntegerField(default=0)
    indexed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ดัชนีค้นหา")
        verbose_name_plural = _("ดัชนีค้นหา")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once")]
        indexes = [
            models.Index(fields=["kind", "year", "unit_id", "state"], name="search_document_filters"),
            models.Index(fields=["-dated", "-id"], name="search_document_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.subject}"


class JobStatus(models.TextChoices):
    PENDING = "pending", _("รอปรับดัชนี")
    WORKING = "working", _("กำลังปรับดัชนี")
    DONE = "done", _("ปรับดัชนีแล้ว")
    FAILED = "failed", _("ปรับดัชนีไม่สำเร็จ")


class SearchJob(models.Model):
    """One document to index again, written in the transaction that changed it (outbox)."""

    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    status = models.CharField(_("สถานะ"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("งานปรับดัชนีค้นหา")
        verbose_name_plural = _("งานปรับดัชนีค้นหา")
        constraints = [
            # Ten saves of one memo in one transaction leave one pending job.
            models.UniqueConstraint(
                fields=["kind", "object_id"], condition=Q(status="pending"), name="search_job_pending_once"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="search_job_sweep")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.status}"
