"""Who is told of a new task: whoever acts for its post today (or its owner), with a link."""

from __future__ import annotations

from typing import Any

from directory.selectors import clerks_of, official_acting_for
from memos.models import Memo
from memos.notify import memo_title
from notifications.services import notification_enqueue

from .models import TaskKind
from .nodes import task_execute_url
from .services import task_done_key


def _people_for(position: Any) -> list[Any]:
    official = official_acting_for(position=position) if position is not None else None
    return [official.user] if official else []


TASK_WORDS = {
    "sign": "มีบันทึกข้อความรอท่านลงนาม",
    "review": "มีบันทึกข้อความเสนอท่านพิจารณา",
    "decide": "มีบันทึกข้อความเสนอท่านพิจารณาสั่งการ",
    "revise": "บันทึกข้อความของท่านถูกส่งคืนให้แก้ไข",
    "book_in": "มีบันทึกข้อความรอลงทะเบียนรับ",
}


def task_assigned(*, memo: Memo, task: Any, kind: str, position: Any) -> None:
    if kind == "revise":
        return  # memo_returned already told the drafter, with the reason
    if kind == TaskKind.BOOK_IN:
        recipients = [o.user for o in clerks_of(unit=position.registering_unit)] if position is not None else []
    else:
        recipients = [task.owner] if task.owner_id else _people_for(position)
    if not recipients:
        return  # a vacant post: the task waits in the post's queue; the admin's vacancy list shows it
    url = task_execute_url(task)
    heading = TASK_WORDS.get(kind, "มีงานใหม่")
    position_text = f" ในฐานะ{position.title}" if position is not None else ""
    if kind == TaskKind.BOOK_IN and position is not None:
        position_text = f" ส่งถึง{position.title}"
    notification_enqueue(
        kind="task_assigned",
        subject=f"{heading}: {memo_title(memo)}",
        body=(
            f"{heading}{position_text}\n\n{memo_title(memo)}\nจาก {memo.unit.name}\n\n"
            "กรุณาเปิดงานจากลิงก์ด้านล่างหรือจากกล่องงานของท่าน"
        ),
        url=url,
        about=memo,
        dedup_key=f"task:{task.pk}:assigned",
        done_key=task_done_key(task.pk),
        recipients=recipients,
    )
