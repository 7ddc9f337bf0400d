"""Every stored file leaves the system only through a view that asks the access helper:
a memo's attachment, a memo's document version, a circular's document and a unit's report
file. Nobody gets one by guessing a path: there is no media URL and stored names are random."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directives import services
from directives.models import Distribution
from documents.models import DocumentKind, DocumentVersion
from documents.tasks import render_version
from memos import services as memo_services
from memos.reference import reference_memo_input
from tests.directives.conftest import approve_reference_memo, issue_directive
from tests.directives.test_directives import report_input
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


@pytest.fixture
def stored(client, roles):
    """A decided memo with an attachment and a rendered document, a signed circular, and the
    district's report with a file: the URL of each and the stored file behind it."""
    memo = approve_reference_memo(client, roles)
    attachment = memo.attachments.create(
        title="x", file=SimpleUploadedFile("ignored.pdf", PDF), size=len(PDF), uploaded_by=roles.clerk
    )
    version = DocumentVersion.objects.filter(memo=memo, kind=DocumentKind.MEMO).first()
    assert render_version(version.pk) == "done"
    version.refresh_from_db()
    directive = services.directive_sign_and_send(user=roles.director, directive=issue_directive(memo, roles))
    district = Distribution.objects.get(directive=directive, unit__key="district-01")
    services.distribution_receive(user=roles.district_clerk, distribution=district)
    services.distribution_acknowledge(user=roles.district_clerk, distribution=district)
    report = services.report_submit(
        user=roles.district_clerk,
        distribution=district,
        data=report_input(),
        upload=SimpleUploadedFile("รายงานผล เขตพระนคร.pdf", PDF, "application/pdf"),
    )
    return {
        "attachment": (reverse("memos:attachment", args=[memo.pk, attachment.pk]), attachment.file),
        "memo document": (reverse("memos:document_download", args=[memo.pk, version.pk]), version.file),
        "circular": (reverse("memos:directive_document", args=[directive.pk]), None),
        "report file": (reverse("memos:report_file", args=[report.pk]), report.file),
    }


def test_no_stored_file_is_reachable_by_its_path(client, roles, stored, settings):
    for kind, (_url, file) in stored.items():
        if file is None:
            continue
        path = f"{settings.MEDIA_URL.rstrip('/')}/{file.name}"
        assert client.get(path).status_code == 404, kind  # nobody signed in
        client.force_login(roles.clerk)
        assert client.get(path).status_code == 404, kind  # even its owner: there is no such route
        client.logout()


def test_anonymous_requests_get_404_for_every_stored_file(client, stored):
    client.logout()
    for kind, (url, _file) in stored.items():
        response = client.get(url)
        assert response.status_code == 404 and b"%PDF" not in response.content, kind
    # The same answer as for a file that does not exist.
    assert client.get(reverse("memos:report_file", args=[999999])).status_code == 404


def test_another_units_official_gets_404_for_every_stored_file(client, roles, stored):
    # A clerk of a unit the memo never passed through and the circular was not sent to.
    outsider = OfficialFactory(is_clerk=True)
    client.force_login(outsider.user)
    for kind, (url, _file) in stored.items():
        assert client.get(url).status_code == 404, kind
    # สำนักการแพทย์ received the circular (and may read the memo behind it), but not the
    # district's own report.
    client.force_login(roles.dept_clerk)
    assert client.get(stored["report file"][0]).status_code == 404


def test_who_may_see_a_file_gets_it_under_its_original_name(client, roles, stored):
    client.force_login(roles.clerk)  # the issuing institute's clerk follows the reports up
    response = client.get(stored["report file"][0])
    assert response.status_code == 200 and response.getvalue() == PDF
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "%E0%B8%A3%E0%B8%B2%E0%B8%A2%E0%B8%87%E0%B8%B2%E0%B8%99" in response["Content-Disposition"]  # รายงาน


def test_stored_names_are_random(stored):
    for kind in ("attachment", "report file"):
        name = stored[kind][1].name
        assert "ignored" not in name and "รายงาน" not in name, name
        assert len(name.rsplit("/", 1)[-1]) == len("0123456789abcdef0123456789abcdef.pdf"), name


def test_production_hands_the_bytes_to_the_web_server(client, roles, stored, settings):
    settings.FILES_X_ACCEL_PREFIX = "/_protected/"
    client.force_login(roles.clerk)
    url, file = stored["attachment"]
    response = client.get(url)
    assert response.status_code == 200 and response["X-Accel-Redirect"] == f"/_protected/{file.name}"
    assert response.content == b""  # nginx sends the file, after this access check


@pytest.mark.parametrize(
    ("name", "content", "declared", "message"),
    [
        ("ใบเสนอราคา.pdf", EXE, "application/pdf", "เนื้อไฟล์ ใบเสนอราคา.pdf ไม่ใช่ไฟล์ .pdf"),
        ("แผน.docx", PDF, "", "เนื้อไฟล์ แผน.docx ไม่ใช่ไฟล์ .docx"),
        ("รูป.png", PDF, "image/png", "เนื้อไฟล์ รูป.png ไม่ใช่ไฟล์ .png"),
        ("แผน.pdf", PDF, "application/x-msdownload", "ชนิดไฟล์ที่ส่งมา (application/x-msdownload) ไม่ตรงกับนามสกุล .pdf"),
    ],
)
def test_uploads_are_checked_by_content(roles, name, content, declared, message):
    memo = memo_services.memo_create(user=roles.clerk, data=reference_memo_input())
    with pytest.raises(ValidationError) as refused:
        memo_services.attachment_add(memo=memo, user=roles.clerk, upload=SimpleUploadedFile(name, content, declared))
    assert message in refused.value.messages[0] and refused.value.code == "content"
    assert not memo.attachments.exists()


def test_a_real_pdf_with_a_vague_declared_type_is_accepted(roles):
    memo = memo_services.memo_create(user=roles.clerk, data=reference_memo_input())
    attachment = memo_services.attachment_add(
        memo=memo, user=roles.clerk, upload=SimpleUploadedFile("แผนการฝึกอบรม.pdf", PDF, "application/octet-stream")
    )
    assert attachment.original_name == "แผนการฝึกอบรม.pdf" and attachment.title == "แผนการฝึกอบรม.pdf"
