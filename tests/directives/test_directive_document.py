"""The signed circular is stored once as a version (sha256, size) and served as stored."""

import hashlib
import io

import pytest
from django.urls import reverse
from docx import Document

from directives import services
from documents.models import DocumentKind, DocumentVersion, VersionStatus
from documents.tasks import render_version
from tests.directives.conftest import approve_reference_memo, issue_directive

pytestmark = pytest.mark.django_db


def test_signing_stores_the_circular_once_and_units_download_those_bytes(
    client, roles, django_capture_on_commit_callbacks
):
    memo = approve_reference_memo(client, roles)
    directive = issue_directive(memo, roles)
    with django_capture_on_commit_callbacks(execute=False):
        directive = services.directive_sign_and_send(user=roles.director, directive=directive)
    version = DocumentVersion.objects.get(kind=DocumentKind.DIRECTIVE, directive_id=directive.pk)
    assert version.status == VersionStatus.PENDING and version.version == 1
    assert render_version(version.pk) == "done"
    assert render_version(version.pk) == "skipped"  # a second run stores nothing more
    version.refresh_from_db()
    stored = version.file.open("rb").read()
    assert hashlib.sha256(stored).hexdigest() == version.sha256 and len(stored) == version.size
    text = "\n".join(p.text for p in Document(io.BytesIO(stored)).paragraphs)
    assert "กท ๐๔๐๑/ว ๑" in text
    client.force_login(roles.district_clerk)
    response = client.get(reverse("memos:directive_document", args=[directive.pk]))
    assert response.status_code == 200 and response.getvalue() == stored
    # Saved under its number, as the office files it (RFC 5987: the Thai name survives).
    assert (
        "filename*=utf-8''%E0%B8%81%E0%B8%97%20%E0%B9%90%E0%B9%94%E0%B9%90%E0%B9%91-%E0%B8%A7%20%E0%B9%91.docx"
        in (response["Content-Disposition"])
    )
