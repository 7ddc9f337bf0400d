"""The e-CMS exchange against a stand-in hub (tests/letters/ecms_hub.py, a real SOAP server
on loopback): sending a signed letter, polling for letters sent to us, the Receive, Accept
and Reject notifiers, and letters the hub hands us that we must not take."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from directory.models import Unit
from letters import hooks
from letters.ecms.models import CodeKind, EcmsCode, EcmsNotifier, NotifierKind, NotifierStatus
from letters.ecms.services import ecms_poll
from letters.ecms.tasks import poll_inbound, send_notifier
from letters.models import Agency, Channel, FileRole, IncomingLetter, IncomingState
from letters.services import LetterFacts, letter_book_in
from registers.models import RegisterEntry

from .ecms_hub import PDF, PNG, Hub

pytestmark = pytest.mark.django_db

UNITS = {"ORG-BMA-OPS": "ops-secretariat"}


@pytest.fixture
def hub() -> Iterator[Hub]:
    server = Hub().start()
    server.codes = {
        "GetOrganizationList": [
            ("ORG-CGD", "กรมบัญชีกลาง", "MIN-MOF"),
            ("ORG-BMA-OPS", "สำนักงานปลัดกรุงเทพมหานคร", "MIN-MOI"),
        ],
        "GetMinistryOrganizationList": [("MIN-MOF", "กระทรวงการคลัง", ""), ("MIN-MOI", "กระทรวงมหาดไทย", "")],
    }
    with override_settings(ECMS_HUB_URL=server.url, ECMS_UNITS=UNITS, ECMS_TIMEOUT=5):
        yield server
    server.stop()


@pytest.fixture
def orgs(hub: Hub) -> None:
    EcmsCode.objects.create(kind=CodeKind.ORGANISATION, code="ORG-CGD", name="กรมบัญชีกลาง", parent="MIN-MOF")
    EcmsCode.objects.create(
        kind=CodeKind.ORGANISATION, code="ORG-BMA-OPS", name="สำนักงานปลัดกรุงเทพมหานคร", parent="MIN-MOI"
    )


def _deliver(kind: str) -> EcmsNotifier:
    row = EcmsNotifier.objects.get(kind=kind)
    assert send_notifier(row.pk) == NotifierStatus.SENT
    row.refresh_from_db()
    return row


# --- sending ------------------------------------------------------------------------------------


def _outbound(**overrides: object) -> hooks.OutboundLetter:
    values: dict[str, object] = {
        "letter_id": 7,
        "unit_code": "ops-secretariat",
        "unit_name": "สำนักงานปลัดกรุงเทพมหานคร",
        "number": "กท ๐๔๐๑/๑๒๓",
        "date": dt.date(2026, 12, 2),
        "subject": "ตอบรับการเข้าร่วมประชุม",
        "addressee": "อธิบดีกรมบัญชีกลาง",
        "recipient_name": "กรมบัญชีกลาง",
        "recipient_code": "ORG-CGD",
        "recipient_email": "",
        "secrecy": 0,
        "urgency": 1,
        "reference": "กค ๐๔๐๒/๔๓๒๑",
        "main": hooks.OutboundFile(name="letter.pdf", content=PDF, content_type="application/pdf"),
        "enclosures": (hooks.OutboundFile(name="map.png", content=PNG, content_type="image/png", title="แผนที่"),),
    }
    values.update(overrides)
    return hooks.OutboundLetter(**values)  # type: ignore[arg-type]


def test_a_signed_letter_goes_to_the_hub_and_gets_its_process_id(hub, orgs):
    send = hooks.sender(Channel.ECMS)
    assert send is not None
    result = send(_outbound())
    assert result.reference == "OUT-0001" and "OUT-0001" in result.detail
    (got,) = hub.of("CorrespondenceLetterOutboundRequest")
    assert got.text("Subject") == "ตอบรับการเข้าร่วมประชุม"
    assert got.text("CorrespondenceDate") == "2026-12-02"
    assert got.text("SpeedCode") == "002"  # ด่วน, from the code list
    assert got.text("MessageID") == "urn:saraban:out:7"
    sender = got.root.xpath("//*[local-name()='SenderParty']//*[local-name()='ID']/text()")
    receiver = got.root.xpath("//*[local-name()='ReceiverParty']//*[local-name()='ID']/text()")
    assert sender == ["MIN-MOI", "ORG-BMA-OPS"] and receiver == ["MIN-MOF", "ORG-CGD"]
    assert got.text("ID") == "กท 0401/123"  # Arabic digits, as the hub's clients write numbers
    assert got.root.xpath("//*[local-name()='ReferenceCorrespondence']/*[local-name()='ID']/text()") == ["กค 0402/4321"]
    main = got.root.xpath("//*[local-name()='MainLetterBinaryObject']")[0]
    assert main.get("mimeCode") == "application/pdf" and base64.b64decode(main.text) == PDF
    (enclosure,) = got.root.xpath("//*[local-name()='AttachmentBinaryObject']")
    assert enclosure.get("mimeCode") == "image/png" and base64.b64decode(enclosure.text) == PNG
    assert "แผนที่" in got.text("Attachment")


def test_a_refusal_by_the_hub_is_a_thai_send_failure(hub, orgs):
    hub.refuse = "ไม่พบหน่วยงานผู้รับในระบบ"
    with pytest.raises(hooks.SendFailed) as failed:
        hooks.sender("ecms")(_outbound())  # type: ignore[misc]
    assert str(failed.value) == "ศูนย์ e-CMS ไม่รับหนังสือ: ไม่พบหน่วยงานผู้รับในระบบ"


def test_a_hub_that_is_down_is_a_send_failure_to_retry(hub, orgs):
    hub.down = 1
    with pytest.raises(hooks.SendFailed, match="ศูนย์ e-CMS ตอบกลับผิดพลาด"):
        hooks.sender("ecms")(_outbound())  # type: ignore[misc]
    assert hooks.sender("ecms")(_outbound()).reference == "OUT-0001"  # type: ignore[misc]


def test_an_agency_without_an_ecms_code_or_a_file_of_the_wrong_kind_is_not_sent(hub, orgs):
    with pytest.raises(hooks.SendFailed, match="ไม่มีรหัสหน่วยงานในระบบ e-CMS"):
        hooks.sender("ecms")(_outbound(recipient_code=""))  # type: ignore[misc]
    exe = hooks.OutboundFile(name="setup.exe", content=b"MZ", content_type="application/x-msdownload")
    with pytest.raises(hooks.SendFailed, match="ไม่อยู่ในรายการชนิดไฟล์"):
        hooks.sender("ecms")(_outbound(enclosures=(exe,)))  # type: ignore[misc]
    assert hub.of("CorrespondenceLetterOutboundRequest") == []


# --- receiving ----------------------------------------------------------------------------------


def test_a_polled_letter_waits_to_be_booked_in_and_the_hub_is_told_it_arrived(hub, orgs):
    hub.queue_letter("P-1")
    result = ecms_poll()
    assert (result.taken, result.known, result.invalid) == (1, 0, 0)
    letter = IncomingLetter.objects.get()
    assert letter.state == IncomingState.WAITING and letter.channel == Channel.ECMS
    assert letter.unit.key == "ops-secretariat"
    assert (letter.their_number, letter.their_date, letter.subject) == (
        "กค 0402/4321",
        dt.date(2026, 11, 20),
        "ขอเชิญประชุมเรื่องงบประมาณ",
    )
    assert letter.urgency == 1 and letter.secrecy == 0
    assert letter.sender_agency == Agency.objects.get(ecms_code="ORG-CGD", name="กรมบัญชีกลาง")
    files = {f.role: f for f in letter.files.all()}
    assert files[FileRole.MAIN].file.read() == PDF and files[FileRole.ENCLOSURE].file.read() == PNG
    assert hub.deleted == ["P-1"] and hub.queue == []
    receipt = _deliver(NotifierKind.RECEIVE)
    (got,) = hub.of("ReceiveLetterNotifier")
    assert (got.text("ProcessID"), got.text("LetterID"), got.text("Subject")) == ("P-1", "กค 0402/4321", letter.subject)
    assert receipt.sent_at is not None


def test_polling_the_same_letter_again_makes_nothing_new(hub, orgs):
    hub.queue_letter("P-1")
    ecms_poll()
    hub.queue_letter("P-1")  # the delete was lost: the hub hands it over again
    result = ecms_poll()
    assert (result.taken, result.known) == (0, 1)
    assert IncomingLetter.objects.count() == 1 and EcmsNotifier.objects.count() == 1


def test_the_beat_task_polls_the_configured_hub(hub, orgs):
    hub.queue_letter("P-1")
    hub.queue_letter("P-2", letter_id="กค 0402/4322")
    assert poll_inbound() == {"taken": 2, "known": 0, "invalid": 0, "notices": 0}


def test_booking_in_sends_our_receive_number_and_a_hub_outage_is_retried(hub, orgs, roles):
    hub.queue_letter("P-1")
    ecms_poll()
    letter = IncomingLetter.objects.get()
    unit = Unit.objects.get(key="ops-secretariat")
    facts = LetterFacts(
        sender_agency=letter.sender_agency,
        their_number=letter.their_number,
        their_date=letter.their_date,
        subject=letter.subject,
    )
    letter = letter_book_in(user=roles.ops_clerk, unit=unit, facts=facts, letter=letter, channel=Channel.ECMS)
    row = EcmsNotifier.objects.get(kind=NotifierKind.ACCEPT)
    assert row.accept_id == f"{letter.receive_number}/{letter.year}"
    hub.down = 1
    assert send_notifier(row.pk) == "retry"
    row.refresh_from_db()
    assert row.status == NotifierStatus.PENDING and "HTTP 503" in row.last_error
    EcmsNotifier.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert send_notifier(row.pk) == NotifierStatus.SENT
    (got,) = hub.of("AcceptLetterNotifier")
    assert (got.text("AcceptID"), got.text("LetterID"), got.text("ProcessID")) == (row.accept_id, "กค 0402/4321", "P-1")


def test_refusing_a_letter_sends_the_reason(hub, orgs):
    hub.queue_letter("P-1")
    ecms_poll()
    letter = IncomingLetter.objects.get()
    with transaction.atomic():
        hooks.rejected(letter, "หนังสือนี้ไม่ได้ส่งถึงสำนักงานปลัดกรุงเทพมหานคร")
    _deliver(NotifierKind.REJECT)
    (got,) = hub.of("RejectLetterNotifier")
    assert got.text("Description") == "หนังสือนี้ไม่ได้ส่งถึงสำนักงานปลัดกรุงเทพมหานคร"
    assert got.text("LetterID") == "กค 0402/4321"


def test_refreshing_the_code_lists_from_the_hub(hub):
    from django.core.management import call_command

    call_command("ecms_refresh_codes")
    assert EcmsCode.objects.get(kind=CodeKind.ORGANISATION, code="ORG-CGD").parent == "MIN-MOF"
    assert EcmsCode.objects.get(kind=CodeKind.MINISTRY, code="MIN-MOF").name == "กระทรวงการคลัง"
    # The hub served no secrecy list: the seeded one stays.
    assert EcmsCode.objects.get(kind=CodeKind.SECRET, code="002").level == 1


# --- letters we must not take ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"main": None}, "ไม่มีไฟล์ตัวหนังสือ"),
        ({"sender": "ORG-NOBODY"}, "ไม่รู้จักรหัสหน่วยงานผู้ส่ง ORG-NOBODY"),
        ({"main_mime": "application/x-msdownload"}, "ชนิดไฟล์ของหนังสือ (application/x-msdownload) ไม่อยู่ในรายการ"),
        ({"attachments": ((b"MZ\x90\x00 not a pdf", "application/pdf"),)}, "เนื้อไฟล์ของสิ่งที่ส่งมาด้วย ๑ไม่ใช่ไฟล์ .pdf"),
        ({"receiver": "ORG-ELSEWHERE"}, "ไม่ได้กำหนดส่วนราชการผู้รับ"),
        ({"huge_attachment": 200 * 1024 * 1024}, "มีขนาดเกิน ๒๐ เมกะไบต์"),
    ],
    ids=[
        "no-main-letter",
        "unknown-organisation",
        "wrong-mime",
        "content-not-its-mime",
        "not-ours",
        "200-MB-enclosure",
    ],
)
def test_a_letter_we_cannot_take_is_answered_invalid_and_books_nothing(hub, orgs, kwargs, says):
    hub.queue_letter("P-9", **kwargs)
    with override_settings(ECMS_MAX_BYTES=20 * 1024 * 1024):
        result = ecms_poll()
    assert (result.taken, result.invalid) == (0, 1)
    assert IncomingLetter.objects.count() == 0 and RegisterEntry.objects.count() == 0
    assert hub.deleted == ["P-9"]
    row = _deliver(NotifierKind.INVALID)
    assert says in row.reason
    (got,) = hub.of("InvalidLetterNotifier")
    assert (got.text("ProcessID"), got.text("Description")) == ("P-9", row.reason)


def test_malformed_xml_from_the_hub_is_answered_invalid(hub, orgs):
    hub.queue_raw(
        "P-9",
        b'<?xml version="1.0"?><Envelope><Body><CorrespondenceLetterInboundResponse><ProcessID>P-9</ProcessID>'
        b"<GovernmentDocument><CorrespondenceLetter><ID>1</ID></Oops>",
    )
    result = ecms_poll()
    assert result.invalid == 1 and IncomingLetter.objects.count() == 0
    row = _deliver(NotifierKind.INVALID)
    assert row.reason.startswith("ข้อความ XML ไม่ถูกต้อง")


def test_a_failed_notifier_is_shown_in_the_admin_and_sent_again_from_there(hub, orgs, admin_client):
    hub.queue_letter("P-1")
    ecms_poll()
    row = EcmsNotifier.objects.get()
    EcmsNotifier.objects.filter(pk=row.pk).update(status=NotifierStatus.FAILED, last_error="HubUnavailable: ล่ม")
    page = admin_client.get("/admin/letters/ecmsnotifier/")
    assert page.status_code == 200 and "ส่งไม่สำเร็จ" in page.content.decode()
    answer = admin_client.post(
        "/admin/letters/ecmsnotifier/", {"action": "resend", "_selected_action": [row.pk]}, follow=True
    )
    assert "ส่งใหม่ 1 รายการ" in answer.content.decode()
    assert send_notifier(row.pk) == NotifierStatus.SENT
    assert len(hub.of("ReceiveLetterNotifier")) == 1
    assert admin_client.get("/admin/letters/ecmscode/?kind=mime").status_code == 200


def test_the_other_agencys_receive_number_for_our_letter_is_kept(hub, orgs):
    from letters.ecms.services import ecms_notices

    hub.queue_raw(
        "N-1",
        (
            '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">'
            "<SOAP-ENV:Body><CorrespondenceLetterInboundResponse><ProcessID>N-1</ProcessID><AcceptLetterNotifier>"
            "<LetterID>กท 0401/123</LetterID><AcceptID>5521</AcceptID><CorrespondenceDate>2026-12-02</CorrespondenceDate>"
            "<Subject>ตอบรับการเข้าร่วมประชุม</Subject></AcceptLetterNotifier></CorrespondenceLetterInboundResponse>"
            "</SOAP-ENV:Body></SOAP-ENV:Envelope>"
        ).encode(),
    )
    result = ecms_poll()
    assert (result.notices, result.taken) == (1, 0) and hub.deleted == ["N-1"]
    (notice,) = ecms_notices(letter_number="กท ๐๔๐๑/๑๒๓")
    assert (notice.kind_label, notice.accept_id) == ("ผู้รับลงทะเบียนรับแล้ว", "5521")
    assert IncomingLetter.objects.count() == 0


def test_a_hub_that_is_down_at_poll_time_loses_nothing(hub, orgs):
    hub.queue_letter("P-1")
    hub.down = 1
    assert poll_inbound() == {"error": 1}
    assert IncomingLetter.objects.count() == 0 and hub.queue != []
    assert poll_inbound()["taken"] == 1


def test_without_a_hub_address_polling_does_nothing_and_sending_says_why(orgs):
    with override_settings(ECMS_HUB_URL=""):
        assert poll_inbound() == {}
        with pytest.raises(hooks.SendFailed, match="ยังไม่ได้ตั้งค่าที่อยู่ศูนย์ e-CMS"):
            hooks.sender("ecms")(_outbound())  # type: ignore[misc]
