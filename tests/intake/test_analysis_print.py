"""The requirements analysis workbook as printed: bordered tables, header row repeated, one page wide."""

from __future__ import annotations

import openpyxl

from docgen.intake.analysis import example_files, write_analysis


def test_every_sheet_prints_a4_landscape_one_page_wide_with_the_table_header_repeated(tmp_path):
    out, _ = write_analysis(example_files(), tmp_path / "analysis.xlsx")
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (str(setup.paperSize), setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("9", "landscape", 1, 0)
        assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
        header_row = int(sheet.print_title_rows.split(":")[0].strip("$"))
        assert sheet.cell(row=header_row, column=1).value == "kind 类型"  # the needs table's header
        assert sheet.cell(row=header_row, column=2).border.bottom.style == "thin"
        assert sheet.cell(row=header_row + 1, column=2).border.left.style == "thin"
    industry = book.worksheets[1]
    assert industry.print_title_rows == "$3:$3" and industry["A3"].value == "kind 类型"
