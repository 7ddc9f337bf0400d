"""Bad input on the draft form gets a Thai message and changes nothing: an over-long subject
is refused with its count (never cut), and a forged form count is refused without building
the forms it names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from memos import services
from memos.models import Memo
from memos.reference import reference_memo_input
from tests.memos.test_resubmit_screens import edit_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(roles) -> Memo:
    return services.memo_create(user=roles.clerk, data=reference_memo_input())


def test_a_subject_longer_than_the_paper_allows_is_refused_with_its_length(client, roles, draft):
    client.force_login(roles.clerk)
    long_subject = "ก" * 5000
    response = client.post(
        reverse("memos:memo_edit", args=[draft.pk]), edit_form_data(draft, roles.clerk, subject=long_subject)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "เรื่องยาวได้ไม่เกิน ๒๕๕ ตัวอักษร (ขณะนี้ ๕๐๐๐ ตัวอักษร)" in page
    assert Memo.objects.get(pk=draft.pk).subject == draft.subject
    assert 'maxlength="255"' in client.get(reverse("memos:memo_edit", args=[draft.pk])).content.decode()


def test_the_service_refuses_it_too(roles, draft):
    from django.core.exceptions import ValidationError

    data = reference_memo_input()
    data.subject = "ข" * 256
    with pytest.raises(ValidationError) as refused:
        services.memo_update(memo=draft, user=roles.clerk, data=data)
    assert "เรื่องยาวได้ไม่เกิน ๒๕๕ ตัวอักษร" in refused.value.message_dict["subject"][0]


def test_a_forged_form_count_is_refused_without_building_the_forms(client, roles, draft, django_assert_max_num_queries):
    client.force_login(roles.clerk)
    data = edit_form_data(draft, roles.clerk)
    data["s-TOTAL_FORMS"] = "999999"
    with django_assert_max_num_queries(40):
        response = client.post(reverse("memos:memo_edit", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "มีได้ไม่เกิน ๒๐ รายการ" in response.content.decode()
    assert Memo.objects.get(pk=draft.pk).version == draft.version
