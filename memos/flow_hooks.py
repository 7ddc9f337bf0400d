"""What the memo screens show about a memo's flow (which post holds it now, the open task).

The flow and its task links live in `workflow`, a layer above this app, and memos never
imports workflow (the import-linter layers contract). So workflow registers a provider here
in WorkflowConfig.ready(); without one (memos alone, or a test that wants none) the screens
simply show no holder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Holder:
    """Where a memo is now: the post whose task is open (None: back with the drafter), who
    holds that task, since when, and the task's page when the asking user acts for it."""

    position: Any
    owner: Any
    since: dt.datetime
    task_url: str = ""
    task_id: int | None = None
    kind: str = ""


# (memo ids, the user asking or None) -> the open holder of each memo that has one. With a
# user, the provider also fills task_url where that user acts for the task.
HolderProvider = Callable[[list[int], Any], dict[int, Holder]]

_holder_provider: HolderProvider | None = None


def register_holder_provider(provider: HolderProvider) -> None:
    global _holder_provider
    _holder_provider = provider


def memo_holders(memo_ids: Iterable[int], *, user: Any = None) -> dict[int, Holder]:
    ids = list(memo_ids)
    if _holder_provider is None or not ids:
        return {}
    return _holder_provider(ids, user)
