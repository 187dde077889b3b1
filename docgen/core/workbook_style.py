"""How a workbook that people read and print looks: one place for every writer.

A header cell is the key a program reads, then a space and a label in the
reader's language (`employee_id 工号`); readers match on the key, the text
before the first space, so a header with or without its label reads the
same. `style_table` gives a sheet bordered cells, a shaded wrapped header that
stays on screen and repeats on every printed page, column widths, and an A4
print setup that fits all columns on one page width, with a page-number footer.
`write_table` gives a sheet of a write-only workbook the same look, row by row.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FILL = "DDE4EE"
_THIN = Side(style="thin", color="8C8C8C")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FOOTER = {"zh": "第 &P 页 共 &N 页", "en": "Page &P of &N"}


def labeled(key: str, label: str | None) -> str:
    """The header text for `key`: `key label`, or the key alone when there is no label."""
    return f"{key} {label}" if label and label != key else key


def style_table(ws, *, lang: str, widths: Sequence[float], header_row: int = 1, landscape: bool = False,
                wrap: bool = True, freeze: str | None = None, last_row: int | None = None,
                title: str | None = None) -> None:
    """Header, borders, widths, frozen header and print setup for a table starting at `header_row`."""
    columns = len(widths)
    last = last_row or max(ws.max_row, header_row)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for cell in ws[header_row][:columns]:
        header_cell(cell)
    for row in ws.iter_rows(min_row=header_row + 1, max_row=last, max_col=columns):
        for cell in row:
            cell.border = BORDER
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=cell.alignment.horizontal)
    fit_row_heights(ws, widths, header_row, last)
    ws.freeze_panes = freeze or f"A{header_row + 1}"
    print_setup(ws, lang=lang, landscape=landscape, title_rows=f"{header_row}:{header_row}", title=title)



def write_table(wb, name: str, header: Sequence[str], rows, *, lang: str, widths: Sequence[float],
                landscape: bool = False, title: str | None = None):
    """A sheet `name` of a write-only workbook (`Workbook(write_only=True)`) that looks and prints
    exactly as `style_table` makes it (wrapped cells, freeze="A2").

    A write-only sheet streams each row to disk as it is appended, so a table of tens of thousands of
    styled rows costs no memory per cell (issue 14: a normal-mode summary of 10,000 employees took a
    review fill from 165 to 231 MiB). Widths, frozen header and page setup are set before the first
    row: the writer puts them at the top of the sheet when that row arrives.
    """
    ws = wb.create_sheet(name)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    print_setup(ws, lang=lang, landscape=landscape, title_rows="1:1", title=title)
    body = Alignment(wrap_text=True, vertical="top")
    for index, values in enumerate(itertools.chain([header], rows), start=1):
        height = row_height(values, widths)
        if height:
            ws.row_dimensions[index].height = height  # read when the row is written, so set before
        cells = [WriteOnlyCell(ws, value) for value in values]
        for cell in cells:
            if index == 1:
                header_cell(cell)
            else:
                cell.border, cell.alignment = BORDER, body
        ws.append(cells)
    return ws

LINE_HEIGHT = 16  # points per line of 11-pt text, CJK included


def text_lines(text: str, width: float) -> int:
    """Lines `text` takes in a wrapped column `width` Excel units wide (CJK takes two units)."""
    return sum(
        max(1, math.ceil(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) / max(1.0, width - 1)))
        for line in text.split("\n")
    )


def fit_row_heights(ws, widths: Sequence[float], first_row: int, last_row: int) -> None:
    """Row heights for wrapped text: neither Excel nor LibreOffice grows the rows of a file written by
    openpyxl, so a long comment or a two-line header would otherwise print cut to one line."""
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=len(widths)):
        height = row_height([c.value for c in row], widths)
        if height:
            ws.row_dimensions[row[0].row].height = height


def row_height(values: Sequence, widths: Sequence[float]) -> float | None:
    """The height in points a row of wrapped `values` needs, or None when one line is enough."""
    lines = max((text_lines(v, w) for v, w in zip(values, widths) if isinstance(v, str)), default=1)
    return LINE_HEIGHT * min(lines, 400 // LINE_HEIGHT) if lines > 1 else None  # Excel's limit: 409 pt


def header_cell(cell) -> None:
    """The look of a header cell: bold on light blue, wrapped, centred, bordered."""
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    cell.border = BORDER


def print_setup(ws, *, lang: str, landscape: bool = False, title_rows: str | None = None, fit_width: bool = True,
                title: str | None = None) -> None:
    """A4, every column on one page width (as many pages down as needed), header rows repeated, page footer.

    `title` is printed at the top of every page: a sheet whose name is a contract (Scores, Summary)
    keeps its English name for programs and says what it is in the reader's language on paper.

    fit_width=False is for sheets too wide to read at one page width (the score workbook's ~50
    columns): they print across pages at full size instead.
    """
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # also for a write-only sheet, which lacks the constant
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # 0 = as many pages as the rows need
        if ws.sheet_properties.pageSetUpPr is None:
            ws.sheet_properties.pageSetUpPr = PageSetupProperties()
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = FOOTER[lang]
    ws.oddFooter.center.size = 9
    if title:
        ws.oddHeader.center.text = title.replace("&", "&&")  # & starts a header code in Excel
        ws.oddHeader.center.size = 10
        ws.page_margins.top, ws.page_margins.header = 0.85, 0.35  # room for it above the table
