from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from directory.models import Position, Unit
from memos.models import Memo


class MemoProcess(Process):
    """The viewflow process of one memo (proxy: the memo itself lives in memos.Memo)."""

    class Meta:
        proxy = True
        verbose_name = _("เส้นทางบันทึกข้อความ")
        verbose_name_plural = _("เส้นทางบันทึกข้อความ")

    @property
    def memo_obj(self) -> Memo:
        return Memo.objects.get(process_id=self.pk)


class TaskKind(models.TextChoices):
    SIGN = "sign", _("ลงนาม")
    REVIEW = "review", _("พิจารณาเสนอต่อ")
    DECIDE = "decide", _("พิจารณาสั่งการ")
    REVISE = "revise", _("แก้ไขตามที่ส่งคืน")
    BOOK_IN = "book_in", _("ลงทะเบียนรับ")


class TaskLink(models.Model):
    """Ties a viewflow task to the memo and the post it was assigned through.

    Tasks are addressed to posts, not people: whoever acts for the post today may take it,
    so the inbox asks "tasks of my posts" as well as "tasks I own".
    """

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="memo_link", primary_key=True)
    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="task_links")
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("ประเภทงาน"), max_length=10, choices=TaskKind.choices)
    step = models.PositiveIntegerField(null=True, blank=True)
    # Denormalised from the task, the memo and the post so that the inbox and the unit queue
    # read this table alone, through partial indexes in the order they are shown (measured in
    # bench/: joining viewflow's task table made PostgreSQL hash-join every task).
    is_open = models.BooleanField(default=True)
    urgency = models.IntegerField(default=0)
    secrecy = models.IntegerField(default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registering_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["position", "-urgency", "created_at"], condition=Q(is_open=True), name="tasklink_open_pos"
            ),
            models.Index(
                fields=["owner", "-urgency", "created_at"], condition=Q(is_open=True), name="tasklink_open_owner"
            ),
            models.Index(
                fields=["registering_unit", "-urgency", "created_at"],
                condition=Q(is_open=True),
                name="tasklink_open_unit",
            ),
            models.Index(fields=["memo", "is_open"], name="tasklink_memo_open"),
        ]
