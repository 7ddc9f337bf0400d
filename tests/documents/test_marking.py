"""Continuation markers as a second step: the render task stores a memo's version without
LibreOffice, and a marking task (an outbox of its own) lays it out afterwards and serves the
marked copy. What a reader notices: the version can be downloaded at once; the markers arrive
in the same download a moment later; nothing is ever lost or marked twice.

LibreOffice conversions are counted (every one goes through documents.preview.convert_to_pdf),
never timed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from documents import preview, tasks
from documents.models import DocumentVersion, MarkingOutcome, MarkingStatus, PageMarking, VersionStatus
from memos import services
from memos.models import Memo
from memos.reference import reference_memo_input
from memos.services import SectionInput
from tests.documents.test_versions import as_user, media, memory_broker, open_task_url, run_render_tasks  # noqa: F401
from tests.factories import UserFactory
from tests.integration.celery_support import MemoryBroker

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
        reason="the marking step needs LibreOffice (soffice) and poppler-utils",
    ),
]


@pytest.fixture(autouse=True)
def marks_on(settings: Any, media: Any) -> None:  # noqa: F811  (after media, which turns them off)
    settings.DOCUMENT_PAGE_MARKS = True


@pytest.fixture
def conversions() -> Iterator[mock.MagicMock]:
    """Every LibreOffice conversion of this test (warm pool or one soffice alike)."""
    with mock.patch("documents.preview.convert_to_pdf", wraps=preview.convert_to_pdf) as counted:
        yield counted


def submitted(client: Any, roles: Any, capture: Any) -> Memo:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    as_user(client, roles.clerk, capture, "post", reverse("memos:memo_submit", args=[memo.pk]))
    return memo


def render(broker: MemoryBroker, capture: Any) -> list[str]:
    """Play the worker for the render tasks; the marking hand-offs their commits make are
    published to the broker, for `run_render_tasks` to run next."""
    with capture(execute=True):
        return run_render_tasks(broker)


def download(client: Any, user: Any, version: DocumentVersion) -> bytes:
    client.force_login(user)
    response = client.get(reverse("memos:document_download", args=[version.memo_id, version.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def document_xml(docx: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()


def stored_sha(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_the_version_is_downloadable_right_after_the_render_step_without_libreoffice(
    client: Any,
    roles: Any,
    django_capture_on_commit_callbacks: Any,
    memory_broker: MemoryBroker,  # noqa: F811
    conversions: mock.MagicMock,
) -> None:
    memo = submitted(client, roles, django_capture_on_commit_callbacks)
    assert render(memory_broker, django_capture_on_commit_callbacks) == ["done"]
    assert conversions.call_count == 0  # the render step never waits on LibreOffice

    version = DocumentVersion.objects.get(memo=memo)
    assert version.status == VersionStatus.DONE
    body = download(client, roles.clerk, version)
    assert hashlib.sha256(body).hexdigest() == version.sha256
    # Before the marks arrive, the download is the unmarked version.
    assert "_SarabanNext" not in document_xml(body)
    marking = PageMarking.objects.get(version=version)
    assert marking.status == MarkingStatus.PENDING
    assert (marking.plain_sha256, marking.plain_file.name) == (version.sha256, version.file.name)
    # ... and its step was handed to the worker with the version's commit.
    assert [name for name, _args in memory_broker.take()] == ["documents.tasks.mark_version"]


def test_the_marking_step_serves_the_marked_copy_and_marks_once(
    client: Any,
    roles: Any,
    django_capture_on_commit_callbacks: Any,
    memory_broker: MemoryBroker,  # noqa: F811
    conversions: mock.MagicMock,
) -> None:
    memo = submitted(client, roles, django_capture_on_commit_callbacks)
    render(memory_broker, django_capture_on_commit_callbacks)
    version = DocumentVersion.objects.get(memo=memo)
    plain_name, plain_sha = version.file.name, version.sha256

    assert run_render_tasks(memory_broker) == ["done"]
    assert conversions.call_count == 1  # one layout
    version.refresh_from_db()
    marking = PageMarking.objects.get(version=version)
    assert (marking.status, marking.outcome) == (MarkingStatus.DONE, MarkingOutcome.MARKED)
    assert version.sha256 == marking.marked_sha256 != plain_sha
    assert version.file.name != plain_name
    xml = document_xml(download(client, roles.clerk, version))
    assert "_SarabanPage2" in xml and "_SarabanNext1" in xml
    assert xml.count('w:name="_SarabanNext1"') == 1
    # The unmarked file is kept, under its own hash.
    assert marking.plain_file.name == plain_name and stored_sha(plain_name) == plain_sha

    # The same task delivered again does nothing.
    assert tasks.mark_version(marking.pk) == "skipped"
    assert conversions.call_count == 1

    # A run whose done record was lost (the worker died after storing the file) is redone:
    # the same marked file, marked once.
    served = (version.file.name, version.sha256)
    DocumentVersion.objects.filter(pk=version.pk).update(file=plain_name, sha256=plain_sha, size=marking.plain_size)
    PageMarking.objects.filter(pk=marking.pk).update(
        status=MarkingStatus.MARKING, next_attempt_at=marking.created_at - dt.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_documents() == 1
    assert run_render_tasks(memory_broker) == ["done"]
    version.refresh_from_db()
    assert (version.file.name, version.sha256) == served
    assert document_xml(download(client, roles.clerk, version)).count('w:name="_SarabanNext1"') == 1
    # Two files for the version: the unmarked one and the marked one.
    assert len(list(Path(default_storage.path(f"documents/memo-{memo.pk}")).iterdir())) == 2


def test_a_version_superseded_before_marking_is_skipped(
    client: Any,
    roles: Any,
    django_capture_on_commit_callbacks: Any,
    memory_broker: MemoryBroker,  # noqa: F811
    conversions: mock.MagicMock,
) -> None:
    memo = submitted(client, roles, django_capture_on_commit_callbacks)
    render(memory_broker, django_capture_on_commit_callbacks)
    first = DocumentVersion.objects.get(memo=memo)
    marking = PageMarking.objects.get(version=first)
    memory_broker.take()
    # The director signs before the worker got to the first version's marks.
    as_user(client, roles.director, django_capture_on_commit_callbacks, "post", open_task_url(memo), {"action": "sign"})
    assert DocumentVersion.objects.filter(memo=memo, version=2).exists()

    assert tasks.mark_version(marking.pk) == "done"
    assert conversions.call_count == 0
    marking.refresh_from_db()
    assert marking.outcome == MarkingOutcome.SUPERSEDED
    first.refresh_from_db()
    assert first.sha256 == marking.plain_sha256  # still the unmarked file, still served
    assert hashlib.sha256(download(client, roles.clerk, first)).hexdigest() == first.sha256


def test_a_failing_layout_is_retried_and_the_version_stays_served(
    client: Any,
    roles: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    memory_broker: MemoryBroker,  # noqa: F811
) -> None:
    settings.DOCUMENT_MARK_RETRY_DELAYS = [0, 0]
    memo = submitted(client, roles, django_capture_on_commit_callbacks)
    render(memory_broker, django_capture_on_commit_callbacks)
    memory_broker.take()
    version = DocumentVersion.objects.get(memo=memo)
    marking = PageMarking.objects.get(version=version)
    plain_sha = version.sha256

    calls = {"n": 0}
    real_convert = preview.convert_to_pdf

    def flaky(docx: bytes, **kwargs: Any) -> bytes:
        calls["n"] += 1
        if calls["n"] == 1:
            raise preview.PreviewError("LibreOffice แปลงเอกสารเป็น PDF ไม่สำเร็จ")
        return real_convert(docx, **kwargs)

    with mock.patch("documents.preview.convert_to_pdf", side_effect=flaky):
        assert tasks.mark_version(marking.pk) == "retry"
        marking.refresh_from_db()
        assert marking.status == MarkingStatus.PENDING and "PreviewError" in marking.last_error
        # The version is untouched and downloadable meanwhile.
        version.refresh_from_db()
        assert version.status == VersionStatus.DONE and version.sha256 == plain_sha
        assert hashlib.sha256(download(client, roles.clerk, version)).hexdigest() == plain_sha

        assert tasks.mark_version(marking.pk) == "done"
    marking.refresh_from_db()
    version.refresh_from_db()
    assert (marking.attempts, marking.last_error, marking.outcome) == (2, "", MarkingOutcome.MARKED)
    assert "_SarabanNext1" in document_xml(download(client, roles.clerk, version))


def test_a_layout_that_keeps_failing_ends_failed_for_the_administrator(
    client: Any,
    roles: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    memory_broker: MemoryBroker,  # noqa: F811
) -> None:
    settings.DOCUMENT_MARK_RETRY_DELAYS = [0]
    memo = submitted(client, roles, django_capture_on_commit_callbacks)
    render(memory_broker, django_capture_on_commit_callbacks)
    memory_broker.take()
    version = DocumentVersion.objects.get(memo=memo)
    marking = PageMarking.objects.get(version=version)
    broken = mock.patch("documents.preview.convert_to_pdf", side_effect=preview.PreviewError("เสีย"))
    with broken:
        assert [tasks.mark_version(marking.pk) for _ in range(3)] == ["retry", "failed", "skipped"]
    assert hashlib.sha256(download(client, roles.clerk, version)).hexdigest() == version.sha256

    client.force_login(UserFactory(superuser=True))
    changelist = reverse("admin:documents_pagemarking_changelist")
    page = client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "ใส่คำต่อหน้าไม่สำเร็จ" in page and "เสีย" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "remark", "_selected_action": [marking.pk]}, follow=True)
    assert "ส่งใส่คำต่อหน้าใหม่ 1 รายการ" in response.content.decode()
    assert [name for name, _args in memory_broker.take()] == ["documents.tasks.mark_version"]
    marking.refresh_from_db()
    assert (marking.status, marking.attempts) == (MarkingStatus.PENDING, 0)


def test_a_one_page_document_is_not_laid_out(
    client: Any,
    roles: Any,
    django_capture_on_commit_callbacks: Any,
    memory_broker: MemoryBroker,  # noqa: F811
) -> None:
    data = reference_memo_input()
    short = dataclasses.replace(
        data,
        sections=[SectionInput("ต้นเรื่อง", "สถาบันฯ ขอรายงานผลการฝึกอบรมหลักสูตรผู้บริหารระดับกลาง ประจำปี ๒๕๖๔")],
        proposals=[dataclasses.replace(data.proposals[0], text="รับทราบผลการฝึกอบรม")],
    )
    memo = services.memo_create(user=roles.clerk, data=short)
    as_user(
        client, roles.clerk, django_capture_on_commit_callbacks, "post", reverse("memos:memo_submit", args=[memo.pk])
    )
    assert render(memory_broker, django_capture_on_commit_callbacks) == ["done"]
    assert not PageMarking.objects.exists()
    assert memory_broker.take() == []
