from __future__ import annotations

from typing import Any

from .models import TaskLink


def process_cancel(*, flow_class: Any, process_id: int) -> None:
    """Cancel a memo's open tasks (withdrawal) through viewflow, under its lock."""
    process = flow_class.process_class._default_manager.get(pk=process_id)
    flow_class.instance.cancel(process)
    TaskLink.objects.filter(task__process_id=process_id, is_open=True).update(is_open=False)
