"""manage.py ecms_receive FILE.xml --unit <unit key> [--user USERNAME] [--out ACCEPT.xml]

Book in a GovernmentDocument from a file (a letter that reached the office outside the hub's
queue, or one saved from it), as the unit's saraban clerk; print the เลขรับ and write the
AcceptLetterNotifier the hub would be sent. The same file twice books nothing new."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from directory.models import Official, Unit
from documents.thai import to_thai_digits
from letters.ecms.services import ecms_receive_file
from letters.ecms.xml import EcmsError


class Command(BaseCommand):
    help = "ลงทะเบียนรับหนังสือ e-CMS (GovernmentDocument) จากไฟล์ XML"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="ไฟล์ XML ของหนังสือ (GovernmentDocument หรือข้อความ SOAP ทั้งฉบับ)")
        parser.add_argument("--unit", required=True, help="รหัสอ้างอิงของส่วนราชการผู้รับ (directory Unit.key)")
        parser.add_argument("--user", help="ชื่อผู้ใช้ของผู้ลงทะเบียนรับ (ค่าเริ่มต้น: เจ้าหน้าที่สารบรรณของส่วนราชการ)")
        parser.add_argument("--out", help="เขียน AcceptLetterNotifier ลงไฟล์นี้ (ค่าเริ่มต้น: แสดงทางหน้าจอ)")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(key=options["unit"]).first()
        if unit is None:
            raise CommandError(f"ไม่พบส่วนราชการรหัส {options['unit']}")
        user = self._user(unit, options.get("user"))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        try:
            with path.open("rb") as source:
                received = ecms_receive_file(source=source, unit=unit, user=user)
        except EcmsError as exc:
            raise CommandError(f"ไม่ลงทะเบียนรับ: {exc}") from None
        except ValidationError as exc:
            raise CommandError(f"ไม่ลงทะเบียนรับ: {' '.join(exc.messages)}") from None
        letter = received.letter
        number = f"{to_thai_digits(letter.receive_number or '')}/{to_thai_digits(letter.year or '')}"
        if received.booked_now:
            line = f"ลงทะเบียนรับแล้ว เลขรับ {number} ({unit.name}) เรื่อง {letter.subject}"
        else:
            line = f"หนังสือฉบับนี้ลงทะเบียนรับไว้แล้ว เลขรับ {number} ไม่ได้ลงรับซ้ำ"
        out = options.get("out")
        # With the XML on stdout, the line goes to stderr so stdout stays one XML document.
        (self.stdout if out else self.stderr).write(line)
        if out:
            Path(out).write_bytes(received.accept_xml)
            self.stdout.write(f"เขียน AcceptLetterNotifier ไว้ที่ {out}")
        else:
            sys.stdout.flush()
            self.stdout.write(received.accept_xml.decode("utf-8"), ending="")

    def _user(self, unit: Unit, username: str | None) -> Any:
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"ไม่พบผู้ใช้ {username}")
            return user
        clerk = (
            Official.objects.filter(unit=unit, is_clerk=True, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if clerk is None:
            raise CommandError(f"{unit.name} ไม่มีเจ้าหน้าที่สารบรรณ ระบุผู้ลงทะเบียนรับด้วย --user")
        return clerk.user
