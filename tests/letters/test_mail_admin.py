"""The mailboxes in the admin: set up without a password in the database, polled on demand,
their state shown."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from directory.models import Unit
from letters.mail.models import Mailbox, TlsMode
from letters.models import IncomingLetter
from tests.integration.celery_support import MemoryBroker, use_broker

from .imap_server import PASSWORD_ENV, ImapServer, imap_server, letter_mail, mailbox_password

__all__ = ["imap_server", "mailbox_password"]  # fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_broker() -> Iterator[MemoryBroker]:
    queue = f"test-{uuid.uuid4().hex[:12]}"
    broker = MemoryBroker(queue)
    with use_broker("memory://", queue=queue):
        yield broker
    broker.take()


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "unit": Unit.objects.get(key="ops-secretariat").pk,
        "address": "saraban@ops.bangkok.go.th",
        "is_active": "on",
        "host": "imap.bangkok.go.th",
        "port": "993",
        "tls": TlsMode.SSL,
        "username": "saraban-ops",
        "password_env": "SARABAN_MAIL_OPS",
        "folder": "INBOX",
    }
    data.update(overrides)
    return data


def test_a_mailbox_is_set_up_with_the_name_of_its_password_variable_never_the_password(
    admin_client: Any, directory: None
) -> None:
    page = admin_client.get("/admin/letters/mailbox/add/").content.decode()
    assert 'type="password"' not in page
    assert "ไม่เก็บรหัสผ่านในฐานข้อมูล" in page

    refused = admin_client.post("/admin/letters/mailbox/add/", _form(password_env="my secret"))
    assert refused.status_code == 200
    assert "ชื่อตัวแปรสภาพแวดล้อมใช้ได้เฉพาะอักษรอังกฤษตัวใหญ่" in refused.content.decode()
    assert not Mailbox.objects.exists()

    saved = admin_client.post("/admin/letters/mailbox/add/", _form())
    assert saved.status_code == 302
    mailbox = Mailbox.objects.get()
    assert (mailbox.password_env, mailbox.failures, mailbox.last_poll_at) == ("SARABAN_MAIL_OPS", 0, None)


def test_poll_now_from_the_admin_takes_the_mail(
    admin_client: Any, imap_server: ImapServer, mailbox_password: str, memory_broker: MemoryBroker, directory: None
) -> None:
    mailbox = Mailbox.objects.create(
        unit=Unit.objects.get(key="ops-secretariat"),
        address="saraban@ops.bangkok.go.th",
        host="127.0.0.1",
        port=imap_server.port,
        tls=TlsMode.NONE,
        username=imap_server.user,
        password_env=PASSWORD_ENV,
    )
    imap_server.append(letter_mail(message_id="<now@ocsc.go.th>", subject="ด่วนที่สุด"))

    response = admin_client.post(
        "/admin/letters/mailbox/", {"action": "poll_now", "_selected_action": [mailbox.pk]}, follow=True
    )

    assert "สั่งตรวจ ๑ กล่องจดหมายแล้ว" in response.content.decode()
    memory_broker.run_queued()  # the worker's part
    assert IncomingLetter.objects.filter(source_ref="<now@ocsc.go.th>").exists()
    page = admin_client.get("/admin/letters/mailbox/").content.decode()
    assert "ปกติ" in page
