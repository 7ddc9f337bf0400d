"""Units a circular was sent to may read the decided memo it passes on; others still may not."""

import pytest
from django.urls import reverse

from directives import services
from tests.directives.conftest import approve_reference_memo, issue_directive
from tests.factories import OfficialFactory


@pytest.mark.django_db
def test_recipient_unit_reads_the_source_memo_once_the_directive_is_sent(client, roles):
    memo = approve_reference_memo(client, roles)
    client.force_login(roles.district_clerk)
    assert client.get(reverse("memos:memo_detail", args=[memo.pk])).status_code == 404
    services.directive_sign_and_send(user=roles.director, directive=issue_directive(memo, roles))
    page = client.get(reverse("memos:memo_detail", args=[memo.pk]))
    assert page.status_code == 200 and "อนุมัติในข้อ ๑" in page.content.decode()
    # A unit outside every recipient group still gets 404.
    outsider = OfficialFactory(unit_key="hrd-admin", is_clerk=True)
    client.force_login(outsider.user)
    assert client.get(reverse("memos:memo_detail", args=[memo.pk])).status_code == 404
