from django.core.management.base import BaseCommand
from django.urls import reverse

from directory.loader import load_bma_directory
from memos.demo import seed_demo_users, seed_reference_draft


class Command(BaseCommand):
    help = "สร้างผู้ใช้ตัวอย่างตามสถานการณ์อ้างอิง (โหลดโครงสร้างกรุงเทพมหานครก่อนถ้ายังไม่มี)"

    def handle(self, *args: object, **options: object) -> None:
        load_bma_directory()
        rows = seed_demo_users()
        self.stdout.write("ผู้ใช้ตัวอย่าง (ชื่อผู้ใช้ / รหัสผ่าน / บทบาท):")
        for username, password, role in rows:
            self.stdout.write(f"  {username:<16} {password:<16} {role}")
        draft = seed_reference_draft()
        self.stdout.write(
            f"บันทึกข้อความตามตัวอย่างอ้างอิง (ร่างของ inst_clerk): {reverse('memos:memo_detail', args=[draft.pk])}"
        )
