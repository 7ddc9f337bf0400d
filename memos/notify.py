"""Who is told what when a memo moves. Called inside the services' transactions: the outbox
rows commit with the event, or not at all."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .models import Memo, Urgency


def _enqueue(**kwargs: Any) -> None:
    from notifications.services import notification_enqueue

    notification_enqueue(**kwargs)


def _title(memo: Memo) -> str:
    urgency = f"[{Urgency(memo.urgency).label}] " if memo.urgency else ""
    number = f"ที่ {memo.number} " if memo.number else ""
    # Mail leaves the system: a secret memo's subject stays inside it.
    subject = "(หนังสือชั้นลับ โปรดเปิดอ่านในระบบ)" if memo.is_secret else memo.subject
    return f"{urgency}{number}เรื่อง {subject}"


def _people_for(position: Any) -> list[Any]:
    from directory.selectors import official_acting_for

    official = official_acting_for(position=position) if position is not None else None
    return [official.user] if official else []


TASK_WORDS = {
    "sign": "มีบันทึกข้อความรอท่านลงนาม",
    "review": "มีบันทึกข้อความเสนอท่านพิจารณา",
    "decide": "มีบันทึกข้อความเสนอท่านพิจารณาสั่งการ",
    "revise": "บันทึกข้อความของท่านถูกส่งคืนให้แก้ไข",
}


def task_assigned(*, memo: Memo, task: Any, kind: str, position: Any) -> None:
    if kind == "revise":
        return  # memo_returned already told the drafter, with the reason
    recipients = [task.owner] if task.owner_id else _people_for(position)
    if not recipients:
        return  # a vacant post: the task waits in the post's queue; the admin's vacancy list shows it
    from workflow.nodes import task_execute_url

    url = task_execute_url(task)
    heading = TASK_WORDS.get(kind, "มีงานใหม่")
    position_text = f" ในฐานะ{position.title}" if position is not None else ""
    _enqueue(
        kind="task_assigned",
        subject=f"{heading}: {_title(memo)}",
        body=(
            f"{heading}{position_text}\n\n{_title(memo)}\nจาก {memo.unit.name}\n\n"
            "กรุณาเปิดงานจากลิงก์ด้านล่างหรือจากกล่องงานของท่าน"
        ),
        url=url,
        about=memo,
        dedup_key=f"task:{task.pk}:assigned",
        recipients=recipients,
    )


def memo_returned(*, memo: Memo, reason: str, by: str) -> None:
    _enqueue(
        kind="memo_returned",
        subject=f"บันทึกข้อความถูกส่งคืนแก้ไข: {_title(memo)}",
        body=f"{by} ส่งคืนบันทึกข้อความ\n\n{_title(memo)}\n\nเหตุผล: {reason}",
        url=reverse("memos:memo_detail", args=[memo.pk]),
        about=memo,
        dedup_key=f"memo:{memo.pk}:returned:{memo.version}:{memo.events.count()}",
        recipients=[memo.drafted_by],
    )


def memo_decided(*, memo: Memo, lines: list[str], by: str) -> None:
    decision = "\n".join(f"- {line}" for line in lines)
    _enqueue(
        kind="memo_decided",
        subject=f"ผลการพิจารณา ({memo.get_state_display()}): {_title(memo)}",
        body=f"{by} พิจารณาสั่งการแล้ว\n\n{_title(memo)}\n\n{decision}",
        url=reverse("memos:memo_detail", args=[memo.pk]),
        about=memo,
        dedup_key=f"memo:{memo.pk}:decided",
        recipients=[memo.drafted_by],
    )
