"""manage.py ecms_refresh_codes [--file codes.json]

Refresh the e-CMS code lists (secrecy, speed, mime, ministries, organisations) from the hub
(ECMS_HUB_URL), or from a JSON file: {"secret": [{"code": "001", "name": "ปกติ"}, ...],
"speed": [...], "mime": [{"code": "application/pdf", "name": "PDF", "extension": "pdf"}],
"ministry": [...], "org": [{"code": "...", "name": "...", "ministry": "..."}]}; a list the
file leaves out is left as it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.thai import to_thai_digits
from letters.ecms.client import HubRefused, HubUnavailable
from letters.ecms.models import CodeKind
from letters.ecms.services import codes_from_hub, codes_refresh
from letters.ecms.xml import EcmsError


class Command(BaseCommand):
    help = "ปรับปรุงรายการรหัสของระบบ e-CMS (ชั้นความลับ ชั้นความเร็ว ชนิดไฟล์ กระทรวง หน่วยงาน)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", help="อ่านรายการรหัสจากไฟล์ JSON แทนการถามศูนย์ e-CMS")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            lists = self._from_file(Path(options["file"])) if options.get("file") else codes_from_hub()
            counts = codes_refresh(lists=lists)
        except (HubUnavailable, HubRefused, EcmsError) as exc:
            raise CommandError(f"ปรับปรุงรายการรหัสไม่สำเร็จ: {exc}") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for kind, count in counts.items():
            self.stdout.write(f"{CodeKind(kind).label}: {to_thai_digits(count)} รายการ")

    def _from_file(self, path: Path) -> dict[str, list[dict[str, str]]]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"อ่านไฟล์ {path} ไม่ได้: {exc}") from None
        if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
            raise CommandError('ไฟล์ต้องเป็น JSON แบบ {"secret": [{"code": ..., "name": ...}], ...}')
        return data
