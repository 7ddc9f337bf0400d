"""The one search: document numbers in any form, Thai words inside compounds, attachments'
text, filters, and an index kept fresh through the outbox, only after commit."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from memos import services as memo_services
from memos.models import Attachment, Memo
from memos.reference import reference_memo_input
from search.indexer import index_object, queue_stale, rebuild
from search.models import JobStatus, SearchDocument, SearchJob
from search.selectors import SearchQuery, search
from search.tasks import index_document
from search.text import file_text, number_key, segment
from tests.factories import MemoFactory
from tests.search.conftest import draft, found, run_index_jobs

pytestmark = pytest.mark.django_db


def _numbered(memo: Memo, number: str) -> Memo:
    # The register gives numbers at signing; here the number is set as a register would print it.
    Memo.objects.filter(pk=memo.pk).update(number=number)
    index_object("memo", memo.pk)
    return memo


@pytest.mark.parametrize("typed", ["กท 0401/1255", "กท0401/1255", "0401/1255", "กท ๐๔๐๑/๑๒๕๕", "๐๔๐๑/๑๒๕๕"])
def test_a_number_is_found_however_it_is_typed(roles: Any, typed: str) -> None:
    memo = _numbered(draft(roles.clerk), "กท ๐๔๐๑/๑๒๕๕")
    _numbered(draft(roles.clerk), "กท ๐๔๐๑/๑๒๕๖")
    assert found(roles.clerk, typed) == [("memo", memo.pk)]


def test_number_keys_agree() -> None:
    assert number_key("กท ๐๔๐๑/๑๒๕๕") == number_key("กท 0401/1255") == number_key("กท0401/1255") == "กท0401/1255"


def test_a_word_inside_a_compound_is_found_and_whole_words_come_first(roles: Any) -> None:
    whole = draft(roles.clerk, subject="ขอจัดซื้อไม้สำหรับซ่อมแซมอาคาร")
    inside = draft(roles.clerk, subject="จัดซื้อผลไม้สำหรับงานเลี้ยง")  # newer; "ไม้" only inside ผลไม้
    draft(roles.clerk, subject="ขอความเห็นชอบแผนงบประมาณ")
    run_index_jobs()
    assert "ผลไม้" in segment(inside.subject).split()
    assert found(roles.clerk, "ไม้") == [("memo", whole.pk), ("memo", inside.pk)]
    page = search(user=roles.clerk, query=SearchQuery(q="ไม้"))
    assert [h.whole_word for h in page.hits] == [True, False]
    assert "ผล<mark>ไม้</mark>" in page.hits[1].subject_html


def test_every_term_must_be_found_and_short_terms_still_work(roles: Any) -> None:
    both = draft(roles.clerk, subject="ขออนุมัติจัดซื้อวัสดุ ก ข")
    draft(roles.clerk, subject="ขออนุมัติเดินทางไปราชการ")
    run_index_jobs()
    assert found(roles.clerk, "ขออนุมัติ วัสดุ") == [("memo", both.pk)]
    assert found(roles.clerk, "ข") and ("memo", both.pk) in found(roles.clerk, "ก")


def test_notes_and_decisions_are_found(client: Any, roles: Any) -> None:
    memo = draft(roles.clerk, submit=True)
    memo_services.memo_return(
        memo=memo,
        user=roles.director,
        position=memo.signing_position,
        reason="ขอให้ทบทวนวงเงินค่าตอบแทนวิทยากร",
    )
    run_index_jobs()
    assert found(roles.clerk, "ค่าตอบแทนวิทยากร") == [("memo", memo.pk)]


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "ตารางค่าใช้จ่ายรายหัว"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(text: str) -> bytes:
    """A one-page PDF with a real text layer (Helvetica, Latin text)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_attachments_text_is_found_pdf_and_docx(roles: Any) -> None:
    memo = draft(roles.clerk)
    other = draft(roles.clerk)
    Attachment.objects.create(
        memo=memo,
        title="ประมาณการค่าใช้จ่าย",
        file=ContentFile(_docx("รายละเอียดค่าเช่าห้องประชุมโรงแรมริมน้ำ"), name="cost.docx"),
        size=1,
        uploaded_by=roles.clerk,
    )
    Attachment.objects.create(
        memo=other,
        title="annex",
        file=ContentFile(_pdf("Quarterly procurement ledger ZEBRA-77"), name="annex.pdf"),
        size=1,
        uploaded_by=roles.clerk,
    )
    run_index_jobs()
    assert found(roles.clerk, "ห้องประชุมโรงแรม") == [("memo", memo.pk)]
    assert found(roles.clerk, "ค่าใช้จ่ายรายหัว") == [("memo", memo.pk)]
    assert found(roles.clerk, "zebra-77") == [("memo", other.pk)]
    hit = search(user=roles.clerk, query=SearchQuery(q="ledger")).hits[0]
    assert "<mark>ledger</mark>" in hit.snippet


def test_unreadable_files_give_no_text() -> None:
    assert file_text("x.pdf", b"%PDF-1.4 broken") == ""
    assert file_text("x.docx", b"PK\x03\x04 not a zip") == ""
    assert file_text("x.exe", b"MZ\x90\x00") == ""


def test_filters_by_kind_year_unit_and_state(roles: Any) -> None:
    memo = draft(roles.clerk, subject="ทดสอบตัวกรองการค้นหา")
    other_unit = draft(roles.ops_clerk, subject="ทดสอบตัวกรองการค้นหา")
    run_index_jobs()
    doc = SearchDocument.objects.get(kind="memo", object_id=memo.pk)
    assert found(roles.clerk, "ตัวกรอง", year=doc.year, unit=memo.unit_id, state="draft") == [("memo", memo.pk)]
    assert found(roles.clerk, "ตัวกรอง", year=doc.year + 1) == []
    assert found(roles.clerk, "ตัวกรอง", state="approved") == []
    assert found(roles.clerk, "ตัวกรอง", kind="directive") == []
    assert ("memo", other_unit.pk) not in found(roles.clerk, "ตัวกรอง")


# --- Freshness -----------------------------------------------------------------------------


def test_an_edit_reaches_the_index_through_the_outbox_after_commit_only(
    roles: Any, memory_broker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    memo = draft(roles.clerk)
    run_index_jobs()
    data = replace(reference_memo_input(), subject="ขอเปลี่ยนสถานที่จัดประชุมเป็นศาลาว่าการ")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        memo_services.memo_update(memo=memo, user=roles.clerk, data=data)
        # Queued in the same transaction, not yet handed over, not yet in the index.
        assert SearchJob.objects.filter(kind="memo", object_id=memo.pk, status=JobStatus.PENDING).count() == 1
        assert memory_broker.take() == []
    assert found(roles.clerk, "ศาลาว่าการ") == []
    for callback in callbacks:
        callback()
    queued = memory_broker.take()
    assert queued and {name for name, _args in queued} == {"search.tasks.index_document"}
    for _name, args in queued:
        index_document(*args)
    assert found(roles.clerk, "ศาลาว่าการ") == [("memo", memo.pk)]


def test_a_rolled_back_edit_leaves_neither_job_nor_index_change(
    roles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    memo = draft(roles.clerk, subject="เรื่องเดิมก่อนแก้ไข")
    run_index_jobs()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        Memo.objects.get(pk=memo.pk).save()
        raise RuntimeError("the edit failed")
    assert callbacks == []
    assert not SearchJob.objects.filter(status=JobStatus.PENDING).exists()
    assert found(roles.clerk, "เรื่องเดิม") == [("memo", memo.pk)]


def test_the_sweep_queues_what_no_signal_announced(roles: Any) -> None:
    memo = draft(roles.clerk)
    run_index_jobs()
    Memo.objects.filter(pk=memo.pk).update(subject="เปลี่ยนโดยคำสั่ง UPDATE โดยตรง", updated_at=timezone.now())
    assert found(roles.clerk, "โดยตรง") == []
    assert queue_stale() == 1
    run_index_jobs()
    assert found(roles.clerk, "โดยตรง") == [("memo", memo.pk)]
    assert queue_stale() == 0


def test_a_deleted_memo_leaves_the_index(roles: Any) -> None:
    memo = MemoFactory(subject="ร่างที่จะลบทิ้ง")  # no audit events yet, so it can be deleted
    run_index_jobs()
    memo_id = memo.pk
    memo.delete()
    run_index_jobs()
    assert not SearchDocument.objects.filter(kind="memo", object_id=memo_id).exists()


def test_rebuild_command_indexes_everything_afresh(roles: Any) -> None:
    first = draft(roles.clerk, subject="สร้างดัชนีใหม่ทั้งหมด")
    second = draft(roles.clerk, subject="สร้างดัชนีใหม่ทั้งหมด")
    SearchDocument.objects.all().delete()
    SearchDocument.objects.create(kind="memo", object_id=999_999, subject="เอกสารที่ไม่มีแล้ว", haystack="เอกสารที่ไม่มีแล้ว")
    assert found(roles.clerk, "ดัชนีใหม่") == []
    out = io.StringIO()
    call_command("search_rebuild", stdout=out)
    assert "บันทึกข้อความ" in out.getvalue()
    assert sorted(found(roles.clerk, "ดัชนีใหม่")) == sorted([("memo", first.pk), ("memo", second.pk)])
    assert not SearchDocument.objects.filter(object_id=999_999).exists()
    assert rebuild(["memo"])["memo"] >= 2  # twice is harmless
    assert SearchDocument.objects.filter(kind="memo", object_id=first.pk).count() == 1


@pytest.mark.parametrize("listed", [True, False], ids=["ids listed", "asked per row"])
@pytest.mark.parametrize("rows_first", [True, False], ids=["rows read first", "trigram index first"])
def test_every_way_of_asking_finds_the_same_in_the_same_order(
    roles: Any, monkeypatch: pytest.MonkeyPatch, listed: bool, rows_first: bool
) -> None:
    """How the statements are put (an official's ids listed or each row asked of the access
    helper; the rows' text read or the trigram index asked first, chosen by how common a word
    is) changes the speed only, never what is found or its order (bench 10)."""
    from search import selectors

    whole = draft(roles.clerk, subject="ขอจัดซื้อไม้สำหรับซ่อมแซมอาคาร")
    whole_older = draft(roles.clerk, subject="ขอซื้อไม้สำหรับโรงเรียน")
    inside = draft(roles.clerk, subject="จัดซื้อผลไม้สำหรับงานเลี้ยง")  # "ไม้" only inside ผลไม้
    inside_older = draft(roles.clerk, subject="ไม้กวาดสำหรับสำนักงาน")  # and inside ไม้กวาด
    draft(roles.clerk, subject="ขอความเห็นชอบแผนงบประมาณ")
    hidden = draft(roles.district_clerk, subject="จัดซื้อไม้สำหรับเขต")  # another unit's
    run_index_jobs()
    a_year_ago = timezone.localdate() - timezone.timedelta(days=400)
    SearchDocument.objects.filter(object_id__in=[whole_older.pk, inside_older.pk]).update(dated=a_year_ago)
    if not listed:
        monkeypatch.setattr(selectors, "VISIBLE_LIST_MAX", 0)
    monkeypatch.setattr(selectors, "_rows_first", lambda access, terms: rows_first)

    # Whole words first, then words inside compounds; newest first within each.
    expected = [whole, whole_older, inside, inside_older]
    assert found(roles.clerk, "ไม้") == [("memo", m.pk) for m in expected]
    assert ("memo", hidden.pk) in found(roles.district_clerk, "ไม้")
    page = search(user=roles.clerk, query=SearchQuery(q="ไม้"), page_size=1, page=3)
    assert page.count == 4 and [(h.doc.object_id, h.whole_word) for h in page.hits] == [(inside.pk, False)]
