"""`manage.py restore FILE`: checks every checksum of a `manage.py backup` archive, and only
then replaces the database and the stored files; then verifies every audit chain against
the checkpoint taken at backup time. Stop the web server and the workers first."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from documents.thai import to_thai_digits
from ops.backup import BackupError, checkpoint_of, restore


class Command(BaseCommand):
    help = "กู้คืนฐานข้อมูลและไฟล์จากไฟล์สำรองข้อมูล หลังตรวจค่าตรวจสอบครบทุกรายการ (หยุดเว็บและ worker ก่อน)"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("archive", type=Path, help="ไฟล์ที่ได้จาก manage.py backup")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help="ไม่ต้องถามยืนยัน")

    def handle(self, *args: object, **options: Any) -> None:
        archive: Path = options["archive"]
        if options["interactive"]:
            answer = input("การกู้คืนจะแทนที่ข้อมูลทั้งหมดในฐานข้อมูลปัจจุบันด้วยข้อมูลจากไฟล์สำรอง พิมพ์ yes เพื่อดำเนินการต่อ: ")
            if answer.strip().lower() != "yes":
                raise CommandError("ยกเลิกการกู้คืน ไม่มีการเปลี่ยนแปลงข้อมูล")
        try:
            summary = restore(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"กู้คืนแล้วจาก {archive}: ฐานข้อมูล {summary.engine}, ไฟล์ {to_thai_digits(summary.files)} ไฟล์")
        if summary.kept_files:
            self.stdout.write(
                f"ไฟล์ที่จัดเก็บหลังการสำรอง {to_thai_digits(len(summary.kept_files))} ไฟล์ยังอยู่ที่เดิม (ไม่มีข้อมูลใดอ้างถึงหลังกู้คืน)"
            )
        out, err = io.StringIO(), io.StringIO()
        checkpoint = checkpoint_of(archive)
        try:
            call_command("verify_audit", checkpoint=checkpoint if checkpoint.exists() else None, stdout=out, stderr=err)
        except SystemExit as exc:
            self.stdout.write(out.getvalue())
            raise CommandError(
                "กู้คืนแล้ว แต่ห่วงโซ่ประวัติตรวจสอบไม่ผ่าน (AUDIT_HMAC_KEY ต้องเป็นค่าเดียวกับตอนสำรอง):\n" + err.getvalue()
            ) from exc
        self.stdout.write(out.getvalue().rstrip())
        self.stdout.write("ห่วงโซ่ประวัติทุกห่วงโซ่ตรวจสอบผ่าน ตรงกับจุดตรวจสอบ ณ เวลาสำรองข้อมูล")
