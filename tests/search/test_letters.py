"""Letters in the search: a signed external letter by its number in any form, a received
letter by the words of its scan's OCR text; never by someone the letter's access helper
keeps out."""

from __future__ import annotations

import pytest

from directory.models import Unit
from letters.outgoing import outgoing_sign, outgoing_submit
from letters.services import LetterFacts, letter_book_in
from tests.letters.out_helpers import draft
from tests.search.conftest import found, run_index_jobs

pytestmark = pytest.mark.django_db


def test_a_signed_external_letter_is_found_by_its_number_in_arabic_digits(roles):
    letter = outgoing_sign(letter=outgoing_submit(letter=draft(roles.clerk), user=roles.clerk), user=roles.director)
    run_index_jobs()
    assert letter.number == "กท ๐๔๐๑/๑"
    assert ("outgoing", letter.pk) in found(roles.clerk, "กท 0401/1")
    assert ("outgoing", letter.pk) in found(roles.clerk, "แบบประเมินตนเอง")
    assert found(roles.district_clerk, "แบบประเมินตนเอง") == []


def test_a_received_letter_is_found_by_its_text_only_by_those_it_reached(roles):
    letter = letter_book_in(
        user=roles.ops_clerk,
        unit=Unit.objects.get(key="ops-secretariat"),
        facts=LetterFacts(
            sender_name="กรมบัญชีกลาง",
            their_number="กค ๐๔๐๒/ว ๕๕",
            subject="แนวทางการเบิกจ่ายเงิน",
            text="ขอแจ้งหลักเกณฑ์การเบิกค่าเช่าบ้านข้าราชการ",
        ),
    )
    run_index_jobs()
    assert found(roles.ops_clerk, "ค่าเช่าบ้าน") == [("incoming", letter.pk)]
    assert found(roles.ops_clerk, "0402/ว 55") == [("incoming", letter.pk)]
    assert found(roles.clerk, "ค่าเช่าบ้าน") == []
