"""A real Celery worker on Redis renders the reference memo's versions after each commit:
the requests never wait for it, and the files it stores are the ones people download."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from documents.models import DocumentVersion, VersionStatus
from memos import services
from memos.models import Memo
from memos.reference import DEPUTY_NOTE, ORDER_ACTOR, reference_memo_input
from tests.documents.helpers import open_docx, paragraph_texts
from workflow.models import TaskLink

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def open_task_url(memo: Memo) -> str:
    return TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute")


def test_worker_renders_every_version_of_the_reference_memo(
    client: Any, roles: Any, settings: Any, celery_worker_process: Any
) -> None:
    worker = celery_worker_process
    # The worker's VAR_DIR is its temporary directory and MEDIA_ROOT follows it; this process
    # reads the same files through the same storage API.
    settings.MEDIA_ROOT = worker.var_dir / "media"
    with worker.connected():
        memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
        client.force_login(roles.clerk)
        client.post(reverse("memos:memo_submit", args=[memo.pk]))
        client.force_login(roles.director)
        client.post(open_task_url(memo), {"action": "sign"})
        client.force_login(roles.deputy)
        client.post(open_task_url(memo), {"action": "forward", "note": DEPUTY_NOTE})
        client.force_login(roles.perm_sec)
        response = client.post(
            open_task_url(memo),
            {
                "action": "decide",
                "ruling_1": "approve",
                "ruling_2": "order",
                "ruling_3": "order",
                "order_actor": ORDER_ACTOR,
            },
        )
        assert response.status_code in (200, 302)

        def all_done() -> list[DocumentVersion] | None:
            rows = list(DocumentVersion.objects.filter(memo=memo).order_by("version"))
            return rows if len(rows) == 6 and all(r.status == VersionStatus.DONE for r in rows) else None

        versions = worker.wait_for(all_done, timeout=60, what="six rendered versions")

    assert [v.version for v in versions] == [1, 2, 3, 4, 5, 6]
    for v in versions:
        with default_storage.open(v.file.name, "rb") as handle:
            content = handle.read()
        assert hashlib.sha256(content).hexdigest() == v.sha256
    # Exactly one file per version, whatever the worker retried.
    folder = worker.var_dir / "media" / "documents" / f"memo-{memo.pk}"
    assert len(list(folder.iterdir())) == 6

    client.force_login(roles.clerk)
    response = client.get(reverse("memos:document_download", args=[memo.pk, versions[-1].pk]))
    assert response.status_code == 200
    text = "\n".join(paragraph_texts(open_docx(b"".join(response.streaming_content))))
    assert Memo.objects.get(pk=memo.pk).number in text
    assert "- อนุมัติในข้อ ๑" in text
    assert DEPUTY_NOTE.splitlines()[-1] in text
    assert "render_version" in worker.log()
