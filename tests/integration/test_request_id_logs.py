"""A request's id follows the work it enqueues: an administrator resends a failed e-mail
(admin action), the response names the request id, and the real Celery worker's JSON log
line for that delivery carries the same id."""

from __future__ import annotations

import json
import logging
import logging.config
import uuid
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_guid import clear_guid

from notifications.models import Channel, Notification, Status
from tests.conftest import REDIS_URL, service_available
from tests.factories import UserFactory

from .celery_support import CeleryWorker, database_url, redis_host_port, start_worker
from .conftest import _forget_queue


@pytest.fixture
def json_worker(tmp_path: Any) -> Iterator[CeleryWorker]:
    """A worker of its own, logging JSON as in production (LOG_FORMAT=json)."""
    host, port = redis_host_port(REDIS_URL)
    if not service_available(host, port):
        pytest.skip(f"Redis does not answer at {host}:{port}: this test needs a real worker")
    queue = f"test-reqid-{uuid.uuid4().hex[:10]}"
    worker = start_worker(
        base_dir=settings.BASE_DIR,
        database_url=database_url(connection.settings_dict),
        broker_url=REDIS_URL,
        queue=queue,
        var_dir=tmp_path / "var",
        extra_env={"SITE_URL": settings.SITE_URL, "LOG_FORMAT": "json"},
    )
    try:
        yield worker
    finally:
        worker.stop()
        _forget_queue(queue)


def json_lines(text: str) -> list[dict[str, Any]]:
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_the_request_id_reaches_the_log_line_of_the_task_it_enqueued(json_worker: CeleryWorker) -> None:
    worker = json_worker
    recipient = UserFactory(username="drafter", email="drafter@example.go.th")
    failed = Notification.objects.create(
        kind="memo_decided",
        recipient=recipient,
        channel=Channel.EMAIL,
        email=recipient.email,
        subject="ผลการพิจารณา",
        body="อนุมัติในข้อ ๑",
        dedup_key="memo:1:decided",
        status=Status.FAILED,
        attempts=6,
        last_error="ติดต่อเซิร์ฟเวอร์อีเมลไม่ได้",
        created_at=timezone.now(),
    )
    client = Client()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    given = uuid.uuid4().hex  # as nginx's $request_id would send it

    with worker.connected():
        response = client.post(
            "/admin/notifications/notification/",
            {"action": "resend", "_selected_action": [failed.pk]},
            HTTP_X_REQUEST_ID=given,
        )
    assert response.status_code == 302
    assert response["X-Request-ID"] == given

    sent = f"notification {failed.pk}: sent on attempt"
    line = worker.wait_for(
        lambda: next((rec for rec in json_lines(worker.log()) if sent in rec.get("message", "")), None),
        what="the worker's log line for the delivery",
    )
    assert line["request_id"] == given
    assert line["level"] == "INFO" and line["logger"] == "outbox"
    assert Notification.objects.get(pk=failed.pk).status == Status.SENT


@pytest.mark.django_db
def test_a_request_without_an_id_gets_one_and_its_log_lines_carry_it(client: Client) -> None:
    """In-process, with the settings' JSON formatter: a line logged while serving a request
    carries the id the response announces."""
    stream = StringIO()
    config = {**settings.LOGGING, "handlers": {"capture": {**settings.LOGGING["handlers"]["console"]}}}
    config["handlers"]["capture"].update({"formatter": "json", "stream": stream})
    config["root"] = {"handlers": ["capture"], "level": "INFO"}
    logging.config.dictConfig(config)
    try:
        clear_guid()
        logging.getLogger("django.request").warning("probe")  # outside any request
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="not a uuid; rm -rf /")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and request_id != "not a uuid; rm -rf /"
    records = json_lines(stream.getvalue())
    [not_found] = [r for r in records if r["logger"] == "django.request"][1:]
    assert not_found["message"] == "Not Found: /no-such-page/" and not_found["request_id"] == request_id
    # The header refused (not a UUID) is reported, and never copied into a log line.
    assert any(r["logger"] == "django_guid" for r in records) and "rm -rf" not in stream.getvalue()
    assert records[0]["message"] == "probe" and records[0]["request_id"] == "-"
