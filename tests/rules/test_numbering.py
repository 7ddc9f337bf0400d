"""Register numbers as a clerk reads them in the register book and on the letter."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from registers.models import RegisterEntry, Series
from registers.services import document_number, register_allocate
from tests.factories import UnitFactory

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")

pytestmark = pytest.mark.django_db


def allocate(unit, series=Series.SEND, at=None):
    return register_allocate(unit=unit, series=series, at=at, sender="สถาบันพัฒนาข้าราชการกรุงเทพมหานคร", subject="ทดสอบ")


def test_numbers_run_on_without_a_gap_per_unit_and_series() -> None:
    at = dt.datetime(2026, 11, 24, 10, 0, tzinfo=BANGKOK)
    office, other = UnitFactory(), UnitFactory()
    sent = [allocate(office, at=at).number for _ in range(3)]
    circular = allocate(office, Series.CIRCULAR, at=at).number
    elsewhere = allocate(other, at=at).number
    assert (sent, circular, elsewhere) == ([1, 2, 3], 1, 1)


def test_the_register_entry_keeps_what_was_booked_and_when() -> None:
    at = dt.datetime(2026, 11, 24, 10, 0, tzinfo=BANGKOK)
    entry = register_allocate(
        unit=UnitFactory(), series=Series.RECEIVE, at=at, sender="สำนักงานเขตพระนคร", subject="รายงานผล"
    )
    stored = RegisterEntry.objects.get(pk=entry.pk)
    assert (stored.series, stored.year, stored.number) == (Series.RECEIVE, 2569, 1)
    assert (stored.sender, stored.subject, stored.registered_at) == ("สำนักงานเขตพระนคร", "รายงานผล", at)


def test_the_year_is_the_buddhist_year_in_bangkok_and_numbering_restarts_with_it() -> None:
    office = UnitFactory()
    last_of_2563 = allocate(office, at=dt.datetime(2020, 12, 31, 16, 59, tzinfo=dt.UTC))  # 23:59 in Bangkok
    first_of_2564 = allocate(office, at=dt.datetime(2020, 12, 31, 17, 0, tzinfo=dt.UTC))  # 00:00 in Bangkok
    again = allocate(office, at=dt.datetime(2021, 6, 1, 9, 0, tzinfo=BANGKOK))
    assert [(e.year, e.number) for e in (last_of_2563, first_of_2564, again)] == [(2563, 1), (2564, 1), (2564, 2)]


def test_without_a_time_the_entry_is_booked_now() -> None:
    now = dt.datetime(2027, 1, 5, 9, 30, tzinfo=BANGKOK)
    with time_machine.travel(now, tick=False):
        entry = allocate(UnitFactory())
    assert (entry.year, entry.registered_at) == (2570, now)


@pytest.mark.parametrize(
    ("circular", "expected"),
    [(False, "กท ๐๔๐๑/๑๒๕๕"), (True, "กท ๐๔๐๑/ว ๑๒๕๕")],
)
def test_document_numbers_are_written_in_thai_digits_with_the_circular_ว(circular: bool, expected: str) -> None:
    unit = UnitFactory.build(doc_code=" กท ๐๔๐๑ ")
    assert document_number(unit=unit, number=1255, circular=circular) == expected


def test_a_number_is_not_a_circular_one_unless_asked() -> None:
    assert document_number(unit=UnitFactory.build(doc_code="กท ๐๔๐๑"), number=12) == "กท ๐๔๐๑/๑๒"


def test_a_unit_without_a_document_code_cannot_number_a_letter_and_is_told_why() -> None:
    unit = UnitFactory.build(name="สำนักงานเขตพระนคร", doc_code="  ")
    with pytest.raises(ValidationError) as refused:
        document_number(unit=unit, number=1)
    assert refused.value.code == "no_doc_code"
    assert refused.value.messages == [
        "ยังไม่ได้กำหนดรหัสหนังสือของสำนักงานเขตพระนคร จึงออกเลขที่หนังสือไม่ได้ "
        "กรุณาแจ้งผู้ดูแลระบบให้กำหนด “รหัสหนังสือ” ของส่วนราชการนี้ (เช่น กท ๐๔๐๑) ในหน้าผู้ดูแลระบบ"
    ]
