"""A phone is a first-class screen: at 390 × 844 every section is reachable from the menu,
nothing scrolls sideways, tap targets are at least 44 px, and the Permanent Secretary opens
the memo from her inbox, reads it and decides it there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from memos import services
from memos.models import Memo, MemoState
from memos.reference import DEPUTY_NOTE, reference_memo_input
from tests.e2e.test_scenario import click_to, login, sign_in_here
from workflow import services as workflow_services
from workflow.models import TaskLink

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SECTIONS = {
    "#phone-menu-inbox": "/memos/inbox/",
    "#phone-menu-mine": "/memos/memos/",
    "#phone-menu-directives": "/memos/directives/",
    "#phone-menu-incoming": "/memos/directives/incoming/",
    "#phone-menu-notifications": "/notifications/",
    "#phone-menu-new": "/memos/memos/new/",
}


def phone_page(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, locale="th-TH", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def scrolls_sideways(page: Any) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"))


def small_targets(page: Any, selector: str) -> list[str]:
    """Visible elements matching `selector` whose box is under 44 px high."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)]
            .filter(e => e.offsetParent !== null)
            .filter(e => e.getBoundingClientRect().height < 44)
            .map(e => (e.id || e.getAttribute('for') || e.textContent.trim()).slice(0, 40) + ':'
                      + Math.round(e.getBoundingClientRect().height))""",
        selector,
    )


def memo_waiting_for_the_decision(client: Any, roles: Any) -> Memo:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    workflow_services.memo_submit(memo=memo, user=roles.clerk)
    for user, data in (
        (roles.director, {"action": "sign"}),
        (roles.deputy, {"action": "forward", "note": DEPUTY_NOTE}),
    ):
        client.force_login(user)
        client.post(TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute"), data)
    return Memo.objects.get(pk=memo.pk)


def test_every_section_is_reachable_on_a_phone_for_every_role(browser, live_server, roles):
    base = live_server.url
    for user in (roles.clerk, roles.director, roles.perm_sec, roles.district_clerk):
        page = phone_page(browser)
        login(page, base, user.username, "pw-" + user.username)
        for selector, path in SECTIONS.items():
            page.goto(f"{base}/memos/")
            expect(page.locator(selector)).to_be_visible()
            assert small_targets(page, ".phone-nav .btn") == [], user.username
            assert not scrolls_sideways(page), (user.username, "home")
            page.click(selector)
            page.wait_for_url(lambda url, path=path: url.endswith(path))
            assert not scrolls_sideways(page), (user.username, path)
        page.context.close()


def test_the_permanent_secretary_decides_on_her_phone(browser, live_server, roles, client, screens: Path):
    memo = memo_waiting_for_the_decision(client, roles)
    base = live_server.url
    page = phone_page(browser)
    # She follows the link in her notification mail: sign in first, then straight to the task.
    task_url = TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute")
    page.goto(f"{base}{task_url}")
    sign_in_here(page, roles.perm_sec.username, "pw-" + roles.perm_sec.username)
    page.wait_for_url(lambda url: url.endswith(task_url))
    expect(page.locator("#task-form")).to_be_visible()
    assert not scrolls_sideways(page)
    # The memo itself is on the page, proposals in full, and every choice is a large target.
    expect(page.locator("#memo-paper")).to_contain_text(memo.subject)
    assert "…" not in page.locator(".proposal-decision").first.inner_text()
    assert small_targets(page, ".ruling-choices label, #action-decide, #action-return") == []
    page.screenshot(path=str(screens / "phone-decide.png"), full_page=False)
    page.check("input[name=ruling_1][value=approve]")
    page.check("input[name=ruling_2][value=order]")
    page.check("input[name=ruling_3][value=order]")
    expect(page.locator("#decision-preview")).to_contain_text("อนุมัติในข้อ ๑")
    click_to(page, "#action-decide", "สั่งการแล้ว (อนุมัติ)")
    assert not scrolls_sideways(page)
    assert Memo.objects.get(pk=memo.pk).state == MemoState.APPROVED
    page.goto(f"{base}{reverse('memos:memo_detail', args=[memo.pk])}")
    assert not scrolls_sideways(page)
    page.screenshot(path=str(screens / "phone-memo.png"), full_page=False)
    page.context.close()
