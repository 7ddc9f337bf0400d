"""Booking a letter from another agency into a unit's incoming register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from directory.models import Unit
from letters.models import Channel, IncomingLetter, IncomingState, OcrState
from letters.services import IncomingFile, LetterFacts, letter_book_in, letter_intake, number_key
from registers.models import RegisterEntry, Series

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _facts(**overrides: object) -> LetterFacts:
    values: dict[str, object] = {
        "sender_name": "สำนักงาน ก.พ.",
        "their_number": "นร ๑๐๐๘/ว ๑๒",
        "their_date": dt.date(2026, 11, 20),
        "subject": "การประเมินผลการปฏิบัติราชการ",
        "addressee": "ปลัดกรุงเทพมหานคร",
    }
    values.update(overrides)
    return LetterFacts(**values)  # type: ignore[arg-type]


def test_paper_letter_gets_next_receive_number_and_waits_for_ocr(roles):
    unit = Unit.objects.get(key="ops-secretariat")
    first = letter_book_in(
        user=roles.ops_clerk, unit=unit, facts=_facts(), files=[IncomingFile(name="scan.pdf", content=PDF)]
    )
    second = letter_book_in(user=roles.ops_clerk, unit=unit, facts=_facts(their_number="นร ๑๐๐๘/ว ๑๓"))
    assert (first.receive_number, second.receive_number) == (1, 2)
    assert first.state == IncomingState.BOOKED
    assert first.ocr_state == OcrState.PENDING and second.ocr_state == OcrState.NOT_NEEDED
    entry = RegisterEntry.objects.get(pk=first.register_entry_id)
    assert (entry.series, entry.document_number, entry.sender) == (Series.RECEIVE, "นร ๑๐๐๘/ว ๑๒", "สำนักงาน ก.พ.")
    assert first.files.get().sha256


def test_same_letter_twice_is_refused_naming_the_first_booking(roles):
    unit = Unit.objects.get(key="ops-secretariat")
    letter_book_in(user=roles.ops_clerk, unit=unit, facts=_facts())
    with pytest.raises(ValidationError) as refused:
        # Arabic digits and other spacing: still the same letter.
        letter_book_in(user=roles.ops_clerk, unit=unit, facts=_facts(their_number="นร1008/ว12"))
    assert refused.value.code == "duplicate"
    assert "เลขรับ ๑/" in refused.value.messages[0]
    assert IncomingLetter.objects.filter(unit=unit).count() == 1
    assert RegisterEntry.objects.filter(unit=unit, series=Series.RECEIVE).count() == 1


def test_only_the_units_clerk_books_in(roles):
    unit = Unit.objects.get(key="ops-secretariat")
    with pytest.raises(ValidationError) as refused:
        letter_book_in(user=roles.clerk, unit=unit, facts=_facts())
    assert refused.value.code == "not_clerk"
    assert not IncomingLetter.objects.exists()


def test_intake_twice_makes_one_item_and_booking_it_numbers_it(roles):
    unit = Unit.objects.get(key="ops-secretariat")
    item, created = letter_intake(unit=unit, channel=Channel.EMAIL, source_ref="<m1@example.go.th>", facts=_facts())
    again, created_again = letter_intake(
        unit=unit, channel=Channel.EMAIL, source_ref="<m1@example.go.th>", facts=_facts()
    )
    assert created and not created_again and again.pk == item.pk
    assert item.state == IncomingState.WAITING and item.receive_number is None
    booked = letter_book_in(user=roles.ops_clerk, unit=unit, facts=_facts(), letter=item)
    assert booked.receive_number == 1 and booked.channel == Channel.EMAIL
    with pytest.raises(ValidationError) as refused:
        letter_book_in(user=roles.ops_clerk, unit=unit, facts=_facts(), letter=item)
    assert refused.value.code == "already_booked"


def test_number_key_reads_thai_and_arabic_alike():
    assert number_key("กท ๐๔๐๑/๑๒๕๕") == number_key("กท. 0401/1255") == "กท0401/1255"
