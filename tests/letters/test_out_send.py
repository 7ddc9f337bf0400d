"""Sending a signed external letter: by e-mail through a real SMTP server on loopback (the
signed PDF and the enclosures attached), retried and shown in Thai while the server is
down, by post, and not configured for e-CMS. A second click never sends twice."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import shutil
from collections.abc import Iterator
from email.header import decode_header, make_header
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from letters import hooks
from letters.outgoing import outgoing_attach, outgoing_send, outgoing_sign, outgoing_submit
from letters.outgoing_models import DispatchStatus, OutgoingDispatch, OutgoingLetter, OutgoingState, SendChannel
from letters.outgoing_tasks import send_letter
from registers.models import RegisterEntry
from tests.smtp import SmtpInbox, free_port, smtp_running, use_local_smtp

from .out_helpers import draft

pytestmark = pytest.mark.django_db

# The signed PDF is made by LibreOffice (documents.preview.render_pdf).
converts = [
    pytest.mark.soffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (libreoffice-writer-nogui)"),
]


def _converts(test: Any) -> Any:
    for mark in converts:
        test = mark(test)
    return test


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def smtp_port(settings: Any) -> int:
    port = free_port()
    use_local_smtp(settings, port)
    return port


@pytest.fixture
def smtp_server(smtp_port: int) -> Iterator[SmtpInbox]:
    with smtp_running(SmtpInbox(), smtp_port) as inbox:
        yield inbox


def signed(roles: Any) -> OutgoingLetter:
    letter = draft(roles.clerk)
    outgoing_attach(
        letter=letter,
        user=roles.clerk,
        upload=SimpleUploadedFile("แผนพัฒนา.pdf", PDF, content_type="application/pdf"),
        title="แผนพัฒนาทักษะด้านดิจิทัล",
    )
    outgoing_submit(letter=letter, user=roles.clerk)
    return outgoing_sign(letter=letter, user=roles.director)


@_converts
def test_sent_by_email_with_the_signed_pdf_and_enclosure(roles, smtp_server, client):
    letter = signed(roles)
    outgoing_send(letter=letter, user=roles.clerk, channel=SendChannel.EMAIL)
    dispatch = OutgoingDispatch.objects.get(letter=letter)
    assert send_letter(dispatch.pk) == DispatchStatus.SENT

    [message] = smtp_server.received
    assert smtp_server.rcpt == [["saraban@ocsc.example"]]
    subject = str(make_header(decode_header(email.message_from_bytes(smtp_server.raw[0])["Subject"])))
    assert subject == "ที่ กท ๐๔๐๑/๑ เรื่อง ขอความอนุเคราะห์ใช้แบบประเมินตนเองด้านทักษะดิจิทัล"
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    main = attachments["กท ๐๔๐๑-๑ ขอความอนุเคราะห์ใช้แบบประเมินตนเองด้านทักษะดิจิทัล.pdf"]
    assert main.startswith(b"%PDF")
    assert attachments["แผนพัฒนา.pdf"] == PDF

    letter = OutgoingLetter.objects.get(pk=letter.pk)
    assert letter.state == OutgoingState.SENT and letter.sent_at is not None
    entry = RegisterEntry.objects.get(pk=letter.register_entry_id)
    assert entry.action.startswith("ส่งทางไปรษณีย์อิเล็กทรอนิกส์ ")
    # A second run of the task (a duplicate hand-off) sends nothing more.
    assert send_letter(dispatch.pk) == "skipped"
    assert len(smtp_server.received) == 1

    client.force_login(roles.clerk)
    page = client.get(reverse("memos:letters_out:detail", args=[letter.pk])).content.decode()
    assert 'id="out-sent"' in page and "ส่งแล้ว" in page


@_converts
def test_smtp_down_is_retried_and_shown_on_the_letter_then_sent(roles, smtp_port, settings, client):
    settings.LETTER_SEND_RETRY_DELAYS = [60, 300]
    letter = signed(roles)
    outgoing_send(letter=letter, user=roles.clerk, channel=SendChannel.EMAIL)
    dispatch = OutgoingDispatch.objects.get(letter=letter)
    assert send_letter(dispatch.pk) == "retry"
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.PENDING and dispatch.attempts == 1
    assert OutgoingLetter.objects.get(pk=letter.pk).state == OutgoingState.SIGNED

    client.force_login(roles.clerk)
    page = client.get(reverse("memos:letters_out:detail", args=[letter.pk])).content.decode()
    assert 'id="out-send-error"' in page
    assert "ส่งอีเมลถึง saraban@ocsc.example ไม่สำเร็จ" in page and "จะลองส่งใหม่อัตโนมัติ" in page
    assert 'id="out-send"' not in page  # no second send while the first is on its way

    mailbox = SmtpInbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        # Not yet due: nothing is sent before the retry delay.
        assert send_letter(dispatch.pk) == "skipped"
        with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
            assert send_letter(dispatch.pk) == DispatchStatus.SENT
    finally:
        controller.stop()
    assert len(mailbox.received) == 1
    assert OutgoingLetter.objects.get(pk=letter.pk).state == OutgoingState.SENT


def test_sent_by_post_records_the_date_and_channel(roles):
    letter = signed(roles)
    letter = outgoing_send(letter=letter, user=roles.clerk, channel=SendChannel.POST)
    assert letter.state == OutgoingState.SENT and letter.channel == SendChannel.POST
    entry = RegisterEntry.objects.get(pk=letter.register_entry_id)
    assert entry.action.startswith("ส่งทางไปรษณีย์ ") and "๒๕๖" in entry.action
    assert not OutgoingDispatch.objects.exists()


def test_ecms_not_configured_is_said_in_thai(roles, monkeypatch):
    monkeypatch.setattr(hooks, "_senders", {k: v for k, v in hooks._senders.items() if k != "ecms"})
    letter = signed(roles)
    with pytest.raises(ValidationError) as refused:
        outgoing_send(letter=letter, user=roles.clerk, channel=SendChannel.ECMS)
    assert refused.value.code == "ecms_off" and "e-CMS" in refused.value.messages[0]
    assert not OutgoingDispatch.objects.exists()


def test_double_click_on_send_makes_one_dispatch(roles, client, django_capture_on_commit_callbacks):
    letter = signed(roles)
    client.force_login(roles.clerk)
    url = reverse("memos:letters_out:send", args=[letter.pk])
    client.post(url, {"channel": "email"})
    client.post(url, {"channel": "post"})
    assert OutgoingDispatch.objects.filter(letter=letter).count() == 1
    letter = OutgoingLetter.objects.get(pk=letter.pk)
    assert letter.state == OutgoingState.SIGNED and letter.channel == SendChannel.EMAIL
    assert letter.events.filter(action="send").count() == 1


def test_email_needs_the_recipients_address(roles):
    letter = draft(roles.clerk, recipient_email="")
    outgoing_submit(letter=letter, user=roles.clerk)
    letter = outgoing_sign(letter=letter, user=roles.director)
    with pytest.raises(ValidationError) as refused:
        outgoing_send(letter=letter, user=roles.clerk, channel=SendChannel.EMAIL)
    assert refused.value.code == "no_email"


@_converts
def test_failed_for_good_shows_on_the_letter_and_the_clerk_sends_again(roles, smtp_port, settings, client):
    settings.LETTER_SEND_RETRY_DELAYS = []
    letter = signed(roles)
    outgoing_send(letter=letter, user=roles.clerk, channel=SendChannel.EMAIL)
    dispatch = OutgoingDispatch.objects.get(letter=letter)
    assert send_letter(dispatch.pk) == "failed"
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:letters_out:detail", args=[letter.pk])).content.decode()
    assert "ส่งไม่สำเร็จ" in page and "กรุณาติดต่อผู้ดูแลระบบ" in page and 'id="out-send-retry"' in page

    mailbox = SmtpInbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        client.post(reverse("memos:letters_out:send_retry", args=[letter.pk]))
        client.post(reverse("memos:letters_out:send_retry", args=[letter.pk]))  # a double click
        assert send_letter(dispatch.pk) == DispatchStatus.SENT
    finally:
        controller.stop()
    assert len(mailbox.received) == 1
    assert OutgoingLetter.objects.get(pk=letter.pk).state == OutgoingState.SENT


@_converts
def test_ecms_channel_gets_the_letter_as_plain_data(roles, monkeypatch):
    """The e-CMS helper registers its sender; what it is handed is the hooks contract."""
    from letters.models import Agency

    handed: list[hooks.OutboundLetter] = []

    def hub(letter: hooks.OutboundLetter) -> hooks.SendResult:
        handed.append(letter)
        return hooks.SendResult(reference="PROCESS-1", detail="ศูนย์ e-CMS รับหนังสือแล้ว")

    monkeypatch.setattr(hooks, "_senders", {**hooks._senders, "ecms": hub})
    ocsc = Agency.objects.create(name="สำนักงาน ก.พ.", ecms_code="0801")
    letter = draft(roles.clerk, recipient_agency=ocsc, recipient_name="", recipient_email="")
    outgoing_submit(letter=letter, user=roles.clerk)
    letter = outgoing_sign(letter=letter, user=roles.director)
    outgoing_send(letter=letter, user=roles.clerk, channel=SendChannel.ECMS)
    assert send_letter(OutgoingDispatch.objects.get(letter=letter).pk) == DispatchStatus.SENT
    [sent] = handed
    assert (sent.recipient_code, sent.number, sent.unit_code) == ("0801", "กท ๐๔๐๑/๑", "ops-hrd")
    assert sent.main.content.startswith(b"%PDF") and sent.main.content_type == "application/pdf"
    letter = OutgoingLetter.objects.get(pk=letter.pk)
    assert letter.state == OutgoingState.SENT and letter.send_reference == "PROCESS-1"
    assert "ศูนย์ e-CMS รับหนังสือแล้ว" in letter.events.get(action="sent").text


def test_only_the_drafter_or_the_units_clerk_sends(roles):
    letter = signed(roles)
    with pytest.raises(ValidationError) as refused:
        outgoing_send(letter=letter, user=roles.director, channel=SendChannel.POST)
    assert refused.value.code == "not_sender"
