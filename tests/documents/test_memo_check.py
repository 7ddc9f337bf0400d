"""`manage.py memo_check FILE` prints one finding a line and fails when there are errors."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.docx_builder import build_memo_docx
from documents.reference import reference_memo_doc

ROOT = Path(__file__).resolve().parents[2]

DRAFT = (
    "บันทึกข้อความ\nเรื่อง ขออนุมัติจัดซื้อวัสดุ\nเรียน ผู้อำนวยการเขตพระนคร\n"
    "ค่าวัสดุ ๑,๒๕๐.- บาท (หนึ่งพันสองร้อยบาทถ้วน) ลงวันที่ ๓๑ มิถุนายน ๒๕๖๙\n"
)


def test_errors_are_printed_one_a_line_and_fail_the_command(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("memo_check", str(draft), stdout=out)
    assert caught.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("ข้อผิดพลาด") for line in lines)
    assert any("หนึ่งพันสองร้อยห้าสิบบาทถ้วน" in line for line in lines)


def test_a_clean_docx_passes(tmp_path: Path) -> None:
    memo = tmp_path / "memo.docx"
    memo.write_bytes(build_memo_docx(reference_memo_doc()))
    out = StringIO()
    call_command("memo_check", str(memo), stdout=out)
    assert "ข้อผิดพลาด 0 รายการ" in out.getvalue()


def test_warnings_alone_do_not_fail(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT.replace("(หนึ่งพันสองร้อยบาทถ้วน)", "").replace("๓๑", "30"), encoding="utf-8")
    out = StringIO()
    call_command("memo_check", str(draft), stdout=out)
    assert out.getvalue().splitlines()[0].startswith("คำเตือน [mixed-digits]")


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    latin1 = tmp_path / "draft.txt"
    latin1.write_bytes("เรื่อง".encode("cp874"))
    with pytest.raises(CommandError) as caught:
        call_command("memo_check", str(latin1))
    assert caught.value.returncode == 2
    assert "UTF-8" in str(caught.value)
    with pytest.raises(CommandError) as missing:
        call_command("memo_check", str(tmp_path / "none.docx"))
    assert missing.value.returncode == 2


def test_exit_codes_of_the_real_command(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(DRAFT, encoding="utf-8")
    good = tmp_path / "good.docx"
    good.write_bytes(build_memo_docx(reference_memo_doc()))
    run = [sys.executable, str(ROOT / "manage.py"), "memo_check"]
    failed = subprocess.run([*run, str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert failed.returncode == 1, failed.stderr
    assert failed.stdout.count("\n") == 2
    passed = subprocess.run([*run, str(good)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert passed.returncode == 0, passed.stderr
