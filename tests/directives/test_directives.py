"""Sending is idempotent and bulk, access is per unit (404 otherwise), reports can be sent
back with a reason, the dashboard is constant in queries and exports Thai CSV."""

from __future__ import annotations

import csv
import io
import math

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directives import selectors, services
from directives.models import Directive, Distribution, DistributionState, FollowUpReport, ReportStatus
from directives.services import ReportInput
from notifications.models import Channel, Notification
from registers.models import RegisterEntry, Series
from tests.factories import OfficialFactory

from .conftest import approve_reference_memo, issue_directive, make_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def memo(client, roles):
    return approve_reference_memo(client, roles)


def sent_directive(memo, roles, **changes) -> Directive:
    directive = issue_directive(memo, roles, **changes)
    return services.directive_sign_and_send(user=roles.director, directive=directive)


def report_input(**changes) -> ReportInput:
    from datetime import date
    from decimal import Decimal

    values = {
        "project_name": "โครงการอบรมข้าราชการบรรจุใหม่",
        "started_on": date(2026, 11, 2),
        "ended_on": date(2026, 11, 6),
        "participants_executives": 1,
        "participants_officials": 40,
        "participants_staff": 5,
        "budget_used": Decimal("12000.50"),
        "outcome": "บรรลุเป้าหมาย",
    }
    values.update(changes)
    return ReportInput(**values)


def test_double_click_on_sign_sends_one_set(client, memo, roles):
    directive = issue_directive(memo, roles)
    client.force_login(roles.director)
    url = reverse("memos:directive_sign", args=[directive.pk])
    client.post(url)
    page = client.post(url, follow=True).content.decode()  # the second click, or a second tab
    assert "ลงนามและส่งแล้ว (ที่ กท ๐๔๐๑/ว ๑) ระบบไม่ได้ส่งซ้ำ" in page
    assert Distribution.objects.filter(directive=directive).count() == 87
    assert RegisterEntry.objects.filter(series=Series.CIRCULAR).count() == 1
    assert (
        Notification.objects.filter(kind="directive_arrived", recipient=roles.district_clerk).count() == 2
    )  # e-mail + in-app


def test_only_whoever_acts_for_the_signing_post_may_sign(memo, roles):
    directive = issue_directive(memo, roles)
    with pytest.raises(ValidationError) as exc:
        services.directive_sign_and_send(user=roles.clerk, directive=directive)
    assert "ไม่ได้ดำรงหรือรักษาการตำแหน่งผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร" in exc.value.messages[0]
    assert not Distribution.objects.exists() and not RegisterEntry.objects.filter(series=Series.CIRCULAR).exists()


def test_a_directive_needs_an_approved_memo_and_the_memos_unit(client, roles):
    from memos import services as memo_services
    from memos.reference import reference_memo_input

    draft = memo_services.memo_create(user=roles.clerk, data=reference_memo_input())
    with pytest.raises(ValidationError, match="เฉพาะบันทึกข้อความที่อนุมัติแล้ว"):
        services.directive_create(user=roles.clerk, memo=draft, data=selectors.directive_initial(draft))
    memo = approve_reference_memo(client, roles)
    with pytest.raises(ValidationError, match="เฉพาะเจ้าหน้าที่ของสถาบันพัฒนาข้าราชการกรุงเทพมหานคร"):
        services.directive_create(user=roles.district_clerk, memo=memo, data=selectors.directive_initial(memo))


def insert_batches(model, rows: int, batch_size: int = 500) -> int:
    """INSERT statements bulk_create needs for `rows` rows: our batch size, or fewer rows per
    statement when the backend limits the parameters of one statement (SQLite: 999)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    per_statement = min(batch_size, connection.ops.bulk_batch_size(fields, [model()] * rows))
    return math.ceil(rows / per_statement)


def test_sending_costs_the_same_queries_for_10_and_60_units(memo, roles, django_assert_max_num_queries):
    captured = {}
    for size in (10, 60):
        group = make_units(f"q{size}", size)
        directive = issue_directive(memo, roles, group_ids=[group.pk])
        with CaptureQueriesContext(connection) as queries:
            services.directive_sign_and_send(user=roles.director, directive=directive)
        captured[size] = [q["sql"] for q in queries.captured_queries]
        assert Distribution.objects.filter(directive=directive).count() == size
        # Each unit's clerk (e-mail + in-app) and mailbox: three rows per unit, inserted in bulk.
        assert Notification.objects.filter(dedup_key=f"directive:{directive.pk}:sent").count() == 3 * size
        inserts = [sql for sql in captured[size] if sql.startswith("INSERT")]
        assert sum('"directives_distribution"' in sql for sql in inserts) == insert_batches(Distribution, size)
        assert sum('"notifications_notification"' in sql for sql in inserts) == insert_batches(Notification, 3 * size)

    def reads_and_updates(size: int) -> int:
        return sum(not sql.startswith("INSERT") for sql in captured[size])

    # Nothing is read or written per unit; only the bulk inserts split where the backend
    # caps one statement's parameters (never on PostgreSQL at this size).
    assert reads_and_updates(10) == reads_and_updates(60)
    if connection.vendor == "postgresql":
        assert len(captured[10]) == len(captured[60])
    group = make_units("q61", 61, clerks=False)
    directive = issue_directive(memo, roles, group_ids=[group.pk])
    with django_assert_max_num_queries(len(captured[60])):
        services.directive_sign_and_send(user=roles.director, directive=directive)


def test_dashboard_queries_do_not_grow_with_units(client, memo, roles):
    sizes = {}
    for size in (10, 60):
        group = make_units(f"d{size}", size, clerks=False)
        directive = sent_directive(memo, roles, group_ids=[group.pk])
        client.force_login(roles.clerk)
        for fmt in ("", "?format=csv"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("memos:directive_dashboard", args=[directive.pk]) + fmt)
            assert response.status_code == 200
            sizes[(size, fmt)] = len(queries)
    assert sizes[(10, "")] == sizes[(60, "")], sizes
    assert sizes[(10, "?format=csv")] == sizes[(60, "?format=csv")], sizes


def test_sending_to_a_thousand_units_is_bulk_and_quick(memo, roles):
    group = make_units("k", 1000, clerks=False)
    directive = issue_directive(memo, roles, group_ids=[group.pk])
    with CaptureQueriesContext(connection) as queries:
        services.directive_sign_and_send(user=roles.director, directive=directive)
    assert Distribution.objects.filter(directive=directive).count() == 1000
    assert Notification.objects.filter(dedup_key=f"directive:{directive.pk}:sent").count() == 1000
    # A fixed number of reads and updates (including storing the signed circular's version),
    # plus the bulk inserts' batches; nothing per unit. Time is measured in bench/, not here.
    # 25: +1 for the circular's search index job, in the same transaction (search/indexer.py).
    batches = insert_batches(Distribution, 1000) + insert_batches(Notification, 1000)
    assert len(queries) <= 25 + batches, [q["sql"][:80] for q in queries.captured_queries]


def test_another_units_clerk_gets_404(client, memo, roles, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    directive = sent_directive(memo, roles)
    district = Distribution.objects.get(directive=directive, unit__key="district-01")
    services.distribution_receive(user=roles.district_clerk, distribution=district)
    services.distribution_acknowledge(user=roles.district_clerk, distribution=district)
    report = services.report_submit(
        user=roles.district_clerk,
        distribution=district,
        data=report_input(),
        upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4 r", "application/pdf"),
    )
    client.force_login(roles.dept_clerk)  # สำนักการแพทย์: a recipient too, but not of this copy
    for method, url in [
        ("get", reverse("memos:distribution_detail", args=[district.pk])),
        ("post", reverse("memos:distribution_receive", args=[district.pk])),
        ("post", reverse("memos:distribution_acknowledge", args=[district.pk])),
        ("post", reverse("memos:distribution_report", args=[district.pk])),
        ("get", reverse("memos:report_file", args=[report.pk])),
        ("post", reverse("memos:report_review", args=[report.pk])),
        ("get", reverse("memos:directive_dashboard", args=[directive.pk])),
        ("get", reverse("memos:directive_edit", args=[directive.pk])),
    ]:
        assert getattr(client, method)(url).status_code == 404, url
    # An official of a unit the directive was not sent to cannot even fetch the document.
    outsider = OfficialFactory(unit_key="hrd-admin").user
    client.force_login(outsider)
    assert client.get(reverse("memos:directive_document", args=[directive.pk])).status_code == 404
    assert client.get(reverse("memos:directive_detail", args=[directive.pk])).status_code == 404
    # The issuer and the unit itself can read the report file.
    for user in (roles.clerk, roles.district_clerk):
        client.force_login(user)
        assert client.get(reverse("memos:report_file", args=[report.pk])).status_code == 200


def test_report_sent_back_with_a_reason_then_filed_again(client, memo, roles):
    directive = sent_directive(memo, roles)
    district = Distribution.objects.get(directive=directive, unit__key="district-01")
    services.distribution_receive(user=roles.district_clerk, distribution=district)
    services.distribution_acknowledge(user=roles.district_clerk, distribution=district)
    report = services.report_submit(user=roles.district_clerk, distribution=district, data=report_input())

    client.force_login(roles.clerk)
    url = reverse("memos:report_review", args=[report.pk])
    page = client.post(url, {"decision": "return", "reason": ""}, follow=True).content.decode()
    assert "กรุณาระบุเหตุผลที่ส่งคืน" in page
    assert FollowUpReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    client.post(url, {"decision": "return", "reason": "จำนวนผู้เข้าร่วมไม่ตรงกับรายชื่อที่แนบ"})
    report = FollowUpReport.objects.get(pk=report.pk)
    assert report.status == ReportStatus.RETURNED
    assert Distribution.objects.get(pk=district.pk).state == DistributionState.ACKNOWLEDGED
    told = Notification.objects.get(recipient=roles.district_clerk, channel=Channel.INAPP, kind="report_returned")
    assert "จำนวนผู้เข้าร่วมไม่ตรงกับรายชื่อที่แนบ" in told.body

    client.force_login(roles.district_clerk)
    page = client.get(reverse("memos:distribution_detail", args=[district.pk])).content.decode()
    assert "เหตุผลที่ส่งคืน: จำนวนผู้เข้าร่วมไม่ตรงกับรายชื่อที่แนบ" in page and 'id="report-form"' in page
    services.report_submit(user=roles.district_clerk, distribution=district, data=report_input(participants_staff=6))
    assert Distribution.objects.get(pk=district.pk).state == DistributionState.REPORT_SUBMITTED
    assert FollowUpReport.objects.filter(distribution=district).count() == 2  # the returned one is kept


def test_report_file_type_and_size_are_limited(memo, roles, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    directive = sent_directive(memo, roles)
    district = Distribution.objects.get(directive=directive, unit__key="district-01")
    services.distribution_receive(user=roles.district_clerk, distribution=district)
    services.distribution_acknowledge(user=roles.district_clerk, distribution=district)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            user=roles.district_clerk,
            distribution=district,
            data=report_input(),
            upload=SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream"),
        )
    assert "ไม่รับไฟล์ประเภท .exe" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            user=roles.district_clerk,
            distribution=district,
            data=report_input(),
            upload=SimpleUploadedFile("big.pdf", b"x" * 101, "application/pdf"),
        )
    assert "มีขนาดเกิน" in exc.value.message_dict["file"][0]
    assert Distribution.objects.get(pk=district.pk).state == DistributionState.ACKNOWLEDGED


def test_dashboard_csv_has_thai_headings_and_a_bom(client, memo, roles):
    directive = sent_directive(memo, roles)
    district = Distribution.objects.get(directive=directive, unit__key="district-01")
    services.distribution_receive(user=roles.district_clerk, distribution=district)
    client.force_login(roles.clerk)
    response = client.get(reverse("memos:directive_dashboard", args=[directive.pk]) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == selectors.CSV_HEADINGS
    assert rows[0][:4] == ["ลำดับ", "หน่วยงาน", "สถานะ", "เลขรับ"]
    assert len(rows) == 1 + 87
    phra_nakhon = next(r for r in rows if r[1] == "สำนักงานเขตพระนคร")
    assert phra_nakhon[2] == "ลงทะเบียนรับแล้ว" and phra_nakhon[3] == "๑"


def test_unit_must_book_in_before_acknowledging(memo, roles):
    directive = sent_directive(memo, roles)
    district = Distribution.objects.get(directive=directive, unit__key="district-01")
    with pytest.raises(ValidationError, match="ไม่สามารถรับทราบได้"):
        services.distribution_acknowledge(user=roles.district_clerk, distribution=district)
    services.distribution_receive(user=roles.district_clerk, distribution=district)
    with pytest.raises(ValidationError, match="ลงทะเบียนรับแล้ว"):
        services.distribution_receive(user=roles.district_clerk, distribution=district)
    assert RegisterEntry.objects.filter(series=Series.RECEIVE, unit__key="district-01").count() == 1


def test_every_screen_renders_for_the_people_who_use_it(client, memo, roles):
    directive = issue_directive(memo, roles)
    client.force_login(roles.clerk)
    listing = client.get(reverse("memos:directive_list")).content.decode()
    assert directive.subject in listing
    assert client.get(reverse("memos:directive_detail", args=[directive.pk])).status_code == 200
    client.force_login(roles.director)
    page = client.get(reverse("memos:directive_detail", args=[directive.pk])).content.decode()
    assert (
        'id="sign-directive"' in page and "รอท่านลงนาม" in client.get(reverse("memos:directive_list")).content.decode()
    )
    services.directive_sign_and_send(user=roles.director, directive=directive)
    district = Distribution.objects.get(directive=directive, unit__key="district-01")
    services.distribution_receive(user=roles.district_clerk, distribution=district)
    services.distribution_acknowledge(user=roles.district_clerk, distribution=district)
    services.report_submit(user=roles.district_clerk, distribution=district, data=report_input())
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:distribution_detail", args=[district.pk])).content.decode()
    assert "รับรายงาน" in page and "๑๒,๐๐๐.๕๐ บาท" in page and "ลงทะเบียนรับแล้ว" not in page
    page = client.get(reverse("memos:directive_detail", args=[directive.pk])).content.decode()
    assert "กท ๐๔๐๑/ว ๑" in page and "(นายสันติ ตั้งชาญรัชชัย)" in page
    client.force_login(roles.district_clerk)
    page = client.get(reverse("memos:directive_detail", args=[directive.pk])).content.decode()
    assert reverse("memos:distribution_detail", args=[district.pk]) in page
