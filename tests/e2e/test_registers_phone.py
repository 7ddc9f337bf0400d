"""The registers on a phone (390 × 844, Chromium): each row is a card whose cells name their
column, nothing scrolls sideways, and a clerk filters, uploads a file and confirms the import
with a thumb."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from registers.models import RegisterEntry
from tests.e2e.test_phone import phone_page, scrolls_sideways, small_targets
from tests.e2e.test_scenario import login
from tests.registers.helpers import book

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG = "ขอความอนุเคราะห์ส่งรายชื่อข้าราชการเข้ารับการฝึกอบรมหลักสูตรนักบริหารระดับกลางประจำปีงบประมาณ พ.ศ. ๒๕๖๙"


def test_a_clerk_reads_filters_and_imports_a_register_on_a_phone(browser, live_server, roles, tmp_path, screens):
    unit = roles.clerk.official.unit
    for day in (dt.date(2026, 1, 12), dt.date(2026, 2, 3)):
        book(unit, day=day, subject=LONG, sender="สำนักงานเขตพระนคร กรุงเทพมหานคร")
    page = phone_page(browser)
    base = live_server.url
    login(page, base, "clerk", "pw-clerk")

    page.goto(base + reverse("memos:register", args=["receive", 2569]))
    expect(page.locator("table.list.cards tbody tr")).to_have_count(2)
    assert not scrolls_sideways(page)
    assert page.locator("table.list thead").is_hidden()  # rows are cards
    label = page.evaluate(
        "() => getComputedStyle(document.querySelector('td[data-label=\"เรื่อง\"]'), '::before').content"
    )
    assert "เรื่อง" in label
    assert small_targets(page, ".register-panel .btn") == []
    page.screenshot(path=str(Path(screens) / "register-phone.png"), full_page=True)

    page.fill("#id_date_from", "01/02/2569")
    page.locator("#register-filter button[type=submit]").click()
    expect(page.locator("#register-count")).to_contain_text("พบ ๑ รายการ")
    expect(page.locator("table.list.cards tbody tr")).to_have_count(1)

    csv_file = tmp_path / "ทะเบียนเดิม.csv"
    csv_file.write_bytes(
        (
            "เลขทะเบียนรับ,วันที่รับ,เวลา,ที่,ลงวันที่,จาก,ถึง,เรื่อง,การปฏิบัติ,หมายเหตุ\n"
            "๒๐,๑๕/๐๑/๒๕๖๙,๐๙.๑๕,กท ๕๐๐๑/๙,๑๓ ม.ค. ๒๕๖๙,สำนักการแพทย์,สถาบัน,ขอเชิญประชุม,,\n"
            "๒๐,๑๖/๐๑/๒๕๖๙,,,,สำนักการแพทย์,สถาบัน,ซ้ำ,,\n"
        ).encode("cp874")
    )
    page.locator("#import-link").click()
    page.set_input_files("#id_file", str(csv_file))
    page.locator("#import-form button[type=submit]").click()
    expect(page.locator("#import-summary")).to_contain_text("จะนำเข้า ๑ รายการ")
    expect(page.locator("#refused")).to_contain_text("เลขทะเบียน ๒๐ ซ้ำกับแถวที่ ๒ ในไฟล์นี้")
    assert not scrolls_sideways(page)
    page.locator("#confirm-form button[type=submit]").click()
    expect(page.locator("#register-messages")).to_contain_text("นำเข้าทะเบียนแล้ว ๑ รายการ")
    assert RegisterEntry.objects.filter(unit=unit, number=20, subject="ขอเชิญประชุม").exists()
    page.context.close()
