"""The register screen a clerk reads: the unit's register of one Buddhist-era year, filtered by
date range, text and series, 50 rows a page, Thai digits and BE dates; another unit's clerk,
an official who is not a clerk, and a superuser without a unit named get 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from registers.models import Series
from tests.factories import UserFactory

from .helpers import book

pytestmark = pytest.mark.django_db

YEAR = 2569
JAN = dt.date(2026, 1, 12)


def url(series: str = "receive", year: int = YEAR) -> str:
    return reverse("memos:register", args=[series, year])


def test_the_register_shows_thai_digits_and_buddhist_era_dates(client, roles):
    unit = roles.clerk.official.unit
    book(unit, day=JAN, subject="ขอเชิญประชุมคณะทำงาน")
    client.force_login(roles.clerk)
    page = client.get(url()).content.decode()
    assert "ทะเบียนหนังสือรับ" in page and "ปี พ.ศ. ๒๕๖๙" in page
    assert "ขอเชิญประชุมคณะทำงาน" in page
    assert "๑๒ ม.ค. ๒๕๖๙" in page and "๑๐.๐๐ น." in page
    assert 'data-label="เลขทะเบียนรับ"' in page  # each cell names its column on a phone card


def test_filters_by_date_range_text_and_number(client, roles):
    unit = roles.clerk.official.unit
    book(unit, day=dt.date(2026, 1, 5), subject="ขอความอนุเคราะห์ข้อมูลบุคลากร", sender="สำนักการแพทย์")
    book(unit, day=dt.date(2026, 2, 10), subject="แผนพัฒนาข้าราชการ ประจำปี", sender="สำนักปลัด")
    book(unit, day=dt.date(2026, 3, 20), subject="ขอเชิญประชุม", document_number="กท ๐๔๐๑/๗๗")
    client.force_login(roles.clerk)

    page = client.get(url(), {"date_from": "01/02/2569", "date_to": "๓๑/๐๓/๒๕๖๙"}).content.decode()
    assert "แผนพัฒนาข้าราชการ" in page and "ขอเชิญประชุม" in page
    assert "ขอความอนุเคราะห์" not in page
    assert "พบ ๒ รายการตามเงื่อนไข" in page

    page = client.get(url(), {"q": "สำนักการแพทย์"}).content.decode()
    assert "ขอความอนุเคราะห์" in page and "แผนพัฒนา" not in page

    # ที่ typed with Arabic digits finds the Thai-digit number; a register number finds its row.
    page = client.get(url(), {"q": "0401/77"}).content.decode()
    assert "ขอเชิญประชุม" in page and "แผนพัฒนา" not in page
    page = client.get(url(), {"q": "๒"}).content.decode()
    assert "แผนพัฒนา" in page


def test_a_date_range_backwards_or_no_date_is_a_thai_error_not_a_crash(client, roles):
    client.force_login(roles.clerk)
    response = client.get(url(), {"date_from": "10/03/2569", "date_to": "01/03/2569"})
    assert response.status_code == 200
    assert "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น" in response.content.decode()
    response = client.get(url(), {"date_from": "31/02/2569"})
    assert "ไม่มีวันที่" in response.content.decode()


def test_the_series_chooser_moves_to_that_register_keeping_the_filter(client, roles):
    unit = roles.clerk.official.unit
    book(unit, Series.SEND, day=JAN, subject="ส่งรายชื่อผู้เข้าอบรม")
    client.force_login(roles.clerk)
    response = client.get(url(), {"series": "send", "q": "รายชื่อ"})
    assert response.status_code == 302
    assert response["Location"].startswith(url("send")) and "q=" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "ทะเบียนหนังสือส่ง" in page and "ส่งรายชื่อผู้เข้าอบรม" in page


def test_pages_of_fifty(client, roles):
    unit = roles.clerk.official.unit
    for i in range(55):
        book(unit, day=JAN, subject=f"เรื่องที่ {i + 1}")
    client.force_login(roles.clerk)
    first = client.get(url()).content.decode()
    assert "หน้า ๑ จาก ๒" in first and "ทั้งหมด ๕๕ รายการ" in first
    second = client.get(url(), {"page": "2"}).content.decode()
    assert "เรื่องที่ 55" in second and "เรื่องที่ 1<" not in second
    assert client.get(url(), {"page": "ไม่ใช่ตัวเลข"}).status_code == 200


def test_only_the_units_clerks_and_superusers_read_it(client, roles):
    unit = roles.clerk.official.unit
    book(unit, day=JAN, subject="เรื่องของสถาบัน")
    # Another unit's clerk naming this unit, an official who is no clerk: 404.
    client.force_login(roles.ops_clerk)
    assert client.get(url(), {"unit": unit.pk}).status_code == 404
    assert "เรื่องของสถาบัน" not in client.get(url()).content.decode()  # their own register
    client.force_login(roles.director)
    assert client.get(url()).status_code == 404
    client.force_login(roles.clerk)
    assert client.get(url("nonsense")).status_code == 404
    assert client.get(url(), {"unit": "x"}).status_code == 404
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(url()).status_code == 404  # no unit of their own, none named
    assert "เรื่องของสถาบัน" in client.get(url(), {"unit": unit.pk}).content.decode()
    assert client.get(reverse("memos:register_index")).status_code == 200


def test_the_index_lists_the_units_registers_by_year(client, roles):
    unit = roles.clerk.official.unit
    book(unit, day=dt.date(2025, 6, 1))  # พ.ศ. ๒๕๖๘
    client.force_login(roles.clerk)
    page = client.get(reverse("memos:register_index")).content.decode()
    assert "ปี ๒๕๖๘" in page and reverse("memos:register", args=["receive", 2568]) in page
    client.force_login(roles.director)
    assert client.get(reverse("memos:register_index")).status_code == 404


def test_a_secret_memos_subject_is_masked_and_not_found_by_its_words(client, roles):
    from memos.models import Secrecy
    from tests.factories import MemoFactory

    unit = roles.clerk.official.unit
    memo = MemoFactory(unit=unit, secrecy=Secrecy.SECRET, subject="แผนลับเฉพาะ")
    book(unit, Series.SEND, day=JAN, subject="แผนลับเฉพาะ", memo=memo)
    client.force_login(roles.clerk)
    page = client.get(url("send")).content.decode()
    assert "(หนังสือชั้นลับ)" in page and "แผนลับเฉพาะ" not in page
    assert "ไม่พบรายการตามเงื่อนไข" in client.get(url("send"), {"q": "แผนลับ"}).content.decode()


def test_the_series_chooser_shows_the_register_on_screen_on_every_page(client, roles):
    client.force_login(roles.clerk)
    unit = roles.clerk.official.unit
    for query in ({}, {"page": "2"}, {"unit": unit.pk}):
        page = client.get(url("receive"), query).content.decode()
        assert '<option value="receive" selected>' in page, query
    assert client.get(reverse("memos:register", args=["send", 99999999999])).status_code == 404
    assert client.get(reverse("memos:register", args=["send", 2026])).status_code == 404
