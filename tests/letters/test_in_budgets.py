"""A query budget on each received-letter screen: a page that grows an N+1 fails here. Each
budget is what the page cost when this test was written (SQLite) plus two; the lists hold
five letters, so a per-row query would show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directory.models import Position, Unit
from letters.models import Channel
from letters.services import IncomingFile, LetterFacts, letter_book_in, letter_intake, letter_route

from .helpers import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(roles):
    unit = Unit.objects.get(key="ops-secretariat")
    head = Position.objects.get(key="ops-hrd-head")
    booked = []
    for n in range(5):
        letter = letter_book_in(
            user=roles.ops_clerk,
            unit=unit,
            facts=LetterFacts(sender_name="สำนักงาน ก.พ.", their_number=f"นร {n}", subject=f"เรื่องที่ {n}"),
            files=[IncomingFile(name="scan.pdf", content=PDF)],
        )
        booked.append(letter_route(user=roles.ops_clerk, letter=letter, to_position=head, note="เสนอ ผอ."))
        letter_intake(
            unit=unit,
            channel=Channel.EMAIL,
            source_ref=f"<m{n}@example.go.th>",
            facts=LetterFacts(sender_name="กรมบัญชีกลาง", subject=f"อีเมลที่ {n}"),
            files=[IncomingFile(name="a.pdf", content=PDF)],
        )
    return booked


@pytest.mark.parametrize(
    ("who", "page", "budget"),
    [
        ("ops_clerk", "list", 18),
        ("ops_clerk", "waiting", 17),
        ("ops_clerk", "new", 16),
        ("ops_clerk", "detail", 23),
        ("ops_clerk", "inbox", 24),  # +1: external letters to act on
        ("director", "list", 17),
        ("director", "detail", 23),
        ("director", "inbox", 21),
    ],
)
def test_letter_pages_answer_within_their_budget(
    client, roles, letters, django_assert_max_num_queries, who, page, budget
):
    urls = {
        "list": reverse("memos:letter_list"),
        "waiting": reverse("memos:letter_waiting"),
        "new": reverse("memos:letter_new"),
        "detail": reverse("memos:letter_detail", args=[letters[0].pk]),
        "inbox": reverse("memos:inbox"),
    }
    client.force_login(getattr(roles, who))
    with django_assert_max_num_queries(budget):
        response = client.get(urls[page])
    assert response.status_code == 200
