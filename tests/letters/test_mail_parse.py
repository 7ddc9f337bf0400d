"""Reading an e-mailed letter: sender, subject with the sender's number and date, text,
attachments, and a stable reference for a message without a Message-ID."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest

from letters.mail.parse import BODY_NAME, MessageError, parse_message, subject_facts
from letters.models import FileRole

from .imap_server import PDF, PNG, letter_mail


@pytest.mark.parametrize(
    ("subject", "number", "date"),
    [
        ("ที่ กท ๐๔๐๑/๑๒๓ ลงวันที่ ๒ ธันวาคม ๒๕๖๙ เรื่อง ขอเชิญประชุม", "กท ๐๔๐๑/๑๒๓", dt.date(2026, 12, 2)),
        ("ศธ 04001/ว123 (1 ธ.ค. 2569) ขอความร่วมมือ", "ศธ 04001/ว123", dt.date(2026, 12, 1)),
        ("ด่วนที่สุด ที่ นร ๐๑๐๕.๒/๔๕๖", "นร ๐๑๐๕.๒/๔๕๖", None),
        ("Re: ขอเชิญประชุม", "", None),
        ("ที่ กท ๐๔๐๑/๑ ลงวันที่ ๓๑ กุมภาพันธ์ ๒๕๖๙", "กท ๐๔๐๑/๑", None),  # no such day
    ],
)
def test_the_senders_number_and_date_are_read_from_the_subject(subject: str, number: str, date: dt.date | None) -> None:
    assert subject_facts(subject) == (number, date)


def test_an_html_only_message_without_message_id_is_read_and_referenced_by_its_hash() -> None:
    message = EmailMessage()
    message["From"] = "saraban@dla.go.th"
    message["Subject"] = "=?utf-8?b?4LmB4LiI4LmJ4LiH4LiB4Liz4Lir4LiZ4LiU4LiB4Liy4Lij?="  # แจ้งกำหนดการ
    message.set_content("<p>ขอแจ้ง<b>กำหนดการ</b></p>", subtype="html")
    raw = message.as_bytes()

    parsed = parse_message(raw)

    assert parsed.source_ref.startswith("sha256:") and parse_message(raw).source_ref == parsed.source_ref
    assert parsed.facts.sender_name == "saraban@dla.go.th"
    assert parsed.facts.subject == "แจ้งกำหนดการ"
    assert parsed.facts.text == "ขอแจ้งกำหนดการ"
    [body] = parsed.files
    assert (body.name, body.role, body.content.decode()) == (BODY_NAME, FileRole.MAIN, "ขอแจ้งกำหนดการ")


def test_the_pdf_is_the_letter_and_the_rest_its_enclosures_and_inline_logos_are_not_files() -> None:
    message = EmailMessage()
    message["From"] = "saraban@ocsc.go.th"
    message["Subject"] = "ส่งหนังสือ"
    message.set_content("เรียน")
    message.add_alternative("<p>เรียน</p><img src='cid:logo@x'>", subtype="html")
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    html.add_related(PNG, maintype="image", subtype="png", cid="<logo@x>", filename="logo.png", disposition="inline")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="รูป.png")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="หนังสือ.pdf")

    parsed = parse_message(message.as_bytes())

    assert [(f.name, f.role) for f in parsed.files] == [
        ("หนังสือ.pdf", FileRole.MAIN),
        ("รูป.png", FileRole.ENCLOSURE),
        (BODY_NAME, FileRole.ENCLOSURE),
    ]


def test_a_letter_forwarded_as_an_attachment_brings_its_files() -> None:
    original = letter_mail(
        message_id="<orig@x>", subject="หนังสือเดิม", attachments=(("หนังสือ.pdf", PDF, "application/pdf"),)
    )
    forward = letter_mail(message_id="<fwd@x>", subject="Fwd: หนังสือเดิม", body="ส่งต่อเพื่อดำเนินการ")
    forward.add_attachment(original)
    unnamed = EmailMessage()
    unnamed["From"] = "a@x"
    unnamed.set_content("ดูไฟล์")
    unnamed.add_attachment(PDF, maintype="application", subtype="pdf")

    parsed = parse_message(forward.as_bytes())

    assert [(f.name, f.role) for f in parsed.files] == [("หนังสือ.pdf", FileRole.MAIN), (BODY_NAME, FileRole.ENCLOSURE)]
    assert parsed.files[1].content.decode() == "ส่งต่อเพื่อดำเนินการ"
    assert [f.name for f in parse_message(unnamed.as_bytes()).files] == ["ไฟล์แนบ.pdf", BODY_NAME]


def test_too_many_attachments_keep_the_first_and_name_the_rest(settings: object) -> None:
    settings.MAIL_ATTACHMENT_MAX_COUNT = 2  # type: ignore[attr-defined]
    message = letter_mail(
        message_id="<many@x>",
        subject="หลายไฟล์",
        attachments=tuple((f"ไฟล์{i}.pdf", PDF, "application/pdf") for i in range(1, 4)),
    )

    parsed = parse_message(message.as_bytes())

    assert [f.name for f in parsed.files] == ["ไฟล์1.pdf", "ไฟล์2.pdf", BODY_NAME]
    assert parsed.refused == ["ไฟล์3.pdf: เกินจำนวนไฟล์แนบที่รับได้ (๒ ไฟล์ต่อฉบับ)"]
    assert parsed.facts.remarks.startswith("ไฟล์แนบที่ไม่ได้นำเข้า: ไฟล์3.pdf")


@pytest.mark.parametrize(("raw", "error"), [(b"", "ข้อความว่างเปล่า"), (b"Subject: x\r\n\r\nbody", "ข้อความไม่มีผู้ส่ง (From)")])
def test_a_message_that_cannot_be_a_letter_is_refused_in_thai(raw: bytes, error: str) -> None:
    with pytest.raises(MessageError, match=error.replace("(", r"\(").replace(")", r"\)")):
        parse_message(raw)
