"""Who finds a memo, and who may edit, send or withdraw it (memos/access.py).

A memo someone may not see is a 404 for them, the same page as a memo that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from memos.access import memo_get_for_user, memo_ids_visible_to, memo_visible_to, memos_visible_to
from memos.models import Memo, Secrecy
from registers.models import Series
from tests.factories import (
    AppointmentFactory,
    DirectiveFactory,
    DistributionFactory,
    MemoFactory,
    OfficialFactory,
    PositionFactory,
    RegisterEntryFactory,
    TaskLinkFactory,
    UnitFactory,
    UserFactory,
)
from workflow.models import TaskLink
from workflow.services import task_link_close

pytestmark = pytest.mark.django_db


@dataclass
class Office:
    memo: Memo  # an ordinary memo of the drafting unit
    confidential: Memo  # ลับ, of the same unit and drafter
    drafter: Any
    colleague: Any  # an official of the drafting unit
    clerk: Any  # the drafting unit's clerk
    outsider: Any  # an official of another unit
    outside_clerk: Any  # the clerk of another unit
    bystander_clerk: Any  # the clerk of a third unit


@pytest.fixture
def office() -> Office:
    unit = UnitFactory()
    drafter = OfficialFactory(unit=unit)
    memo = MemoFactory(drafter=drafter)
    other = UnitFactory()
    return Office(
        memo=memo,
        confidential=MemoFactory(drafter=drafter, secrecy=Secrecy.CONFIDENTIAL),
        drafter=drafter.user,
        colleague=OfficialFactory(unit=unit).user,
        clerk=OfficialFactory(unit=unit, is_clerk=True).user,
        outsider=OfficialFactory(unit=other).user,
        outside_clerk=OfficialFactory(unit=other, is_clerk=True).user,
        bystander_clerk=OfficialFactory(is_clerk=True).user,
    )


def visible(user: Any) -> set[int]:
    found = set(memos_visible_to(user).values_list("pk", flat=True))
    # The list search reads one way at a time holds exactly the same memos (every test here).
    listed = memo_ids_visible_to(user)
    if listed is not None:
        assert set(listed) == found
        assert len(listed) == len(found), "listed once each"
    return found


def test_the_drafting_unit_sees_its_memos_and_only_the_drafter_its_confidential_one(office: Office) -> None:
    both = {office.memo.pk, office.confidential.pk}
    assert visible(office.drafter) == both
    assert visible(office.colleague) == visible(office.clerk) == {office.memo.pk}
    assert visible(office.outsider) == visible(office.outside_clerk) == set()


def test_nobody_signed_out_or_without_an_official_record_sees_a_memo(office: Office) -> None:
    assert visible(AnonymousUser()) == set()
    assert visible(UserFactory()) == set()


def test_an_administrator_sees_every_memo_but_no_confidential_one(office: Office) -> None:
    assert visible(UserFactory(superuser=True)) == {office.memo.pk}


def test_the_post_a_task_of_the_memo_waits_at_sees_it_even_when_confidential(office: Office) -> None:
    # Sent: the first task waits at the signing post, for whoever holds or acts for it today.
    signer = AppointmentFactory(position=TaskLinkFactory(memo=office.memo).position).official.user
    assert visible(signer) == {office.memo.pk}
    other_signer = AppointmentFactory(position=TaskLinkFactory(memo=office.confidential).position).official.user
    assert visible(other_signer) == {office.confidential.pk}


def test_whoever_was_given_the_task_sees_the_memo(office: Office) -> None:
    TaskLinkFactory(memo=office.confidential)
    TaskLink.objects.filter(memo=office.confidential).update(owner=office.outsider)
    assert visible(office.outsider) == {office.confidential.pk}


def test_the_clerk_who_booked_a_memo_in_reads_it_and_their_colleagues_do_not(office: Office) -> None:
    outside_unit = office.outside_clerk.official.unit
    RegisterEntryFactory(unit=outside_unit, series=Series.RECEIVE, memo=office.memo)
    RegisterEntryFactory(unit=outside_unit, series=Series.RECEIVE, memo=office.confidential)
    assert visible(office.outside_clerk) == {office.memo.pk}
    assert visible(office.outsider) == visible(office.bystander_clerk) == set()


def test_the_office_that_books_in_for_the_post_a_memo_waits_at_reads_it_until_the_task_is_done() -> None:
    # The director's post of a section is booked in by the institute's office.
    section, office = UnitFactory(), UnitFactory()
    post = PositionFactory(unit=section, receiving_unit=office)
    memo = MemoFactory(drafter=OfficialFactory(unit=section), signing_position=post)
    link = TaskLinkFactory(memo=memo)
    office_clerk = OfficialFactory(unit=office, is_clerk=True).user
    assert visible(office_clerk) == {memo.pk}
    assert visible(OfficialFactory(unit=office).user) == set()
    assert visible(OfficialFactory(is_clerk=True).user) == set()
    task_link_close(task=link.task)
    assert visible(office_clerk) == set()


def test_a_memo_sent_out_of_the_unit_is_not_readable_by_the_addressed_unit(office: Office) -> None:
    outside_unit = office.outside_clerk.official.unit
    RegisterEntryFactory(unit=outside_unit, series=Series.SEND, memo=office.memo)
    assert visible(office.outside_clerk) == set()


def test_a_unit_a_circular_was_sent_to_reads_the_memo_behind_it(office: Office) -> None:
    DistributionFactory(directive=DirectiveFactory(memo=office.memo), unit=office.outsider.official.unit)
    DistributionFactory(directive=DirectiveFactory(memo=office.confidential), unit=office.outsider.official.unit)
    assert visible(office.outsider) == {office.memo.pk}
    assert memo_visible_to(office.outsider, office.memo)
    assert not memo_visible_to(office.outsider, office.confidential)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("drafter", {"view", "edit", "submit", "withdraw"}),
        ("clerk", {"view", "edit", "submit"}),
        ("colleague", {"view"}),
        ("outside_clerk", {"view"}),  # booked it in: reads it, does not draft it
        ("outsider", set()),
    ],
)
def test_who_may_do_what_to_a_memo(office: Office, who: str, allowed: set[str]) -> None:
    RegisterEntryFactory(unit=office.outside_clerk.official.unit, series=Series.RECEIVE, memo=office.memo)
    user = getattr(office, who)
    for action in ("view", "edit", "submit", "withdraw"):
        if action in allowed:
            assert memo_get_for_user(user=user, memo_id=office.memo.pk, action=action) == office.memo
        else:
            with pytest.raises(Http404, match="^ไม่พบบันทึกข้อความ$"):
                memo_get_for_user(user=user, memo_id=office.memo.pk, action=action)


def test_viewing_is_the_default_and_an_unknown_action_is_a_programming_error(office: Office) -> None:
    assert memo_get_for_user(user=office.colleague, memo_id=office.memo.pk) == office.memo
    with pytest.raises(ValueError, match="sign"):
        memo_get_for_user(user=office.drafter, memo_id=office.memo.pk, action="sign")
    with pytest.raises(Http404, match="^ไม่พบบันทึกข้อความ$"):
        memo_get_for_user(user=office.drafter, memo_id=office.memo.pk + 1000)


def test_the_memo_comes_with_what_every_memo_page_shows(office: Office, django_assert_num_queries: Any) -> None:
    memo = memo_get_for_user(user=office.drafter, memo_id=office.memo.pk, action="edit")
    with django_assert_num_queries(0):
        assert memo.unit.name and memo.addressee.title and memo.signing_position.title
        assert memo.drafted_by.official.full_name
