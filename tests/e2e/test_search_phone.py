"""The search box on a phone (390 px): typed in the phone menu, the results page fits the
screen, the match is marked, and the document opens."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from search.indexer import rebuild
from tests.e2e.test_scenario import login
from tests.search.conftest import draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_searching_on_a_phone(browser: Any, live_server: Any, roles: Any) -> None:
    memo = draft(roles.clerk, subject="ขอจัดซื้อไม้สำหรับซ่อมแซมอาคารเรียนหลังที่สาม")
    rebuild()
    context = browser.new_context(viewport=PHONE, locale="th-TH", is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        login(page, live_server.url, "clerk", "pw-clerk")
        box = page.locator("#phone-header-q")
        expect(box).to_be_visible()
        box.fill("ซ่อมแซมอาคาร")
        box.press("Enter")
        page.wait_for_url(lambda url: "/search/" in url)
        hit = page.locator(".search-hit").first
        expect(hit).to_contain_text("บันทึกข้อความ")
        expect(hit.locator("mark").first).to_have_text("ซ่อมแซมอาคาร")
        assert not page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
        assert Axe().run(page).violations_count == 0
        hit.locator("a").first.click()
        page.wait_for_url(lambda url: f"/memos/{memo.pk}/" in url)
    finally:
        context.close()
