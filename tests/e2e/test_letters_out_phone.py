"""In a real browser at phone width (390 px): the clerk drafts an external letter and sends
it up, the director signs it from the list of letters waiting for him, the clerk posts it.
Nothing scrolls sideways and the buttons are large enough to tap."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from directory.models import Position
from letters.outgoing_models import OutgoingLetter, OutgoingState
from registers.models import RegisterEntry
from tests.e2e.test_phone import phone_page, scrolls_sideways, small_targets
from tests.e2e.test_scenario import click_to, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_draft_sign_and_post_on_a_phone(
    browser: Any,
    live_server: Any,
    roles: Any,
    screens: Any,
) -> None:
    base = live_server.url
    page = phone_page(browser)
    login(page, base, "clerk", "pw-clerk")
    page.goto(f"{base}/memos/letters/out/")
    click_to(page, "#out-new", "ร่างหนังสือภายนอก")
    assert not scrolls_sideways(page)
    page.fill("#id_recipient_name", "สำนักงาน ก.พ.")
    page.fill("#id_addressee", "เลขาธิการคณะกรรมการข้าราชการพลเรือน")
    page.fill("#id_subject", "ขอความอนุเคราะห์ใช้แบบประเมินตนเองด้านทักษะดิจิทัล")
    page.fill("#id_body", "ตามที่ สำนักงาน ก.พ. ได้พัฒนาแบบประเมิน นั้น\n\nจึงเรียนมาเพื่อโปรดพิจารณา")
    page.select_option("#id_signing_position", str(Position.objects.get(key="ops-hrd-head").pk))
    click_to(page, "#out-save", "บันทึกร่างแล้ว")
    assert not scrolls_sideways(page)
    assert small_targets(page, "#out-submit, #out-edit") == []
    click_to(page, "#out-submit", "เสนอลงนามแล้ว")
    expect(page.locator("#out-state")).to_have_text("เสนอลงนาม")

    page = phone_page(browser)
    login(page, base, "director", "pw-director")
    page.goto(f"{base}/memos/letters/out/")
    expect(page.locator("#out-tasks")).to_contain_text("ลงนามหนังสือภายนอก")
    click_to(page, "#out-tasks a", "ลงนาม")
    assert not scrolls_sideways(page)
    click_to(page, "#out-sign", "ลงนามแล้ว")
    expect(page.locator("#out-number")).to_have_text("กท ๐๔๐๑/๑")
    page.screenshot(path=str(screens / "letter-out-signed-phone.png"), full_page=True)

    page = phone_page(browser)
    login(page, base, "clerk", "pw-clerk")
    letter = OutgoingLetter.objects.get()
    page.goto(f"{base}/memos/letters/out/{letter.pk}/")
    page.check("input[name=channel][value=post]")
    click_to(page, "#out-send", "สั่งส่งหนังสือแล้ว")
    expect(page.locator("#out-sent")).to_contain_text("ส่งทางไปรษณีย์")
    assert not scrolls_sideways(page)
    letter = OutgoingLetter.objects.get()
    assert letter.state == OutgoingState.SENT
    assert RegisterEntry.objects.get(pk=letter.register_entry_id).action.startswith("ส่งทางไปรษณีย์")
