"""The whole e-mail path with a real Celery worker on Redis: beat's task publishes a poll,
the worker reads the mailbox on the real IMAP server and makes the waiting item; when the
clerk books it in, the worker sends the sender its เลขรับ."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction

from directory.models import Unit
from documents.thai import to_thai_digits
from letters.mail.models import Mailbox, TlsMode
from letters.mail.tasks import poll_mailboxes
from letters.models import IncomingLetter, IncomingState
from letters.services import LetterFacts, letter_book_in
from tests.conftest import REDIS_URL, service_available
from tests.integration.celery_support import database_url, redis_host_port, start_worker
from tests.integration.conftest import _forget_queue

from .imap_server import PASSWORD_ENV, PDF, ImapServer, imap_server, letter_mail, mailbox_password

__all__ = ["imap_server", "mailbox_password"]  # fixtures


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_a_worker_takes_the_mail_and_replies_with_the_receive_number(
    imap_server: ImapServer, mailbox_password: str, roles: Any, tmp_path: Path
) -> None:
    host, port = redis_host_port(REDIS_URL)
    if not service_available(host, port):
        pytest.skip(f"Redis does not answer at {host}:{port}: the real-worker tests need it (set TEST_REDIS_URL)")
    mailbox = Mailbox.objects.create(
        unit=Unit.objects.get(key="ops-secretariat"),
        address="saraban@ops.bangkok.go.th",
        host="127.0.0.1",
        port=imap_server.port,
        tls=TlsMode.NONE,
        username=imap_server.user,
        password_env=PASSWORD_ENV,
        reply_with_number=True,
    )
    imap_server.append(
        letter_mail(
            message_id="<w1@ocsc.go.th>",
            subject="ขอเชิญประชุม ที่ นร ๑๐๐๘/ว ๑๒",
            attachments=(("หนังสือเชิญ.pdf", PDF, "application/pdf"),),
        )
    )
    queue = f"test-mail-{uuid.uuid4().hex[:12]}"
    worker = start_worker(
        base_dir=settings.BASE_DIR,
        database_url=database_url(connection.settings_dict),
        broker_url=REDIS_URL,
        queue=queue,
        var_dir=tmp_path / "var",
        # The worker, not the database, holds the mailbox's password.
        extra_env={PASSWORD_ENV: imap_server.password, "SITE_URL": settings.SITE_URL},
    )
    try:
        with worker.connected():
            assert poll_mailboxes() == 1
        item = worker.wait_for(
            lambda: IncomingLetter.objects.filter(source_ref="<w1@ocsc.go.th>").first(), what="the waiting item"
        )
        assert item.state == IncomingState.WAITING and item.unit_id == mailbox.unit_id
        worker.wait_for(lambda: imap_server.unseen() == [], what="the message flagged seen")

        with worker.connected(), transaction.atomic():
            letter = letter_book_in(
                user=roles.ops_clerk,
                unit=item.unit,
                facts=LetterFacts(sender_name=item.sender_name, their_number=item.their_number, subject="ขอเชิญประชุม"),
                letter=item,
            )

        [reply] = worker.wait_for(
            lambda: [m for m in worker.mails() if m["In-Reply-To"] == "<w1@ocsc.go.th>"], what="the reply"
        )
        assert reply["To"] == "saraban@ocsc.go.th"
        number = f"{to_thai_digits(letter.receive_number)}/{to_thai_digits(letter.year)}"
        assert f"ได้รับแล้ว เลขรับ {number}" in reply.get_content()
    finally:
        worker.stop()
        _forget_queue(queue)
