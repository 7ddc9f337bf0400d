from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from search.indexer import rebuild
from search.sources import SOURCES


class Command(BaseCommand):
    help = "สร้างดัชนีค้นหาใหม่ทั้งหมด (บันทึกข้อความ หนังสือเวียน หนังสือรับ) จากข้อมูลปัจจุบัน"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", choices=sorted(SOURCES), help="เฉพาะประเภทนี้ (ระบุซ้ำได้)")
        parser.add_argument("--batch", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = rebuild(options["kind"], batch=options["batch"])
        for kind, count in counts.items():
            self.stdout.write(f"{SOURCES[kind].label}: {count:,} รายการ")
