"""The reference scenario through the API alone, as the five people of seed-memo.txt:
the institute's clerk drafts and sends, the acting director signs, the deputy writes her
note, the Permanent Secretary rules on each proposal; the clerk issues the circular, the
acting director signs it, the Phra Nakhon district's clerk books it in, acknowledges,
records completion and reports; the institute accepts the report. No screen, no service
call: every step is an HTTP request with the person's own token."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

import pytest
import time_machine

from directives.models import Distribution
from directory.models import Unit
from memos.reference import DEPUTY_NOTE, ORDER_ACTOR, reference_memo_input
from registers.models import RegisterEntry, Series

pytestmark = pytest.mark.django_db

BKK = dt.timezone(dt.timedelta(hours=7))
TODAY = dt.datetime(2026, 11, 24, 9, 30, tzinfo=BKK)


def memo_json() -> dict[str, Any]:
    """The reference memo as a client would post it."""
    data = reference_memo_input()
    return {
        "subject": data.subject,
        "addressee": data.addressee_id,
        "signing_position": data.signing_position_id,
        "route": data.route_position_ids,
        "sections": [
            {
                "heading": s.heading,
                "intro": s.intro,
                "items": [{"level": lv, "style": st, "text": t} for lv, st, t in s.items],
            }
            for s in data.sections
        ],
        "proposals": [asdict(p) for p in data.proposals],
        "urgency": data.urgency,
        "secrecy": data.secrecy,
        "phone": data.phone,
        "authority": data.authority,
    }


def only_task(client: Any, kind: str) -> int:
    inbox = client.get("/api/v1/tasks/")
    assert inbox.status_code == 200, inbox.content
    tasks = [t for t in inbox.json()["results"] if t["kind"] == kind]
    assert len(tasks) == 1, inbox.json()
    return int(tasks[0]["id"])


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_reference_memo_and_circular_through_the_api(roles: Any, api_as: Any) -> None:
    clerk, director, deputy = api_as(roles.clerk), api_as(roles.director), api_as(roles.deputy)
    perm_sec, district = api_as(roles.perm_sec), api_as(roles.district_clerk)

    with time_machine.travel(TODAY, tick=False):
        # The clerk drafts, corrects the draft, and sends it for signature.
        body = memo_json()
        body["subject"] = "ร่างแรก"
        memo = ok(clerk.post("/api/v1/memos/", body, format="json"), 201)
        assert memo["state"] == "draft" and memo["unit"]["name"] == "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร"
        assert [p["title"] for p in memo["route"]] == ["รองปลัดกรุงเทพมหานคร", "ปลัดกรุงเทพมหานคร"]
        memo = ok(clerk.put(f"/api/v1/memos/{memo['id']}/", memo_json(), format="json"))
        assert memo["subject"].startswith("แผนพัฒนาข้าราชการกรุงเทพมหานคร") and memo["can_edit"]
        memo_id = memo["id"]
        assert ok(clerk.post(f"/api/v1/memos/{memo_id}/submit/"))["state"] == "awaiting_signature"
        # A second "send" is told why, in Thai, and changes nothing.
        again = clerk.post(f"/api/v1/memos/{memo_id}/submit/")
        assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
        assert again.json()["code"] == "state" and "รอลงนาม" in again.json()["detail"]

        # The acting director finds the memo in his inbox and signs: กท ๐๔๐๑/๑.
        task = only_task(director, "sign")
        assert ok(director.get(f"/api/v1/tasks/{task}/"))["actions"] == ["sign", "return"]
        result = ok(director.post(f"/api/v1/tasks/{task}/sign/"))
        assert result["memo"]["number"] == "กท ๐๔๐๑/๑" and result["memo"]["dated"] == "2026-11-24"
        assert director.post(f"/api/v1/tasks/{task}/sign/").json()["code"] == "done"  # double click

        # The deputy writes her note and forwards (her office books in automatically).
        task = only_task(deputy, "review")
        ok(deputy.post(f"/api/v1/tasks/{task}/forward/", {"note": DEPUTY_NOTE}, format="json"))

        # The Permanent Secretary previews, then rules: approve ๑, order ๒ - ๓.
        task = only_task(perm_sec, "decide")
        decision = {
            "rulings": [
                {"number": 1, "ruling": "approve"},
                {"number": 2, "ruling": "order"},
                {"number": 3, "ruling": "order"},
            ],
            "order_actor": ORDER_ACTOR,
        }
        preview = ok(perm_sec.post(f"/api/v1/tasks/{task}/decision-preview/", decision, format="json"))
        expected = ["อนุมัติในข้อ ๑", "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓"]
        assert preview == {"lines": expected, "undecided": []}
        result = ok(perm_sec.post(f"/api/v1/tasks/{task}/decide/", decision, format="json"))
        assert result["memo"]["state"] == "approved"

        memo = ok(clerk.get(f"/api/v1/memos/{memo_id}/"))
        assert memo["decision"]["lines"] == expected
        assert memo["decision"]["signature_lines"] == ["(นางศิลปสวย ระวีแสงสูรย์)", "ปลัดกรุงเทพมหานคร"]
        assert [n["text"] for n in memo["notes"] if n["action"] == "forward"] == [DEPUTY_NOTE]
        assert [p["ruling"] for p in memo["proposals"]] == ["approve", "order", "order"]
        assert memo["can_start_circular"] and memo["holder"] is None

        # The clerk issues the circular from the prefill and sends it for signature.
        draft = ok(clerk.get(f"/api/v1/memos/{memo_id}/circular-draft/"))
        assert draft["deadline_days"] == 14 and len(draft["groups"]) == 10
        circular = ok(clerk.post("/api/v1/circulars/", {**draft, "memo": memo_id}, format="json"), 201)
        ok(clerk.post(f"/api/v1/circulars/{circular['id']}/submit/"))

        # The acting director signs it: กท ๐๔๐๑/ว ๑, sent to 87 units.
        assert [c["id"] for c in ok(director.get("/api/v1/circulars/to-sign/"))] == [circular["id"]]
        sent = ok(director.post(f"/api/v1/circulars/{circular['id']}/sign/"))
        assert sent["circular"]["number"] == "กท ๐๔๐๑/ว ๑" and sent["circular"]["state"] == "sent"
        counts = ok(clerk.get(f"/api/v1/circulars/{circular['id']}/"))["counts"]
        assert counts["total"] == 87 and counts["not_received"] == 87

        # The district's clerk finds it in the inbox, books it in, acknowledges, completes.
        items = ok(district.get("/api/v1/tasks/circulars/"))
        assert [(i["kind"], i["number"]) for i in items] == [("sent", "กท ๐๔๐๑/ว ๑")]
        mine = items[0]["distribution_id"]
        assert mine == Distribution.objects.get(unit=Unit.objects.get(key="district-01")).pk
        booked = ok(district.post(f"/api/v1/distributions/{mine}/book-in/"))
        assert booked["distribution"]["receive_number"] == 1
        ok(district.post(f"/api/v1/distributions/{mine}/acknowledge/"))
        done = ok(
            district.post(f"/api/v1/distributions/{mine}/completion/", {"completed_on": "2026-11-20"}, format="json")
        )
        assert done["distribution"]["due_date"] == "2026-12-04"
        receipt = RegisterEntry.objects.get(series=Series.RECEIVE, unit__key="district-01")
        assert receipt.document_number == "กท ๐๔๐๑/ว ๑"

    with time_machine.travel(dt.datetime(2026, 12, 1, 14, 0, tzinfo=BKK), tick=False):
        report = {
            "project_name": "โครงการฝึกอบรมการใช้เครื่องมือดิจิทัลสำหรับข้าราชการเขตพระนคร",
            "started_on": "2026-11-16",
            "ended_on": "2026-11-20",
            "participants_executives": 4,
            "participants_officials": 52,
            "participants_staff": 18,
            "budget_used": "48500.00",
            "outcome": "ผู้เข้าอบรมผ่านการประเมินร้อยละ ๙๒",
        }
        filed = ok(district.post(f"/api/v1/distributions/{mine}/reports/", report, format="json"), 201)
        assert filed["report"]["status"] == "submitted"
        detail = ok(district.get(f"/api/v1/distributions/{mine}/"))
        assert detail["state"] == "report_submitted" and detail["decision_lines"] == expected

        # The institute accepts it; its follow-up shows the district as reported.
        ok(clerk.post(f"/api/v1/reports/{filed['report']['id']}/accept/"))
        rows = ok(clerk.get(f"/api/v1/circulars/{circular['id']}/distributions/"))
        assert [r["state"] for r in rows if r["id"] == mine] == ["reported"]
