"""The reference scenario clicked and typed through by everyone who touches it, in Chromium:
the reference memo (seed-memo.txt) from the institute clerk's draft through the acting
director's signature, booking in by the deputy's office clerk, return by the deputy, edit and
resubmit, the deputy's note, booking in at ส.ส.ป., the Permanent Secretary's decision (the seed's
line word for word), the circular, and a district clerk's booking in, acknowledgement,
completion date and report, which the institute accepts.

It runs twice: everyone at 1280 px, and with the approvers (acting director, deputy, Permanent
Secretary) and the district clerk on a phone (390 × 844). Each person starts on their home page
and every click is counted; the counts per role are checked against a ceiling and written to
var/clicks-<variant>.md (the README's table comes from there)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from directory.models import Unit
from documents import reference as seed
from memos.demo import seed_reference_draft
from memos.models import Memo, MemoState
from memos.reference import DEPUTY_NOTE, ORDER_ACTOR, ORDER_TAIL
from memos.selectors import memo_document_data
from tests.factories import OfficialFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUBJECT = seed.SUBJECT
PHONE = {"width": 390, "height": 844}


def new_page(browser: Any, *, width: int = 1280, phone: bool = False) -> Any:
    if phone:
        context = browser.new_context(viewport=PHONE, locale="th-TH", is_mobile=True, has_touch=True)
    else:
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


ROOT = Path(__file__).resolve().parents[2]
# The total that the first draft leaves out and the deputy asks for (ข้อเท็จจริง ข้อ ๓).
TOTAL = " รวมจำนวนทั้งสิ้น ๑,๓๘๓ คน"
RETURN_REASON = "ขอให้ระบุจำนวนผู้เข้ารับการฝึกอบรมรวมในข้อเท็จจริงข้อ ๓ ให้ครบ"

# The most clicks each role may need in the whole scenario, from their home page to done (the
# measured counts are in var/clicks-<variant>.md and the README); more means a screen got harder.
MOST_CLICKS = {
    "เจ้าหน้าที่สารบรรณ สถาบันฯ (ผู้ร่าง)": 17,
    "ผอ.สถาบันฯ (รักษาการ)": 7,
    "เจ้าหน้าที่สารบรรณ สำนักงานรองปลัดฯ": 4,
    "รองปลัดกรุงเทพมหานคร": 4,
    "เจ้าหน้าที่สารบรรณ ส.ส.ป.": 2,
    "ปลัดกรุงเทพมหานคร": 5,
    "เจ้าหน้าที่สารบรรณ สำนักงานเขตพระนคร": 6,
}


@dataclass
class Person:
    """One role at their browser: every click they make is counted, each step by name."""

    role: str
    username: str
    phone: bool = False
    steps: list[tuple[str, int]] = field(default_factory=list)
    page: Any = None
    clicks: int = 0

    def start(self, browser: Any, base: str, step: str) -> Any:
        """Sign in and stand on the home page; the count of this step starts here."""
        self.page = new_page(browser, phone=self.phone)
        login(self.page, base, self.username, "pw-" + self.username)
        self.page.goto(f"{base}/memos/")
        expect(self.page.locator("h1")).to_contain_text("หน้าหลัก")
        self.clicks = 0
        self.steps.append((step, 0))
        return self.page

    def click(self, target: Any, *, then: str | None = None, within: str = "body") -> None:
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator = locator.first
        expect(locator).to_be_visible()
        expect(locator).to_be_enabled()
        locator.click()
        self.clicks += 1
        self.steps[-1] = (self.steps[-1][0], self.clicks)
        if then is not None:
            expect(self.page.locator(within).first).to_contain_text(then)

    def menu(self, section: str, *, then: str) -> None:
        """A main section: in the top bar on a desktop, in the block of buttons on a phone."""
        self.click(f"#{'phone-' if self.phone else ''}menu-{section}", then=then)

    def open_task(self, kind: str) -> None:
        """The memo's row in "งานของฉัน" on the home page."""
        self.click(self.page.locator("tr.task-row a", has_text=SUBJECT), then=kind, within="#task-title")

    def done(self) -> None:
        if not self.phone:
            assert (found := untranslated(self.page)) == [], " ".join(found)
        else:
            assert not self.page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
        self.page.context.close()

    @property
    def total(self) -> int:
        return sum(n for _, n in self.steps)


def write_clicks(variant: str, people: list[Person]) -> Path:
    lines = [f"| role ({variant}) | step | clicks |", "|---|---|---|"]
    for person in people:
        for step, n in person.steps:
            lines.append(f"| {person.role}{' (390 px)' if person.phone else ''} | {step} | {n} |")
        lines.append(f"| {person.role} | **total** | **{person.total}** |")
    path = ROOT / "var" / f"clicks-{variant}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def be_date(days_ago: int) -> str:
    """A date as a Thai clerk types it: dd/mm/yyyy in the Buddhist era, Thai digits."""
    from django.utils import timezone

    from documents.thai import to_thai_digits

    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return to_thai_digits(f"{day.day:02d}/{day.month:02d}/{day.year + 543}")


@pytest.mark.parametrize("variant", ["desktop", "phone"])
def test_reference_memo_from_draft_to_report(browser, live_server, roles, screens: Path, variant: str):
    base = live_server.url
    phone = variant == "phone"
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
    clerk = Person("เจ้าหน้าที่สารบรรณ สถาบันฯ (ผู้ร่าง)", "clerk")
    director = Person("ผอ.สถาบันฯ (รักษาการ)", "director", phone)
    deputy_clerk = Person("เจ้าหน้าที่สารบรรณ สำนักงานรองปลัดฯ", "deputyclerk")
    deputy = Person("รองปลัดกรุงเทพมหานคร", "deputy", phone)
    ops_clerk = Person("เจ้าหน้าที่สารบรรณ ส.ส.ป.", "opsclerk")
    perm_sec = Person("ปลัดกรุงเทพมหานคร", "permsec", phone)
    district_clerk = Person("เจ้าหน้าที่สารบรรณ สำนักงานเขตพระนคร", "districtclerk", phone)
    people = [clerk, director, deputy_clerk, deputy, ops_clerk, perm_sec, district_clerk]
    shot = "phone-" if phone else ""

    # The reference memo waits as the clerk's draft (the demo's), but this draft leaves out
    # the total of ข้อเท็จจริง ข้อ ๓, which the deputy will ask for.
    memo = seed_reference_draft(user=roles.clerk)
    item = memo.sections.get(heading="ข้อเท็จจริง").items.get(text__endswith=TOTAL)
    item.text = item.text.removesuffix(TOTAL)
    item.save(update_fields=["text"])

    # 1. The institute's clerk opens her draft and sends it for signature.
    page = clerk.start(browser, base, "ส่งร่างเสนอลงนาม")
    clerk.menu("mine", then=SUBJECT)
    clerk.click(page.locator("table.list a", has_text=SUBJECT), then="ส่งเสนอลงนาม")
    expect(page.locator("#memo-paper")).to_contain_text(f"ตามแบบ {seed.FORM}")
    clerk.click("#submit-memo", then="ส่งบันทึกข้อความเสนอลงนามแล้ว")
    clerk.done()

    # 2. The acting director signs; the number appears.
    page = director.start(browser, base, "ลงนาม")
    if not phone:
        page.screenshot(path=str(screens / "inbox.png"), full_page=True)
    director.open_task("ลงนาม")
    director.click("#action-sign", then="ลงนามแล้ว ได้เลขที่หนังสือ กท ๐๔๐๑/๑")
    assert page.locator("#memo-number").inner_text() == "กท ๐๔๐๑/๑"
    director.done()

    # 3. The deputy's office clerk books it in and passes it to the deputy.
    deputy_clerk.start(browser, base, "ลงทะเบียนรับ (ครั้งที่ ๑)")
    deputy_clerk.open_task("ลงทะเบียนรับ")
    deputy_clerk.click("#action-book_in", then="ลงทะเบียนรับแล้ว เลขรับ ๑ ส่งต่อรองปลัดกรุงเทพมหานครแล้ว")
    deputy_clerk.done()

    # 4. The deputy returns it: the total of ข้อ ๓ is missing.
    page = deputy.start(browser, base, "ส่งคืนผู้ร่าง")
    if phone:
        page.screenshot(path=str(screens / "phone-home.png"), full_page=False)
    deputy.open_task("พิจารณา")
    if phone:
        page.screenshot(path=str(screens / "phone-review.png"), full_page=False)
    page.fill("#id_reason", RETURN_REASON)
    deputy.click("#action-return", then="ส่งคืนผู้ร่างแล้ว")
    deputy.done()

    # 5. The drafter sees why, adds the total on the edit page and sends it again.
    page = clerk.start(browser, base, "แก้ไขและเสนอใหม่")
    expect(page.locator("tr.task-row").first).to_contain_text(RETURN_REASON)
    clerk.open_task("แก้ไข")
    expect(page.locator("#returned-reason")).to_contain_text("นางวันทนี วัฒนะ")
    clerk.click("#edit-returned", then="บันทึกร่าง")
    facts = page.locator("#id_s-1-items")
    lines = facts.input_value().splitlines()
    [short] = [i for i, line in enumerate(lines) if line.endswith("ปีงบประมาณ พ.ศ. ๒๕๖๓ จำนวน ๑๔๖ คน")]
    lines[short] += TOTAL
    facts.fill("\n".join(lines))
    clerk.click("#save-memo", then="บันทึกร่างแล้ว")
    expect(page.locator("#memo-paper")).to_contain_text(TOTAL.strip())
    clerk.click("#open-task", then="แก้ไข", within="#task-title")
    clerk.click("#action-resubmit", then="เสนอบันทึกข้อความที่แก้ไขแล้วใหม่")
    clerk.done()

    # 6. Signed again, booked in again.
    director.start(browser, base, "ลงนาม (ฉบับแก้ไข)")
    director.open_task("ลงนาม")
    director.click("#action-sign", then="ลงนามแล้ว ได้เลขที่หนังสือ กท ๐๔๐๑/๑")
    director.done()
    deputy_clerk.start(browser, base, "ลงทะเบียนรับ (ครั้งที่ ๒)")
    deputy_clerk.open_task("ลงทะเบียนรับ")
    deputy_clerk.click("#action-book_in", then="ลงทะเบียนรับแล้ว เลขรับ ๒ ส่งต่อรองปลัดกรุงเทพมหานครแล้ว")
    deputy_clerk.done()

    # 7. The deputy writes her note and forwards; ส.ส.ป. books it in for the Permanent Secretary.
    page = deputy.start(browser, base, "เกษียนและเสนอต่อ")
    deputy.open_task("พิจารณา")
    assert page.locator("#id_note").input_value() == "เพื่อโปรดพิจารณา"
    page.fill("#id_note", DEPUTY_NOTE)
    deputy.click("#action-forward", then="เกษียนและเสนอต่อแล้ว")
    deputy.done()
    ops_clerk.start(browser, base, "ลงทะเบียนรับ")
    ops_clerk.open_task("ลงทะเบียนรับ")
    ops_clerk.click("#action-book_in", then="ลงทะเบียนรับแล้ว เลขรับ ๑ ส่งต่อปลัดกรุงเทพมหานครแล้ว")
    ops_clerk.done()

    # 8. The Permanent Secretary rules on each proposal and sees the seed's decision composed.
    page = perm_sec.start(browser, base, "วินิจฉัยสั่งการ")
    perm_sec.open_task("พิจารณา")
    expect(page.locator("#memo-paper")).to_contain_text(TOTAL.strip())  # the corrected version
    perm_sec.click("input[name=ruling_1][value=approve]")
    perm_sec.click("input[name=ruling_2][value=order]")
    perm_sec.click("input[name=ruling_3][value=order]")
    page.fill("#id_order_actor", ORDER_ACTOR)
    page.fill("#id_order_tail", ORDER_TAIL)
    for line in seed.DECISION_LINES:
        expect(page.locator("#decision-preview")).to_contain_text(line)
    if phone:
        page.locator("#decision-preview").scroll_into_view_if_needed()
    page.screenshot(path=str(screens / f"{shot}task-decision.png"), full_page=not phone)
    perm_sec.click("#action-decide", then="สั่งการแล้ว (อนุมัติ)")
    assert page.locator("#memo-state").inner_text() == "อนุมัติ"
    for line in seed.DECISION_LINES:
        expect(page.locator("body")).to_contain_text(line.removeprefix("- "))
    page.screenshot(path=str(screens / f"{shot}memo-page.png"), full_page=not phone)
    if not phone:
        # viewflow's own process page opens for a route official: its Thai frame, owners by name.
        flow = page.context.new_page()
        flow.goto(f"{base}/memos/flow/{Memo.objects.get(pk=memo.pk).process_id}/")
        expect(flow.locator("body")).to_contain_text("ตรวจผลการพิจารณา")
        content = flow.content()
        assert "ลงนาม: " in content and "After Review" not in content
        assert "ศิลปสวย ระวีแสงสูรย์" in content
        flow.close()
    perm_sec.done()
    on_paper = memo_document_data(memo=Memo.objects.get(pk=memo.pk))
    assert Memo.objects.get(pk=memo.pk).state == MemoState.APPROVED
    assert [e.lines for e in on_paper.endorsements] == [seed.DEPUTY_NOTE.lines, seed.DECISION_LINES]

    # 9. The institute issues the circular; the acting director signs it and it goes out.
    page = clerk.start(browser, base, "ออกหนังสือเวียน")
    clerk.menu("mine", then=SUBJECT)
    clerk.click(page.locator("table.list a", has_text=SUBJECT), then="ออกหนังสือเวียนแจ้งผลการพิจารณา")
    clerk.click("#start-directive", then="ปลัดกรุงเทพมหานครได้โปรดอนุมัติ", within="#directive-form")
    clerk.click("#save-directive", then="บันทึกร่างหนังสือเวียนแล้ว")
    clerk.click("#submit-directive", then="เสนอลงนามแล้ว")
    clerk.done()
    page = director.start(browser, base, "ลงนามหนังสือเวียน")
    director.menu("inbox", then="หนังสือเวียนที่รอท่านดำเนินการ")
    director.click(page.locator("tr.circular-row a", has_text=SUBJECT), then=SUBJECT)
    director.click("#sign-directive", then="กท ๐๔๐๑/ว ๑")
    director.done()

    # 10. A district clerk books it in, acknowledges, records the completion date and reports.
    page = district_clerk.start(browser, base, "ลงรับ รับทราบ และรายงานผล")
    district_clerk.menu("inbox", then="หนังสือเวียนที่รอท่านดำเนินการ")
    district_clerk.click(page.locator("tr.circular-row a", has_text=SUBJECT), then="ลงทะเบียนรับ")
    district_clerk.click("#receive", then="เลขรับ ๑", within="#receipt")
    district_clerk.click("#acknowledge", then="รับทราบ", within="#distribution-state")
    page.fill("#id_completed_on", be_date(3))
    district_clerk.click(page.get_by_role("button", name="บันทึก", exact=True), then="บันทึกวันดำเนินการแล้วเสร็จแล้ว")
    page.fill("#id_project_name", "โครงการพัฒนาทักษะด้านดิจิทัลของข้าราชการสำนักงานเขตพระนคร")
    page.fill("#id_started_on", be_date(10))
    page.fill("#id_ended_on", be_date(3))
    page.fill("#id_participants_officials", "๔๐")
    page.fill("#id_budget_used", "๒๕,๐๐๐")
    page.fill("#id_outcome", "ข้าราชการเข้ารับการอบรมครบตามแผน ผ่านการประเมินทักษะดิจิทัลร้อยละ ๙๕")
    if phone:
        page.screenshot(path=str(screens / "phone-report.png"), full_page=False)
    district_clerk.click(page.get_by_role("button", name="ส่งรายงาน"), then="ส่งรายงานผลการดำเนินการแล้ว")
    expect(page.locator("#distribution-state")).to_contain_text("ส่งรายงานแล้ว")
    district_clerk.done()

    # 11. The institute accepts the report; its dashboard counts the district.
    page = clerk.start(browser, base, "ตรวจรับรายงาน")
    clerk.menu("inbox", then="หนังสือเวียนที่รอท่านดำเนินการ")
    clerk.click(page.locator("tr.circular-row a", has_text=SUBJECT), then="รับรายงาน")
    clerk.click(page.get_by_role("button", name="รับรายงาน"), then="รับรายงานแล้ว")
    page.goto(page.url)  # the report's distribution page, as the issuer sees it
    directive_page = page.locator("a", has_text="ติดตามผลทุกหน่วยงาน")
    clerk.click(directive_page, then="ติดตามผล")
    expect(page.locator("#count-received")).to_have_text("๑")
    expect(page.locator("#count-acknowledged")).to_have_text("๑")
    if not phone:
        page.screenshot(path=str(screens / "directive-dashboard.png"), full_page=True)
    clerk.done()

    table = write_clicks(variant, people)
    for person in people:
        assert person.total <= MOST_CLICKS[person.role], (person.role, person.steps, table)
