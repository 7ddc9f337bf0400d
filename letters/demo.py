"""Demo letters for `make run`: the agencies letters come from, a letter from the OCSC booked
in at ส.ส.ป. and passed to the institute (so the institute's clerk can answer it), and one
e-mail waiting at ส.ส.ป. to be booked in. Made through the services, as a clerk would; run
again, it makes nothing new."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from directory.models import Unit
from documents.thai import to_thai_digits

from .models import Agency, Channel, IncomingLetter
from .services import IncomingFile, LetterFacts, letter_book_in, letter_intake, letter_route

AGENCIES = (
    ("สำนักงาน ก.พ.", "saraban@ocsc.example", "๔๗/๑๑๑ ถนนติวานนท์ ตำบลตลาดขวัญ อำเภอเมือง จังหวัดนนทบุรี ๑๑๐๐๐"),
    ("กรมบัญชีกลาง", "saraban@cgd.example", "ถนนพระรามที่ ๖ แขวงพญาไท เขตพญาไท กรุงเทพมหานคร ๑๐๔๐๐"),
    ("สำนักงบประมาณ", "saraban@bb.example", "ถนนพระรามที่ ๖ แขวงพญาไท เขตพญาไท กรุงเทพมหานคร ๑๐๔๐๐"),
)
DEMO_SOURCE = "demo-mail-1@saraban.example"


@transaction.atomic
def seed_letters_demo() -> list[str]:
    """Returns a line per thing made (empty when everything was there already)."""
    made: list[str] = []
    for name, email, address in AGENCIES:
        _agency, created = Agency.objects.get_or_create(name=name, defaults={"email": email, "address": address})
        if created:
            made.append(f"หน่วยงานภายนอก: {name}")
    ops = Unit.objects.get(key="ops-secretariat")
    institute = Unit.objects.get(key="ops-hrd")
    clerk = get_user_model().objects.get(username="ops_clerk")
    ocsc = Agency.objects.get(name="สำนักงาน ก.พ.")
    if not IncomingLetter.objects.filter(unit=ops, their_number="นร ๑๐๐๘/ว ๑๔").exists():
        letter = letter_book_in(
            user=clerk,
            unit=ops,
            facts=LetterFacts(
                sender_agency=ocsc,
                their_number="นร ๑๐๐๘/ว ๑๔",
                their_date=timezone.localdate() - dt.timedelta(days=3),
                subject="ขอความร่วมมือใช้แบบประเมินตนเองด้านทักษะดิจิทัลของข้าราชการ",
                addressee="ปลัดกรุงเทพมหานคร",
                enclosures="แบบประเมิน จำนวน ๑ ชุด",
            ),
        )
        letter_route(
            user=clerk,
            letter=letter,
            to_unit=institute,
            note="มอบสถาบันพัฒนาข้าราชการกรุงเทพมหานครพิจารณาดำเนินการ และตอบ สำนักงาน ก.พ. โดยตรง",
        )
        made.append(f"หนังสือรับ เลขรับ {to_thai_digits(letter.receive_number or 0)} ส่งต่อสถาบันพัฒนาข้าราชการกรุงเทพมหานครแล้ว")
    _waiting, created = letter_intake(
        unit=ops,
        channel=Channel.EMAIL,
        source_ref=DEMO_SOURCE,
        facts=LetterFacts(
            sender_name="กรมบัญชีกลาง <saraban@cgd.example>",
            their_number="กค ๐๔๐๒.๒/ว ๕๕",
            subject="แนวทางการเบิกจ่ายเงินงบประมาณรายจ่ายประจำปี",
            text="เรียน ปลัดกรุงเทพมหานคร\n\nกรมบัญชีกลางขอแจ้งแนวทางการเบิกจ่ายเงินงบประมาณ รายละเอียดตามสิ่งที่ส่งมาด้วย",
        ),
        files=[
            IncomingFile(name="message.txt", content="แนวทางการเบิกจ่ายเงินงบประมาณ".encode(), content_type="text/plain")
        ],
    )
    if created:
        made.append("อีเมลจากกรมบัญชีกลาง รอลงทะเบียนรับที่ ส.ส.ป.")
    return made
