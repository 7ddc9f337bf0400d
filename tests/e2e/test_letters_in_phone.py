"""Booking in a paper letter and passing it on, on a phone (390 × 844): the clerk photographs
the letter, books it in, reads the เลขรับ, and routes it; nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from directory.models import Unit
from letters.models import IncomingLetter, IncomingState
from tests.e2e.test_phone import phone_page, scrolls_sideways, small_targets
from tests.e2e.test_scenario import click_to, login
from tests.letters.helpers import png_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clerk_books_in_and_routes_a_letter_on_a_phone(browser, live_server, roles, tmp_path):
    photo = tmp_path / "หนังสือ.png"
    photo.write_bytes(png_bytes())
    base = live_server.url
    page = phone_page(browser)
    login(page, base, roles.ops_clerk.username, "pw-" + roles.ops_clerk.username)
    page.goto(f"{base}/memos/")
    page.click("#phone-menu-letters")
    page.wait_for_url(lambda url: url.endswith("/memos/letters/"))
    assert not scrolls_sideways(page)
    page.click("#letters-new")
    expect(page.locator("#book-in")).to_be_visible()
    assert not scrolls_sideways(page)
    page.fill("#id_sender_name", "สำนักงาน ก.พ.")
    page.fill("#id_their_number", "นร ๑๐๐๘/ว ๑๒")
    page.fill("#id_their_date", "๒๐ พ.ย. ๒๕๖๙")
    page.fill("#id_subject", "การประเมินผลการปฏิบัติราชการ")
    page.set_input_files("#id_scans", str(photo))
    assert small_targets(page, "#book-in") == []
    click_to(page, "#book-in", "ลงทะเบียนรับแล้ว")
    expect(page.locator("#receive-number")).to_have_text("๑/๒๕๖๙")
    assert not scrolls_sideways(page)
    hrd = Unit.objects.get(key="ops-hrd")
    page.select_option("#id_to_unit", str(hrd.pk))
    page.fill("#id_note", "มอบสถาบันฯ ดำเนินการ")
    click_to(page, "#route", "แจ้งผู้รับแล้ว")
    assert not scrolls_sideways(page)
    letter = IncomingLetter.objects.get()
    assert letter.state == IncomingState.ROUTED and letter.holder_unit_id == hrd.pk
    page.context.close()
