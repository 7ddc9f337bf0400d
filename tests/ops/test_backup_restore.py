"""The restore drill: make data (the reference memo decided, its circular, an attachment and
the rendered documents), `manage.py backup`, wipe the database and the stored files,
`manage.py restore`, then every audit chain verifies against the checkpoint taken at backup
time and every stored file is byte-identical. A corrupted archive is refused, in Thai,
before anything is touched. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.chain import chain_verify_all, kinds
from directives.models import Directive, DirectiveEvent
from documents.models import DocumentVersion, VersionStatus
from documents.tasks import render_version
from memos import services
from memos.models import Memo, MemoEvent, MemoState
from memos.reference import DEPUTY_NOTE, ORDER_ACTOR, reference_memo_input
from ops.backup import stored_names
from tests.audit.conftest import sent_directive

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = b"%PDF-1.4\n% the project plan\n" + bytes(range(256)) * 40


def decided_memo_with_attachment(roles: Any) -> Memo:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    services.attachment_add(
        memo=memo, user=roles.clerk, upload=SimpleUploadedFile("แผนโครงการ.pdf", PLAN, "application/pdf")
    )
    services.memo_submit(memo=memo, user=roles.clerk)
    services.memo_sign(memo=memo, user=roles.director)
    services.memo_forward(memo=memo, user=roles.deputy, note=DEPUTY_NOTE)
    services.memo_decide(
        memo=memo, user=roles.perm_sec, rulings={1: "approve", 2: "order", 3: "order"}, order_actor=ORDER_ACTOR
    )
    return Memo.objects.get(pk=memo.pk)


def stored_files() -> dict[str, str]:
    digests = {}
    for name in stored_names(default_storage):
        with default_storage.open(name, "rb") as handle:
            digests[name] = hashlib.sha256(handle.read()).hexdigest()
    return digests


def wipe() -> None:
    call_command("flush", interactive=False, verbosity=0)
    for name in stored_names(default_storage):
        default_storage.delete(name)
    assert not Memo.objects.exists() and stored_files() == {}


def every_chain_verifies() -> int:
    checked = 0
    for kind in kinds():
        for report in chain_verify_all(kind, None, checkpoints={}):
            assert report.ok, (kind.name, report.owner_id, report.reason)
            checked += 1
    return checked


@pytest.fixture
def drill_data(roles: Any) -> dict[str, Any]:
    memo = decided_memo_with_attachment(roles)
    directive = sent_directive(memo, roles)
    for version in DocumentVersion.objects.filter(status=VersionStatus.PENDING):
        assert render_version(version.pk) == "done"
    assert memo.state == MemoState.APPROVED
    return {
        "memo": memo.pk,
        "directive": directive.pk,
        "number": memo.number,
        "memo_events": MemoEvent.objects.filter(memo=memo).count(),
        "directive_events": DirectiveEvent.objects.filter(directive=directive).count(),
        "files": stored_files(),
    }


def test_backup_wipe_restore_then_every_chain_verifies_and_files_are_identical(
    drill_data: dict[str, Any], tmp_path: Path
) -> None:
    files = drill_data["files"]
    assert len(files) >= 3  # the attachment, the memo's .docx versions, the circular's
    archive = tmp_path / "saraban.tar.gz"
    out = io.StringIO()
    call_command("backup", output=archive, stdout=out)
    assert "สำรองข้อมูลแล้ว" in out.getvalue()

    wipe()
    out = io.StringIO()
    call_command("restore", str(archive), interactive=False, stdout=out)
    assert "ห่วงโซ่ประวัติทุกห่วงโซ่ตรวจสอบผ่าน" in out.getvalue()

    memo = Memo.objects.get(pk=drill_data["memo"])
    assert memo.state == MemoState.APPROVED and memo.number == drill_data["number"]
    assert MemoEvent.objects.filter(memo=memo).count() == drill_data["memo_events"]
    assert DirectiveEvent.objects.filter(directive_id=drill_data["directive"]).count() == drill_data["directive_events"]
    assert Directive.objects.get(pk=drill_data["directive"]).distributions.count() > 50
    assert every_chain_verifies() >= 2
    call_command("verify_audit", stdout=io.StringIO())  # exits non-zero on any bad chain
    assert stored_files() == files
    with memo.attachments.get().file.open("rb") as handle:
        assert handle.read() == PLAN


def rewrite(archive: Path, target: Path, change: dict[str, bytes]) -> None:
    """Copy the archive, replacing the named members' bytes (the manifest is kept)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for info in source:
            handle = source.extractfile(info)
            assert handle is not None
            data = change.get(info.name, handle.read())
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))


def test_a_corrupted_archive_is_refused_before_anything_changes(
    drill_data: dict[str, Any], roles: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "saraban.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    attachment = next(name for name in manifest["members"] if name.endswith(".pdf"))

    # A memo decided after the backup: a refused restore must leave it in place.
    late = services.memo_create(user=roles.clerk, data=reference_memo_input())

    altered = tmp_path / "altered.tar.gz"
    rewrite(archive, altered, {attachment: PLAN.replace(b"plan", b"PLAN")})
    with pytest.raises(CommandError, match="ไฟล์สำรองข้อมูลเสียหาย.*ไม่ตรงกับค่าตรวจสอบ: " + attachment):
        call_command("restore", str(altered), interactive=False, stdout=io.StringIO())

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="ไฟล์สำรองข้อมูลเสียหายหรือไม่ใช่ไฟล์สำรองข้อมูลของระบบนี้ ไม่ได้กู้คืนสิ่งใด"):
        call_command("restore", str(truncated), interactive=False, stdout=io.StringIO())

    flipped = bytearray(archive.read_bytes())
    flipped[len(flipped) // 3] ^= 0xFF
    (tmp_path / "flipped.tar.gz").write_bytes(bytes(flipped))
    with pytest.raises(CommandError, match="ไฟล์สำรองข้อมูลเสียหาย"):
        call_command("restore", str(tmp_path / "flipped.tar.gz"), interactive=False, stdout=io.StringIO())

    assert Memo.objects.filter(pk=late.pk).exists()
    assert stored_files() == drill_data["files"]
