"""Booking letters in on PostgreSQL with real connections released together: clerks booking
different letters at once get consecutive เลขรับ with no gap; two clerks booking the same
letter at once book it once; a booking that dies after taking its number leaves no number
taken and no letter half-booked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from directory.models import Unit
from letters import hooks
from letters.models import IncomingLetter, IncomingState
from letters.services import LetterFacts, letter_book_in
from registers.models import RegisterEntry, Series
from tests.integration.test_pg_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def facts(n: int) -> LetterFacts:
    return LetterFacts(
        sender_name="สำนักงาน ก.พ.",
        their_number=f"นร ๑๐๐๘/ว {n}",
        their_date=dt.date(2026, 11, 20),
        subject=f"หนังสือฉบับที่ {n}",
    )


def book(user: Any, n: int) -> Any:
    def go() -> Any:
        letter = letter_book_in(user=user, unit=Unit.objects.get(key="ops-secretariat"), facts=facts(n))
        return letter.receive_number

    return go


def test_eight_clerks_booking_at_once_get_consecutive_receive_numbers(roles):
    results = run_together([book(roles.ops_clerk, n) for n in range(1, 9)])
    assert sorted(results) == list(range(1, 9)), results
    numbers = RegisterEntry.objects.filter(series=Series.RECEIVE).values_list("number", flat=True)
    assert sorted(numbers) == list(range(1, 9))


def test_the_same_letter_booked_by_two_clerks_at_once_is_booked_once(roles):
    results = run_together([book(roles.ops_clerk, 1), book(roles.ops_clerk, 1)])
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert sorted(r for r in results if isinstance(r, int)) == [1], results
    assert len(refused) == 1 and refused[0].code == "duplicate"
    assert "เลขรับ ๑/" in refused[0].messages[0]
    assert IncomingLetter.objects.filter(state=IncomingState.BOOKED).count() == 1
    assert RegisterEntry.objects.filter(series=Series.RECEIVE).count() == 1


def test_a_booking_that_dies_after_taking_its_number_takes_nothing(roles):
    def crash(letter: Any) -> None:
        raise RuntimeError("the worker died here")

    hooks.on_booked(crash)
    try:
        with pytest.raises(RuntimeError):
            book(roles.ops_clerk, 1)()
    finally:
        hooks._booked.remove(crash)
    assert not IncomingLetter.objects.exists()
    assert not RegisterEntry.objects.filter(series=Series.RECEIVE).exists()
    assert book(roles.ops_clerk, 1)() == 1  # the next booking takes the number the dead one did not keep
