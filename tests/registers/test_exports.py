"""A register exported as a clerk keeps it: XLSX read back with openpyxl (Thai headings in the
official order, a BE date as text, widths, frozen heading, A4 landscape), and the printed
register as PDF whose text is Thai."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from documents.preview import soffice_available
from registers.models import Series

from .helpers import book

pytestmark = pytest.mark.django_db

YEAR = 2569
JAN = dt.date(2026, 1, 12)


def url(series: str) -> str:
    return reverse("memos:register", args=[series, YEAR])


def test_receive_register_as_xlsx_reads_back_as_the_office_writes_it(client, roles):
    unit = roles.clerk.official.unit
    book(unit, day=JAN, subject='=HYPERLINK("http://x")', document_number="กท ๕๐๐๑/๑๒๓")
    book(unit, day=dt.date(2026, 1, 13), subject="ขอเชิญประชุม")
    client.force_login(roles.clerk)
    response = client.get(url("receive"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "ทะเบียนหนังสือรับ"
    assert "ปี พ.ศ. ๒๕๖๙" in sheet["A2"].value
    headings = [c.value for c in sheet[3]]
    assert headings == ["เลขทะเบียนรับ", "วันที่รับ", "เวลา", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"]
    first = [c.value for c in sheet[4]]
    assert first[0] == "๑"
    assert first[1] == "๑๒ ม.ค. ๒๕๖๙" and sheet["B4"].data_type == "s"  # a BE date, as text
    assert first[4] == "๑๐ ม.ค. ๒๕๖๙"
    assert first[7] == '=HYPERLINK("http://x")' and sheet["H4"].data_type == "s"  # never a formula
    assert sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["H"].width == 60 and sheet.column_dimensions["A"].width == 12
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"  # A4
    assert sheet.print_title_rows == "$3:$3"


def test_send_register_xlsx_follows_the_filter(client, roles):
    unit = roles.clerk.official.unit
    book(unit, Series.SEND, day=JAN, subject="ส่งรายชื่อผู้เข้าอบรม")
    book(unit, Series.SEND, day=JAN, subject="แจ้งกำหนดการ")
    client.force_login(roles.clerk)
    response = client.get(url("send"), {"format": "xlsx", "q": "รายชื่อ"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[3]] == ["เลขทะเบียนส่ง", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"]
    assert sheet.max_row == 4 and sheet["F4"].value == "ส่งรายชื่อผู้เข้าอบรม"


def test_exports_of_another_units_register_are_404(client, roles):
    unit = roles.clerk.official.unit
    client.force_login(roles.ops_clerk)
    for fmt in ("xlsx", "csv", "pdf", "docx"):
        assert client.get(url("receive"), {"format": fmt, "unit": unit.pk}).status_code == 404


@pytest.mark.skipif(not soffice_available(), reason="LibreOffice (soffice) is not installed")
def test_the_printed_register_is_a_pdf_in_thai(client, roles, settings, tmp_path):
    settings.VAR_DIR = str(tmp_path)
    unit = roles.clerk.official.unit
    book(unit, day=JAN, subject="ขอเชิญประชุมคณะทำงาน", sender="สำนักการแพทย์")
    client.force_login(roles.clerk)
    response = client.get(url("receive"), {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "register.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    squashed = "".join(text.split())
    assert "ทะเบียนหนังสือรับ" in squashed
    # The headings in the official order (the narrow first column wraps "เลขทะเบียน / รับ").
    order = ["เลขทะเบียน", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"]
    found = [squashed.index(h) for h in order]
    assert found == sorted(found)
    assert "สำนักการแพทย์" in squashed
    assert "๒๕๖๙" in squashed


def test_the_printed_register_as_docx_names_the_circular_register(client, roles):
    from docx import Document

    unit = roles.clerk.official.unit
    book(unit, Series.CIRCULAR, day=JAN, subject="แจ้งเวียนแผนพัฒนา")
    client.force_login(roles.clerk)
    response = client.get(url("circular"), {"format": "docx"})
    doc = Document(io.BytesIO(response.content))
    assert doc.paragraphs[0].text == "ทะเบียนหนังสือส่ง (หนังสือเวียน ว)"
    assert doc.tables[0].rows[1].cells[5].text == "แจ้งเวียนแผนพัฒนา"
