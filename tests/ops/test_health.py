"""/health/ answers without a login: each part the service needs, 200 when all are well and
500 naming the part that is not, with no address, path or password in what it prints."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any
from xmlrpc.server import SimpleXMLRPCServer

import pytest
from django.conf import settings
from django.test import Client

from documents.preview import soffice_available
from tests.integration.celery_support import use_broker

pytestmark = pytest.mark.django_db

ALL_OK = {
    "Database(alias='default')": "OK",
    "Cache(alias='default')": "OK",
    "Broker()": "OK",
    "Storage(alias='default')": "OK",
    "Converter()": "OK",
}


def health(client: Client, **extra: Any) -> Any:
    return client.get("/health/", HTTP_ACCEPT="application/json", **extra)


def secrets_of_this_process() -> list[str]:
    db = settings.DATABASES["default"]
    return [
        str(value)
        for value in (settings.SECRET_KEY, settings.AUDIT_HMAC_KEY, db["NAME"], settings.MEDIA_ROOT, settings.VAR_DIR)
        if value
    ]


@pytest.mark.skipif(
    not soffice_available(), reason="LibreOffice (soffice) is not installed: the converter check fails, as it should"
)
def test_every_part_answers_without_login(client: Client) -> None:
    response = health(client)
    assert response.status_code == 200
    assert response.json() == ALL_OK
    assert "no-cache" in response["Cache-Control"]
    text = response.content.decode()
    for secret in secrets_of_this_process():
        assert secret not in text

    page = client.get("/health/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    html = page.content.decode()
    assert "สถานะระบบ: ปกติทุกส่วน" in html and "ฐานข้อมูล" in html and "ตัวแปลงเอกสาร (LibreOffice)" in html


def test_a_broker_that_does_not_answer_fails_the_check_without_showing_its_address(client: Client) -> None:
    with use_broker("redis://:broker-password@127.0.0.1:1/0"):
        response = health(client)
    assert response.status_code == 500
    assert response.json()["Broker()"] == "Unavailable: ติดต่อตัวกลางส่งงานไม่ได้"
    assert response.json()["Database(alias='default')"] == "OK"
    assert "broker-password" not in response.content.decode() and "127.0.0.1" not in response.content.decode()


def test_without_libreoffice_the_converter_check_fails(client: Client, settings: Any) -> None:
    settings.SOFFICE_BINARY = "no-such-soffice-binary"
    response = health(client)
    assert response.status_code == 500
    assert response.json()["Converter()"] == "Unavailable: ไม่พบโปรแกรม LibreOffice (soffice) สำหรับแปลงเอกสาร"
    # Where LibreOffice is left out on purpose, the check can be switched off.
    settings.HEALTH_CHECK_CONVERTER = False
    response = health(client)
    assert response.status_code == 200 and "Converter()" not in response.json()


@pytest.fixture
def unoserver() -> Iterator[str]:
    """A local XML-RPC server answering info() as unoserver does."""
    server = SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False, allow_none=True)
    server.register_function(lambda: {"unoserver": "3.1", "api": "3"}, "info")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_unoserver_answering_or_not(client: Client, settings: Any, unoserver: str) -> None:
    settings.SOFFICE_BINARY = "no-such-soffice-binary"  # the program is not what is asked then
    settings.UNOSERVER_ADDRESS = unoserver
    assert health(client).json()["Converter()"] == "OK"

    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.UNOSERVER_ADDRESS = f"127.0.0.1:{closed_port}"
    response = health(client)
    assert response.status_code == 500
    assert response.json()["Converter()"] == "Unavailable: unoserver ไม่ตอบ"
    assert str(closed_port) not in response.content.decode()
