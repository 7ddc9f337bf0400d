"""`python manage.py memo_check FILE`: the preflight checker for a .docx or a UTF-8 text file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.preflight import SEVERITY_TH, check_text, docx_text, has_errors

EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = "ตรวจบันทึกข้อความก่อนส่ง (.docx หรือไฟล์ข้อความ UTF-8): พิมพ์ข้อที่พบบรรทัดละหนึ่งรายการ และจบด้วยรหัสไม่เป็นศูนย์เมื่อมีข้อผิดพลาด"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="ไฟล์ .docx หรือ .txt (UTF-8)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        text = self._read(path)
        findings = check_text(text)
        for finding in findings:
            self.stdout.write(finding.format())
        errors = sum(1 for f in findings if f.is_error)
        warnings = len(findings) - errors
        summary = f"{path.name}: {SEVERITY_TH['error']} {errors} รายการ, {SEVERITY_TH['warning']} {warnings} รายการ"
        if has_errors(findings):
            raise CommandError(summary + " — ต้องแก้ไขก่อนส่ง", returncode=EXIT_FINDINGS)
        self.stdout.write(summary)

    def _read(self, path: Path) -> str:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"อ่านไฟล์ {path} ไม่ได้: {exc.strerror or exc}", returncode=EXIT_UNREADABLE)
        if path.suffix.lower() == ".docx" or data[:2] == b"PK":
            try:
                return docx_text(data)
            except Exception as exc:  # python-docx raises several kinds for a damaged package
                raise CommandError(f"ไฟล์ {path.name} ไม่ใช่ .docx ที่อ่านได้ ({exc})", returncode=EXIT_UNREADABLE)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError(
                f"ไฟล์ {path.name} ไม่ได้เข้ารหัสเป็น UTF-8 โปรดบันทึกใหม่เป็น UTF-8 หรือใช้ไฟล์ .docx",
                returncode=EXIT_UNREADABLE,
            )
