from django.core.management.base import BaseCommand

from directory.loader import load_bma_directory


class Command(BaseCommand):
    help = "โหลดโครงสร้างกรุงเทพมหานคร (ส่วนราชการ ตำแหน่ง กลุ่มผู้รับ) เรียกซ้ำได้โดยไม่เกิดข้อมูลซ้ำ"

    def handle(self, *args: object, **options: object) -> None:
        report = load_bma_directory()
        self.stdout.write(
            f"โหลดโครงสร้างกรุงเทพมหานครแล้ว: สร้างใหม่ {report.created} รายการ ปรับปรุง {report.updated} รายการ"
        )
        for name, count in report.groups.items():
            self.stdout.write(f"  กลุ่ม {name}: {count} ตำแหน่ง")
