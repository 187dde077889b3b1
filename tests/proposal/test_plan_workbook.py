"""plan.xlsx as people print it: bordered, header on every page, one A4 landscape page wide."""

from __future__ import annotations

import openpyxl
from tests.proposal.test_build import UNANSWERABLE, run, write_client


def test_plan_prints_one_landscape_page_wide_with_its_header_on_every_page(tmp_path):
    out = tmp_path / "plan.xlsx"
    assert run("proposal", "plan", write_client(tmp_path, UNANSWERABLE), "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    setup = sheet.page_setup
    assert (str(setup.paperSize), setup.orientation) == (str(sheet.PAPERSIZE_A4), "landscape")
    assert (setup.fitToWidth, setup.fitToHeight, sheet.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
    assert sheet.print_title_rows == "$2:$2" and sheet.freeze_panes == "A3"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    last = sheet.max_row
    assert all(sheet.cell(row=r, column=c).border.left.style == "thin" for r in (2, 3, last) for c in (1, 9))
    assert sheet["A2"].font.bold and sheet["B3"].alignment.wrap_text
