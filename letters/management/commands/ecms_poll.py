"""manage.py ecms_poll: take the letters waiting for us at the e-CMS hub now (what the beat
task letters.ecms.tasks.poll_inbound does on its schedule)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.thai import to_thai_digits
from letters.ecms.client import HubRefused, HubUnavailable
from letters.ecms.services import ecms_poll


class Command(BaseCommand):
    help = "รับหนังสือที่รออยู่ที่ศูนย์ e-CMS เข้าคิวรอลงทะเบียนรับ"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = ecms_poll()
        except (HubUnavailable, HubRefused) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"รับเข้าคิวรอลงรับ {to_thai_digits(result.taken)} ฉบับ, เคยรับแล้ว {to_thai_digits(result.known)} ฉบับ, "
            f"แจ้งหนังสือผิด {to_thai_digits(result.invalid)} ฉบับ, การแจ้งสถานะหนังสือที่ส่ง {to_thai_digits(result.notices)} รายการ"
        )
        for error in result.errors:
            self.stderr.write(error)
