"""One writer for every table a user downloads (registers, follow-up dashboards), as CSV or
XLSX. Whatever a user typed may end up in a cell (a report's project name, a letter's
subject), so no cell can ever run as a formula in the spreadsheet that opens it:

- CSV: text starting with = + - @ or a tab/CR/LF gets a leading apostrophe (OWASP's advice;
  spreadsheets show the text as typed, the apostrophe is not displayed as part of a formula);
- XLSX: every text cell is written as a string cell, never as a formula, so it needs no
  apostrophe. Numbers stay numbers in both.

Thai: the CSV carries a byte-order mark (Excel reads UTF-8 Thai correctly only with one) and
the file name travels RFC 5987 encoded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = str | int | float | Decimal | dt.date | None


def neutralise(value: Cell) -> Cell:
    """The cell as a CSV may hold it: numbers and dates as they are, text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(headings: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headings])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx(headings: Sequence[str], rows: Iterable[Sequence[Cell]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31] or "Sheet1"
    table: list[list[Cell]] = [list(headings), *(list(row) for row in rows)]
    for r, row in enumerate(table, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, int | float | Decimal | dt.date) and not isinstance(value, bool):
                cell.value = value
            else:
                # Set as a string cell explicitly: openpyxl would otherwise store "=…" as a formula.
                cell.value = "" if value is None else str(value)
                cell.data_type = TYPE_STRING
            if r == 1:
                cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_response(*, headings: Sequence[str], rows: Iterable[Sequence[Cell]], filename: str, fmt: str) -> HttpResponse:
    """A download of the table in `fmt` ("csv" or "xlsx"); `filename` without extension."""
    if fmt == "xlsx":
        response = HttpResponse(_xlsx(headings, rows, filename), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(_csv(headings, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}") or "attachment"
    return response
