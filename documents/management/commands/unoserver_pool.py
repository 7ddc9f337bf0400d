"""`python manage.py unoserver_pool`: keep the warm LibreOffice instances running (Procfile)."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand

from documents import converter


class Command(BaseCommand):
    help = "เปิด LibreOffice ค้างไว้ (unoserver) ตาม UNOSERVER_PORTS เพื่อแสดงตัวอย่าง PDF ได้เร็ว"

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        procs = converter.start_pool()
        ports = converter.ports()
        self.stdout.write(f"unoserver: พอร์ต {', '.join(map(str, ports))}")
        converter.warm_instances(ports)
        try:
            while not stopping:
                # An instance that died (LibreOffice crashed) is started again.
                if any(p.poll() is not None for p in procs):
                    procs = [p for p in procs if p.poll() is None]
                    time.sleep(1)
                    procs += converter.start_pool()
                time.sleep(0.5)
        finally:
            converter.stop_pool(procs)
