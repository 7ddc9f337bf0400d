"""`python manage.py unoserver_pool`: keep the warm LibreOffice instances running (Procfile)."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand

from documents import converter
from documents.preview import soffice_binary


class Command(BaseCommand):
    help = "เปิด LibreOffice ค้างไว้ (unoserver) ตาม UNOSERVER_PORTS เพื่อแสดงตัวอย่าง PDF ได้เร็ว"

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if soffice_binary() is None or converter._uno_path() is None:
            # `make run` must not stop because LibreOffice is not installed: previews then say
            # so in Thai, and this process waits quietly beside the others.
            self.stdout.write(
                "unoserver: ไม่ได้เปิดตัวแปลงเอกสาร เนื่องจากไม่พบ LibreOffice หรือ python3-uno "
                "(ตัวอย่าง PDF จะใช้ LibreOffice ครั้งละหนึ่งโปรแกรม หรือแจ้งว่าไม่สามารถแสดงได้)"
            )
            while not stopping:
                time.sleep(1)
            return
        procs = converter.start_pool()
        ports = converter.ports()
        self.stdout.write(f"unoserver: พอร์ต {', '.join(map(str, ports))}")
        converter.warm_instances(ports)
        try:
            delay = 1.0
            while not stopping:
                # An instance that died (LibreOffice crashed) is started again, less and less
                # often while it keeps dying.
                # (start_pool skips a port another process already serves.)
                if any(p.poll() is not None for p in procs):
                    procs = [p for p in procs if p.poll() is None]
                    time.sleep(delay)
                    delay = min(delay * 2, 300.0)
                    procs += converter.start_pool()
                time.sleep(0.5)
        finally:
            converter.stop_pool(procs)
