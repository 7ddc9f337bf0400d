"""The reference case carried on from the approved memo (seed-memo.txt, second memo): the
institute issues its circular to every unit of the reference list, a district registers,
acknowledges and reports on time, a department lets the deadline pass and is reminded, and
the issuer's dashboard shows exactly that."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directives import selectors
from directives.forms import DirectiveForm
from directives.models import Directive, DirectiveState, Distribution, DistributionState, FollowUpReport
from directory.models import Position, RecipientGroup, Unit, UnitKind
from notifications.models import Channel, Notification
from notifications.tasks import send_reminders
from registers.models import RegisterEntry, Series

from .conftest import approve_reference_memo

pytestmark = pytest.mark.django_db

BKK = dt.timezone(dt.timedelta(hours=7))
TODAY = dt.datetime(2026, 11, 24, 9, 30, tzinfo=BKK)  # ๒๔ พฤศจิกายน ๒๕๖๙


def form_post_data(memo) -> dict:
    """What the prefilled form posts back when the clerk accepts every default."""
    initial = DirectiveForm.initial_from(selectors.directive_initial(memo))
    data = {k: v for k, v in initial.items() if v is not None and k != "groups"}
    data["groups"] = [str(pk) for pk in initial["groups"]]
    data["report_required"] = "on"
    return data


def expected_units() -> set[int]:
    """Counted from the directory itself: the office that books in each post of each group
    of the reference list, once, without the issuing institute."""
    units = set()
    for position in Position.objects.filter(groups__in=RecipientGroup.objects.all(), is_active=True):
        units.add(position.receiving_unit_id or position.unit_id)
    units.discard(Unit.objects.get(key="ops-hrd").pk)
    return units


def inapp(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, channel=Channel.INAPP, kind=kind))


def test_reference_directive_reaches_every_unit_and_is_followed_up(client, roles, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(TODAY, tick=False):
        memo = approve_reference_memo(client, roles)

        # The institute's clerk starts the directive; the form is prefilled from the decision.
        client.force_login(roles.clerk)
        page = client.get(reverse("memos:directive_new", args=[memo.pk])).content.decode()
        assert "- อนุมัติในข้อ ๑" in page  # the decision as written, beside the form
        # The circular quotes it in words: the units have not seen the memo's item numbers.
        assert (
            "ปลัดกรุงเทพมหานครได้โปรดอนุมัติ แผนพัฒนาข้าราชการกรุงเทพมหานครและบุคลากรกรุงเทพมหานคร "
            "ประจำปีงบประมาณ พ.ศ. ๒๕๖๔ และสั่งการให้ทุกหน่วยงาน" in page
        )
        assert "พร้อมนี้ สถาบันพัฒนาข้าราชการกรุงเทพมหานคร ขอส่งสำเนาหนังสือ ที่ กท ๐๔๐๑/๑" in page
        assert "ภายในสองสัปดาห์ภายหลังจากที่ดำเนินการแล้วเสร็จ" in page
        assert "bmahrd01@gmail.com" in page
        response = client.post(reverse("memos:directive_new", args=[memo.pk]), form_post_data(memo))
        assert response.status_code == 302, response.content.decode()[:2000]
        directive = Directive.objects.get(memo=memo)
        assert [row.group.key for row in directive.group_rows.all()] == list(
            RecipientGroup.objects.order_by("sort_order").values_list("key", flat=True)
        )
        assert len(directive.group_rows.all()) == 10
        assert directive.deadline_days == 14 and directive.signing_position.key == "ops-hrd-head"
        client.post(reverse("memos:directive_submit", args=[directive.pk]))
        # The acting director is told a directive waits for his signature.
        assert inapp(roles.director, "task_assigned")

        # Signing is sending: the next circular number of the institute, and every unit.
        client.force_login(roles.director)
        page = client.post(reverse("memos:directive_sign", args=[directive.pk]), follow=True).content.decode()
        directive = Directive.objects.get(pk=directive.pk)
        assert directive.state == DirectiveState.SENT
        assert directive.number == "กท ๐๔๐๑/ว ๑" and directive.dated == dt.date(2026, 11, 24)
        assert f"ได้เลขที่ {directive.number}" in page
        assert directive.signature_lines == [
            "(นายสันติ ตั้งชาญรัชชัย)",
            "ผู้อำนวยการส่วนยุทธศาสตร์การพัฒนา รักษาการในตำแหน่ง",
            "ผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
            "สำนักปลัดกรุงเทพมหานคร",
        ]
        circular = RegisterEntry.objects.get(series=Series.CIRCULAR, unit__key="ops-hrd")
        assert circular.number == 1 and circular.document_number == "กท ๐๔๐๑/ว ๑"

        sent_to = set(Distribution.objects.filter(directive=directive).values_list("unit_id", flat=True))
        assert sent_to == expected_units()
        assert (
            len(sent_to) == 87
        )  # 5 deputies, 15 departments, 4 named offices, 4 assistants, 50 districts, 8 ops units, commerce
        districts = set(Unit.objects.filter(kind=UnitKind.DISTRICT).values_list("pk", flat=True))
        assert len(districts) == 50 and districts <= sent_to
        # Every recipient unit's clerk is told, in the app and by mail.
        for clerk in (roles.district_clerk, roles.dept_clerk, roles.ops_clerk):
            assert len(inapp(clerk, "directive_arrived")) == 1
        assert Notification.objects.filter(
            kind="directive_arrived", channel=Channel.EMAIL, email="districtclerk@example.go.th"
        ).exists()

        # สำนักงานเขตพระนคร: the clerk finds it in the queue and books it in.
        client.force_login(roles.district_clerk)
        queue = client.get(reverse("memos:directive_incoming")).content.decode()
        assert "กท ๐๔๐๑/ว ๑" in queue and directive.subject in queue
        mine = Distribution.objects.get(directive=directive, unit__key="district-01")
        page = client.get(reverse("memos:distribution_detail", args=[mine.pk])).content.decode()
        assert "อนุมัติในข้อ ๑" in page and "กท ๐๔๐๑/๑" in page  # the source memo's decision, read-only
        docx = client.get(reverse("memos:directive_document", args=[directive.pk]))
        assert docx.status_code == 200 and docx.getvalue()[:2] == b"PK"
        page = client.post(reverse("memos:distribution_receive", args=[mine.pk]), follow=True).content.decode()
        assert "ลงทะเบียนรับแล้ว เลขรับ ๑" in page
        receipt = RegisterEntry.objects.get(series=Series.RECEIVE, unit__key="district-01")
        assert (receipt.number, receipt.document_number, receipt.sender) == (
            1,
            "กท ๐๔๐๑/ว ๑",
            "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
        )
        assert receipt.registered_at == TODAY
        client.post(reverse("memos:distribution_acknowledge", args=[mine.pk]))
        # The project ended on 20 November: the report is due two weeks later.
        client.post(reverse("memos:distribution_completion", args=[mine.pk]), {"completed_on": "2026-11-20"})
        mine = Distribution.objects.get(pk=mine.pk)
        assert mine.due_date == dt.date(2026, 12, 4)

        # สำนักการแพทย์ books in and acknowledges; its project ends today.
        client.force_login(roles.dept_clerk)
        medical = Distribution.objects.get(directive=directive, unit__key="dept-medical")
        client.post(reverse("memos:distribution_receive", args=[medical.pk]))
        client.post(reverse("memos:distribution_acknowledge", args=[medical.pk]))
        client.post(reverse("memos:distribution_completion", args=[medical.pk]), {"completed_on": "2026-11-24"})
        assert Distribution.objects.get(pk=medical.pk).due_date == dt.date(2026, 12, 8)

    # 1 December: the district files its report (form สพข. ๒) on time.
    with time_machine.travel(dt.datetime(2026, 12, 1, 14, 0, tzinfo=BKK), tick=False):
        client.force_login(roles.district_clerk)
        response = client.post(
            reverse("memos:distribution_report", args=[mine.pk]),
            {
                "project_name": "โครงการฝึกอบรมการใช้เครื่องมือดิจิทัลสำหรับข้าราชการเขตพระนคร",
                "started_on": "2026-11-16",
                "ended_on": "2026-11-20",
                "participants_executives": "4",
                "participants_officials": "52",
                "participants_staff": "18",
                "budget_used": "48500.00",
                "outcome": "ผู้เข้าอบรมผ่านการประเมินร้อยละ ๙๒",
                "file": SimpleUploadedFile("spk2-59.pdf", b"%PDF-1.4 report", "application/pdf"),
            },
        )
        assert response.status_code == 302
        # The issuer hears that a report arrived, and accepts it.
        assert len(inapp(roles.clerk, "report_filed")) == 1
        client.force_login(roles.clerk)
        report = FollowUpReport.objects.get(distribution=mine)
        client.post(reverse("memos:report_review", args=[report.pk]), {"decision": "accept"})
        assert Distribution.objects.get(pk=mine.pk).state == DistributionState.REPORTED

    # 9 December: สำนักการแพทย์ has let its deadline (8 December) pass.
    with time_machine.travel(dt.datetime(2026, 12, 9, 8, 0, tzinfo=BKK), tick=False):
        assert send_reminders() == 0
        medical = Distribution.objects.get(pk=medical.pk)
        assert medical.overdue_since == dt.date(2026, 12, 9) and medical.is_overdue
        reminders = inapp(roles.dept_clerk, "reminder")
        assert len(reminders) == 1 and "เกินกำหนดส่งรายงาน" in reminders[0].subject
        told = inapp(roles.clerk, "reminder")
        assert len(told) == 1 and "สำนักการแพทย์" in told[0].body
        assert not inapp(roles.district_clerk, "reminder")  # reported on time: left alone
        before = Notification.objects.count()
        send_reminders()  # the beat runs every quarter of an hour: once per day is enough
        assert Notification.objects.count() == before

        client.force_login(roles.clerk)
        page = client.get(reverse("memos:directive_dashboard", args=[directive.pk])).content.decode()
        counts = selectors.dashboard_counts(directive)
        assert (counts.total, counts.not_received, counts.received, counts.acknowledged) == (87, 85, 2, 2)
        assert (counts.reported, counts.overdue) == (1, 1)
        assert 'id="count-received">๒<' in page and 'id="count-overdue">๑<' in page
        assert 'id="count-not-received">๘๕<' in page and 'id="count-reported">๑<' in page
        overdue_panel = page.split('id="overdue-units"')[1].split("</table>")[0]
        assert "สำนักการแพทย์" in overdue_panel and "สำนักงานเขตพระนคร" not in overdue_panel

    # The next day the department reports after all: accepted late, and no longer overdue.
    with time_machine.travel(dt.datetime(2026, 12, 10, 10, 0, tzinfo=BKK), tick=False):
        client.force_login(roles.dept_clerk)
        client.post(
            reverse("memos:distribution_report", args=[medical.pk]),
            {
                "project_name": "โครงการพัฒนาสมรรถนะบุคลากรทางการแพทย์",
                "started_on": "2026-11-10",
                "ended_on": "2026-11-24",
                "participants_executives": "2",
                "participants_officials": "120",
                "participants_staff": "30",
                "budget_used": "250000",
                "outcome": "ดำเนินการครบตามแผน",
            },
        )
        report = FollowUpReport.objects.get(distribution=medical)
        assert report.was_late
        counts = selectors.dashboard_counts(directive)
        assert (counts.report_submitted, counts.overdue) == (1, 0)
