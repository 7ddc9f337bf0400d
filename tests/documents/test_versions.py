"""Stored document versions: every paper-changing step of the reference memo leaves a .docx
that people can download (and preview as PDF where LibreOffice is installed).

Hand-offs go to an in-memory broker of the test's own; the test then plays the worker by
running what was queued, so the same `.apply_async` path as production is exercised.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse

from documents import tasks
from documents.models import DocumentVersion, VersionStatus
from documents.services import document_version_request
from memos import services
from memos.models import Memo, MemoEvent
from memos.reference import DEPUTY_NOTE, ORDER_ACTOR, reference_memo_input
from tests.documents.helpers import open_docx, paragraph_texts, tiny_png
from tests.factories import UserFactory
from tests.integration.celery_support import MemoryBroker, use_broker
from workflow.models import TaskLink

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def memory_broker() -> Iterator[MemoryBroker]:
    queue = f"test-{uuid.uuid4().hex[:12]}"
    broker = MemoryBroker(queue)
    with use_broker("memory://", queue=queue):
        yield broker
    broker.take()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    # Stored files and the PDF cache live in the test's directory, never in var/.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    # Continuation markers need a LibreOffice layout of each version: only the preview test
    # below, which is about what the reader sees, pays for it.
    settings.DOCUMENT_PAGE_MARKS = False
    return tmp_path / "media"


def run_render_tasks(broker: MemoryBroker) -> list[str]:
    """Act as the worker for the document tasks that were handed over (other apps' tasks,
    such as notification mail, are dropped: they are not what these tests are about)."""
    from config.celery import app

    return [app.tasks[name](*args) for name, args in broker.take() if name.startswith("documents.")]


def open_task_url(memo: Memo) -> str:
    return TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute")


def as_user(client: Any, user: Any, capture: Any, method: str, url: str, data: Any = None) -> Any:
    client.force_login(user)
    with capture(execute=True):
        response = client.post(url, data or {}) if method == "post" else client.get(url)
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    return response


def reference_memo_decided(client: Any, roles: Any, capture: Any) -> Memo:
    """The reference memo signed by the acting director, noted by the deputy and decided by
    the Permanent Secretary, each step through the pages those people use."""
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    as_user(client, roles.clerk, capture, "post", reverse("memos:memo_submit", args=[memo.pk]))
    as_user(client, roles.director, capture, "post", open_task_url(memo), {"action": "sign"})
    as_user(client, roles.deputy, capture, "post", open_task_url(memo), {"action": "forward", "note": DEPUTY_NOTE})
    decision = {"action": "decide", "ruling_1": "approve", "ruling_2": "order", "ruling_3": "order"}
    decision["order_actor"] = ORDER_ACTOR
    as_user(client, roles.perm_sec, capture, "post", open_task_url(memo), decision)
    return Memo.objects.get(pk=memo.pk)


def stored_files(media: Path, memo: Memo) -> list[Path]:
    folder = media / "documents" / f"memo-{memo.pk}"
    return sorted(folder.iterdir()) if folder.exists() else []


def docx_text(version: DocumentVersion) -> str:
    with version.file.open("rb") as handle:
        return "\n".join(paragraph_texts(open_docx(handle.read())))


def test_each_step_of_the_reference_memo_stores_a_version(
    client: Any, roles: Any, django_capture_on_commit_callbacks: Any, memory_broker: MemoryBroker, media: Path
) -> None:
    memo = reference_memo_decided(client, roles, django_capture_on_commit_callbacks)
    # Nothing is rendered inside the requests: the rows wait for the worker.
    assert set(DocumentVersion.objects.filter(memo=memo).values_list("status", flat=True)) == {VersionStatus.PENDING}

    results = run_render_tasks(memory_broker)
    versions = list(DocumentVersion.objects.filter(memo=memo).select_related("event").order_by("version"))
    assert results == ["done"] * len(versions)
    assert [v.version for v in versions] == list(range(1, len(versions) + 1))
    assert [v.event.action for v in versions] == ["submit", "sign", "receive", "forward", "receive", "decide"]
    assert all(v.status == VersionStatus.DONE for v in versions)
    assert len(stored_files(media, memo)) == len(versions)

    for v in versions:
        with v.file.open("rb") as handle:
            content = handle.read()
        import hashlib

        assert v.sha256 == hashlib.sha256(content).hexdigest() and v.size == len(content)
        assert v.file.name == f"documents/memo-{memo.pk}/v{v.version}-{v.sha256[:8]}.docx"
        open_docx(content)  # every version opens in python-docx

    first, signed, last = versions[0], versions[1], versions[-1]
    assert memo.number == "กท ๐๔๐๑/๑"
    assert memo.number not in docx_text(first)  # sent for signature: no number yet
    assert memo.number in docx_text(signed)
    # The closing sentence asks "ขอได้โปรดอนุมัติในข้อ ๑"; the decision is the dashed line.
    assert "- อนุมัติในข้อ ๑" not in docx_text(signed)
    text = docx_text(last)
    assert memo.number in text
    for line in DEPUTY_NOTE.splitlines():
        assert line in text
    assert "- อนุมัติในข้อ ๑" in text
    assert "- ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓" in text
    assert "(นางศิลปสวย ระวีแสงสูรย์)" in text


def test_running_the_render_twice_stores_one_version(
    client: Any, roles: Any, django_capture_on_commit_callbacks: Any, memory_broker: MemoryBroker, media: Path
) -> None:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    as_user(
        client, roles.clerk, django_capture_on_commit_callbacks, "post", reverse("memos:memo_submit", args=[memo.pk])
    )
    version = DocumentVersion.objects.get(memo=memo)
    # The same event asking again (a retried service call) gets the same row.
    event = MemoEvent.objects.get(memo=memo, action="submit")
    assert document_version_request(memo=memo, event=event).pk == version.pk

    assert tasks.render_version(version.pk) == "done"
    assert tasks.render_version(version.pk) == "skipped"
    assert run_render_tasks(memory_broker) == ["skipped"]  # the hand-off from the commit, late
    assert DocumentVersion.objects.filter(memo=memo).count() == 1
    assert len(stored_files(media, memo)) == 1


def test_a_worker_that_died_mid_render_is_taken_back_by_the_sweep(
    client: Any, roles: Any, django_capture_on_commit_callbacks: Any, memory_broker: MemoryBroker, media: Path
) -> None:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    as_user(
        client, roles.clerk, django_capture_on_commit_callbacks, "post", reverse("memos:memo_submit", args=[memo.pk])
    )
    memory_broker.take()  # the commit's hand-off is lost with the dead worker
    version = DocumentVersion.objects.get(memo=memo)
    past = version.created_at - dt.timedelta(minutes=10)
    DocumentVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.RENDERING, attempts=1, next_attempt_at=past
    )

    assert tasks.render_version(version.pk) == "skipped"  # another worker holds the lease
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_documents() == 1
    assert run_render_tasks(memory_broker) == ["done"]
    version.refresh_from_db()
    assert version.status == VersionStatus.DONE and version.attempts == 2
    assert len(stored_files(media, memo)) == 1


def test_broker_down_at_commit_leaves_the_version_for_the_sweep(
    client: Any, roles: Any, django_capture_on_commit_callbacks: Any, memory_broker: MemoryBroker
) -> None:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    client.force_login(roles.clerk)
    # Nothing listens on port 1: the hand-off fails after commit, the request still succeeds.
    with use_broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("memos:memo_submit", args=[memo.pk]), follow=True)
    assert "ส่งบันทึกข้อความเสนอลงนามแล้ว" in response.content.decode()
    version = DocumentVersion.objects.get(memo=memo)
    assert version.status == VersionStatus.PENDING

    assert tasks.sweep_documents() == 0  # a fresh row is left to its own hand-off for a minute
    with time_machine.travel(dt.timedelta(minutes=2)):
        assert tasks.sweep_documents() == 1
        assert run_render_tasks(memory_broker) == ["done"]
    version.refresh_from_db()
    assert version.status == VersionStatus.DONE


def test_a_broken_render_is_retried_then_failed_and_shown_in_the_admin(
    client: Any,
    roles: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    memory_broker: MemoryBroker,
    media: Path,
) -> None:
    settings.DOCUMENT_RENDER_RETRY_DELAYS = [0, 0]
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    as_user(
        client, roles.clerk, django_capture_on_commit_callbacks, "post", reverse("memos:memo_submit", args=[memo.pk])
    )
    memory_broker.take()
    version = DocumentVersion.objects.get(memo=memo)

    with mock.patch("memos.documents.build_memo_docx", side_effect=RuntimeError("แบบฟอร์มเสีย")):
        assert [tasks.render_version(version.pk) for _ in range(4)] == ["retry", "retry", "failed", "skipped"]
    version.refresh_from_db()
    assert version.status == VersionStatus.FAILED and version.attempts == 3
    assert "RuntimeError: แบบฟอร์มเสีย" in version.last_error
    assert stored_files(media, memo) == []

    # The memo page says so instead of offering a broken link.
    page = client.get(reverse("memos:memo_detail", args=[memo.pk])).content.decode()
    assert "จัดทำเอกสารไม่สำเร็จ" in page

    # The administrator finds it under the "failed" filter and re-queues it.
    admin_user = UserFactory(superuser=True)
    client.force_login(admin_user)
    changelist = reverse("admin:documents_documentversion_changelist")
    page = client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "จัดทำไม่สำเร็จ" in page and "แบบฟอร์มเสีย" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "rerender", "_selected_action": [version.pk]}, follow=True)
    assert "ส่งจัดทำใหม่ 1 รายการ" in response.content.decode()
    assert run_render_tasks(memory_broker) == ["done"]
    version.refresh_from_db()
    assert version.status == VersionStatus.DONE and version.last_error == ""


def test_download_streams_the_docx_with_a_thai_filename_and_other_units_get_404(
    client: Any, roles: Any, django_capture_on_commit_callbacks: Any, memory_broker: MemoryBroker
) -> None:
    memo = reference_memo_decided(client, roles, django_capture_on_commit_callbacks)
    run_render_tasks(memory_broker)
    last = DocumentVersion.objects.filter(memo=memo).order_by("-version").first()
    assert last is not None
    url = reverse("memos:document_download", args=[memo.pk, last.pk])

    client.force_login(roles.clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    expected_name = "บันทึกข้อความ กท ๐๔๐๑-๑ ฉบับที่ ๖.docx"
    assert f"filename*=utf-8''{quote(expected_name)}" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    with last.file.open("rb") as handle:
        assert body == handle.read()

    # A clerk of another unit cannot learn the memo exists, through either link.
    client.force_login(roles.district_clerk)
    assert client.get(url).status_code == 404
    assert client.get(reverse("memos:document_preview", args=[memo.pk, last.pk])).status_code == 404
    # Nor reach a version through a memo they may see.
    own = services.memo_create(user=roles.district_clerk, data=reference_memo_input())
    assert client.get(reverse("memos:document_download", args=[own.pk, last.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404  # nobody signed in: as for another unit


def test_memo_page_lists_versions_with_thai_event_names_and_pending_ones(
    client: Any,
    roles: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    memory_broker: MemoryBroker,
) -> None:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    as_user(
        client, roles.clerk, django_capture_on_commit_callbacks, "post", reverse("memos:memo_submit", args=[memo.pk])
    )
    as_user(client, roles.director, django_capture_on_commit_callbacks, "post", open_task_url(memo), {"action": "sign"})
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:memo_detail", args=[memo.pk])).content.decode()
    assert 'id="memo-documents"' in page and "กำลังจัดทำเอกสาร" in page

    run_render_tasks(memory_broker)
    versions = list(DocumentVersion.objects.filter(memo=memo).order_by("version"))
    page = client.get(reverse("memos:memo_detail", args=[memo.pk])).content.decode()
    assert "กำลังจัดทำเอกสาร" not in page
    for v in versions:
        assert reverse("memos:document_download", args=[memo.pk, v.pk]) in page
    assert "เสนอลงนาม" in page and "ลงทะเบียนรับ" in page  # the events, in Thai
    assert "KB" in page or "กิโลไบต์" in page

    # Without LibreOffice there is no PDF link, and the page says why.
    settings.SOFFICE_BINARY = "no-such-soffice-binary"
    page = client.get(reverse("memos:memo_detail", args=[memo.pk])).content.decode()
    assert "ดูตัวอย่าง PDF" not in page and "ไม่ได้ติดตั้ง LibreOffice" in page
    assert reverse("memos:document_download", args=[memo.pk, versions[-1].pk]) in page


def test_preview_without_libreoffice_says_so_in_thai_and_offers_the_docx(
    client: Any, roles: Any, settings: Any, django_capture_on_commit_callbacks: Any, memory_broker: MemoryBroker
) -> None:
    settings.SOFFICE_BINARY = "no-such-soffice-binary"
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    as_user(
        client, roles.clerk, django_capture_on_commit_callbacks, "post", reverse("memos:memo_submit", args=[memo.pk])
    )
    run_render_tasks(memory_broker)
    version = DocumentVersion.objects.get(memo=memo)
    response = client.get(reverse("memos:document_preview", args=[memo.pk, version.pk]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "ไม่ได้ติดตั้ง LibreOffice" in page
    assert reverse("memos:document_download", args=[memo.pk, version.pk]) in page


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (libreoffice-writer-nogui)")
def test_pdf_preview_of_the_decided_memo(
    client: Any, roles: Any, django_capture_on_commit_callbacks: Any, memory_broker: MemoryBroker, settings: Any
) -> None:
    memo = reference_memo_decided(client, roles, django_capture_on_commit_callbacks)
    settings.DOCUMENT_PAGE_MARKS = shutil.which("soffice") is not None
    with django_capture_on_commit_callbacks(execute=True):
        run_render_tasks(memory_broker)
    # the second step: the worker lays the latest version out (the earlier ones, superseded
    # already, are skipped) and serves its marked copy
    results = run_render_tasks(memory_broker)
    last = DocumentVersion.objects.filter(memo=memo).order_by("-version").first()
    assert last is not None
    if settings.DOCUMENT_PAGE_MARKS:
        assert results and set(results) == {"done"}
        last.refresh_from_db()
        # the worker wrote the continuation markers and the page bookmarks into the .docx
        with last.file.open("rb") as stored:
            xml = zipfile.ZipFile(io.BytesIO(stored.read())).read("word/document.xml").decode()
        assert "_SarabanPage2" in xml and "_SarabanNext1" in xml
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:memo_detail", args=[memo.pk])).content.decode()
    url = reverse("memos:document_preview", args=[memo.pk, last.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    assert "inline" in response["Content-Disposition"]
    if settings.DOCUMENT_PAGE_MARKS:
        path = Path(settings.VAR_DIR) / "preview.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True).stdout
        assert "- ๒ -" in text
        assert re.search(r"^/\S.*\.\.\.$", text, re.M), "a continuation marker"


def test_the_drafter_can_preview_the_draft_and_nobody_else(client: Any, roles: Any) -> None:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    url = reverse("memos:document_draft", args=[memo.pk])
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:memo_detail", args=[memo.pk])).content.decode()
    assert url in page and "ยังไม่มีฉบับเอกสาร" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    text = "\n".join(paragraph_texts(open_docx(b"".join(response.streaming_content))))
    assert memo.subject in text
    assert DocumentVersion.objects.count() == 0  # a draft preview is never stored
    client.force_login(roles.district_clerk)
    assert client.get(url).status_code == 404


def test_admin_index_warns_when_no_emblem_is_configured(client: Any, settings: Any, tmp_path: Path) -> None:
    admin_user = UserFactory(superuser=True)
    client.force_login(admin_user)
    settings.DOCUMENT_EMBLEM_PATH = ""
    page = client.get(reverse("admin:index")).content.decode()
    assert "ยังไม่ได้กำหนดไฟล์ตราครุฑ" in page
    emblem = tmp_path / "garuda.png"
    emblem.write_bytes(tiny_png())
    settings.DOCUMENT_EMBLEM_PATH = str(emblem)
    page = client.get(reverse("admin:index")).content.decode()
    assert "ตราครุฑ" not in page


def test_storage_is_djangos_default_storage(
    client: Any, roles: Any, django_capture_on_commit_callbacks: Any, memory_broker: MemoryBroker
) -> None:
    # What makes S3-compatible storage a configuration change: the file is reached only
    # through the storage API, by name.
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    as_user(
        client, roles.clerk, django_capture_on_commit_callbacks, "post", reverse("memos:memo_submit", args=[memo.pk])
    )
    run_render_tasks(memory_broker)
    version = DocumentVersion.objects.get(memo=memo)
    assert default_storage.exists(version.file.name)
    with default_storage.open(version.file.name, "rb") as handle:
        assert open_docx(io.BytesIO(handle.read()).getvalue())
