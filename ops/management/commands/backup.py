"""`manage.py backup [--output FILE]`: the database and every stored file in one archive with
a checksum manifest (ops.backup). Runs while the site is up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.thai import to_thai_digits
from ops.backup import BackupError, backup, default_archive_path


class Command(BaseCommand):
    help = "สำรองฐานข้อมูลและไฟล์ที่จัดเก็บทั้งหมดไว้ในไฟล์เดียว พร้อมรายการค่าตรวจสอบ (SHA-256)"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--output", type=Path, help="ไฟล์ปลายทาง (ค่าเริ่มต้น var/backups/saraban-<เวลา>.tar.gz)")

    def handle(self, *args: object, **options: Any) -> None:
        target: Path = options["output"] or default_archive_path()
        if target.exists():
            raise CommandError(f"มีไฟล์ {target} อยู่แล้ว: ระบุชื่อไฟล์อื่น")
        try:
            summary = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"สำรองข้อมูลแล้ว: {summary.archive}\n"
            f"ฐานข้อมูล {summary.engine}, ไฟล์ {to_thai_digits(summary.files)} ไฟล์ "
            f"({to_thai_digits(summary.bytes)} ไบต์), ห่วงโซ่ประวัติ {to_thai_digits(summary.chains)} ห่วงโซ่"
        )
