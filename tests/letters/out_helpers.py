"""Shared pieces of the outgoing letter tests."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from directory.models import Capacity, Position, Unit
from letters.models import Agency
from letters.outgoing import OutgoingInput, outgoing_create
from letters.outgoing_models import OutgoingLetter
from letters.services import LetterFacts, letter_book_in
from tests.conftest import official


def reviewer() -> Any:
    """The head of the institute's administration division, who checks letters before the director."""
    return official("hrdadmin", "นาง", "ปราณี", "ตรวจดี", "hrd-admin", posts=(("hrd-admin-director", Capacity.HOLDER),))


def agency(email: str = "saraban@ocsc.example") -> Agency:
    return Agency.objects.create(name="สำนักงาน ก.พ.", email=email, address="๔๗/๑๑๑ ถนนติวานนท์ จังหวัดนนทบุรี")


def letter_input(**overrides: Any) -> OutgoingInput:
    values: dict[str, Any] = {
        "subject": "ขอความอนุเคราะห์ใช้แบบประเมินตนเองด้านทักษะดิจิทัล",
        "addressee": "เลขาธิการคณะกรรมการข้าราชการพลเรือน",
        "body": "ตามที่ สำนักงาน ก.พ. ได้พัฒนาแบบประเมิน นั้น\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
        "signing_position_id": Position.objects.get(key="ops-hrd-head").pk,
        "recipient_name": "สำนักงาน ก.พ.",
        "recipient_email": "saraban@ocsc.example",
        "enclosures": "แผนพัฒนาทักษะด้านดิจิทัล จำนวน ๑ ชุด",
    }
    values.update(overrides)
    return OutgoingInput(**values)


def draft(user: Any, **overrides: Any) -> OutgoingLetter:
    return outgoing_create(user=user, data=letter_input(**overrides))


def received(roles: Any, **overrides: Any) -> Any:
    """A letter from the OCSC booked in by the institute's clerk."""
    facts: dict[str, Any] = {
        "sender_name": "สำนักงาน ก.พ.",
        "their_number": "นร ๑๐๐๘/ว ๑๔",
        "their_date": dt.date(2026, 11, 20),
        "subject": "การใช้แบบประเมินตนเองด้านทักษะดิจิทัล",
        "addressee": "ผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
    }
    facts.update(overrides)
    return letter_book_in(user=roles.clerk, unit=Unit.objects.get(key="ops-hrd"), facts=LetterFacts(**facts))


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode("utf-8")
