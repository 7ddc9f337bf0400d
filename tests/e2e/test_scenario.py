"""The reference scenario clicked and typed through by the four people, in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from directory.models import Unit
from memos.models import Memo, MemoState
from tests.factories import OfficialFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUBJECT = "แผนพัฒนาข้าราชการกรุงเทพมหานครและบุคลากรกรุงเทพมหานครประจำปีงบประมาณ พ.ศ. ๒๕๖๔"
PROPOSALS = [
    ("อนุมัติแผนพัฒนาข้าราชการกรุงเทพมหานครและบุคลากรกรุงเทพมหานคร ประจำปีงบประมาณ พ.ศ. ๒๕๖๔", "approve"),
    ("ให้ทุกหน่วยงาน และส่วนราชการในสังกัดสำนักปลัดกรุงเทพมหานคร ดำเนินโครงการ/กิจกรรมการฝึกอบรมฯ และรายงานผล", "order"),
    ("ให้ทุกหน่วยงาน และส่วนราชการในสังกัดสำนักปลัดกรุงเทพมหานคร ดำเนินการพัฒนาบุคลากรในสังกัด", "order"),
]


def new_page(browser: Any, *, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="th-TH")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of irreversible steps
    return page


# The login form is viewflow's: its inputs are drawn by the vf-field-* elements and <vf-form>
# wires its submit handler in a setTimeout after it connects. A click before both are in place
# can be lost (no POST is sent), so the helper waits for them explicitly.
FORM_READY = """() => { const f = document.querySelector('vf-form');
    return !!(f && f.form && document.querySelector('input[name=username]')
              && document.querySelector('input[name=password]')); }"""


def login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    sign_in_here(page, username, password)


def sign_in_here(page: Any, username: str, password: str) -> None:
    """Fill the login form the page shows (e.g. after a link that needs a session)."""
    page.wait_for_function(FORM_READY)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    expect(page.locator("input[name=username]")).to_have_value(username)
    expect(page.locator("input[name=password]")).to_have_value(password)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def click_to(page: Any, selector: str, text: str, *, within: str = "body") -> None:
    """Click, then wait until the page that follows shows `text` (never for network idle)."""
    expect(page.locator(selector)).to_be_enabled()
    page.click(selector)
    expect(page.locator(within).first).to_contain_text(text)


# User text lives in #memo-paper and the proposal boxes and is excluded below; icon ligatures
# ("menu", "mail") are glyph names, not words a reader sees.
ALLOWED_LATIN = {"PDF", "docx", "CSV", "XLSX"}  # file formats, named as everyone names them


def untranslated(page: Any) -> list[str]:
    """Latin-script words on the screen outside the memo's own text (which may quote English)."""
    text = page.evaluate(
        """() => { const c = document.body.cloneNode(true);
        c.querySelectorAll('#memo-paper, #directive-paper, #memo-decision, script, style, .proposal-decision, .task-row, .material-icons, .mdc-list-item__graphic').forEach(e => e.remove());
        return c.innerText; }"""
    )
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses in the account menu
    text = text.replace("(E-mail)", " ")  # official Thai wording quotes the term, as the reference does
    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED_LATIN})


def open_first_task(page: Any, base: str) -> None:
    page.goto(f"{base}/memos/inbox/")
    page.locator("tr.task-row a").first.click()
    expect(page.locator("#task-form")).to_be_visible()


def book_in(browser: Any, base: str, username: str, password: str, done: str) -> None:
    """The receiving office's clerk opens the memo from her inbox and books it in."""
    page = new_page(browser)
    login(page, base, username, password)
    open_first_task(page, base)
    expect(page.locator("#task-title")).to_contain_text("ลงทะเบียนรับ")
    click_to(page, "#action-book_in", done)
    page.context.close()


def test_reference_memo_from_drafting_to_decision(browser, live_server, roles, screens: Path):
    base = live_server.url
    pw = {u.username: "pw-" + u.username for u in (roles.clerk, roles.director, roles.deputy, roles.perm_sec)}
    # As in the demo, the deputy's office and ส.ส.ป. book memos in through their clerks.
    Unit.objects.filter(key__in=["deputy-1-office", "ops-secretariat"]).update(books_in_by_hand=True)
    OfficialFactory(
        user__username="deputyclerk",
        user__password="pw-deputyclerk",
        first_name="จันทร์เพ็ญ",
        last_name="ลงรับดี",
        unit_key="deputy-1-office",
        is_clerk=True,
    )
    pw["deputyclerk"], pw["opsclerk"] = "pw-deputyclerk", "pw-" + roles.ops_clerk.username

    # 1. The institute's clerk drafts the memo in one page and sends it for signature.
    page = new_page(browser)
    login(page, base, "clerk", pw["clerk"])
    page.goto(f"{base}/memos/memos/new/")
    page.fill("#id_h-subject", SUBJECT)
    signer = page.locator("#id_h-signing_position option:checked").inner_text()
    assert signer.startswith("ผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร")  # the unit head, prefilled
    page.fill("#id_s-0-items", "ปลัดกรุงเทพมหานครได้เห็นชอบให้ทุกหน่วยงานจัดทำข้อมูลการพัฒนาบุคลากรของหน่วยงาน\n- ๗๐ : ๒๐ : ๑๐")
    page.fill("#id_s-1-intro", "สถาบันฯ ได้ดำเนินการ ดังนี้")
    page.fill("#id_s-1-items", "รวบรวมข้อมูลโครงการ/กิจกรรมการฝึกอบรมฯ ของทุกหน่วยงาน จำนวน ๓๓๒ โครงการ")
    page.fill("#id_s-2-intro", "สถาบันฯ พิจารณาแล้ว เห็นควรดำเนินการ ดังนี้")
    for index, (text, ask) in enumerate(PROPOSALS):
        if index:
            page.click("button[data-add=proposals]")
        page.fill(f"#id_p-{index}-text", text)
        page.select_option(f"#id_p-{index}-ask", ask)
    # The route comes from the institute's template: the deputy, then the Permanent Secretary.
    assert "รองปลัดกรุงเทพมหานคร" in page.locator("#id_r-0-position option:checked").inner_text()
    click_to(page, "#save-memo", "บันทึกร่างแล้ว")
    assert (found := untranslated(page)) == [], " ".join(found)
    assert "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบ ขอได้โปรดอนุมัติในข้อ ๑ และสั่งการในข้อ ๒ - ๓" in page.content()
    click_to(page, "#submit-memo", "ส่งบันทึกข้อความเสนอลงนามแล้ว")
    memo = Memo.objects.get(subject=SUBJECT)

    # 2. The acting director finds it in the inbox and signs; the number appears.
    page = new_page(browser)
    login(page, base, "director", pw["director"])
    page.goto(f"{base}/memos/inbox/")
    assert SUBJECT in page.content()
    page.screenshot(path=str(screens / "inbox.png"), full_page=True)
    assert (found := untranslated(page)) == [], " ".join(found)
    open_first_task(page, base)
    click_to(page, "#action-sign", "ลงนามแล้ว ได้เลขที่หนังสือ กท ๐๔๐๑/๑")
    assert page.locator("#memo-number").inner_text() == "กท ๐๔๐๑/๑"

    # 3. The deputy's office clerk books it in; the deputy returns it with a reason; the
    # drafter sends it again from her inbox; it is signed and booked in again.
    book_in(browser, base, "deputyclerk", pw["deputyclerk"], "ลงทะเบียนรับแล้ว เลขรับ ๑ ส่งต่อรองปลัดกรุงเทพมหานครแล้ว")
    page = new_page(browser)
    login(page, base, "deputy", pw["deputy"])
    open_first_task(page, base)
    page.fill("#id_reason", "ขอให้ระบุจำนวนผู้เข้ารับการฝึกอบรมให้ครบ")
    click_to(page, "#action-return", "ส่งคืนผู้ร่างแล้ว")
    page = new_page(browser)
    login(page, base, "clerk", pw["clerk"])
    page.goto(f"{base}/memos/inbox/")
    expect(page.locator("tr.task-row").first).to_contain_text("ขอให้ระบุจำนวนผู้เข้ารับการฝึกอบรมให้ครบ")
    open_first_task(page, base)
    expect(page.locator("#returned-reason")).to_contain_text("นางวันทนี วัฒนะ")
    click_to(page, "#action-resubmit", "เสนอบันทึกข้อความที่แก้ไขแล้วใหม่")
    page = new_page(browser)
    login(page, base, "director", pw["director"])
    open_first_task(page, base)
    click_to(page, "#action-sign", "ลงนามแล้ว ได้เลขที่หนังสือ กท ๐๔๐๑/๑")
    book_in(browser, base, "deputyclerk", pw["deputyclerk"], "ลงทะเบียนรับแล้ว เลขรับ ๒ ส่งต่อรองปลัดกรุงเทพมหานครแล้ว")

    # The deputy writes the note and forwards; ส.ส.ป. books it in.
    page = new_page(browser)
    login(page, base, "deputy", pw["deputy"])
    open_first_task(page, base)
    assert page.locator("#id_note").input_value() == "เพื่อโปรดพิจารณา"
    page.fill("#id_note", "เรียน ปลัดกรุงเทพมหานคร\nเพื่อโปรดพิจารณา เห็นควรอนุมัติตามเสนอ")
    click_to(page, "#action-forward", "เกษียนและเสนอต่อแล้ว")
    book_in(browser, base, "opsclerk", pw["opsclerk"], "ลงทะเบียนรับแล้ว เลขรับ ๑ ส่งต่อปลัดกรุงเทพมหานครแล้ว")

    # 4. The Permanent Secretary decides each proposal, seeing the composed text first.
    page = new_page(browser)
    login(page, base, "permsec", pw["permsec"])
    page.goto(f"{base}/memos/inbox/")
    assert "กท ๐๔๐๑/๑" in page.content()
    open_first_task(page, base)
    page.check("input[name=ruling_1][value=approve]")
    page.check("input[name=ruling_2][value=order]")
    page.check("input[name=ruling_3][value=order]")
    page.fill("#id_order_actor", "ทุกหน่วยงานและส่วนราชการ")
    page.fill("#id_order_tail", "สพข. และ รป.กทม.")
    expect(page.locator("#decision-preview")).to_contain_text("- อนุมัติในข้อ ๑")
    # The seed's decision line, word for word, composed by the server as she types.
    expect(page.locator("#decision-preview")).to_contain_text(
        "- ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓ ตามที่ สพข. และ รป.กทม. เสนอ"
    )
    page.screenshot(path=str(screens / "task-decision.png"), full_page=True)
    assert (found := untranslated(page)) == [], " ".join(found)
    click_to(page, "#action-decide", "สั่งการแล้ว (อนุมัติ)")
    assert page.locator("#memo-state").inner_text() == "อนุมัติ"
    expect(page.locator("body")).to_contain_text(
        "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓ ตามที่ สพข. และ รป.กทม. เสนอ"
    )
    page.screenshot(path=str(screens / "memo-page.png"), full_page=True)
    assert (found := untranslated(page)) == [], " ".join(found)
    # viewflow's own process page opens for a route official; its chart labels and owner
    # usernames are still viewflow's (noted in the issue), so only its Thai frame is checked.
    page.goto(f"{base}/memos/flow/{Memo.objects.get(pk=memo.pk).process_id}/")
    content = page.content()
    assert "ลงนาม: " in content and "ตรวจผลการพิจารณา" in content and "After Review" not in content
    assert "ศิลปสวย ระวีแสงสูรย์" in content  # owners by name, not login
    assert Memo.objects.get(pk=memo.pk).state == MemoState.APPROVED

    # 5. The institute issues the circular directive; the acting director signs and sends it.
    page = new_page(browser)
    login(page, base, "clerk", pw["clerk"])
    page.goto(f"{base}/memos/memos/{memo.pk}/")
    page.click("#start-directive")
    expect(page.locator("#directive-form")).to_contain_text("ปลัดกรุงเทพมหานครได้โปรดอนุมัติ")  # prefilled from the decision
    page.click("#save-directive")
    expect(page.locator("#submit-directive")).to_be_visible()
    page.click("#submit-directive")
    expect(page.locator("#submit-directive")).to_have_count(0)
    directive_url = page.url
    page = new_page(browser)
    login(page, base, "director", pw["director"])
    page.goto(directive_url)
    click_to(page, "#sign-directive", "กท ๐๔๐๑/ว ๑")
    assert (found := untranslated(page)) == [], " ".join(found)

    # 6. A district clerk finds it among incoming circulars, books it in and acknowledges.
    page = new_page(browser)
    login(page, base, "districtclerk", "pw-districtclerk")
    page.goto(f"{base}/memos/directives/incoming/")
    assert (found := untranslated(page)) == [], " ".join(found)
    page.locator("table a").first.click()
    click_to(page, "#receive", "เลขรับ ๑", within="#receipt")
    click_to(page, "#acknowledge", "รับทราบ", within="#distribution-state")
    assert (found := untranslated(page)) == [], " ".join(found)

    # 7. The issuer's dashboard counts it.
    page = new_page(browser)
    login(page, base, "clerk", pw["clerk"])
    page.goto(directive_url)
    page.click("#dashboard-link")
    expect(page.locator("#count-received")).to_have_text("๑")
    expect(page.locator("#count-acknowledged")).to_have_text("๑")
    assert (found := untranslated(page)) == [], " ".join(found)
    page.screenshot(path=str(screens / "directive-dashboard.png"), full_page=True)

    # The inbox and the task page fit a phone (375 px) without horizontal scrolling.
    phone = new_page(browser, width=375)
    login(phone, base, "clerk", pw["clerk"])
    phone.goto(f"{base}/memos/memos/{memo.pk}/")
    phone.screenshot(path=str(screens / "memo-page-phone.png"), full_page=True)
    wide = phone.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 380)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, (scroll_width, wide)
