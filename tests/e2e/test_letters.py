"""Letters from and to other agencies, clicked through in Chromium (issue: letters):

1. the central saraban clerk (ส.ส.ป.) books in a scanned paper letter from the OCSC and passes
   it to the institute;
2. the institute's clerk answers it with an external letter, which the director signs (numbered
   from the send register) and the clerk sends by e-mail — to a local SMTP server started here,
   which receives the signed PDF; the received letter is then marked answered;
3. an e-CMS letter from the stand-in hub waits at ส.ส.ป., the clerk books it in, and the hub gets
   our AcceptLetterNotifier with the เลขรับ.

The worker's part (sending the e-mail, the notifier) is played by the test between clicks, as
the outbox would on a Celery worker; everything a person does is a click."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from directory.models import Position, Unit
from documents.thai import to_thai_digits
from letters.ecms.models import CodeKind, EcmsCode, EcmsNotifier, NotifierKind
from letters.ecms.tasks import poll_inbound, send_notifier
from letters.models import Agency, IncomingLetter, IncomingState
from letters.outgoing_models import OutgoingDispatch, OutgoingLetter, OutgoingState
from letters.outgoing_tasks import send_letter
from tests.letters.ecms_hub import Hub
from tests.letters.helpers import png_bytes
from tests.smtp import SmtpInbox, free_port, smtp_running, use_local_smtp

from .test_scenario import click_to, login, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUBJECT = "ขอความร่วมมือใช้แบบประเมินตนเองด้านทักษะดิจิทัลของข้าราชการ"
ANSWER = "สถาบันพัฒนาข้าราชการกรุงเทพมหานครยินดีให้ความร่วมมือ และจะแจ้งผลการประเมินภายในเดือนธันวาคม"


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpInbox]:
    port = free_port()
    use_local_smtp(settings, port)
    with smtp_running(SmtpInbox(), port) as inbox:
        yield inbox


@pytest.fixture
def hub() -> Iterator[Hub]:
    # The hub's code lists as the migration seeds them: an earlier transactional test's flush
    # empties the table, and a letter whose file type is not on the list is refused.
    importlib.import_module("letters.migrations.0002_ecms").seed_codes(apps, None)
    server = Hub().start()
    with override_settings(ECMS_HUB_URL=server.url, ECMS_UNITS={"ORG-BMA-OPS": "ops-secretariat"}, ECMS_TIMEOUT=5):
        yield server
    server.stop()


def be_today() -> str:
    return to_thai_digits(str(timezone.localdate().year + 543))


def test_letters_booked_in_answered_signed_sent_and_accepted(
    browser, live_server, roles, smtp, hub, tmp_path, screens: Path
):
    base = live_server.url
    year = be_today()
    Agency.objects.create(name="สำนักงาน ก.พ.", email="saraban@ocsc.example", address="ถนนติวานนท์ จังหวัดนนทบุรี")
    EcmsCode.objects.create(kind=CodeKind.ORGANISATION, code="ORG-CGD", name="กรมบัญชีกลาง", parent="MIN-MOF")
    EcmsCode.objects.create(
        kind=CodeKind.ORGANISATION, code="ORG-BMA-OPS", name="สำนักงานปลัดกรุงเทพมหานคร", parent="MIN-MOI"
    )
    institute = Unit.objects.get(key="ops-hrd")
    scan = tmp_path / "หนังสือ สนง.กพ.png"
    scan.write_bytes(png_bytes())

    # 1. The central clerk books the scanned letter in and passes it to the institute.
    page = new_page(browser)
    login(page, base, roles.ops_clerk.username, "pw-" + roles.ops_clerk.username)
    page.goto(f"{base}/memos/")
    click_to(page, "#menu-letters", "หนังสือรับ")
    click_to(page, "#letters-new", "ลงทะเบียนรับหนังสือ")
    page.select_option("#id_sender_agency", label="สำนักงาน ก.พ.")
    page.fill("#id_their_number", "นร ๑๐๐๘/ว ๑๔")
    their_date = timezone.localdate() - dt.timedelta(days=2)
    page.fill("#id_their_date", to_thai_digits(f"{their_date.day}/{their_date.month}/{their_date.year + 543}"))
    page.fill("#id_subject", SUBJECT)
    page.fill("#id_addressee", "ปลัดกรุงเทพมหานคร")
    page.set_input_files("#id_scans", str(scan))
    page.screenshot(path=str(screens / "letter-book-in.png"), full_page=True)
    click_to(page, "#book-in", "ลงทะเบียนรับแล้ว")
    expect(page.locator("#receive-number")).to_have_text(f"๑/{year}")
    page.screenshot(path=str(screens / "letter-booked.png"), full_page=True)
    page.select_option("#id_to_unit", str(institute.pk))
    page.fill("#id_note", "มอบสถาบันพัฒนาข้าราชการกรุงเทพมหานครพิจารณาดำเนินการ และตอบ สำนักงาน ก.พ. โดยตรง")
    click_to(page, "#route", "แจ้งผู้รับแล้ว")
    received = IncomingLetter.objects.get(their_number="นร ๑๐๐๘/ว ๑๔")
    assert received.state == IncomingState.ROUTED and received.holder_unit_id == institute.pk
    page.context.close()

    # 2. The institute's clerk finds it in her inbox and drafts the answer from it.
    page = new_page(browser)
    login(page, base, roles.clerk.username, "pw-" + roles.clerk.username)
    page.goto(f"{base}/memos/inbox/")
    click_to(page, f"#letter-work a:has-text('{SUBJECT}')", "มอบสถาบันพัฒนาข้าราชการกรุงเทพมหานครพิจารณาดำเนินการ")
    click_to(page, "#answer", "ตอบหนังสือรับ")
    expect(page.locator("#id_reference")).to_have_value(
        f"หนังสือสำนักงาน ก.พ. ที่ นร ๑๐๐๘/ว ๑๔ ลงวันที่ {received_date(received)}"
    )
    expect(page.locator("#id_recipient_email")).to_have_value("saraban@ocsc.example")
    page.fill("#id_addressee", "เลขาธิการคณะกรรมการข้าราชการพลเรือน")
    page.fill(
        "#id_body", f"ตามหนังสือที่อ้างถึง สำนักงาน ก.พ. ขอความร่วมมือใช้แบบประเมินตนเอง นั้น\n\n{ANSWER}\n\nจึงเรียนมาเพื่อโปรดทราบ"
    )
    page.select_option("#id_signing_position", str(Position.objects.get(key="ops-hrd-head").pk))
    click_to(page, "#out-save", "ร่าง")
    click_to(page, "#out-submit", "เสนอลงนาม")
    letter = OutgoingLetter.objects.get(in_reply_to=received)
    assert letter.state == OutgoingState.IN_REVIEW
    clerk_page = page

    # 3. The director signs it: the number comes from the institute's send register.
    page = new_page(browser)
    login(page, base, roles.director.username, "pw-" + roles.director.username)
    page.goto(f"{base}/memos/inbox/")
    expect(page.locator("#outgoing-work")).to_contain_text("ลงนามหนังสือภายนอก")
    click_to(page, f"#outgoing-work a:has-text('{SUBJECT}')", "ลงนาม")
    page.screenshot(path=str(screens / "letter-out-sign.png"), full_page=True)
    click_to(page, "#out-sign", "ลงนามแล้ว")
    expect(page.locator("#out-number")).to_contain_text("กท ๐๔๐๑/๑")
    page.context.close()

    # 4. The clerk sends it by e-mail; the worker delivers it to the OCSC's mail server.
    page = clerk_page
    page.reload()
    page.locator("input[name=channel][value=email]").check()
    click_to(page, "#out-send", "ส่ง")
    dispatch = OutgoingDispatch.objects.get(letter=letter)
    assert send_letter(dispatch.pk) == "sent"
    page.reload()
    expect(page.locator("#out-sent")).to_contain_text("ส่งแล้ว")
    [message] = smtp.received
    assert smtp.rcpt == [["saraban@ocsc.example"]]
    assert "กท ๐๔๐๑/๑" in str(message["Subject"])
    pdfs = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdfs and pdfs[0].get_content().startswith(b"%PDF")
    assert IncomingLetter.objects.get(pk=received.pk).state == IncomingState.ANSWERED
    page.context.close()

    # 5. An e-CMS letter from the Comptroller General's Department: polled, booked, accepted.
    hub.queue_letter("P-E2E-1", letter_id="กค 0402/4321", subject="ขอเชิญประชุมเรื่องงบประมาณ")
    poll_inbound()
    page = new_page(browser)
    login(page, base, roles.ops_clerk.username, "pw-" + roles.ops_clerk.username)
    page.goto(f"{base}/memos/")
    click_to(page, "#menu-letters", "หนังสือรับ")
    click_to(page, "#letters-waiting", "ขอเชิญประชุมเรื่องงบประมาณ")
    waiting = IncomingLetter.objects.get(source_ref="P-E2E-1")
    assert waiting.state == IncomingState.WAITING and waiting.files.count() == 2
    page.screenshot(path=str(screens / "letter-waiting.png"), full_page=True)
    click_to(page, f"#book-waiting-{waiting.pk}", "ลงทะเบียนรับ")
    expect(page.locator("#id_subject")).to_have_value("ขอเชิญประชุมเรื่องงบประมาณ")
    click_to(page, "#book-in", "ลงทะเบียนรับแล้ว")
    expect(page.locator("#receive-number")).to_have_text(f"๒/{year}")
    notifier = EcmsNotifier.objects.get(kind=NotifierKind.ACCEPT)
    assert send_notifier(notifier.pk) == "sent"
    (accepted,) = hub.of("AcceptLetterNotifier")
    assert accepted.text("ProcessID") == "P-E2E-1" and accepted.text("LetterID") == "กค 0402/4321"
    assert accepted.text("AcceptID").startswith("2/")

    # 6. Both letters are in ส.ส.ป.'s incoming register, as the clerk prints it.
    page.goto(f"{base}/memos/registers/receive/{timezone.localdate().year + 543}/")
    expect(page.locator("main")).to_contain_text(SUBJECT)
    expect(page.locator("main")).to_contain_text("ขอเชิญประชุมเรื่องงบประมาณ")
    page.screenshot(path=str(screens / "register-receive-screen.png"), full_page=True)
    page.context.close()


def received_date(letter: IncomingLetter) -> str:
    from documents.thai import thai_date

    assert letter.their_date is not None
    return thai_date(letter.their_date)
