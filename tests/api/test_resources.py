"""What each resource gives back: problem details for bad input and refused actions, the
stored .docx and its PDF preview, the register as XLSX, the directory, the throttle, the
token admin; and a query budget on every list."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from openpyxl import load_workbook
from rest_framework.test import APIClient

from api.models import ApiToken, token_hash
from directory.models import Position
from documents.preview import soffice_available
from memos.models import Memo
from tests.factories import MemoFactory, OfficialFactory

from .helpers import circular_sent, memo_in_review, open_task, rendered_version
from .test_scenario import memo_json

pytestmark = pytest.mark.django_db

BKK = dt.timezone(dt.timedelta(hours=7))
TODAY = dt.datetime(2026, 11, 24, 9, 30, tzinfo=BKK)
PROBLEM = "application/problem+json"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- Problem details -------------------------------------------------------------------------


def test_invalid_input_is_a_problem_with_thai_messages_per_field(roles, api_as):
    body = memo_json()
    body.update(subject="", route=[], urgency=9)
    response = api_as(roles.clerk).post("/api/v1/memos/", body, format="json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "urn:saraban:problem:validation" and problem["title"] == "ข้อมูลไม่ถูกต้อง"
    assert problem["code"] == "validation" and problem["instance"] == "/api/v1/memos/"
    assert set(problem["errors"]) == {"subject", "urgency"}
    assert all(not m.isascii() for msgs in problem["errors"].values() for m in msgs)
    assert not Memo.objects.exists()


def test_the_services_rules_answer_in_thai(roles, api_as):
    body = memo_json()
    body["route"] = []  # passes the shape check; the service refuses it
    response = api_as(roles.clerk).post("/api/v1/memos/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["route"] == ["กรุณากำหนดเส้นทางเสนออย่างน้อยหนึ่งตำแหน่ง (ตำแหน่งสุดท้ายเป็นผู้สั่งการ)"]
    # A draft the preflight checker finds an error in cannot be sent: 400 with the finding.
    bad = memo_json()
    bad["sections"][0]["items"].append({"level": 0, "style": "numbered", "text": "แผนประจำปี พ.ศ. 2024"})
    memo = api_as(roles.clerk).post("/api/v1/memos/", bad, format="json").json()
    refused = api_as(roles.clerk).post(f"/api/v1/memos/{memo['id']}/submit/")
    # (The code is "invalid", not "preflight": memos.services._check_ready raises a list, and
    # Django drops the code of a list-form ValidationError; reported to the memos owner.)
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"
    assert refused.json()["detail"].startswith("ส่งไม่ได้") and "ปีคริสต์ศักราช" in refused.json()["detail"]
    assert Memo.objects.get(pk=memo["id"]).state == "draft"


def test_malformed_json_and_unknown_paths_are_problems(roles, api_as):
    client = api_as(roles.clerk)
    response = client.generic("POST", "/api/v1/memos/", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    response = client.delete("/api/v1/memos/")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_a_bug_is_logged_and_still_answered_as_a_problem(roles, api_as, monkeypatch, caplog):
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("api.views.tasks.task_selectors.inbox_tasks", broken)
    response = api_as(roles.clerk).get("/api/v1/tasks/")
    assert response.status_code == 500 and response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "server_error" and response.json()["detail"].startswith("ระบบขัดข้อง")
    assert any(r.exc_info and "simulated bug" in str(r.exc_info[1]) for r in caplog.records)


def test_withdraw_then_act_on_the_cancelled_task(roles, api_as):
    memo = memo_in_review(roles)
    task = open_task(memo)
    clerk = api_as(roles.clerk)
    assert clerk.post(f"/api/v1/memos/{memo.pk}/withdraw/", {}, format="json").json()["errors"]["reason"]
    assert (
        clerk.post(f"/api/v1/memos/{memo.pk}/withdraw/", {"reason": "ยกเลิกโครงการ"}, format="json").status_code == 200
    )
    assert Memo.objects.get(pk=memo.pk).state == "withdrawn"
    late = api_as(roles.deputy).post(f"/api/v1/tasks/{task}/forward/", {"note": "x"}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "withdrawn"
    assert late.json()["detail"].startswith("ผู้ร่างถอนเรื่องนี้แล้ว")


def test_return_and_resubmit_from_the_same_task(roles, api_as):
    memo = memo_in_review(roles)
    deputy, clerk = api_as(roles.deputy), api_as(roles.clerk)
    empty = deputy.post(f"/api/v1/tasks/{open_task(memo)}/return/", {"reason": " "}, format="json")
    assert empty.status_code == 400
    deputy.post(f"/api/v1/tasks/{open_task(memo)}/return/", {"reason": "แก้ไขงบประมาณ"}, format="json")
    inbox = clerk.get("/api/v1/tasks/").json()["results"]
    assert [(t["kind"], t["returned_reason"]) for t in inbox] == [("revise", "แก้ไขงบประมาณ")]
    assert clerk.put(f"/api/v1/memos/{memo.pk}/", memo_json(), format="json").status_code == 200
    result = clerk.post(f"/api/v1/tasks/{inbox[0]['id']}/resubmit/", {"note": "แก้ไขแล้ว"}, format="json")
    assert result.status_code == 200 and result.json()["memo"]["state"] == "awaiting_signature"


def test_book_in_by_hand_through_the_api(roles, api_as):
    from directory.models import Unit

    Unit.objects.filter(key="deputy-1-office").update(books_in_by_hand=True)
    deputy_clerk = OfficialFactory(unit_key="deputy-1-office", is_clerk=True).user
    memo = memo_in_review(roles)
    assert api_as(roles.deputy).get("/api/v1/tasks/").json()["count"] == 0
    office = api_as(deputy_clerk)
    [task] = office.get("/api/v1/tasks/").json()["results"]
    assert task["kind"] == "book_in"
    future = office.post(
        f"/api/v1/tasks/{task['id']}/book-in/", {"received_at": "2999-01-01T09:00:00+07:00"}, format="json"
    )
    assert future.status_code == 400 and "อนาคต" in future.json()["detail"]
    booked = office.post(f"/api/v1/tasks/{task['id']}/book-in/", {"note": "เรียน รองปลัด"}, format="json")
    assert booked.status_code == 200 and booked.json()["receive_number"] == 1
    assert api_as(roles.deputy).get("/api/v1/tasks/").json()["results"][0]["kind"] == "review"
    assert Memo.objects.get(pk=memo.pk).state == "in_review"


@override_settings()
def test_throttle_is_per_token(roles, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    from .conftest import token_client

    first, second = token_client(roles.clerk), token_client(roles.clerk)
    assert [first.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    limited = first.get("/api/v1/me/")
    assert limited.status_code == 429 and limited.json()["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0 and "วินาที" in limited.json()["detail"]
    assert second.get("/api/v1/me/").status_code == 200  # another token has its own budget


# --- Documents, registers, directory -------------------------------------------------------------


def test_download_a_stored_version_and_preview_it(roles, api_as):
    memo = memo_in_review(roles)
    version = rendered_version(memo)
    client = api_as(roles.deputy)
    listed = client.get(f"/api/v1/memos/{memo.pk}/documents/").json()
    assert version.pk in [v["id"] for v in listed if v["is_ready"]]
    response = client.get(f"/api/v1/memos/{memo.pk}/documents/{version.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    preview = client.get(f"/api/v1/memos/{memo.pk}/documents/{version.pk}/preview/")
    if soffice_available():
        assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    else:
        assert preview.status_code == 503 and preview.json()["code"] == "preview_unavailable"
        assert not preview.json()["detail"].isascii()


def test_attachment_circular_and_report_files(roles, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from directives.models import FollowUpReport
    from directives.services import ReportInput, distribution_acknowledge, distribution_receive, report_submit
    from memos.services import attachment_add

    memo = memo_in_review(roles)
    # An attachment, added while a draft, as the screen does (the service checks its type).
    draft = MemoFactory(drafter=roles.clerk.official)
    upload = SimpleUploadedFile("แผนงาน.pdf", b"%PDF-1.4 plan", "application/pdf")
    attachment = attachment_add(memo=draft, user=roles.clerk, upload=upload)
    response = api_as(roles.clerk).get(f"/api/v1/memos/{draft.pk}/attachments/{attachment.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 plan"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert memo.pk != draft.pk

    directive, mine = circular_sent(roles)
    document = api_as(roles.district_clerk).get(f"/api/v1/circulars/{directive.pk}/document/")
    assert document.status_code == 200 and document["Content-Type"] == DOCX
    assert b"".join(document.streaming_content)[:2] == b"PK"

    distribution_receive(user=roles.district_clerk, distribution=mine)
    distribution_acknowledge(user=roles.district_clerk, distribution=mine)
    data = ReportInput("โครงการ", dt.date(2026, 11, 16), dt.date(2026, 11, 20), 1, 2, 3, Decimal("10.00"), "เสร็จ")
    report_submit(
        user=roles.district_clerk,
        distribution=mine,
        data=data,
        upload=SimpleUploadedFile("รายงาน.pdf", b"%PDF-1.4 report", "application/pdf"),
    )
    report = FollowUpReport.objects.get(distribution=mine)
    for who in (roles.clerk, roles.district_clerk):
        response = api_as(who).get(f"/api/v1/reports/{report.pk}/file/")
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 report"


def test_register_as_xlsx_with_thai_headings(roles, api_as):
    with time_machine.travel(TODAY, tick=False):
        memo_in_review(roles, secrecy=1)
        response = api_as(roles.clerk).get("/api/v1/registers/send/2569/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    # The register's title and unit-and-year lines, then the official headings (registers.exports).
    assert rows[0][0] == "ทะเบียนหนังสือส่ง"
    assert rows[2][:3] == ("เลขทะเบียนส่ง", "ที่", "ลงวันที่")
    assert rows[3][0] == "๑" and rows[3][1] == "กท ๐๔๐๑/๑" and rows[3][5] == "(หนังสือชั้นลับ)"


def test_directory_and_who_acts_today(roles, api_as):
    client = api_as(roles.clerk)
    head = Position.objects.get(key="ops-hrd-head")
    acting = client.get(f"/api/v1/directory/positions/{head.pk}/acting/").json()
    assert acting["official_name"] == "นายสันติ ตั้งชาญรัชชัย" and acting["capacity"] == "acting_in_post"
    assert acting["signature_lines"][1:] == [
        "ผู้อำนวยการส่วนยุทธศาสตร์การพัฒนา รักษาการในตำแหน่ง",
        "ผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
    ]
    before = client.get(f"/api/v1/directory/positions/{head.pk}/acting/?on=2001-01-01").json()
    assert before["official_name"] is None
    bad = client.get(f"/api/v1/directory/positions/{head.pk}/acting/?on=๒๕๖๙")
    assert bad.status_code == 400 and bad.json()["code"] == "validation"
    groups = client.get("/api/v1/directory/groups/").json()
    assert groups["count"] == 10 and all(g["position_count"] > 0 for g in groups["results"])
    districts = client.get("/api/v1/directory/units/?kind=district&page_size=100").json()
    assert districts["count"] == 50
    me = client.get("/api/v1/me/").json()
    assert me["unit"]["name"] == "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร" and me["is_clerk"]
    director = api_as(roles.director).get("/api/v1/me/").json()
    assert {p["capacity"] for p in director["posts"]} == {"holder", "acting_in_post"}


def test_admin_issues_a_token_once_and_revokes_it(admin_client, roles):
    response = admin_client.post(
        "/admin/api/apitoken/add/", {"user": roles.clerk.pk, "name": "ระบบบุคลากร"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    raw = next(w for m in shown for w in m.split() if w.startswith("srb_"))
    token = ApiToken.objects.get()
    assert token.key_hash == token_hash(raw) and token.created_by is not None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me/").status_code == 200
    # The token is never shown again.
    page = admin_client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert raw not in page
    admin_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert client.get("/api/v1/me/").status_code == 401


# --- Query budgets ------------------------------------------------------------------------------


def _budget(client: Any, url: str, django_assert_max_num_queries: Any, budget: int) -> dict[str, Any]:
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_list_endpoints_keep_a_fixed_query_budget(roles, api_as, django_assert_max_num_queries):
    """Each list costs the same few queries with 3 rows or 30: the token (and its last-used
    time), the caller's posts, a count and one page with its related rows."""
    circular_sent(roles)
    clerk, district = api_as(roles.clerk), api_as(roles.district_clerk)
    for rows in (3, 30):
        MemoFactory.create_batch(rows, drafter=roles.clerk.official)
        assert _budget(clerk, "/api/v1/memos/", django_assert_max_num_queries, 7)["count"] >= rows
        _budget(clerk, "/api/v1/memos/?state=draft&year=2569", django_assert_max_num_queries, 7)
        _budget(clerk, "/api/v1/circulars/", django_assert_max_num_queries, 5)
        _budget(district, "/api/v1/distributions/", django_assert_max_num_queries, 5)
        _budget(district, "/api/v1/tasks/circulars/", django_assert_max_num_queries, 6)
        _budget(api_as(roles.deputy), "/api/v1/tasks/", django_assert_max_num_queries, 9)
        _budget(clerk, "/api/v1/tasks/unit-queue/", django_assert_max_num_queries, 6)
        _budget(clerk, "/api/v1/registers/receive/2569/", django_assert_max_num_queries, 5)
        _budget(clerk, "/api/v1/directory/units/", django_assert_max_num_queries, 4)
        _budget(clerk, "/api/v1/directory/positions/", django_assert_max_num_queries, 4)
        _budget(clerk, "/api/v1/directory/groups/", django_assert_max_num_queries, 4)


# --- The schema and its pages ------------------------------------------------------------------


def test_schema_and_its_pages(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["info"]["title"] == "API ระบบสารบรรณอิเล็กทรอนิกส์"
    assert body["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": body["components"]["securitySchemes"]["tokenAuth"]["description"],
    }
    summaries = [op["summary"] for item in body["paths"].values() for op in item.values() if "summary" in op]
    assert summaries and all(not s.isascii() for s in summaries)  # every operation described in Thai
    for page in ("/api/schema/swagger/", "/api/schema/redoc/"):
        assert client.get(page).status_code == 200
