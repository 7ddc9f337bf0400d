"""An external letter and register lines in the wording of the reference scenario, for tests,
the README's picture and a future letters app's demo.

The institute asks the Office of the Civil Service Commission (สำนักงาน ก.พ.) for the use of
its Digital Government Skill Set Self-Assessment, which the reference memo's facts (ข้อ ๔.๓)
say the institute adopted. The names and numbers are plausible ones, not a real letter's.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from .data import LetterDoc, RegisterRow, Signature

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")

INSTITUTE_ADDRESS = (
    "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
    "๑๗๓ ถนนดินสอ แขวงเสาชิงช้า",
    "เขตพระนคร กรุงเทพฯ ๑๐๒๐๐",
)

SIGNER = Signature(
    "(นายสันติ ตั้งชาญรัชชัย)",
    ("ผู้อำนวยการส่วนยุทธศาสตร์การพัฒนา รักษาการในตำแหน่ง", "ผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร"),
)

BODY = (
    "ตามที่ สำนักงาน ก.พ. ได้พัฒนาแบบประเมินตนเองด้านทักษะดิจิทัลสำหรับข้าราชการ "
    "(Digital Government Skill Set Self-Assessment) เพื่อให้ส่วนราชการใช้ประเมินทักษะด้านดิจิทัล"
    "ของบุคลากรในรูปแบบออนไลน์ ความละเอียดแจ้งแล้ว นั้น\n\n"
    "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร ได้จัดทำแผนพัฒนาทักษะด้านดิจิทัลของข้าราชการกรุงเทพมหานคร"
    "และบุคลากรกรุงเทพมหานคร ระยะเริ่มแรก (Early) ตามมติคณะกรรมการข้าราชการกรุงเทพมหานครและบุคลากร"
    "กรุงเทพมหานคร (ก.ก.) ในการประชุมครั้งที่ ๕/๒๕๖๓ เมื่อวันที่ ๒๑ พฤษภาคม ๒๕๖๓ และประสงค์จะใช้"
    "แบบประเมินดังกล่าวกับข้าราชการกรุงเทพมหานครและบุคลากรกรุงเทพมหานคร จำนวน ๕๘,๗๕๓ คน "
    "เพื่อนำผลไปวางแผนการพัฒนาทักษะด้านดิจิทัลให้ตรงกับความต้องการของแต่ละกลุ่ม\n\n"
    "จึงเรียนมาเพื่อโปรดพิจารณาให้ความอนุเคราะห์ให้สถาบันฯ ใช้แบบประเมินดังกล่าว "
    "และแจ้งผู้ประสานงานของสำนักงาน ก.พ. ให้สถาบันฯ ทราบด้วย จะขอบคุณยิ่ง"
)


def example_letter_doc() -> LetterDoc:
    return LetterDoc(
        number="กท ๐๔๐๑/๑๓๒",
        agency_address=INSTITUTE_ADDRESS,
        date=dt.date(2021, 1, 15),
        subject="ขอความอนุเคราะห์ใช้แบบประเมินตนเองด้านทักษะดิจิทัลสำหรับข้าราชการ",
        addressee="เลขาธิการคณะกรรมการข้าราชการพลเรือน",
        references=("หนังสือสำนักงาน ก.พ. ด่วนที่สุด ที่ นร ๑๐๐๘/ว ๑๔ ลงวันที่ ๓ ธันวาคม ๒๕๖๓",),
        attachments=("แผนพัฒนาทักษะด้านดิจิทัลของข้าราชการกรุงเทพมหานครและบุคลากรกรุงเทพมหานคร จำนวน ๑ ชุด",),
        body=BODY,
        signature=SIGNER,
        owner_unit="ส่วนยุทธศาสตร์การพัฒนา",
        phone="๐ ๒๖๒๑ ๑๕๒๘",
        fax="๐ ๒๖๒๑ ๑๕๒๓",
        email="bmahrd01@gmail.com",
    )


def example_register_rows() -> tuple[RegisterRow, ...]:
    """Three lines of the institute's registers for January 2564."""
    return (
        RegisterRow(
            51,
            "กท ๐๔๐๑/ว ๕๑",
            dt.date(2021, 1, 11),
            "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
            "ทุกหน่วยงาน (๘๗ หน่วยงาน)",
            "แผนพัฒนาข้าราชการกรุงเทพมหานครและบุคลากรกรุงเทพมหานครประจำปีงบประมาณ พ.ศ. ๒๕๖๔",
            received_at=dt.datetime(2021, 1, 11, 16, 0, tzinfo=BANGKOK),
            action="แจ้งเวียนแล้ว",
        ),
        RegisterRow(
            132,
            "กท ๐๔๐๑/๑๓๒",
            dt.date(2021, 1, 15),
            "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
            "เลขาธิการคณะกรรมการข้าราชการพลเรือน",
            "ขอความอนุเคราะห์ใช้แบบประเมินตนเองด้านทักษะดิจิทัลสำหรับข้าราชการ",
            received_at=dt.datetime(2021, 1, 15, 10, 30, tzinfo=BANGKOK),
            action="ส่งทางไปรษณีย์ลงทะเบียน",
            remarks="สำเนาส่วนยุทธศาสตร์ฯ",
        ),
        RegisterRow(
            133,
            "นร ๑๐๐๘/๕๕",
            dt.date(2021, 1, 20),
            "สำนักงาน ก.พ.",
            "ผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
            "ตอบรับการใช้แบบประเมินตนเองด้านทักษะดิจิทัล",
            received_at=dt.datetime(2021, 1, 22, 9, 15, tzinfo=BANGKOK),
            action="ส่วนยุทธศาสตร์ฯ ดำเนินการ",
        ),
    )
