"""The reference memo carried through the whole chain with the Django test client, as the
four people of seed-memo.txt would: clerk → acting director → deputy → Permanent Secretary."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from directory import services as directory_services
from directory.models import Appointment, Capacity, Position, Unit
from memos import services
from memos.audit import chain_verify
from memos.models import Memo, MemoEvent, MemoState
from memos.reference import DEPUTY_NOTE, ORDER_ACTOR, reference_memo_input
from notifications.models import Channel, Notification
from notifications.tasks import deliver
from registers.models import RegisterEntry, Series
from tests.audit.conftest import with_sql_access
from tests.factories import OfficialFactory
from tests.integration.celery_support import MemoryBroker, use_broker
from workflow.models import TaskLink

pytestmark = pytest.mark.django_db

BKK = dt.timezone(dt.timedelta(hours=7))
DEC_23 = dt.datetime(2020, 12, 23, 10, 0, tzinfo=BKK)
JAN_11 = dt.datetime(2021, 1, 11, 16, 0, tzinfo=BKK)


def open_task_url(memo: Memo) -> str:
    link = TaskLink.objects.get(memo=memo, is_open=True)
    return link.task.reverse("execute")


def login(client, user):
    client.force_login(user)
    return client


def draft_reference(client, clerk) -> Memo:
    login(client, clerk)
    memo = services.memo_create(user=clerk, data=reference_memo_input())
    return memo


def test_reference_memo_through_the_whole_chain(client, roles, django_capture_on_commit_callbacks, mailoutbox):
    with time_machine.travel(DEC_23, tick=False):
        memo = draft_reference(client, roles.clerk)
        response = client.post(reverse("memos:memo_submit", args=[memo.pk]), follow=True)
        assert "ส่งบันทึกข้อความเสนอลงนามแล้ว" in response.content.decode()
        memo = Memo.objects.get(pk=memo.pk)
        assert memo.state == MemoState.AWAITING_SIGNATURE
        assert memo.number == ""  # no number before signing

        # The acting institute director finds the task in the inbox and signs.
        login(client, roles.director)
        inbox = client.get(reverse("memos:inbox")).content.decode()
        assert memo.subject in inbox and "ลงนาม" in inbox
        response = client.post(open_task_url(memo), {"action": "sign"}, follow=True)
        page = response.content.decode()
        memo = Memo.objects.get(pk=memo.pk)
        assert memo.state == MemoState.IN_REVIEW
        assert memo.number == "กท ๐๔๐๑/๑"
        assert memo.dated == dt.date(2020, 12, 23)
        assert "ลงนามแล้ว ได้เลขที่หนังสือ กท ๐๔๐๑/๑" in page
        assert "ผู้อำนวยการส่วนยุทธศาสตร์การพัฒนา รักษาการในตำแหน่ง" in page

    # The deputy's office books it in; the deputy writes the note and forwards.
    with time_machine.travel(DEC_23 + dt.timedelta(hours=6), tick=False):
        receipt = RegisterEntry.objects.get(memo=memo, series=Series.RECEIVE, position__key="deputy-1")
        assert receipt.unit.key == "deputy-1-office" and receipt.number == 1
        login(client, roles.deputy)
        inbox = client.get(reverse("memos:inbox")).content.decode()
        assert "กท ๐๔๐๑/๑" in inbox
        task_page = client.get(open_task_url(memo)).content.decode()
        assert "เพื่อโปรดพิจารณา" in task_page  # the usual phrase is prefilled
        client.post(open_task_url(memo), {"action": "forward", "note": DEPUTY_NOTE})
        memo = Memo.objects.get(pk=memo.pk)
        assert memo.current_step == 1 and memo.state == MemoState.IN_REVIEW

    # The Permanent Secretary's secretariat (ส.ส.ป.) booked it in with the forward; on
    # 11 January 2021 she decides per proposal.
    receipt = RegisterEntry.objects.get(memo=memo, series=Series.RECEIVE, position__key="permanent-secretary")
    assert receipt.unit.short_name == "ส.ส.ป."
    with time_machine.travel(JAN_11, tick=False):
        login(client, roles.perm_sec)
        task_page = client.get(open_task_url(memo)).content.decode()
        assert "พิจารณาสั่งการ" in task_page and "decision-preview" in task_page
        broker = MemoryBroker(f"test-{uuid.uuid4().hex[:12]}")
        with use_broker("memory://", queue=broker.queue), django_capture_on_commit_callbacks(execute=True):
            client.post(
                open_task_url(memo),
                {
                    "action": "decide",
                    "ruling_1": "approve",
                    "ruling_2": "order",
                    "ruling_3": "order",
                    "order_actor": ORDER_ACTOR,
                },
            )
        handed_over = broker.take()
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.APPROVED
    assert memo.decided_at == JAN_11
    # After the commit the drafter's mail goes to a worker, which sends her the decision.
    [mail_row] = Notification.objects.filter(recipient=roles.clerk, kind="memo_decided", channel=Channel.EMAIL)
    assert ("notifications.tasks.deliver", (mail_row.pk,)) in handed_over
    assert deliver(mail_row.pk) == "sent"
    [mail] = [m for m in mailoutbox if m.to == ["clerk@example.go.th"]]
    assert mail.subject.startswith("ผลการพิจารณา (อนุมัติ): ที่ กท ๐๔๐๑/๑")
    assert "- อนุมัติในข้อ ๑" in mail.body
    decision = MemoEvent.objects.get(memo=memo, action="decide")
    assert decision.payload["lines"] == ["อนุมัติในข้อ ๑", "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓"]
    assert decision.signature_lines == ["(นางศิลปสวย ระวีแสงสูรย์)", "ปลัดกรุงเทพมหานคร"]
    note = MemoEvent.objects.get(memo=memo, action="forward")
    assert note.text == DEPUTY_NOTE and note.signature_lines[1] == "รองปลัดกรุงเทพมหานคร"
    assert not TaskLink.objects.filter(memo=memo, is_open=True).exists()

    # The drafter sees the decision on the memo page; the audit chain holds.
    login(client, roles.clerk)
    page = client.get(reverse("memos:memo_detail", args=[memo.pk])).content.decode()
    assert "อนุมัติในข้อ ๑" in page and "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓" in page
    assert "๑๑ ม.ค. ๒๕๖๔ ๑๖.๐๐ น." in page  # when it was decided, in the history
    assert "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบ ขอได้โปรดอนุมัติในข้อ ๑ และสั่งการในข้อ ๒ - ๓" in page
    actions = list(MemoEvent.objects.filter(memo=memo).values_list("action", flat=True))
    assert actions == ["create", "submit", "sign", "receive", "forward", "receive", "decide"]
    assert chain_verify(memo_id=memo.pk).ok


def _to_review(client, roles) -> Memo:
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    services_submit_and_sign(memo, roles, client)
    return Memo.objects.get(pk=memo.pk)


def services_submit_and_sign(memo, roles, client):
    login(client, roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    login(client, roles.director)
    client.post(open_task_url(memo), {"action": "sign"})


def test_return_and_resubmit_keeps_the_number_and_every_note(client, roles):
    memo = _to_review(client, roles)
    login(client, roles.deputy)
    response = client.post(open_task_url(memo), {"action": "return", "reason": ""})
    assert response.status_code == 400 and "กรุณาระบุเหตุผลที่ส่งคืน" in response.content.decode()
    client.post(open_task_url(memo), {"action": "return", "reason": "ขอให้ตรวจสอบยอดงบประมาณอีกครั้ง"})
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.RETURNED

    # Back to the drafter, who edits and resubmits from the revise task.
    login(client, roles.clerk)
    inbox = client.get(reverse("memos:inbox")).content.decode()
    assert "แก้ไขตามที่ส่งคืน" in inbox
    data = reference_memo_input()
    data.subject = data.subject + " (แก้ไข)"
    services.memo_update(memo=memo, user=roles.clerk, data=data)
    client.post(open_task_url(memo), {"action": "resubmit", "note": "แก้ไขยอดงบประมาณแล้ว"})
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.AWAITING_SIGNATURE and memo.version == 2

    login(client, roles.director)
    client.post(open_task_url(memo), {"action": "sign"})
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.number == "กท ๐๔๐๑/๑"  # the number given the first time is kept
    assert RegisterEntry.objects.filter(series=Series.SEND, memo=memo).count() == 1
    page = client.get(reverse("memos:memo_detail", args=[memo.pk])).content.decode()
    assert "ขอให้ตรวจสอบยอดงบประมาณอีกครั้ง" in page  # the earlier return stays readable
    assert memo.revisions.count() == 2
    assert chain_verify(memo_id=memo.pk).ok


def test_signer_can_return_before_signing(client, roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    login(client, roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    login(client, roles.director)
    client.post(open_task_url(memo), {"action": "return", "reason": "แก้ไขถ้อยคำในข้อ ๒"})
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.RETURNED and memo.number == ""


def test_withdrawal_voids_the_number_and_cancels_the_open_task(client, roles):
    memo = _to_review(client, roles)
    login(client, roles.clerk)
    response = client.post(
        reverse("memos:memo_withdraw", args=[memo.pk]), {"reason": "เรื่องซ้ำกับที่เสนอไปแล้ว"}, follow=True
    )
    assert "ถอนเรื่องแล้ว" in response.content.decode()
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.WITHDRAWN
    entry = RegisterEntry.objects.get(series=Series.SEND, memo=memo)
    assert entry.void and "เรื่องซ้ำ" in entry.void_reason
    assert not TaskLink.objects.filter(memo=memo, is_open=True).exists()
    login(client, roles.deputy)
    assert memo.subject not in client.get(reverse("memos:inbox")).content.decode()
    # The next memo takes the next number: a withdrawn number is never reused.
    other = _to_review(client, roles)
    assert other.number == "กท ๐๔๐๑/๒"


def test_a_decided_memo_cannot_be_withdrawn(client, roles):
    memo = _to_review(client, roles)
    login(client, roles.deputy)
    client.post(open_task_url(memo), {"action": "forward", "note": "เพื่อโปรดพิจารณา"})
    login(client, roles.perm_sec)
    client.post(
        open_task_url(memo), {"action": "decide", "ruling_1": "reject", "ruling_2": "reject", "ruling_3": "reject"}
    )
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.NOT_APPROVED
    login(client, roles.clerk)
    response = client.post(reverse("memos:memo_withdraw", args=[memo.pk]), {"reason": "x"}, follow=True)
    assert "ไม่สามารถถอนเรื่องได้ เนื่องจากบันทึกข้อความนี้อยู่ในสถานะ “ไม่อนุมัติ”" in response.content.decode()


def test_partly_approved_and_missing_rulings(client, roles):
    memo = _to_review(client, roles)
    login(client, roles.deputy)
    client.post(open_task_url(memo), {"action": "forward", "note": "เพื่อโปรดพิจารณา"})
    login(client, roles.perm_sec)
    response = client.post(open_task_url(memo), {"action": "decide", "ruling_1": "approve"})
    assert response.status_code == 400
    assert "ยังไม่ได้พิจารณาข้อ ๒ - ๓" in response.content.decode()
    client.post(
        open_task_url(memo), {"action": "decide", "ruling_1": "approve", "ruling_2": "reject", "ruling_3": "order"}
    )
    memo = Memo.objects.get(pk=memo.pk)
    assert memo.state == MemoState.PARTLY_APPROVED
    assert MemoEvent.objects.get(memo=memo, action="decide").payload["lines"] == [
        "อนุมัติในข้อ ๑",
        "ไม่อนุมัติในข้อ ๒",
        "ให้ดำเนินการในข้อ ๓",
    ]


def _deputy_on_leave(client, roles) -> tuple[Memo, object]:
    """The memo reached the deputy; from today an acting deputy stands in for her."""
    memo = _to_review(client, roles)
    today = dt.date.today()
    Appointment.objects.filter(position__key="deputy-1").update(valid_until=today - dt.timedelta(days=1))
    acting = OfficialFactory(first_name="สมชาย", last_name="รักษาการ", unit_key="deputy-1-office")
    directory_services.appointment_create(
        official=acting, position=Position.objects.get(key="deputy-1"), capacity=Capacity.ACTING_FOR, valid_from=today
    )
    return memo, acting


def test_acting_holder_receives_and_works_the_task(client, roles):
    """The deputy goes on leave after the memo reached her; an acting deputy takes over."""
    memo, acting = _deputy_on_leave(client, roles)
    task_url = open_task_url(memo)

    # The former holder no longer acts for the post: the task is no longer hers, and posting
    # to her old link does nothing.
    login(client, roles.deputy)
    assert client.post(task_url, {"action": "forward", "note": "เพื่อโปรดพิจารณา"}).status_code == 404
    assert not MemoEvent.objects.filter(memo=memo, action="forward").exists()

    login(client, acting.user)
    inbox = client.get(reverse("memos:inbox")).content.decode()
    assert memo.subject in inbox and "รักษาราชการแทน" in inbox
    client.post(task_url, {"action": "forward", "note": "เพื่อโปรดพิจารณา"})
    note = MemoEvent.objects.get(memo=memo, action="forward")
    assert note.actor_name == "นายสมชาย รักษาการ" and note.capacity == Capacity.ACTING_FOR
    login(client, roles.deputy)
    assert memo.subject not in client.get(reverse("memos:inbox")).content.decode()


def test_former_holders_old_task_link_gives_404(client, roles):
    memo, _acting = _deputy_on_leave(client, roles)
    login(client, roles.deputy)
    assert client.get(open_task_url(memo)).status_code == 404
    assert memo.subject not in client.get(reverse("memos:inbox")).content.decode()


def test_double_click_on_sign_signs_once(client, roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    login(client, roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    login(client, roles.director)
    url = open_task_url(memo)
    client.post(url, {"action": "sign"})
    second = client.post(url, {"action": "sign"}, follow=True)
    assert "งานนี้ได้ดำเนินการไปแล้ว" in second.content.decode()
    assert RegisterEntry.objects.filter(series=Series.SEND).count() == 1
    assert MemoEvent.objects.filter(memo=memo, action="sign").count() == 1


def test_illegal_transition_is_a_thai_message_not_a_500(roles):
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    with pytest.raises(ValidationError) as exc:
        services.memo_forward(memo=memo, user=roles.deputy, note="x")
    assert exc.value.code == "state"
    assert "อยู่ในสถานะ “ร่าง”" in exc.value.messages[0]
    assert Memo.objects.get(pk=memo.pk).state == MemoState.DRAFT
    assert not MemoEvent.objects.filter(memo=memo, action="forward").exists()


def test_top_secret_is_refused(roles):
    data = reference_memo_input()
    data.secrecy = 3
    with pytest.raises(ValidationError) as exc:
        services.memo_create(user=roles.clerk, data=data)
    assert "ลับที่สุดไม่ดำเนินการผ่านระบบอิเล็กทรอนิกส์" in str(exc.value)


def test_unit_without_document_code_cannot_number_and_says_why(client, roles):
    Unit.objects.filter(key="ops-hrd").update(doc_code="")
    memo = services.memo_create(user=roles.clerk, data=reference_memo_input())
    login(client, roles.clerk)
    client.post(reverse("memos:memo_submit", args=[memo.pk]))
    login(client, roles.director)
    response = client.post(open_task_url(memo), {"action": "sign"})
    assert response.status_code == 400
    assert "ยังไม่ได้กำหนดรหัสหนังสือของสถาบันพัฒนาข้าราชการกรุงเทพมหานคร" in response.content.decode()
    assert Memo.objects.get(pk=memo.pk).state == MemoState.AWAITING_SIGNATURE
    assert not RegisterEntry.objects.filter(series=Series.SEND).exists()


def test_numbering_restarts_on_the_first_of_january(client, roles):
    with time_machine.travel(dt.datetime(2020, 12, 31, 16, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False):
        first = _to_review(client, roles)
        second = _to_review(client, roles)
    with time_machine.travel(dt.datetime(2021, 1, 1, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False):
        third = _to_review(client, roles)
    assert (first.number, second.number, third.number) == ("กท ๐๔๐๑/๑", "กท ๐๔๐๑/๒", "กท ๐๔๐๑/๑")
    years = list(RegisterEntry.objects.filter(series=Series.SEND).order_by("pk").values_list("year", flat=True))
    assert years == [2563, 2563, 2564]


def test_audit_chain_names_the_first_altered_event(client, roles):
    memo = _to_review(client, roles)
    event = MemoEvent.objects.get(memo=memo, action="sign")
    with with_sql_access():  # on PostgreSQL the append-only trigger would refuse the edit
        MemoEvent.objects.filter(pk=event.pk).update(text="แก้ไขย้อนหลัง")
    report = chain_verify(memo_id=memo.pk)
    assert not report.ok and report.first_bad_seq == event.seq
    from io import StringIO

    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_audit", stdout=out, stderr=out)
    assert f"ลำดับที่ {event.seq}" in out.getvalue()


def test_register_csv_has_thai_headings(client, roles):
    memo = _to_review(client, roles)
    login(client, roles.clerk)
    year = RegisterEntry.objects.get(series=Series.SEND, memo=memo).year
    response = client.get(reverse("memos:register", args=["send", year]) + "?format=csv")
    # Excel reads the Thai correctly only with the byte-order mark.
    assert response["Content-Type"].startswith("text/csv") and response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("เลขทะเบียนส่ง,ที่,ลงวันที่")
    assert memo.number in text


def test_clerk_home_links_this_years_registers(client, roles):
    from django.utils import timezone

    from documents.thai import be_year

    memo = _to_review(client, roles)
    login(client, roles.clerk)
    year = be_year(timezone.localdate())
    home = client.get(reverse("memos:index")).content.decode()
    assert reverse("memos:register", args=["send", year]) in home
    page = client.get(reverse("memos:register", args=["send", year])).content.decode()
    assert memo.number in page and "ทะเบียนหนังสือส่ง" in page
    login(client, roles.ops_clerk)  # the secretariat booked nothing yet; the deputy's office did
    assert client.get(reverse("memos:register", args=["receive", year])).status_code == 200
