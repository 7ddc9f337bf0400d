"""Builds tests/upgrade/before_layers.sql.gz: a database made by the code as it stood
before the directory and registers moved out of memos/ (commit c526732), holding the demo
directory and people, the reference memo decided through the screens, a second memo waiting
at the deputy, and a returned one.

Run it from a checkout of that commit (it imports that code), e.g.:

    git worktree add /tmp/before c526732 && ln -s $PWD/.venv /tmp/before/.venv
    cd /tmp/before && DATABASE_URL=sqlite:////tmp/before.sqlite3 \
        .venv/bin/python /path/to/tests/upgrade/build_fixture.py /path/to/before_layers.sql.gz

The file is committed; the test never rebuilds it (it is the past, not the present).
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import sqlite3
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.getcwd())
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

BKK = dt.timezone(dt.timedelta(hours=7))


def main(out: str) -> None:
    import time_machine

    from memos import services
    from memos.models import Memo
    from memos.reference import DEPUTY_NOTE, ORDER_ACTOR, reference_memo_input
    from workflow.models import TaskLink

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    users = {u.username: u for u in get_user_model().objects.all()}
    client = Client()

    def task_url(memo: Memo) -> str:
        return TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute")

    def act(user: str, memo: Memo, data: dict[str, str]) -> None:
        client.force_login(users[user])
        response = client.post(task_url(memo), data)
        assert response.status_code in (200, 302), response.status_code

    with (
        override_settings(CELERY_TASK_ALWAYS_EAGER=False),
        time_machine.travel(dt.datetime(2020, 12, 23, 10, 0, tzinfo=BKK), tick=False),
    ):
        decided = services.memo_create(user=users["inst_clerk"], data=reference_memo_input())
        waiting = services.memo_create(user=users["inst_clerk"], data=reference_memo_input())
        returned = services.memo_create(user=users["inst_clerk"], data=reference_memo_input())
        for memo in (decided, waiting, returned):
            client.force_login(users["inst_clerk"])
            client.post(reverse("memos:memo_submit", args=[memo.pk]))
            act("inst_director", memo, {"action": "sign"})
        act("deputy", decided, {"action": "forward", "note": DEPUTY_NOTE})
        act("deputy", returned, {"action": "return", "reason": "กรุณาแก้ไขจำนวนผู้เข้ารับการฝึกอบรม"})
    with time_machine.travel(dt.datetime(2021, 1, 11, 16, 0, tzinfo=BKK), tick=False):
        act(
            "perm_sec",
            decided,
            {
                "action": "decide",
                "ruling_1": "approve",
                "ruling_2": "order",
                "ruling_3": "order",
                "order_actor": ORDER_ACTOR,
            },
        )
    states = {m.pk: m.state for m in Memo.objects.all()}
    print(states)

    path = settings.DATABASES["default"]["NAME"]
    with sqlite3.connect(path) as db, gzip.open(out, "wt", encoding="utf-8") as dump:
        for line in db.iterdump():
            dump.write(line + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
