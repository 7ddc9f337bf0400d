"""Accessibility: axe-core (axe-playwright-python) on every kind of page a person works in,
at a desktop width and on a phone, finds no violation of any impact; each page has its own
title, one <h1>, a skip link as its first focusable element, a visible focus ring, and the
decision preview is a live region."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from directives import services as directive_services
from memos import services
from memos.reference import reference_memo_input
from tests.directives.conftest import approve_reference_memo, issue_directive
from tests.e2e.test_phone import memo_waiting_for_the_decision
from tests.e2e.test_scenario import login
from workflow import services as workflow_services
from workflow.models import TaskLink

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PRODUCT = "ระบบสารบรรณอิเล็กทรอนิกส์"
SKIP_LINK = "ข้ามไปยังเนื้อหา"


@dataclass
class Screen:
    name: str
    user: str | None  # None: not signed in
    path: str
    ready: str  # a selector present once the page is drawn


def screens_to_check(client: Client, roles: Any) -> list[Screen]:
    """Every page kind of issue 12, each with content: a decided memo and its sent circular,
    a memo waiting for the Permanent Secretary's decision and one waiting for a signature."""
    decided = approve_reference_memo(client, roles)
    directive = issue_directive(decided, roles)
    directive = directive_services.directive_sign_and_send(user=roles.director, directive=directive)
    distribution = directive.distributions.get(unit__key="district-01")
    deciding = memo_waiting_for_the_decision(client, roles)
    signing = services.memo_create(user=roles.clerk, data=reference_memo_input())
    workflow_services.memo_submit(memo=signing, user=roles.clerk)

    def task_url(memo: Any) -> str:
        return TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute")

    be_year = timezone.localdate().year + 543
    return [
        Screen("login", None, "/accounts/login/", "vf-form input[name=username]"),
        Screen("home", "permsec", reverse("memos:index"), "table.list"),
        Screen("home (clerk)", "clerk", reverse("memos:index"), "table.list"),
        Screen("inbox", "permsec", reverse("memos:inbox"), "tr.task-row"),
        Screen("task: decide", "permsec", task_url(deciding), "#decision-preview"),
        Screen("task: sign", "director", task_url(signing), "#task-form"),
        Screen("memo", "permsec", reverse("memos:memo_detail", args=[deciding.pk]), "#memo-paper"),
        Screen("draft", "clerk", reverse("memos:memo_new"), "#memo-form"),
        Screen("my memos", "clerk", reverse("memos:memo_list"), "table.list"),
        Screen("circular", "clerk", reverse("memos:directive_detail", args=[directive.pk]), "#directive-paper"),
        Screen("circulars", "clerk", reverse("memos:directive_list"), "table.list"),
        Screen("incoming circulars", "districtclerk", reverse("memos:directive_incoming"), "table.list"),
        Screen(
            "distribution", "districtclerk", reverse("memos:distribution_detail", args=[distribution.pk]), "#receive"
        ),
        Screen("register", "clerk", reverse("memos:register", args=["send", be_year]), "table.list"),
        Screen("registers", "clerk", reverse("memos:register_index"), ".panel"),
        Screen("register import", "clerk", reverse("memos:register_import"), "#import-form"),
        Screen("notifications", "districtclerk", reverse("notifications:inbox"), ".notification"),
    ]


def axe_violations(page: Any) -> list[str]:
    """axe's violations of any impact (its WCAG 2.x A/AA rules and best practices, nothing
    left out), one readable paragraph per rule."""
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    report = []
    for violation in results.response["violations"]:
        nodes = violation["nodes"]
        lines = [f"{violation['id']} ({violation['impact']}, {len(nodes)}×): {violation['help']}"]
        for node in nodes[:8]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            lines.append(f"       {summary[:300]}")
        report.append("\n".join(lines))
    return report


def page_outline(page: Any) -> dict[str, Any]:
    """What axe does not judge: the title, the <h1>s, the first focusable element and its target."""
    return page.evaluate(
        """() => {
        const focusable = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
            .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length);
        const first = focusable[0];
        const target = first && first.hash ? document.getElementById(first.hash.slice(1)) : null;
        return {
            title: document.title,
            h1: [...document.querySelectorAll('h1')].map(h => h.innerText.trim()),
            first: first ? first.innerText.trim() : null,
            target: target ? target.tagName.toLowerCase() : null,
        };
    }"""
    )


def focus_ring(page: Any, selector: str) -> str:
    """The outline (or box shadow) drawn around `selector` when focused from the keyboard."""
    page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies
    page.locator(selector).first.focus()
    return page.evaluate(
        """(sel) => { const s = getComputedStyle(document.querySelector(sel));
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? s.outlineStyle + ' ' + s.outlineWidth
             : (s.boxShadow !== 'none' ? s.boxShadow : ''); }""",
        selector,
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_every_page_passes_axe_and_has_a_title_one_h1_and_a_skip_link(browser, live_server, roles, client, viewport):
    base = live_server.url
    checks = screens_to_check(client, roles)
    problems: list[str] = []
    titles: dict[str, str] = {}  # by path
    pages: dict[str | None, Any] = {}
    for screen in checks:
        page = pages.get(screen.user)
        if page is None:
            context = browser.new_context(
                viewport=viewport, locale="th-TH", is_mobile=viewport == PHONE, has_touch=viewport == PHONE
            )
            page = pages[screen.user] = context.new_page()
            if screen.user:
                login(page, base, screen.user, "pw-" + screen.user)
        page.goto(base + screen.path)
        expect(page.locator(screen.ready).first).to_be_attached()
        for violation in axe_violations(page):
            problems.append(f"[{screen.name} {viewport['width']}px {screen.path}] {violation}")
        outline = page_outline(page)
        titles[screen.path] = outline["title"]
        own, _, product = outline["title"].rpartition(" · ")
        if not own.strip() or product != PRODUCT:
            problems.append(f"[{screen.name}] the title names no page: {outline['title']!r}")
        if len(outline["h1"]) != 1 or not outline["h1"][0]:
            problems.append(f"[{screen.name}] wants one <h1>, has {outline['h1']}")
        if screen.user and (outline["first"] != SKIP_LINK or outline["target"] != "main"):
            problems.append(
                f"[{screen.name}] the first focusable element is {outline['first']!r} → {outline['target']}"
            )
    # Different pages are told apart by their titles.
    by_title: dict[str, list[str]] = {}
    for path, title in titles.items():
        by_title.setdefault(title, []).append(path)
    problems += [f"pages share the title {title!r}: {paths}" for title, paths in by_title.items() if len(paths) > 1]
    for page in pages.values():
        page.context.close()
    assert not problems, "\n\n".join(problems)


def test_focus_is_visible_and_the_skip_link_reaches_the_content(browser, live_server, roles, client):
    base = live_server.url
    deciding = memo_waiting_for_the_decision(client, roles)
    page = browser.new_context(viewport=DESKTOP, locale="th-TH").new_page()
    login(page, base, "permsec", "pw-permsec")
    page.goto(base + TaskLink.objects.get(memo=deciding, is_open=True).task.reverse("execute"))
    expect(page.locator("#task-form")).to_be_visible()
    # The skip link is the first stop of the Tab key, shows itself when focused, and moves focus to <main>.
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text(SKIP_LINK)
    expect(skip).to_be_visible()
    assert skip.bounding_box()["height"] >= 44
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is in the content, past the drawer and the top bar
    assert page.evaluate("() => !!document.activeElement.closest('main')")
    # A focus ring on the top bar's links and on the page's own controls.
    for selector in (
        ".mdc-top-app-bar__navigation-icon",
        ".toolbar-links .mdc-button",
        "#menu-inbox",
        "#action-decide",
        "input[name=ruling_1]",
        "#proposal-1 summary",
    ):
        assert focus_ring(page, selector), f"no visible focus on {selector}"
    # The decision preview is announced as it changes.
    preview = page.locator("#decision-preview")
    expect(preview).to_have_attribute("aria-live", "polite")
    page.check("input[name=ruling_1][value=approve]")
    expect(preview).to_contain_text("อนุมัติในข้อ ๑")
    page.context.close()
