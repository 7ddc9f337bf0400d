"""Letters e-mailed to a unit's mailbox become items waiting to be booked in: polled from a
real IMAP server (dovecot on loopback, started by the test)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from directory.models import Unit
from letters.mail.models import Mailbox, TlsMode
from letters.mail.poll import poll_mailbox
from letters.models import Channel, FileRole, IncomingLetter, IncomingState, OcrState
from letters.services import letter_intake

from .imap_server import PASSWORD_ENV, PDF, PNG, ImapServer, imap_server, letter_mail, mailbox_password, tls_imap_server

__all__ = ["imap_server", "mailbox_password", "tls_imap_server"]  # fixtures

pytestmark = pytest.mark.django_db

SUBJECT = "ขอเชิญประชุม ที่ นร ๑๐๐๘/ว ๑๒ ลงวันที่ ๒๐ พฤศจิกายน ๒๕๖๙"


@pytest.fixture
def mailbox(imap_server: ImapServer, mailbox_password: str, directory: None) -> Mailbox:
    return Mailbox.objects.create(
        unit=Unit.objects.get(key="ops-secretariat"),
        address="saraban@ops.bangkok.go.th",
        host="127.0.0.1",
        port=imap_server.port,
        tls=TlsMode.NONE,
        username=imap_server.user,
        password_env=PASSWORD_ENV,
    )


def _two_letters(server: ImapServer) -> None:
    server.append(
        letter_mail(
            message_id="<l1@ocsc.go.th>",
            subject=SUBJECT,
            attachments=(("หนังสือเชิญ.pdf", PDF, "application/pdf"), ("แผนที่.png", PNG, "image/png")),
        )
    )
    server.append(
        letter_mail(
            message_id="<l2@dla.go.th>",
            sender="กรมส่งเสริมการปกครองท้องถิ่น <saraban@dla.go.th>",
            subject="ขอความอนุเคราะห์ข้อมูล",
            attachments=(("ตาราง.xlsx", b"PK\x03\x04" + b"\x00" * 60, "application/octet-stream"),),
        )
    )


def test_two_letters_with_attachments_become_two_waiting_items_with_their_files(
    mailbox: Mailbox, imap_server: ImapServer
) -> None:
    _two_letters(imap_server)

    result = poll_mailbox(mailbox.pk)

    assert (result.taken, result.error, result.problems) == (2, "", [])
    first = IncomingLetter.objects.get(source_ref="<l1@ocsc.go.th>")
    assert (first.state, first.channel, first.unit_id) == (IncomingState.WAITING, Channel.EMAIL, mailbox.unit_id)
    assert first.sender_name == "สำนักงาน ก.พ."
    assert first.subject == SUBJECT
    # The sender's number and date, read from the subject, for the clerk to confirm.
    assert (first.their_number, first.their_date) == ("นร ๑๐๐๘/ว ๑๒", dt.date(2026, 11, 20))
    files = {f.original_name: f.role for f in first.files.all()}
    assert files == {
        "หนังสือเชิญ.pdf": FileRole.MAIN,
        "แผนที่.png": FileRole.ENCLOSURE,
        "ข้อความอีเมล.txt": FileRole.ENCLOSURE,  # the covering e-mail, kept beside the letter
    }
    assert "ส่งหนังสือมาเพื่อทราบ" in first.files.get(original_name="ข้อความอีเมล.txt").file.read().decode()
    # The attached PDF is the letter: it is read (OCR) so that its text can be searched.
    assert first.ocr_state == OcrState.PENDING and first.text == ""
    assert first.files.get(role=FileRole.MAIN).file.read() == PDF
    second = IncomingLetter.objects.get(source_ref="<l2@dla.go.th>")
    assert [f.original_name for f in second.files.order_by("pk")] == ["ตาราง.xlsx", "ข้อความอีเมล.txt"]
    assert second.source_detail["from_address"] == "saraban@dla.go.th"
    # Flagged seen on the server only now that the items exist.
    assert imap_server.unseen() == []
    mailbox.refresh_from_db()
    assert mailbox.last_success_at is not None and mailbox.failures == 0 and mailbox.letters_taken == 2


def test_polling_again_takes_nothing_new(mailbox: Mailbox, imap_server: ImapServer) -> None:
    _two_letters(imap_server)
    poll_mailbox(mailbox.pk)

    again = poll_mailbox(mailbox.pk)

    assert (again.taken, again.seen, again.error) == (0, 0, "")
    assert IncomingLetter.objects.count() == 2
    assert imap_server.count() == 2  # nothing is deleted from the mailbox


def test_a_message_already_taken_but_left_unseen_is_not_taken_twice(mailbox: Mailbox, imap_server: ImapServer) -> None:
    """A worker that died after the commit but before flagging the message seen."""
    _two_letters(imap_server)
    poll_mailbox(mailbox.pk)
    with imap_server.client() as client:
        client.select_folder("INBOX")
        client.remove_flags(client.search(["ALL"]), [b"\\Seen"])

    again = poll_mailbox(mailbox.pk)

    assert (again.taken, again.seen) == (0, 2)
    assert IncomingLetter.objects.count() == 2
    assert imap_server.unseen() == []


def test_a_full_mailbox_is_worked_through_a_batch_per_poll(
    mailbox: Mailbox, imap_server: ImapServer, settings: Any
) -> None:
    settings.MAIL_POLL_BATCH = 2
    for i in range(3):
        imap_server.append(letter_mail(message_id=f"<b{i}@ocsc.go.th>", subject=f"ฉบับที่ {i}"))

    assert poll_mailbox(mailbox.pk).taken == 2
    assert imap_server.unseen() == ["<b2@ocsc.go.th>"]
    assert poll_mailbox(mailbox.pk).taken == 1
    assert imap_server.unseen() == []


def test_a_letter_without_attachment_keeps_its_text_as_the_letter(mailbox: Mailbox, imap_server: ImapServer) -> None:
    imap_server.append(letter_mail(message_id="<plain@bma.go.th>", subject="แจ้งกำหนดการ", body="ขอแจ้งกำหนดการประชุม"))

    poll_mailbox(mailbox.pk)

    letter = IncomingLetter.objects.get()
    main = letter.files.get()
    assert main.role == FileRole.MAIN and main.file.read().decode() == "ขอแจ้งกำหนดการประชุม"
    assert letter.text == "ขอแจ้งกำหนดการประชุม" and letter.ocr_state == OcrState.NOT_NEEDED


def test_a_message_is_seen_only_after_its_item_is_committed(mailbox: Mailbox, imap_server: ImapServer) -> None:
    _two_letters(imap_server)
    calls: list[str] = []

    def intake_then_crash(**kwargs: Any) -> Any:
        calls.append(kwargs["source_ref"])
        letter_intake(**kwargs)  # the item is written ...
        raise RuntimeError("database connection lost")  # ... and its transaction never commits

    failed = poll_mailbox(mailbox.pk, intake=intake_then_crash)

    assert calls == ["<l1@ocsc.go.th>", "<l2@dla.go.th>"]
    assert failed.taken == 0 and len(failed.problems) == 2
    assert "นำเข้าไม่สำเร็จ" in failed.problems[0]
    assert not IncomingLetter.objects.exists()
    assert imap_server.unseen() == ["<l1@ocsc.go.th>", "<l2@dla.go.th>"]
    mailbox.refresh_from_db()
    assert "นำเข้าไม่สำเร็จ" in mailbox.problems

    retried = poll_mailbox(mailbox.pk)

    assert retried.taken == 2 and IncomingLetter.objects.count() == 2
    assert imap_server.unseen() == []
    mailbox.refresh_from_db()
    assert mailbox.problems == ""


def test_server_down_is_recorded_and_the_next_poll_after_it_is_up_takes_the_mail(
    mailbox: Mailbox, imap_server: ImapServer
) -> None:
    _two_letters(imap_server)
    imap_server.stop()

    for _ in range(2):
        down = poll_mailbox(mailbox.pk)
        assert down.taken == 0
    mailbox.refresh_from_db()
    assert mailbox.failures == 2
    assert mailbox.last_error.startswith("เชื่อมต่อเครื่องแม่ข่าย 127.0.0.1:")
    assert "จะลองใหม่ในรอบถัดไป" in mailbox.last_error
    assert mailbox.last_success_at is None and mailbox.last_poll_at is not None
    assert not IncomingLetter.objects.exists()

    imap_server.start()
    up = poll_mailbox(mailbox.pk)

    assert up.taken == 2
    mailbox.refresh_from_db()
    assert (mailbox.failures, mailbox.last_error) == (0, "")
    assert mailbox.last_success_at is not None


def test_wrong_password_is_recorded_in_thai_and_nothing_is_touched(
    mailbox: Mailbox, imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_letters(imap_server)
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password")

    result = poll_mailbox(mailbox.pk)

    assert result.taken == 0
    mailbox.refresh_from_db()
    assert mailbox.failures == 1
    assert mailbox.last_error == (
        f"เข้าสู่ระบบกล่องจดหมาย {imap_server.user} ไม่สำเร็จ: ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง (ตรวจสอบตัวแปร {PASSWORD_ENV})"
    )
    assert len(imap_server.unseen()) == 2


def test_a_password_missing_from_the_environment_is_named(
    mailbox: Mailbox, imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV)

    poll_mailbox(mailbox.pk)

    mailbox.refresh_from_db()
    assert mailbox.failures == 1 and PASSWORD_ENV in mailbox.last_error
    assert "ยังไม่ได้ตั้งรหัสผ่าน" in mailbox.last_error


def test_oversized_and_disguised_attachments_are_left_out_and_named(
    mailbox: Mailbox, imap_server: ImapServer, settings: Any
) -> None:
    settings.MAIL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024)
    imap_server.append(
        letter_mail(
            message_id="<big@ocsc.go.th>",
            subject="ส่งเอกสารประกอบ",
            attachments=(
                ("หนังสือ.pdf", PDF, "application/pdf"),
                ("ภาคผนวก.pdf", big, "application/pdf"),
                ("โปรแกรม.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"),
            ),
        )
    )

    result = poll_mailbox(mailbox.pk)

    assert result.taken == 1
    letter = IncomingLetter.objects.get()
    assert [f.original_name for f in letter.files.order_by("pk")] == ["หนังสือ.pdf", "ข้อความอีเมล.txt"]
    assert "ภาคผนวก.pdf: ขนาดเกิน ๑ เมกะไบต์ที่รับได้ต่อไฟล์" in letter.remarks
    assert "โปรแกรม.pdf: เนื้อไฟล์" in letter.remarks
    assert len(letter.source_detail["refused_files"]) == 2
    # The message, with everything it carried, is still in the mailbox.
    assert imap_server.count() == 1


def test_a_message_over_the_size_limit_stays_unseen_and_is_listed(
    mailbox: Mailbox, imap_server: ImapServer, settings: Any
) -> None:
    settings.MAIL_MESSAGE_MAX_BYTES = 1024 * 1024
    imap_server.append(
        letter_mail(
            message_id="<huge@ocsc.go.th>",
            subject="ไฟล์ใหญ่",
            attachments=(("สแกน.pdf", PDF + b"0" * (2 * 1024 * 1024), "application/pdf"),),
        )
    )

    result = poll_mailbox(mailbox.pk)

    assert result.taken == 0 and not IncomingLetter.objects.exists()
    assert imap_server.unseen() == ["<huge@ocsc.go.th>"]
    mailbox.refresh_from_db()
    assert "เกิน ๑ เมกะไบต์ที่รับได้ ยังคงอยู่ในกล่องจดหมาย" in mailbox.problems
    assert mailbox.failures == 0


def test_a_message_that_cannot_be_read_stays_unseen_and_is_listed(mailbox: Mailbox, imap_server: ImapServer) -> None:
    imap_server.append(b"Subject: no sender\r\nMessage-ID: <nosender@x>\r\n\r\nhello\r\n")
    imap_server.append(letter_mail(message_id="<ok@ocsc.go.th>", subject="ปกติ"))

    result = poll_mailbox(mailbox.pk)

    assert result.taken == 1
    assert imap_server.unseen() == ["<nosender@x>"]
    mailbox.refresh_from_db()
    assert "ข้อความไม่มีผู้ส่ง (From)" in mailbox.problems


def test_messages_refused_for_good_never_crowd_out_new_mail(
    mailbox: Mailbox, imap_server: ImapServer, settings: Any
) -> None:
    settings.MAIL_POLL_BATCH = 1
    imap_server.append(b"Subject: no sender\r\nMessage-ID: <nosender@x>\r\n\r\nhello\r\n")
    imap_server.append(letter_mail(message_id="<later@ocsc.go.th>", subject="มาทีหลัง"))

    assert poll_mailbox(mailbox.pk).taken == 0  # the first is refused and remembered
    assert poll_mailbox(mailbox.pk).taken == 1  # so the next poll reaches the new mail
    mailbox.refresh_from_db()
    assert mailbox.problems == "ข้อความลำดับ 1: ข้อความไม่มีผู้ส่ง (From) ยังคงอยู่ในกล่องจดหมาย (ไม่ได้นำเข้า)"

    # Someone deals with it in their mail program: it is no longer listed.
    with imap_server.client() as client:
        client.select_folder("INBOX")
        client.add_flags([1], [b"\\Seen"])
    poll_mailbox(mailbox.pk)
    mailbox.refresh_from_db()
    assert (mailbox.problems, mailbox.refused) == ("", {})


def test_the_admin_shows_each_mailboxs_status(mailbox: Mailbox, imap_server: ImapServer, admin_client: Any) -> None:
    imap_server.stop()
    poll_mailbox(mailbox.pk)

    page = admin_client.get("/admin/letters/mailbox/").content.decode()

    assert "ล้มเหลว ๑ ครั้งติดต่อกัน" in page
    assert "เชื่อมต่อเครื่องแม่ข่าย 127.0.0.1" in page
    detail = admin_client.get(f"/admin/letters/mailbox/{mailbox.pk}/change/").content.decode()
    assert "สถานะการตรวจกล่องจดหมาย" in detail


def test_a_mailbox_held_by_another_poll_or_switched_off_is_left_alone(
    mailbox: Mailbox, imap_server: ImapServer
) -> None:
    _two_letters(imap_server)
    Mailbox.objects.filter(pk=mailbox.pk).update(polling_until=timezone.now() + dt.timedelta(minutes=5))
    assert poll_mailbox(mailbox.pk).skipped
    Mailbox.objects.filter(pk=mailbox.pk).update(polling_until=None, is_active=False)
    assert poll_mailbox(mailbox.pk).skipped
    assert not IncomingLetter.objects.exists() and len(imap_server.unseen()) == 2
    # A poll whose worker died leaves its hold to run out; then the mailbox is polled again.
    Mailbox.objects.filter(pk=mailbox.pk).update(is_active=True, polling_until=timezone.now() - dt.timedelta(seconds=1))
    assert poll_mailbox(mailbox.pk).taken == 2


def test_beat_polls_the_mailboxes_and_sweeps_the_replies() -> None:
    from config.celery import app

    schedule = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"letters.mail.tasks.poll_mailboxes", "letters.mail.tasks.sweep_replies"} <= schedule
    assert {"letters.mail.tasks.poll_mailbox", "letters.mail.tasks.deliver_reply"} <= set(app.tasks)


@pytest.mark.parametrize(("tls", "port"), [(TlsMode.SSL, "tls_port"), (TlsMode.STARTTLS, "port")])
def test_mail_is_read_over_tls_from_a_server_the_office_trusts(
    tls_imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch, settings: Any, tls: str, port: str
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, tls_imap_server.password)
    settings.MAIL_IMAP_CA_FILE = str(tls_imap_server.ca_file)
    mailbox = Mailbox.objects.create(
        unit=Unit.objects.get(key="ops-secretariat"),
        address="saraban@ops.bangkok.go.th",
        host="localhost",
        port=getattr(tls_imap_server, port),
        tls=tls,
        username=tls_imap_server.user,
        password_env=PASSWORD_ENV,
    )
    tls_imap_server.append(letter_mail(message_id="<tls@ocsc.go.th>", subject="ทางช่องทางเข้ารหัส"))

    assert poll_mailbox(mailbox.pk).taken == 1

    # A certificate nobody vouches for is refused, and said so in Thai.
    settings.MAIL_IMAP_CA_FILE = ""
    tls_imap_server.append(letter_mail(message_id="<tls2@ocsc.go.th>", subject="อีกฉบับ"))
    assert poll_mailbox(mailbox.pk).taken == 0
    mailbox.refresh_from_db()
    assert mailbox.last_error.startswith("ใบรับรองความปลอดภัย (certificate) ของเครื่องแม่ข่าย localhost:")
    assert mailbox.failures == 1
