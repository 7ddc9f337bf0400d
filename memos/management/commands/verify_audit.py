import sys
from typing import Any

from django.core.management.base import BaseCommand

from memos.audit import chain_verify
from memos.models import Memo


class Command(BaseCommand):
    help = "ตรวจสอบห่วงโซ่แฮชของบันทึกเหตุการณ์ทุกเรื่อง (หรือเรื่องที่ระบุ) และระบุเหตุการณ์แรกที่ถูกแก้ไข"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("memo_ids", nargs="*", type=int)

    def handle(self, *args: object, **options: Any) -> None:
        ids: list[int] = options["memo_ids"] or list(Memo.objects.values_list("pk", flat=True))
        bad = 0
        for memo_id in ids:
            report = chain_verify(memo_id=memo_id)
            if report.ok:
                continue
            bad += 1
            self.stderr.write(f"บันทึกข้อความ #{memo_id}: เหตุการณ์ลำดับที่ {report.first_bad_seq} ไม่ถูกต้อง — {report.reason}")
        self.stdout.write(f"ตรวจแล้ว {len(ids)} เรื่อง พบปัญหา {bad} เรื่อง")
        if bad:
            sys.exit(1)
