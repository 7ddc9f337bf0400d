"""Access through the API is the screens' access: another unit's official gets 404 (as for a
thing that does not exist), an anonymous caller 401, a revoked token 401, a session without
CSRF 403; each answer a problem document with a Thai detail and a stable code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_issue, api_token_revoke
from directives.models import FollowUpReport
from memos.models import Memo
from tests.factories import AttachmentFactory

from .helpers import circular_draft, circular_sent, memo_in_review, open_task, rendered_version
from .test_scenario import memo_json

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
DECISION = {"rulings": [{"number": 1, "ruling": "approve"}]}


def memo_endpoints(memo: Memo, version_id: int, task_id: int) -> list[tuple[str, str, Any]]:
    m, t = f"/api/v1/memos/{memo.pk}", f"/api/v1/tasks/{task_id}"
    attachment = AttachmentFactory(memo=memo)
    return [
        ("get", f"{m}/attachments/{attachment.pk}/download/", None),
        ("get", f"{m}/", None),
        ("put", f"{m}/", memo_json()),
        ("post", f"{m}/submit/", None),
        ("post", f"{m}/withdraw/", {"reason": "ทดสอบ"}),
        ("get", f"{m}/circular-draft/", None),
        ("get", f"{m}/documents/", None),
        ("get", f"{m}/documents/{version_id}/download/", None),
        ("get", f"{m}/documents/{version_id}/preview/", None),
        ("get", f"{t}/", None),
        ("post", f"{t}/sign/", None),
        ("post", f"{t}/forward/", {"note": "เพื่อโปรดพิจารณา"}),
        ("post", f"{t}/return/", {"reason": "ทดสอบ"}),
        ("post", f"{t}/decide/", DECISION),
        ("post", f"{t}/decision-preview/", DECISION),
        ("post", f"{t}/book-in/", {}),
        ("post", f"{t}/resubmit/", {}),
    ]


def assert_not_found(response: Any, what: str) -> None:
    assert response.status_code == 404, f"{what}: {response.status_code} {response.content[:300]!r}"
    assert response["Content-Type"] == PROBLEM, what
    body = response.json()
    assert body["code"] == "not_found" and body["status"] == 404 and not body["detail"].isascii(), what


def test_another_units_official_gets_404_on_every_memo_and_task_endpoint(roles, api_as):
    memo = memo_in_review(roles)
    version = rendered_version(memo)
    for outsider in (roles.district_clerk, roles.dept_clerk):
        client = api_as(outsider)
        for method, url, body in memo_endpoints(memo, version.pk, open_task(memo)):
            assert_not_found(getattr(client, method)(url, body, format="json"), f"{method} {url}")
        assert client.get("/api/v1/memos/").json()["count"] == 0
    # Nothing changed on the way.
    assert Memo.objects.get(pk=memo.pk).state == "in_review"
    # A memo that does not exist answers exactly the same.
    missing = api_as(roles.district_clerk).get("/api/v1/memos/987654/")
    assert_not_found(missing, "missing memo")
    assert missing.json()["detail"] == api_as(roles.district_clerk).get(f"/api/v1/memos/{memo.pk}/").json()["detail"]


def test_route_officials_see_the_memo_but_act_only_on_their_own_task(roles, api_as):
    memo = memo_in_review(roles)
    deputy, perm_sec = api_as(roles.deputy), api_as(roles.perm_sec)
    assert deputy.get(f"/api/v1/memos/{memo.pk}/").status_code == 200
    assert [m["id"] for m in deputy.get("/api/v1/memos/").json()["results"]] == [memo.pk]
    # The Permanent Secretary is on the route but it has not reached her yet.
    assert_not_found(perm_sec.get(f"/api/v1/memos/{memo.pk}/"), "not yet reached")
    # The drafter sees the task but it is not hers to act on.
    clerk = api_as(roles.clerk)
    task = open_task(memo)
    assert clerk.get(f"/api/v1/tasks/{task}/").json()["actions"] == []
    assert_not_found(clerk.post(f"/api/v1/tasks/{task}/forward/", {"note": "x"}, format="json"), "drafter forwards")
    # The deputy's task offers forward and return, not decide.
    assert deputy.get(f"/api/v1/tasks/{task}/").json()["actions"] == ["forward", "return"]
    wrong = deputy.post(f"/api/v1/tasks/{task}/decide/", DECISION, format="json")
    assert wrong.status_code == 409 and wrong.json()["code"] == "wrong_task"


def test_secret_memo_is_for_the_drafter_and_named_officials_only(roles, api_as):
    memo = memo_in_review(roles, secrecy=1)
    assert api_as(roles.deputy).get(f"/api/v1/memos/{memo.pk}/").status_code == 200
    # A clerk of the drafting unit is not named on its route.
    from tests.factories import OfficialFactory

    colleague = OfficialFactory(unit_key="ops-hrd", is_clerk=True).user
    assert_not_found(api_as(colleague).get(f"/api/v1/memos/{memo.pk}/"), "secret memo, same unit")


def test_circular_and_distribution_endpoints_are_closed_to_other_units(roles, api_as):
    directive, mine = circular_sent(roles)
    d, x = f"/api/v1/circulars/{directive.pk}", f"/api/v1/distributions/{mine.pk}"
    district = api_as(roles.district_clerk)
    district.post(f"{x}/book-in/")
    district.post(f"{x}/acknowledge/")
    report = {
        "project_name": "โครงการ",
        "started_on": "2026-11-16",
        "ended_on": "2026-11-20",
        "budget_used": "100.00",
        "outcome": "เสร็จ",
    }
    assert district.post(f"{x}/reports/", report, format="json").status_code == 201
    filed = FollowUpReport.objects.get(distribution=mine)
    medical = api_as(roles.dept_clerk)
    for method, url, body in [
        ("get", f"{x}/", None),
        ("post", f"{x}/book-in/", None),
        ("post", f"{x}/acknowledge/", None),
        ("post", f"{x}/completion/", {"completed_on": "2026-11-20"}),
        ("post", f"{x}/reports/", {}),
        ("get", f"{d}/distributions/", None),
        ("put", f"{d}/", {}),
        ("post", f"{d}/sign/", None),
        ("post", f"{d}/return/", {"reason": "x"}),
        ("get", f"/api/v1/reports/{filed.pk}/file/", None),
        ("post", f"/api/v1/reports/{filed.pk}/accept/", None),
        ("post", f"/api/v1/reports/{filed.pk}/return/", {"reason": "x"}),
    ]:
        assert_not_found(getattr(medical, method)(url, body, format="json"), f"{method} {url}")
    # A recipient unit reads the sent circular and its document, but not another unit's copy.
    assert medical.get(f"{d}/").status_code == 200
    assert medical.get(f"{d}/document/").status_code == 200
    assert all(row["unit"]["name"] == "สำนักการแพทย์" for row in medical.get("/api/v1/distributions/").json()["results"])
    # Only the issuer reviews a report.
    assert_not_found(district.post(f"/api/v1/reports/{filed.pk}/accept/"), "unit accepts its own report")


def test_a_draft_circular_is_not_shown_to_its_recipients(roles, api_as):
    from .helpers import approved_memo

    directive = circular_draft(roles, approved_memo(roles))
    assert_not_found(api_as(roles.district_clerk).get(f"/api/v1/circulars/{directive.pk}/"), "draft circular")
    assert_not_found(api_as(roles.district_clerk).get(f"/api/v1/circulars/{directive.pk}/document/"), "draft .docx")
    assert api_as(roles.director).get(f"/api/v1/circulars/{directive.pk}/").status_code == 200


def every_operation() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    values = {"{id}": "1", "{version_id}": "1", "{attachment_id}": "1", "{series}": "send", "{year}": "2569"}
    operations = []
    for path, item in schema["paths"].items():
        for name, value in values.items():
            path = path.replace(name, value)
        operations += [(method, path) for method in item if method in ("get", "post", "put", "patch", "delete")]
    return operations


def test_anonymous_callers_get_401_everywhere(db):
    operations = every_operation()
    assert len(operations) >= 40
    client = APIClient()
    for method, path in operations:
        response = getattr(client, method)(path)
        assert response.status_code == 401, f"{method} {path}: {response.status_code}"
        assert response["Content-Type"] == PROBLEM and response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["code"] == "not_authenticated"


def test_revoked_or_unknown_token_gets_401(roles):
    token, raw = api_token_issue(user=roles.clerk, name="ระบบบุคลากร")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me/").json()["username"] == "clerk"
    api_token_revoke(token=token)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401 and response.json()["detail"] == "โทเคนนี้ถูกเพิกถอนแล้ว"
    assert response.json()["code"] == "authentication_failed"
    client.credentials(HTTP_AUTHORIZATION="Bearer srb_" + "x" * 43)
    assert client.get("/api/v1/me/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Bearer")
    assert client.get("/api/v1/me/").status_code == 401


def test_a_token_is_stored_only_as_a_hash_and_records_its_last_use(roles):
    token, raw = api_token_issue(user=roles.clerk, name="แอปมือถือ")
    stored = ApiToken.objects.filter(pk=token.pk).values_list("prefix", "key_hash").get()
    assert raw not in "".join(stored) and raw.startswith(stored[0])
    assert token.last_used_at is None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.get("/api/v1/me/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_session_needs_csrf_for_writes(roles):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(roles.clerk)
    assert client.get("/api/v1/memos/").status_code == 200  # reading needs no token
    refused = client.post("/api/v1/memos/", memo_json(), format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    assert not Memo.objects.exists()
    client.get("/admin/login/")  # any page that sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    created = client.post("/api/v1/memos/", memo_json(), format="json", HTTP_X_CSRFTOKEN=csrf)
    assert created.status_code == 201, created.content


def test_registers_are_for_the_units_clerks(roles, api_as):
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))):
        memo_in_review(roles)
    assert_not_found(api_as(roles.director).get("/api/v1/registers/send/2569/"), "not a clerk")
    assert_not_found(api_as(roles.clerk).get("/api/v1/registers/nonsense/2569/"), "no such series")
    rows = api_as(roles.clerk).get("/api/v1/registers/send/2569/").json()["results"]
    assert [(r["number"], r["document_number"]) for r in rows] == [(1, "กท ๐๔๐๑/๑")]
    assert api_as(roles.dept_clerk).get("/api/v1/registers/send/2569/").json()["results"] == []
