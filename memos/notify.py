"""Who is told what when a memo moves. Called inside the services' transactions: the outbox
rows commit with the event, or not at all."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from notifications.services import notification_enqueue

from .models import Memo, Urgency


def _enqueue(**kwargs: Any) -> None:
    notification_enqueue(**kwargs)


def memo_title(memo: Memo) -> str:
    urgency = f"[{Urgency(memo.urgency).label}] " if memo.urgency else ""
    number = f"ที่ {memo.number} " if memo.number else ""
    # Mail leaves the system: a secret memo's subject stays inside it.
    subject = "(หนังสือชั้นลับ โปรดเปิดอ่านในระบบ)" if memo.is_secret else memo.subject
    return f"{urgency}{number}เรื่อง {subject}"


def memo_returned(*, memo: Memo, reason: str, by: str) -> None:
    _enqueue(
        kind="memo_returned",
        subject=f"บันทึกข้อความถูกส่งคืนแก้ไข: {memo_title(memo)}",
        body=f"{by} ส่งคืนบันทึกข้อความ\n\n{memo_title(memo)}\n\nเหตุผล: {reason}",
        url=reverse("memos:memo_detail", args=[memo.pk]),
        about=memo,
        dedup_key=f"memo:{memo.pk}:returned:{memo.version}:{memo.events.count()}",
        recipients=[memo.drafted_by],
    )


def memo_decided(*, memo: Memo, lines: list[str], by: str) -> None:
    decision = "\n".join(f"- {line}" for line in lines)
    _enqueue(
        kind="memo_decided",
        subject=f"ผลการพิจารณา ({memo.get_state_display()}): {memo_title(memo)}",
        body=f"{by} พิจารณาสั่งการแล้ว\n\n{memo_title(memo)}\n\n{decision}",
        url=reverse("memos:memo_detail", args=[memo.pk]),
        about=memo,
        dedup_key=f"memo:{memo.pk}:decided",
        recipients=[memo.drafted_by],
    )
