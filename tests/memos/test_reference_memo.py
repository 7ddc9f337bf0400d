"""One reference memo: the demo's draft, the drafting input of the tests and benchmarks, and the
document fixture are the same memo, and it carries the seed memo's whole text: every section,
item and figure, and the report form สพข. ๒/๕๔."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from documents import reference as seed
from documents.data import MemoDoc
from memos.demo import seed_reference_draft
from memos.models import Memo
from memos.reference import DEPUTY_NOTE, PROPOSALS, SECTIONS
from memos.selectors import memo_document_data

pytestmark = pytest.mark.django_db

# Beside the repository as in the team's checkout, or wherever SEED_MEMO says.
SEED = Path(os.environ.get("SEED_MEMO") or Path(__file__).resolve().parents[3] / "shared" / "seed-memo.txt")

# The seed memo's figures, as printed (counts of projects and people, the budget, the share).
FIGURES = [
    "๓๓๒", "๕๘,๗๕๓", "๓๕๓,๑๖๖,๔๐๕", "๒.๓๔",
    "๒๓๖", "๔๖,๕๐๔", "๑,๒๗๖", "๒,๙๙๑", "๗,๙๘๒",
    "๖๕๓", "๑๙๕", "๑๙๔", "๑๔๖", "๑,๓๘๓",
    "๓๖๙", "๔๑๗", "๔๘๖",
]  # fmt: skip


def all_text(doc: MemoDoc) -> str:
    parts = [doc.subject]
    for section in doc.sections:
        parts += [section.heading, section.intro, *(f"{b.label} {b.text}" for b in section.blocks)]
    return "\n".join([*parts, *doc.proposals, doc.closing])


def labels(doc: MemoDoc, heading: str) -> list[str]:
    return [b.label for s in doc.sections if s.heading == heading for b in s.blocks]


def test_the_demo_draft_is_the_document_fixture(directory, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # run again: still one draft
    drafts = Memo.objects.filter(drafted_by__username="inst_clerk", subject=seed.SUBJECT)
    assert drafts.count() == 1
    on_paper = memo_document_data(memo=drafts.get())
    fixture = seed.reference_memo_doc(with_endorsements=False)
    assert on_paper.sections == fixture.sections  # headings, intros, every item with its label
    assert on_paper.proposals == fixture.proposals
    assert on_paper.closing == fixture.closing  # "ขอได้โปรดอนุมัติในข้อ ๑ และสั่งการในข้อ ๒ - ๓ อำนาจ…"
    assert (on_paper.subject, on_paper.unit_line, on_paper.addressee) == (
        fixture.subject,
        fixture.unit_line,
        fixture.addressee,
    )


def test_every_user_of_the_reference_memo_draws_on_one_copy(roles):
    """The tests' drafting input is the demo's draft; the deputy's note is the fixture's."""
    memo = seed_reference_draft(user=roles.clerk)
    assert seed_reference_draft(user=roles.clerk).pk == memo.pk
    assert memo_document_data(memo=memo).sections == seed.reference_sections()
    assert [p.text for p in PROPOSALS] == list(seed.PROPOSALS)
    assert DEPUTY_NOTE.splitlines() == list(seed.DEPUTY_NOTE.lines)
    assert sum(len(s.items) for s in SECTIONS) == sum(len(s.blocks) for s in seed.reference_sections())


def test_the_reference_memo_has_every_section_item_and_figure_of_the_seed():
    doc = seed.reference_memo_doc()
    assert [s.heading for s in doc.sections] == ["ต้นเรื่อง", "ข้อเท็จจริง", "ข้อพิจารณาและเสนอแนะ"]
    # ต้นเรื่อง ๑.-๔. with the three 70:20:10 bullets under ๓.
    assert labels(doc, "ต้นเรื่อง") == ["๑.", "๒.", "๓.", "-", "-", "-", "๔."]
    # ข้อเท็จจริง ๑.-๔.: the four strategies under ๒. and the paragraph after them, ๔.๑-๔.๓ under ๔.
    assert labels(doc, "ข้อเท็จจริง") == ["๑.", "๒.", "-", "-", "-", "-", "", "๓.", "๔.", "๔.๑", "๔.๒", "๔.๓"]
    assert len(doc.proposals) == 3
    text = all_text(doc)
    for figure in FIGURES:
        assert figure in text, figure
    # The report form is สพข. ๒/๕๔ wherever the memo or the circular cites it.
    circular = seed.reference_directive_doc()
    cited = re.findall(r"สพข\. \S+", " ".join([text, *circular.actions, circular.report_requirement]))
    assert cited and set(cited) == {"สพข. ๒/๕๔"}
    assert doc.endorsements[-1].lines == (
        "- อนุมัติในข้อ ๑",
        "- ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓ ตามที่ สพข. และ รป.กทม. เสนอ",
    )


def _numbers(text: str) -> set[str]:
    return {n.rstrip(".,") for n in re.findall(r"[๐-๙][๐-๙,./]*", text)}


@pytest.mark.skipif(not SEED.is_file(), reason="shared/seed-memo.txt is not beside the repository")
def test_no_number_of_the_seed_memo_is_missing():
    """Every number in the seed memo's body (ต้นเรื่อง to the closing) is in the reference text,
    apart from the OCR's readings of the form number, which the fixture reads as ๒/๕๔."""
    source = SEED.read_text(encoding="utf-8")
    body = source[source.index("\nต้นเรื่อง") : source.index("จึงเรียนมาเพื่อโปรดพิจารณา")]
    # Page-break catchwords ("ข้อเท็จจริง...", "๔. ดำเนินการ...") repeat what follows them.
    body = re.sub(r"\n[^\n]*\.\.\.\n", "\n", body).replace("๒/๕๕", "๒/๕๔").replace("๒/๕๙", "๒/๕๔")
    missing = _numbers(body) - _numbers(all_text(seed.reference_memo_doc()))
    assert missing == set()


def test_saving_the_edit_page_unchanged_keeps_the_reference_memo(client, roles):
    from django.urls import reverse

    from tests.memos.test_resubmit_screens import edit_form_data

    memo = seed_reference_draft(user=roles.clerk)
    client.force_login(roles.clerk)
    response = client.post(reverse("memos:memo_edit", args=[memo.pk]), edit_form_data(memo, roles.clerk))
    assert response.status_code == 302
    assert memo_document_data(memo=Memo.objects.get(pk=memo.pk)).sections == seed.reference_sections()
