"""The decision page: proposals in full, per-proposal wording, a preview worded by the server,
and a decision that reads like the seed's on the memo page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from memos import services
from memos.models import Memo, MemoEvent, MemoState
from tests.memos.test_decision_preview import SEED_FORM, SEED_LINES, memo_at_decision, open_link, preview_url

pytestmark = pytest.mark.django_db

# The Permanent Secretary's decision, verbatim from seed-memo.txt.
SEED_PAPER = [
    "- อนุมัติในข้อ ๑",
    "- ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓ ตามที่ สพข. และ รป.กทม. เสนอ",
]


def checked_values(page: str) -> dict[str, str]:
    """The form as the page draws it: what clicking สั่งการ without touching anything posts."""
    values = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and value and (' type="radio"' not in tag or " checked" in tag):
            values[name.group(1)] = value.group(1)
    return values


def test_the_page_shows_proposals_in_full_and_a_preview_worded_by_the_server(client, roles):
    memo = memo_at_decision(client, roles)
    client.force_login(roles.perm_sec)
    page = client.get(open_link(memo).task.reverse("execute")).content.decode()
    for proposal in memo.proposals.all():
        assert proposal.text in page
    assert any(len(p.text) > 200 for p in memo.proposals.all()), "the reference has long proposals"
    decisions = page[page.index('id="task-form"') : page.index('id="order-wording"')]
    assert "…" not in decisions
    # Each proposal has its own actor and tail; the ordered items share a default actor and tail.
    for n in (1, 2, 3):
        assert f'name="ruling_{n}"' in page and f'name="actor_{n}"' in page and f'name="tail_{n}"' in page
    assert 'name="order_actor"' in page and 'name="order_tail"' in page
    # Drawn with the page (no script needed), from the defaults: a sensible line already.
    preview = re.search(
        r'<div id="decision-preview" aria-live="polite" data-url="([^"]+)">(.*?)</div>\s*<noscript', page, re.S
    )
    assert preview is not None
    assert preview.group(1) == preview_url(memo)
    assert preview.group(2) == "<div>- อนุมัติในข้อ ๑</div><div>- ให้ดำเนินการในข้อ ๒ - ๓</div>"
    # The page's script only asks the server: it holds no wording and no digit table. (Our
    # scripts are files under static/js, as the Content-Security-Policy requires.)
    sources = re.findall(r'<script src="/static/(js/[^"]+)"', page)
    assert "js/decision_preview.js" in sources
    scripts = "".join(Path(finders.find(source)).read_text() for source in sources)
    assert "fetch(" in scripts and "setTimeout" in scripts
    for wording in ("อนุมัติ", "ดำเนินการ", "ข้อ", "ทราบ", "ตามที่", "๐๑๒๓"):
        assert wording not in scripts


def test_clicking_decide_with_the_defaults_gives_a_sensible_decision(client, roles):
    memo = memo_at_decision(client, roles)
    client.force_login(roles.perm_sec)
    url = open_link(memo).task.reverse("execute")
    defaults = checked_values(client.get(url).content.decode())
    assert defaults["ruling_1"] == "approve" and defaults["ruling_2"] == defaults["ruling_3"] == "order"
    client.post(url, {**defaults, "action": "decide"})
    decision = MemoEvent.objects.get(memo=memo, action="decide")
    assert decision.payload["lines"] == ["อนุมัติในข้อ ๑", "ให้ดำเนินการในข้อ ๒ - ๓"]


def test_the_seed_decision_recorded_and_shown_on_the_memo_page(client, roles):
    memo = memo_at_decision(client, roles)
    services.memo_decide(
        memo=memo,
        user=roles.perm_sec,
        rulings={1: "approve", 2: "order", 3: "order"},
        actors={2: " ทุกหน่วยงานและส่วนราชการ", 3: "ทุกหน่วยงานและส่วนราชการ", 9: "ไม่มีข้อนี้"},
        tails={2: "สพข. และ รป.กทม.", 3: "สพข. และ รป.กทม. ", 1: "  "},
    )
    decision = MemoEvent.objects.get(memo=memo, action="decide")
    assert [f"- {line}" for line in decision.payload["lines"]] == SEED_PAPER
    assert decision.text == "\n".join(SEED_LINES)
    # What she chose is kept beside the words, per proposal.
    assert decision.payload["actors"] == {"2": "ทุกหน่วยงานและส่วนราชการ", "3": "ทุกหน่วยงานและส่วนราชการ"}
    assert decision.payload["tails"] == {"2": "สพข. และ รป.กทม.", "3": "สพข. และ รป.กทม."}
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:memo_detail", args=[memo.pk])).content.decode()
    for line in SEED_PAPER:
        assert f"<div>{line}</div>" in page


def test_the_seed_decision_through_the_task_page(client, roles):
    memo = memo_at_decision(client, roles)
    client.force_login(roles.perm_sec)
    response = client.post(open_link(memo).task.reverse("execute"), {**SEED_FORM, "action": "decide"}, follow=True)
    assert Memo.objects.get(pk=memo.pk).state == MemoState.APPROVED
    decision = MemoEvent.objects.get(memo=memo, action="decide")
    assert [f"- {line}" for line in decision.payload["lines"]] == SEED_PAPER
    page = response.content.decode()
    for line in SEED_PAPER:
        assert f"<div>{line}</div>" in page


def test_per_proposal_wording_through_the_task_page(client, roles):
    memo = memo_at_decision(client, roles)
    client.force_login(roles.perm_sec)
    form = {
        "action": "decide",
        "ruling_1": "approve",
        "ruling_2": "reject",
        "ruling_3": "order",
        "actor_3": "ทุกหน่วยงานและส่วนราชการ",
        "tail_3": "สพข. และ รป.กทม.",
    }
    client.post(open_link(memo).task.reverse("execute"), form)
    assert MemoEvent.objects.get(memo=memo, action="decide").payload["lines"] == [
        "อนุมัติในข้อ ๑",
        "ไม่อนุมัติในข้อ ๒",
        "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๓ ตามที่ สพข. และ รป.กทม. เสนอ",
    ]


def test_a_refused_decision_keeps_what_was_typed_and_its_preview(client, roles):
    memo = memo_at_decision(client, roles)
    client.force_login(roles.perm_sec)
    response = client.post(
        open_link(memo).task.reverse("execute"),
        {"action": "decide", "ruling_1": "approve", "actor_2": "สำนักงานเขต", "tail_2": "สพข."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "ยังไม่ได้พิจารณาข้อ ๒ - ๓" in page
    assert 'value="สำนักงานเขต"' in page and '<details class="proposal-wording" open>' in page
    assert "<div>- อนุมัติในข้อ ๑</div>" in page
