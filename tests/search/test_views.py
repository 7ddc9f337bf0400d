"""The search box in the header, the results page and GET /api/v1/search/: what a person or
another system sees, in Thai, within a fixed number of queries, and never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from memos.models import Memo
from search.indexer import rebuild
from tests.api.conftest import token_client
from tests.search.conftest import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def memos(roles: Any) -> list[Memo]:
    made = [draft(roles.clerk, subject=f"ขอจัดซื้อไม้สำหรับซ่อมแซมอาคาร หลังที่ {i}") for i in range(25)]
    Memo.objects.filter(pk=made[0].pk).update(number="กท ๐๔๐๑/๑๒๕๕")
    rebuild()
    return made


def test_the_search_box_is_on_every_page_for_desktop_and_phone(client: Any, roles: Any) -> None:
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:memo_list")).content.decode()
    assert 'id="header-q"' in page and 'id="phone-header-q"' in page
    assert f'action="{reverse("memos:search")}"' in page


def test_results_page_shows_kind_number_be_date_state_and_the_match_marked(
    client: Any, roles: Any, memos: list[Memo], django_assert_max_num_queries: Any
) -> None:
    client.force_login(roles.clerk)
    # +1 on PostgreSQL: SET LOCAL jit = off; +4: the clerk's visible ids, one query per kind.
    with django_assert_max_num_queries(27):
        response = client.get(reverse("memos:search"), {"q": "กท 0401/1255"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "พบ ๑ รายการ" in page
    assert "บันทึกข้อความ" in page and "ที่ กท ๐๔๐๑/๑๒๕๕" in page and "ร่าง" in page
    assert "๒๕๖" in page  # the BE year of the date
    assert reverse("memos:memo_detail", args=[memos[0].pk]) in page


def test_results_are_paginated_and_filters_are_kept(client: Any, roles: Any, memos: list[Memo]) -> None:
    client.force_login(roles.clerk)
    first = client.get(reverse("memos:search"), {"q": "ไม้", "kind": "memo"}).content.decode()
    assert "พบ ๒๕ รายการ" in first and "หน้า ๑ จาก ๒" in first
    assert "<mark>ไม้</mark>" in first
    assert "kind=memo" in first and "page=2" in first
    second = client.get(reverse("memos:search"), {"q": "ไม้", "kind": "memo", "page": "2"}).content.decode()
    assert "หน้า ๒ จาก ๒" in second and second.count('class="search-hit"') == 5


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "ไม้", "year": "abc"}, "ปี พ.ศ. ไม่ถูกต้อง"),
        ({"q": "ไม้", "unit": "x"}, "หน่วยงานไม่ถูกต้อง"),
        ({"q": "ก" * 201}, "คำค้นยาวได้ไม่เกิน"),
        ({"q": "ไม้", "page": "zz"}, "พบ"),
        ({"q": "\"' OR 1=1 -- *"}, "ไม่พบเอกสาร"),
        ({"q": "ไม้", "kind": "nope"}, "ประเภทเอกสารไม่ถูกต้อง"),
        ({"q": "ไม้", "state": "nope"}, "สถานะไม่ถูกต้อง"),
    ],
)
def test_bad_input_gets_a_thai_message_never_a_500(
    client: Any, roles: Any, params: dict[str, str], message: str
) -> None:
    client.force_login(roles.clerk)
    response = client.get(reverse("memos:search"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_page_needs_a_login(client: Any) -> None:
    response = client.get(reverse("memos:search"), {"q": "ไม้"})
    assert response.status_code == 302


def test_the_api_finds_the_same_with_iso_dates_and_pages(roles: Any, memos: list[Memo]) -> None:
    api = token_client(roles.clerk)
    body = api.get("/api/v1/search/", {"q": "๐๔๐๑/๑๒๕๕"}).json()
    assert body["count"] == 1
    hit = body["results"][0]
    assert (hit["kind"], hit["id"], hit["number"]) == ("memo", memos[0].pk, "กท ๐๔๐๑/๑๒๕๕")
    assert hit["dated"][:2] == "20" and hit["state"] == "draft" and hit["kind_label"] == "บันทึกข้อความ"
    page = api.get("/api/v1/search/", {"q": "ไม้", "page_size": "10"}).json()
    assert page["count"] == 25 and len(page["results"]) == 10 and "page=2" in page["next"]
    assert page["previous"] is None


def test_the_api_never_shows_more_than_the_screens(roles: Any, memos: list[Memo]) -> None:
    assert token_client(roles.district_clerk).get("/api/v1/search/", {"q": "ไม้"}).json()["count"] == 0


def test_the_api_answers_bad_input_with_a_problem(roles: Any) -> None:
    response = token_client(roles.clerk).get("/api/v1/search/", {"q": "ไม้", "year": "๒๔"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "validation" and "ปี พ.ศ." in response.json()["detail"]


def test_the_api_needs_authentication() -> None:
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/search/", {"q": "ไม้"}).status_code == 401


def test_the_api_keeps_a_fixed_query_budget(roles: Any, memos: list[Memo], django_assert_max_num_queries: Any) -> None:
    api = token_client(roles.clerk)
    # +2 on PostgreSQL: the search's planner settings, and bitmaps only for listed ids
    # (search.selectors._bitmaps_only); +3: the clerk's visible ids, one query per kind.
    with django_assert_max_num_queries(17):
        assert api.get("/api/v1/search/", {"q": "ไม้", "page_size": "25"}).json()["count"] == 25
