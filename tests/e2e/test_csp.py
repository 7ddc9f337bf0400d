"""The Content-Security-Policy in a real browser: every page a person works in, as the people
who work in it, loads without one violation (no inline script, handler attribute, <style> or
style="…" left for the policy to refuse), and the pages' own scripts still work: formset rows
are added on the draft form, the decision preview follows the choices, irreversible steps ask
first. An injected inline script or style is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from directives.models import Directive
from memos import services
from memos.models import Memo, MemoState
from memos.reference import reference_memo_input
from tests.e2e.test_accessibility import screens_to_check
from tests.e2e.test_phone import memo_waiting_for_the_decision
from tests.e2e.test_scenario import login
from workflow.models import TaskLink

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Runs in every document before the page's own scripts: each violation the browser reports
# (the DOM event carries the directive and what was refused) is kept for the test to collect.
REPORT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push([e.violatedDirective, e.blockedURI, (e.sample || "").slice(0, 80),
                             e.sourceFile + ":" + e.lineNumber].join(" | "));
});
"""


class Watched:
    """A browser context whose pages report every CSP violation, from the DOM event and from
    the console (Chromium also logs 'Refused to …' there), with the page it happened on."""

    def __init__(self, browser: Any) -> None:
        self.violations: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.on("console", self.console)
        self.dialogs: list[str] = []
        self.answer = True
        self.page.on("dialog", self.dialog)

    def seen(self, url: str, text: str) -> None:
        self.violations.append(f"{url}: {text}")

    def settle(self) -> None:
        """Wait until the page's deferred scripts have run and its web components are drawn
        (two animation frames after load), then collect what the page reported."""
        page = self.page
        page.wait_for_load_state("load")
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        for text in page.evaluate("() => window.cspViolations.splice(0)"):
            self.seen(page.url, text)

    def console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.seen(self.page.url, "console: " + message.text[:300])

    def dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.accept() if self.answer else dialog.dismiss()

    def close(self) -> None:
        self.context.close()


def test_every_page_as_its_people_loads_without_a_csp_violation(browser, live_server, roles, client):
    base = live_server.url
    screens = screens_to_check(client, roles)
    get_user_model().objects.create_superuser("siteadmin", "admin@example.go.th", "pw-siteadmin")
    watched: dict[str | None, Watched] = {}
    visited = []
    for screen in screens:
        w = watched.get(screen.user)
        if w is None:
            w = watched[screen.user] = Watched(browser)
            if screen.user:
                login(w.page, base, screen.user, "pw-" + screen.user)
        w.page.goto(base + screen.path)
        expect(w.page.locator(screen.ready).first).to_be_attached()
        w.settle()
        visited.append(screen.name)
        # Where the policy is in force at all: the page's own response carries it.
        if screen.name == "home":
            policy = w.page.evaluate("() => fetch(location.href).then(r => r.headers.get('content-security-policy'))")
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy, policy

    # The issuer's follow-up dashboard of the sent circular, and a new circular's form.
    page = watched["clerk"].page
    directive = Directive.objects.get()
    page.goto(base + reverse("memos:directive_dashboard", args=[directive.pk]))
    expect(page.locator("#dashboard-counts")).to_be_visible()
    watched["clerk"].settle()
    page.goto(base + reverse("memos:directive_new", args=[directive.memo_id]))
    expect(page.locator("#directive-form")).to_be_visible()
    watched["clerk"].settle()
    visited += ["dashboard", "circular form"]

    # The drawer (viewflow's menu, with its sign-out button) and the product's colours, which
    # viewflow would write as inline style.
    page.goto(base + reverse("memos:index"))
    page.click(".vf-page__menu-toggle")
    expect(page.locator(".vf-page__menu-logout")).to_be_visible()
    watched["clerk"].settle()
    assert page.evaluate("() => getComputedStyle(document.querySelector('.vf-page__menu-logout')).borderTopStyle") == (
        "none"
    )
    top_bar = page.evaluate("() => getComputedStyle(document.querySelector('.mdc-top-app-bar')).backgroundColor")
    assert top_bar == "rgb(26, 58, 107)"  # #1a3a6b

    # Django's admin, signed out and in, with an outbox list (coloured status by class).
    admin = Watched(browser)
    admin.page.goto(base + "/admin/login/")
    expect(admin.page.locator("#id_username")).to_be_visible()
    admin.settle()
    admin.page.fill("#id_username", "siteadmin")
    admin.page.fill("#id_password", "pw-siteadmin")
    admin.page.click("input[type=submit]")
    expect(admin.page.locator("#site-name")).to_be_visible()
    for path in ("/admin/", "/admin/documents/documentversion/", "/admin/notifications/notification/"):
        admin.page.goto(base + path)
        expect(admin.page.locator("#content")).to_be_visible()
        admin.settle()
    # The notifications sent to the district (the circular) are listed with a coloured status.
    expect(admin.page.locator("#result_list strong[class^=outbox-]").first).to_be_visible()
    assert admin.page.evaluate(
        "() => getComputedStyle(document.querySelector('#result_list strong[class^=outbox-]')).color"
    ) in {"rgb(138, 109, 0)", "rgb(26, 58, 107)", "rgb(46, 125, 50)", "rgb(198, 40, 40)"}
    watched["admin"] = admin

    violations = [v for w in watched.values() for v in w.violations]
    for w in watched.values():
        w.close()
    assert len(visited) == len(screens) + 2
    assert not violations, "\n".join(violations)


def test_the_pages_scripts_work_under_the_policy(browser, live_server, roles, client):
    base = live_server.url
    w = Watched(browser)
    page = w.page

    # The draft form: each "add" button appends an empty row with the next index.
    login(page, base, "clerk", "pw-clerk")
    page.goto(base + reverse("memos:memo_new"))
    w.settle()
    proposals = page.locator("#proposals-rows .formset-row")
    before = proposals.count()
    page.fill(f"#id_p-{before - 1}-text", "ข้อเสนอที่มีอยู่")
    page.click("button[data-add=proposals]")
    expect(proposals).to_have_count(before + 1)
    expect(page.locator(f"#id_p-{before}-text")).to_have_value("")
    expect(page.locator("#id_p-TOTAL_FORMS")).to_have_value(str(before + 1))
    sections = page.locator("#sections-rows .formset-row")
    count = sections.count()
    page.click("button[data-add=sections]")
    expect(sections).to_have_count(count + 1)
    route = page.locator("#route-rows .formset-row")
    count = route.count()
    page.click("button[data-add=route]")
    expect(route).to_have_count(count + 1)

    # A draft's "send for signature" asks first; saying no leaves it a draft.
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    page.goto(base + reverse("memos:memo_detail", args=[memo.pk]))
    w.settle()
    w.answer = False
    page.click("#submit-memo")
    assert w.dialogs[-1] == "ยืนยันส่งบันทึกข้อความเสนอลงนาม?"
    expect(page.locator("#submit-memo")).to_be_visible()
    assert Memo.objects.get(pk=memo.pk).state == MemoState.DRAFT
    w.answer = True
    page.click("#submit-memo")
    expect(page.locator("body")).to_contain_text("ส่งบันทึกข้อความเสนอลงนามแล้ว")
    assert Memo.objects.get(pk=memo.pk).state != MemoState.DRAFT

    # The decision page: the preview follows the rulings as they are chosen.
    deciding = memo_waiting_for_the_decision(client, roles)
    decide = Watched(browser)
    login(decide.page, base, "permsec", "pw-permsec")
    decide.page.goto(base + TaskLink.objects.get(memo=deciding, is_open=True).task.reverse("execute"))
    decide.settle()
    preview = decide.page.locator("#decision-preview")
    decide.page.check("input[name=ruling_1][value=approve]")
    expect(preview).to_contain_text("อนุมัติในข้อ ๑")
    expect(preview).not_to_contain_text("ไม่อนุมัติ")
    decide.page.check("input[name=ruling_1][value=reject]")
    expect(preview).to_contain_text("ไม่อนุมัติ")
    # "Return to the drafter" asks first; no, and nothing happens.
    decide.answer = False
    decide.page.click("#action-return")
    assert decide.dialogs[-1] == "ยืนยันส่งคืนผู้ร่าง?"
    expect(decide.page.locator("#task-form")).to_be_visible()
    assert TaskLink.objects.filter(memo=deciding, is_open=True).exists()

    violations = w.violations + decide.violations
    w.close()
    decide.close()
    assert not violations, "\n".join(violations)


def test_viewflows_own_pages_load_without_a_csp_violation(browser, live_server, roles, client):
    """The operator pages drawn from viewflow's templates (config/csp.py admits their fixed
    style attributes by hash), as an administrator and as the Permanent Secretary."""
    base = live_server.url
    memo = memo_waiting_for_the_decision(client, roles)
    task = TaskLink.objects.get(memo=memo, is_open=True).task
    get_user_model().objects.create_superuser("siteadmin", "admin@example.go.th", "pw-siteadmin")
    pages = {
        "siteadmin": [
            "/memos/flow/",
            "/memos/flow/flows/",
            "/memos/flow/tasks/",
            f"/memos/flow/{task.process_id}/",
            task.reverse("detail"),
            "/accounts/profile/",
            "/accounts/password_change/",
        ],
        "permsec": [f"/memos/flow/{task.process_id}/", task.reverse("detail"), "/accounts/profile/"],
    }
    violations = []
    for user, paths in pages.items():
        w = Watched(browser)
        login(w.page, base, user, "pw-" + user)
        for path in paths:
            response = w.page.goto(base + path)
            assert response.status == 200, path
            expect(w.page.locator("main, .vf-page__content").first).to_be_attached()
            w.settle()
            if path == "/accounts/profile/":
                # viewflow hides the avatar upload's own form with style="display:none".
                expect(w.page.locator("input[name=avatar]")).to_be_hidden()
        violations += w.violations
        w.close()
    assert not violations, "\n".join(violations)


def test_an_injected_inline_script_or_style_is_refused(browser, live_server, roles):
    w = Watched(browser)
    page = w.page
    login(page, live_server.url, "clerk", "pw-clerk")
    page.goto(live_server.url + reverse("memos:inbox"))
    w.settle()
    assert w.violations == []
    ran = page.evaluate(
        """() => new Promise((done) => {
            const s = document.createElement("script");
            s.textContent = "window.injected = true";
            document.body.appendChild(s);
            document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: rgb(255, 0, 0)">x</p>');
            requestAnimationFrame(() => done({
                ran: window.injected === true,
                colour: getComputedStyle(document.getElementById("styled")).color,
            }));
        })"""
    )
    assert ran["ran"] is False
    assert ran["colour"] != "rgb(255, 0, 0)"
    w.settle()
    directives = " ".join(w.violations)
    assert "script-src" in directives and "style-src" in directives, w.violations
    w.close()
