"""A register as a spreadsheet a clerk prints or keeps: the register's title, the official
column headings in their order, Buddhist-era dates as text (as the office writes them, not a
date Excel would show in the Christian era), column widths set, the heading row frozen and
repeated on every printed page, A4 landscape.

Every cell is a string cell (never a formula, whatever a subject starts with: see
documents/exports.py).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from documents.thai import to_thai_digits

from .models import Series
from .selectors import COLUMN_WIDTHS, PRINT_TITLES, REGISTER_HEADINGS

HEADING_ROW = 3  # the title, the unit and year, then the headings
FONT = "TH Sarabun New"


def register_xlsx(*, series: str, unit_name: str, year: int, rows: Sequence[Sequence[str]]) -> bytes:
    headings = REGISTER_HEADINGS[Series(series)]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{Series(series).label} {year}"[:31]
    thin = Side(style="thin", color="000000")
    edge = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(headings))

    def text(row: int, col: int, value: str, *, bold: bool = False, size: int = 14) -> None:
        cell = sheet.cell(row=row, column=col)
        cell.value = value
        cell.data_type = TYPE_STRING
        cell.font = Font(name=FONT, bold=bold, size=size)

    text(1, 1, PRINT_TITLES[Series(series)], bold=True, size=18)
    text(2, 1, f"{unit_name}  ปี พ.ศ. {to_thai_digits(year)}", size=16)
    for r in (1, 2):
        sheet.merge_cells(f"A{r}:{last}{r}")
        sheet.cell(row=r, column=1).alignment = Alignment(horizontal="center")
    for c, heading in enumerate(headings, start=1):
        text(HEADING_ROW, c, heading, bold=True)
        cell = sheet.cell(row=HEADING_ROW, column=c)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = edge
        sheet.column_dimensions[get_column_letter(c)].width = COLUMN_WIDTHS.get(heading, 16)
    for r, row in enumerate(rows, start=HEADING_ROW + 1):
        for c, value in enumerate(row, start=1):
            text(r, c, "" if value is None else str(value))
            cell = sheet.cell(row=r, column=c)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = edge
    sheet.freeze_panes = f"A{HEADING_ROW + 1}"
    sheet.print_title_rows = f"{HEADING_ROW}:{HEADING_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
