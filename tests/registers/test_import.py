"""Importing a unit's existing register: upload → a preview of what will be created and what is
refused (with the row and the Thai reason) → confirm creates the entries in one transaction,
with their own numbers, and the next number the system gives follows the highest imported."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from registers.models import RegisterEntry, RegisterImport, Series
from registers.services import register_allocate

from .helpers import at, book

pytestmark = pytest.mark.django_db

YEAR = 2569
RECEIVE_HEADINGS = ["เลขทะเบียนรับ", "วันที่รับ", "เวลา", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"]
SEND_HEADINGS = ["เลขทะเบียนส่ง", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"]


def xlsx(rows: list[list[Any]], headings: list[str] = RECEIVE_HEADINGS, title: str | None = "ทะเบียนหนังสือรับ") -> bytes:
    book_ = Workbook()
    sheet = book_.active
    if title:
        sheet.append([title])
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book_.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], headings: list[str] = SEND_HEADINGS, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def upload(client, data: bytes, name: str, *, series: str = "receive", year: Any = YEAR, unit: Any = None):
    form = {"series": series, "year": year, "file": SimpleUploadedFile(name, data)}
    if unit is not None:
        form["unit"] = unit
    return client.post(reverse("memos:register_import"), form)


def receive_row(number: Any, subject: str = "ขอเชิญประชุม", day: Any = "๑๒/๐๑/๒๕๖๙", **kw: Any) -> list[Any]:
    return [
        number,
        day,
        kw.get("time", "๑๐.๓๐ น."),
        kw.get("ref", "กท ๕๐๐๑/๑"),
        kw.get("dated", "๑๐ ม.ค. ๒๕๖๙"),
        kw.get("sender", "สำนักการแพทย์"),
        "สถาบันพัฒนาข้าราชการกรุงเทพมหานคร",
        subject,
        "",
        "",
    ]


def test_upload_previews_then_confirm_creates_the_entries_with_their_numbers(client, roles):
    client.force_login(roles.clerk)
    data = xlsx([receive_row("๑", "ขอข้อมูลบุคลากร"), receive_row(2, "ขอเชิญประชุม"), receive_row("๓", "แผนพัฒนา")])
    response = upload(client, data, "ทะเบียนรับ.xlsx")
    assert response.status_code == 302
    batch = RegisterImport.objects.get()
    preview = client.get(response["Location"]).content.decode()
    assert "จะนำเข้า <b>๓</b> รายการ" in preview and "ไม่นำเข้า <b>๐</b>" in preview
    assert "ขอข้อมูลบุคลากร" in preview and "๑๒ ม.ค. ๒๕๖๙" in preview and "๑๐.๓๐ น." in preview
    assert not RegisterEntry.objects.exists()  # nothing is written before the clerk confirms

    response = client.post(reverse("memos:register_import_preview", args=[batch.pk]))
    assert response.status_code == 302
    entries = list(RegisterEntry.objects.order_by("number"))
    assert [e.number for e in entries] == [1, 2, 3]
    first = entries[0]
    assert first.unit == roles.clerk.official.unit and first.series == Series.RECEIVE and first.year == YEAR
    assert first.registered_at == at(dt.date(2026, 1, 12), 10, 30)
    assert first.document_date == dt.date(2026, 1, 10) and first.document_number == "กท ๕๐๐๑/๑"
    assert first.imported_in == batch
    page = client.get(response["Location"]).content.decode()
    assert "นำเข้าทะเบียนแล้ว ๓ รายการ" in page and "แผนพัฒนา" in page

    # A second click finds the batch done and creates nothing.
    again = client.post(reverse("memos:register_import_preview", args=[batch.pk]), follow=True)
    assert "นำเข้าไฟล์นี้แล้ว" in again.content.decode()
    assert RegisterEntry.objects.count() == 3


def test_duplicates_and_bad_rows_are_refused_each_with_its_row_and_reason(client, roles):
    unit = roles.clerk.official.unit
    book(unit, day=dt.date(2026, 1, 5), subject="เรื่องที่ลงรับไว้แล้ว", document_number="กท ๐๐๐๑/๙")  # number ๑
    client.force_login(roles.clerk)
    data = xlsx(
        [
            receive_row(1, "ซ้ำกับทะเบียน"),  # row 3
            receive_row(5, "ห้า"),  # row 4
            receive_row("๕", "ห้าอีกครั้ง"),  # row 5
            receive_row(6, ""),  # row 6
            receive_row(7, "วันผิด", day="๓๑/๐๒/๒๕๖๙"),  # row 7
            receive_row("เจ็ด", "เลขผิด"),  # row 8
            receive_row(8, "ปีอื่น", day="๑๒/๐๑/๒๕๖๘"),  # row 9
            receive_row(9, "ถูกต้อง"),  # row 10
        ]
    )
    response = upload(client, data, "old.xlsx")
    page = client.get(response["Location"]).content.decode()
    assert "จะนำเข้า <b>๒</b> รายการ" in page and "ไม่นำเข้า <b>๖</b> รายการ" in page
    refused = {r["row"]: r["reasons"] for r in RegisterImport.objects.get().refused}
    assert refused[3] == ["เลขทะเบียน ๑ มีอยู่ในทะเบียนแล้ว (ที่ กท ๐๐๐๑/๙)"]
    assert refused[5] == ["เลขทะเบียน ๕ ซ้ำกับแถวที่ ๔ ในไฟล์นี้"]
    assert refused[6] == ["ไม่มีเรื่อง"]
    assert refused[7][0].startswith("วันที่รับไม่ถูกต้อง: ไม่มีวันที่")
    assert refused[8] == ["เลขทะเบียน “เจ็ด” ไม่ใช่จำนวนเต็มบวก"]
    assert refused[9] == ["วันที่ ๑๒ ม.ค. ๒๕๖๘ ไม่อยู่ในปี พ.ศ. ๒๕๖๙ ของทะเบียนที่เลือก"]
    assert "เลขทะเบียน ๕ ซ้ำกับแถวที่ ๔ ในไฟล์นี้" in page and ">๕<" in page  # the row number, in Thai digits

    client.post(reverse("memos:register_import_preview", args=[RegisterImport.objects.get().pk]))
    assert sorted(RegisterEntry.objects.values_list("number", flat=True)) == [1, 5, 9]
    assert RegisterEntry.objects.get(number=1).subject == "เรื่องที่ลงรับไว้แล้ว"  # untouched


def test_numbering_after_an_import_continues_past_the_highest_imported_number(client, roles):
    unit = roles.clerk.official.unit
    book(unit, Series.SEND, day=dt.date(2026, 1, 5))  # ๑, given by the system
    client.force_login(roles.clerk)
    rows = [
        ["๑๒๐", "กท ๐๔๐๑/๑๒๐", "๓ ก.พ. ๒๕๖๙", "สถาบัน", "สำนักปลัด", "ส่งรายงาน", "", ""],
        ["๔๑", "กท ๐๔๐๑/๔๑", "02/01/2569", "สถาบัน", "สำนักปลัด", "ขออนุมัติ", "", ""],
    ]
    response = upload(client, csv_bytes(rows), "send.csv", series="send")
    client.post(response["Location"])
    following = register_allocate(unit=unit, series=Series.SEND, at=at(dt.date(2026, 3, 1)), sender="ก", subject="ใหม่")
    assert following.number == 121
    assert RegisterEntry.objects.get(series="send", number=41).document_date == dt.date(2026, 1, 2)


def test_a_thai_windows_csv_cp874_is_read(client, roles):
    client.force_login(roles.clerk)
    data = csv_bytes(
        [
            [
                "๗",
                "กท ๐๔๐๑/๗",
                "๕ ม.ค. ๒๕๖๙",
                "สถาบันพัฒนาข้าราชการ",
                "สำนักการแพทย์",
                "ขอความอนุเคราะห์วิทยากร",
                "",
                "ส่งทางไปรษณีย์",
            ]
        ],
        encoding="cp874",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    response = upload(client, data, "ทะเบียนส่ง.csv", series="send")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "ขอความอนุเคราะห์วิทยากร" in page and "จะนำเข้า <b>๑</b> รายการ" in page
    client.post(response["Location"])
    entry = RegisterEntry.objects.get()
    assert (entry.number, entry.subject, entry.remarks) == (7, "ขอความอนุเคราะห์วิทยากร", "ส่งทางไปรษณีย์")


def test_an_exported_register_imports_back(client, roles):
    """The export's headings and BE text dates are what the import reads (another unit moving
    the same register, say)."""
    unit = roles.clerk.official.unit
    book(unit, day=dt.date(2026, 1, 12), subject="ขอเชิญประชุมคณะทำงาน")
    client.force_login(roles.clerk)
    exported = client.get(reverse("memos:register", args=["receive", YEAR]), {"format": "xlsx"}).content
    RegisterEntry.objects.all().delete()
    response = upload(client, exported, "export.xlsx")
    client.post(response["Location"])
    entry = RegisterEntry.objects.get()
    assert (entry.number, entry.subject, entry.registered_at) == (1, "ขอเชิญประชุมคณะทำงาน", at(dt.date(2026, 1, 12)))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "ไฟล์ว่างเปล่า"),
        ("ก,ข,ค\n1,2,3\n".encode(), "x.csv", "ไม่พบแถวหัวตารางในไฟล์"),
        (b"PK\x03\x04not really a zip", "broken.xlsx", "อ่านไฟล์ XLSX ไม่ได้"),
        (b"\x81\x8d\x8f\x90\x9d\xfc\xfd\xfe\xff" * 10, "bin.csv", "อ่านไฟล์ CSV ไม่ได้"),
        ("เลขทะเบียนส่ง,เรื่อง\n".encode(), "head.csv", "ไม่มีรายการในไฟล์"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_thai_error_on_the_form(client, roles, data, name, message):
    client.force_login(roles.clerk)
    response = upload(client, data, name, series="send")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RegisterImport.objects.exists()


def test_limits_on_size_and_rows(client, roles, monkeypatch):
    from registers import imports

    client.force_login(roles.clerk)
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [[str(n), "", "02/01/2569", "ก", "ข", f"เรื่อง {n}", "", ""] for n in range(1, 5)]
    response = upload(client, csv_bytes(rows), "many.csv", series="send")
    assert response.status_code == 400 and "ไฟล์มีรายการเกิน ๓ แถว" in response.content.decode()
    monkeypatch.setattr("registers.forms.MAX_BYTES", 10)
    response = upload(client, csv_bytes(rows), "big.csv", series="send")
    assert response.status_code == 400 and "ไฟล์ใหญ่เกินกำหนด" in response.content.decode()


def test_a_bad_year_is_refused_on_the_form(client, roles):
    client.force_login(roles.clerk)
    response = upload(client, csv_bytes([]), "x.csv", series="send", year="2026")
    assert response.status_code == 400 and "กรุณากรอกปีพุทธศักราช" in response.content.decode()


def test_another_units_clerk_cannot_import_into_or_see_a_units_import(client, roles):
    unit = roles.clerk.official.unit
    client.force_login(roles.clerk)
    response = upload(client, xlsx([receive_row(1)]), "a.xlsx")
    batch = RegisterImport.objects.get()
    client.force_login(roles.ops_clerk)
    assert client.get(reverse("memos:register_import_preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("memos:register_import_preview", args=[batch.pk])).status_code == 404
    assert client.get(reverse("memos:register_import"), {"unit": unit.pk}).status_code == 404
    assert upload(client, xlsx([receive_row(1)]), "b.xlsx", unit=unit.pk).status_code == 404
    client.force_login(roles.director)
    assert client.get(reverse("memos:register_import")).status_code == 404
    assert not RegisterEntry.objects.exists()
    assert response.status_code == 302


def test_a_number_taken_between_preview_and_confirm_stops_the_import(client, roles):
    unit = roles.clerk.official.unit
    client.force_login(roles.clerk)
    response = upload(client, xlsx([receive_row(1, "จากไฟล์"), receive_row(2, "จากไฟล์")]), "a.xlsx")
    book(unit, day=dt.date(2026, 1, 20), subject="ลงรับระหว่างนั้น")  # takes ๑
    page = client.post(response["Location"], follow=True).content.decode()
    assert "เลขทะเบียน ๑ ถูกใช้ในทะเบียนไปแล้ว" in page
    assert list(RegisterEntry.objects.values_list("subject", flat=True)) == ["ลงรับระหว่างนั้น"]
    assert RegisterImport.objects.get().state == RegisterImport.State.PREVIEW


def test_the_preview_of_a_phone_sized_page_uses_cards(client, roles):
    client.force_login(roles.clerk)
    response = upload(client, xlsx([receive_row(1)]), "a.xlsx")
    page = client.get(response["Location"]).content.decode()
    assert 'class="list cards"' in page and 'data-label="เรื่อง"' in page
    wb = load_workbook(io.BytesIO(xlsx([receive_row(1)])))
    assert wb.active["A2"].value == "เลขทะเบียนรับ"


def test_an_xlsx_that_unpacks_to_too_much_is_refused(client, roles, monkeypatch):
    monkeypatch.setattr("registers.imports.MAX_UNPACKED", 1000)
    client.force_login(roles.clerk)
    response = upload(client, xlsx([receive_row(1)]), "bomb.xlsx")
    assert response.status_code == 400 and "ขยายแล้วใหญ่เกินกำหนด" in response.content.decode()


def test_spreadsheet_date_cells_tabs_and_a_byte_order_mark_are_read(client, roles):
    """A date typed into Excel as a date (Christian or Buddhist year), a number cell, and a
    UTF-8 CSV with a byte-order mark and tabs between the columns."""
    client.force_login(roles.clerk)
    data = xlsx(
        [
            [1, dt.datetime(2026, 1, 12, 0, 0), dt.time(14, 5), "ก", dt.date(2569, 1, 10), "จาก", "ถึง", "ก", "", ""],
            [2.0, dt.date(2569, 1, 13), "9:00", "ข", None, "จาก", "ถึง", "ข", "", ""],
        ]
    )
    response = upload(client, data, "dates.xlsx")
    client.post(response["Location"])
    first, second = RegisterEntry.objects.order_by("number")
    assert first.registered_at == at(dt.date(2026, 1, 12), 14, 5) and first.document_date == dt.date(2026, 1, 10)
    assert second.registered_at == at(dt.date(2026, 1, 13), 9, 0) and second.document_date is None

    text = (
        "\ufeff"
        + "\t".join(SEND_HEADINGS)
        + "\n"
        + "\t".join(["๓", "กท ๑/๓", "๑๔/๑/๒๕๖๙", "ก", "ข", "แท็บ", "", ""])
        + "\n"
    )
    response = upload(client, text.encode("utf-8"), "tabs.csv", series="send")
    client.post(response["Location"])
    assert RegisterEntry.objects.get(series="send").subject == "แท็บ"
