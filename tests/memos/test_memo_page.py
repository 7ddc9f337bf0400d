"""The memo page reads in a fixed number of SQL queries, however long the memo and its
history: the memo page selector (memos.selectors.memo_page) gathers it all at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from documents.thai import to_thai_digits
from memos.models import EventAction, Memo
from memos.selectors import memo_page
from tests.factories import (
    AttachmentFactory,
    DocumentVersionFactory,
    MemoEventFactory,
    MemoFactory,
    MemoRevisionFactory,
    MemoSectionFactory,
    PositionFactory,
    SectionItemFactory,
    TaskLinkFactory,
)

pytestmark = pytest.mark.django_db

# The whole page (session, user, access check, the memo, its parts, where it is now, the
# document versions, the menu's counts) and the selector alone. Fixed: they must not grow with
# the memo. If a change to the page adds a query, raise the figure here on purpose.
# -1: memos_visible_to compares the unit by id, no longer loading the official's unit.
# +1: the menu counts letters (received to act on or book in, external to sign or send) in one query.
PAGE_QUERIES = {False: 25, True: 26}  # a draft, a memo in review
SELECTOR_QUERIES = 10


def memo_of_size(n: int, *, submitted: bool) -> Memo:
    """A memo with n of everything the page lists: sections (n items each), proposals, route
    steps, attachments, notes, receipts, revisions and document versions."""
    memo = MemoFactory(
        proposals=[f"ข้อเสนอที่ {to_thai_digits(i + 1)}" for i in range(n)],
        route=[PositionFactory() for _ in range(n)],
    )
    for s in range(n):
        section = MemoSectionFactory(memo=memo, order=s + 1, heading=f"หัวข้อ {s + 1}")
        for i in range(n):
            SectionItemFactory(section=section, order=i + 1, text=f"ข้อย่อย {s + 1}.{i + 1}")
    for i in range(n):
        AttachmentFactory(memo=memo, title=f"เอกสารแนบ {i + 1}")
        # Numbered clear of the revision and version that sending makes.
        MemoRevisionFactory(memo=memo, version=100 + i)
        DocumentVersionFactory(memo=memo, version=100 + i)
    if submitted:
        TaskLinkFactory(memo=memo)
        memo = Memo.objects.get(pk=memo.pk)
        for i in range(n):
            MemoEventFactory(
                memo=memo,
                action=EventAction.RECEIVE,
                payload={"unit_short": "สนป.", "receive_number": i + 1},
                position=memo.addressee,
            )
            MemoEventFactory(
                memo=memo,
                action=EventAction.FORWARD,
                text=f"เกษียนที่ {i + 1}",
                signature_lines=["(นางวันทนี วัฒนะ)", "รองปลัดกรุงเทพมหานคร"],
                position=memo.addressee,
            )
    return Memo.objects.get(pk=memo.pk)


@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "in review"])
@pytest.mark.parametrize("n", [1, 8])
def test_memo_page_costs_the_same_queries_whatever_the_memos_size(
    client: Any, django_assert_num_queries: Any, n: int, submitted: bool
) -> None:
    memo = memo_of_size(n, submitted=submitted)
    client.force_login(memo.drafted_by)
    with django_assert_num_queries(PAGE_QUERIES[submitted]):
        response = client.get(reverse("memos:memo_detail", args=[memo.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # Everything is on the page, n times over.
    assert html.count('<div class="item l0">') == n * n  # section items
    assert all(f"ข้อเสนอที่ {to_thai_digits(i + 1)}" in html for i in range(n))
    assert all(f"เอกสารแนบ {i + 1}</a>" in html for i in range(n))
    if submitted:
        assert html.count('class="receipt"') == n
        assert all(f"เกษียนที่ {i + 1}" in html for i in range(n))
        assert 'id="memo-holder"' in html


@pytest.mark.parametrize("n", [1, 8])
def test_memo_page_selector_reads_a_fixed_number_of_queries(django_assert_num_queries: Any, n: int) -> None:
    memo = memo_of_size(n, submitted=True)
    user = memo.drafted_by
    with django_assert_num_queries(SELECTOR_QUERIES):
        page = memo_page(memo=memo, user=user)
    assert len(page["proposals"]) == n and len(page["attachments"]) == n
    assert len(page["revisions"]) == n + 1  # and the one sending made
    assert len(page["receipts"]) == n and len(page["notes"]) == n
    assert sum(len(s["items"]) for s in page["sections"]) == n * n
    assert page["holder"] is not None and page["holder"].position == memo.signing_position
