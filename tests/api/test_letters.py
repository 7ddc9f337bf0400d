"""Received letters through the API: booked in with a เลขรับ, refused twice, read only by who
the screens let read them."""

from __future__ import annotations

import base64

import pytest

from directory.models import Unit
from letters.models import Channel, IncomingLetter, IncomingState
from letters.services import LetterFacts, letter_intake

from .conftest import token_client

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _letter(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "sender_name": "สำนักงาน ก.พ.",
        "their_number": "นร ๑๐๐๘/ว ๑๒",
        "their_date": "2026-11-20",
        "subject": "การประเมินผลการปฏิบัติราชการ",
        "addressee": "ปลัดกรุงเทพมหานคร",
        "files": [{"name": "scan.pdf", "content_base64": base64.b64encode(PDF).decode()}],
    }
    body.update(overrides)
    return body


def test_a_clerk_books_a_paper_letter_in_and_the_same_letter_again_is_refused(roles):
    client = token_client(roles.ops_clerk)
    response = client.post("/api/v1/letters/incoming/", _letter(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["receive_number"], body["state"], body["their_date"]) == (1, "booked", "2026-11-20")
    assert body["files"][0]["content_type"] == "application/pdf"
    again = client.post("/api/v1/letters/incoming/", _letter(their_number="นร 1008/ว12", files=[]), format="json")
    assert again.status_code == 400
    assert again.json()["code"] == "duplicate" and "เลขรับ ๑/" in again.json()["detail"]
    assert IncomingLetter.objects.count() == 1


def test_a_scan_that_is_not_what_its_name_says_is_refused_and_nothing_is_booked(roles):
    client = token_client(roles.ops_clerk)
    fake = [{"name": "scan.pdf", "content_base64": base64.b64encode(b"MZ\x90\x00 not a pdf").decode()}]
    response = client.post("/api/v1/letters/incoming/", _letter(files=fake), format="json")
    assert response.status_code == 400 and response.json()["code"] == "content"
    bad = client.post(
        "/api/v1/letters/incoming/", _letter(files=[{"name": "a.pdf", "content_base64": "@@"}]), format="json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "bad_base64"
    exe = [{"name": "a.exe", "content_base64": base64.b64encode(b"MZ").decode()}]
    assert client.post("/api/v1/letters/incoming/", _letter(files=exe), format="json").json()["code"] == "file_type"
    assert IncomingLetter.objects.count() == 0


def test_only_the_receiving_units_clerk_sees_and_books(roles):
    unit = Unit.objects.get(key="ops-secretariat")
    waiting, _ = letter_intake(
        unit=unit,
        channel=Channel.ECMS,
        source_ref="process-1",
        facts=LetterFacts(sender_name="กรมบัญชีกลาง", their_number="กค ๐๔๐๒/๕", subject="ขอข้อมูล"),
    )
    stranger = token_client(roles.district_clerk)
    assert stranger.get(f"/api/v1/letters/incoming/{waiting.pk}/").status_code == 404
    assert stranger.get("/api/v1/letters/incoming/").json()["count"] == 0
    assert (
        stranger.post(f"/api/v1/letters/incoming/{waiting.pk}/book-in/", {"subject": "x"}, format="json").status_code
        == 404
    )

    clerk = token_client(roles.ops_clerk)
    listed = clerk.get("/api/v1/letters/incoming/", {"state": "waiting"}).json()
    assert [row["id"] for row in listed["results"]] == [waiting.pk]
    facts = {"sender_name": "กรมบัญชีกลาง", "their_number": "กค ๐๔๐๒/๕", "subject": "ขอข้อมูล"}
    booked = clerk.post(f"/api/v1/letters/incoming/{waiting.pk}/book-in/", facts, format="json")
    assert booked.status_code == 200 and booked.json()["receive_number"] == 1
    twice = clerk.post(f"/api/v1/letters/incoming/{waiting.pk}/book-in/", facts, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "already_booked"
    assert IncomingLetter.objects.get(pk=waiting.pk).state == IncomingState.BOOKED
