"""`manage.py ecms_receive FILE.xml --unit ...`: a GovernmentDocument from a file booked in,
once; and the reader's refusals (bad XML, DTDs and entities, a missing main letter, an
unknown sender, a 200 MB enclosure, a wrong file type), each in Thai, each booking nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from lxml import etree

from letters.ecms.models import CodeKind, EcmsCode, EcmsNotifier
from letters.ecms.xml import EcmsError, read_letter
from letters.models import IncomingLetter, IncomingState
from registers.models import RegisterEntry

from .ecms_hub import letter_chunks, letter_xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(roles) -> None:
    EcmsCode.objects.create(kind=CodeKind.ORGANISATION, code="ORG-CGD", name="กรมบัญชีกลาง", parent="MIN-MOF")


def _run(path: Path, *extra: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with override_settings(ECMS_UNITS={"ORG-BMA-OPS": "ops-secretariat"}, ECMS_HUB_URL=""):
        call_command("ecms_receive", str(path), "--unit", "ops-secretariat", *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _nothing_booked() -> None:
    assert IncomingLetter.objects.count() == 0
    assert RegisterEntry.objects.count() == 0


def test_the_command_books_in_once_and_writes_the_accept_notifier(orgs, tmp_path):
    path = tmp_path / "letter.xml"
    path.write_bytes(letter_xml("P-1"))
    out, err = _run(path)
    letter = IncomingLetter.objects.get()
    assert letter.state == IncomingState.BOOKED
    assert letter.booked_by is not None and letter.booked_by.username == "opsclerk"
    assert "ลงทะเบียนรับแล้ว เลขรับ ๑/" in err
    notifier = etree.fromstring(out.encode())
    assert notifier.xpath("//*[local-name()='AcceptID']/text()") == [f"1/{letter.year}"]
    assert notifier.xpath("//*[local-name()='LetterID']/text()") == ["กค 0402/4321"]
    # The letter came with a ProcessID: the hub is owed the same notifier (outbox row).
    assert EcmsNotifier.objects.filter(kind="AcceptLetterNotifier", process_id="P-1").exists()

    out, err = _run(path, "--out", str(tmp_path / "accept.xml"))
    assert "ลงทะเบียนรับไว้แล้ว เลขรับ ๑/" in out and "ไม่ได้ลงรับซ้ำ" in out
    assert IncomingLetter.objects.count() == 1 and RegisterEntry.objects.count() == 1
    assert b"<AcceptID>1/" in (tmp_path / "accept.xml").read_bytes()


def test_a_bare_government_document_without_process_id_is_booked_once_too(orgs, tmp_path):
    whole = etree.fromstring(letter_xml("P-1"))
    document = whole.xpath("//*[local-name()='GovernmentDocument']")[0]
    path = tmp_path / "doc.xml"
    path.write_bytes(etree.tostring(document, xml_declaration=True, encoding="UTF-8"))
    _run(path, "--user", "opsclerk")
    _out, err = _run(path)
    assert "ลงทะเบียนรับไว้แล้ว" in err
    assert IncomingLetter.objects.count() == 1
    assert not EcmsNotifier.objects.exists()  # no hub to answer


def test_the_same_letter_booked_on_paper_first_is_refused_naming_that_booking(orgs, roles, tmp_path):
    from directory.models import Unit
    from letters.models import Agency
    from letters.services import LetterFacts, letter_book_in

    agency = Agency.objects.create(name="กรมบัญชีกลาง", ecms_code="ORG-CGD")
    import datetime as dt

    letter_book_in(
        user=roles.ops_clerk,
        unit=Unit.objects.get(key="ops-secretariat"),
        facts=LetterFacts(
            sender_agency=agency, their_number="กค ๐๔๐๒/๔๓๒๑", their_date=dt.date(2026, 11, 20), subject="ประชุม"
        ),
    )
    path = tmp_path / "letter.xml"
    path.write_bytes(letter_xml("P-1"))
    with pytest.raises(CommandError, match="ลงทะเบียนรับไว้แล้ว เลขรับ ๑/"):
        _run(path)
    assert IncomingLetter.objects.count() == 1 and RegisterEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"main": None}, "ไม่มีไฟล์ตัวหนังสือ (MainLetterBinaryObject)"),
        ({"sender": "ORG-NOBODY"}, "ไม่รู้จักรหัสหน่วยงานผู้ส่ง ORG-NOBODY"),
        ({"main_mime": "text/html"}, "ชนิดไฟล์ของหนังสือ (text/html) ไม่อยู่ในรายการชนิดไฟล์ของระบบ e-CMS"),
        ({"main": b"MZ\x90\x00\x03 a program", "main_mime": "application/pdf"}, "เนื้อไฟล์ของหนังสือไม่ใช่ไฟล์ .pdf"),
        ({"date": "20/11/2569"}, "ไม่ใช่วันที่แบบ ปปปป-ดด-วว"),
    ],
    ids=["no-main-letter", "unknown-organisation", "wrong-mime", "content-not-its-mime", "bad-date"],
)
def test_a_bad_letter_file_is_refused_in_thai_and_books_nothing(orgs, tmp_path, kwargs, says):
    path = tmp_path / "letter.xml"
    path.write_bytes(letter_xml("P-1", **kwargs))
    with pytest.raises(CommandError, match="ไม่ลงทะเบียนรับ") as refused:
        _run(path)
    assert says in str(refused.value)
    _nothing_booked()


def test_a_200_mb_enclosure_is_refused_after_reading_no_more_than_the_limit(orgs, tmp_path):
    path = tmp_path / "huge.xml"
    with path.open("wb") as out:  # streamed to disk: the test never holds 200 MB either
        for chunk in letter_chunks("P-1", huge_attachment=200 * 1024 * 1024):
            out.write(chunk)
    assert path.stat().st_size > 200 * 1024 * 1024
    with override_settings(ECMS_MAX_BYTES=20 * 1024 * 1024), pytest.raises(CommandError) as refused:
        _run(path)
    assert "ไฟล์สิ่งที่ส่งมาด้วยในหนังสือ e-CMS มีขนาดเกิน ๒๐ เมกะไบต์" in str(refused.value)
    _nothing_booked()


@pytest.mark.parametrize(
    ("xml", "says"),
    [
        (b"", "ว่างเปล่า"),
        (b"this is not xml", "XML ไม่ถูกต้อง"),
        (b"<Envelope><Body><GovernmentDocument><CorrespondenceLetter><ID>1</ID>", "XML ไม่ถูกต้อง"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b"<GovernmentDocument><CorrespondenceLetter><ID>&lol2;</ID></CorrespondenceLetter></GovernmentDocument>",
            "DOCTYPE",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b"<GovernmentDocument><CorrespondenceLetter><ID>&xxe;</ID></CorrespondenceLetter></GovernmentDocument>",
            "DOCTYPE",
        ),
        (
            b"<GovernmentDocument><CorrespondenceLetter><ID>&xxe;</ID></CorrespondenceLetter></GovernmentDocument>",
            "XML ไม่ถูกต้อง",
        ),
        (b"<Envelope><Body><Something/></Body></Envelope>", "ไม่พบหนังสือ"),
        (b"<a>" * 100 + b"</a>" * 100, "ซ้อนลึก"),
    ],
    ids=[
        "empty",
        "not-xml",
        "cut-short",
        "billion-laughs",
        "external-entity",
        "undeclared-entity",
        "no-letter",
        "deep",
    ],
)
def test_malformed_xml_is_refused_in_thai_and_books_nothing(orgs, tmp_path, xml, says):
    path = tmp_path / "bad.xml"
    path.write_bytes(xml)
    with pytest.raises(CommandError, match="ไม่ลงทะเบียนรับ") as refused:
        _run(path)
    assert says in str(refused.value)
    _nothing_booked()


def test_the_reader_accepts_both_spellings_of_the_aggregate_namespace():
    misspelt = letter_xml("P-1")
    correct = misspelt.replace(
        b"ReuseableAggregateBusinessInformaionEntity", b"ReusableAggregateBusinessInformationEntity"
    )
    for xml in (misspelt, correct):
        letter = read_letter(xml, max_bytes=1024 * 1024).letter
        assert letter is not None and letter.sender.department_id == "ORG-CGD"


def test_an_unknown_unit_or_clerkless_unit_is_a_thai_command_error(orgs, tmp_path):
    path = tmp_path / "letter.xml"
    path.write_bytes(letter_xml("P-1"))
    with pytest.raises(CommandError, match="ไม่พบส่วนราชการรหัส nowhere"):
        call_command("ecms_receive", str(path), "--unit", "nowhere")
    with pytest.raises(CommandError, match="ไม่มีเจ้าหน้าที่สารบรรณ"):
        call_command("ecms_receive", str(path), "--unit", "bma")


def test_reader_errors_carry_what_identifies_the_letter():
    with pytest.raises(EcmsError) as refused:
        read_letter(letter_xml("P-7", main=None), max_bytes=1024)
    assert refused.value.code == "no_main"
    assert refused.value.partial["process_id"] == "P-7"


def test_files_too_large_together_are_refused_though_each_fits(orgs, tmp_path):
    from .ecms_hub import PDF

    pdf = PDF + b"%" * 800
    path = tmp_path / "letter.xml"
    path.write_bytes(letter_xml("P-1", attachments=((pdf, "application/pdf"), (pdf, "application/pdf"))))
    with override_settings(ECMS_MAX_BYTES=1000, ECMS_MAX_LETTER_BYTES=1500), pytest.raises(CommandError) as refused:
        _run(path)
    assert "ไฟล์ทั้งหมดในหนังสือ e-CMS ฉบับนี้รวมกันมีขนาดเกิน" in str(refused.value)
    _nothing_booked()


def test_code_lists_refresh_from_a_file(db, tmp_path):
    import json

    path = tmp_path / "codes.json"
    path.write_text(
        json.dumps(
            {
                "org": [{"code": "ORG-RD", "name": "กรมสรรพากร", "ministry": "MIN-MOF"}],
                "mime": [{"code": "application/pdf", "name": "PDF"}, {"code": "image/tiff", "name": "TIFF"}],
            }
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("ecms_refresh_codes", "--file", str(path), stdout=out)
    assert "หน่วยงาน: ๑ รายการ" in out.getvalue()
    assert EcmsCode.objects.get(kind=CodeKind.ORGANISATION, code="ORG-RD").parent == "MIN-MOF"
    # A type the hub no longer lists is kept for old letters but not accepted any more.
    assert not EcmsCode.objects.get(kind=CodeKind.MIME, code="image/png").is_active
    assert EcmsCode.objects.get(kind=CodeKind.MIME, code="application/pdf").extension == "pdf"
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(CommandError, match="อ่านไฟล์ .* ไม่ได้"):
        call_command("ecms_refresh_codes", "--file", str(path))


def test_a_letter_for_another_of_our_units_is_not_booked_into_this_one(orgs, roles, tmp_path):
    path = tmp_path / "letter.xml"
    path.write_bytes(letter_xml("P-1"))  # to ORG-BMA-OPS, which ECMS_UNITS gives to ops-secretariat
    out = io.StringIO()
    with (
        override_settings(ECMS_UNITS={"ORG-BMA-OPS": "ops-secretariat"}),
        pytest.raises(CommandError, match=r"หนังสือฉบับนี้ส่งถึง.+\(รหัส ORG-BMA-OPS\) ไม่ใช่"),
    ):
        call_command("ecms_receive", str(path), "--unit", "ops-hrd", stdout=out, stderr=out)
    _nothing_booked()
