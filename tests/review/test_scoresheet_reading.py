"""Reading the score workbook read-only (rows streamed, not held as cells): the same rows as a full
load, whatever size the workbook declares, on LibreOffice-saved workbooks too, and read once by
`review fill` with a terminal attached."""

from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile

import openpyxl
import pytest

from docgen.cli import main
from docgen.core.errors import InputError
from docgen.review import scoresheet
from docgen.review.scoresheet import SCORES, read_scoresheet
from tests.helpers.docs import needs_libreoffice
from tests.helpers.review import (
    ENGINEER,
    make_workbook,
    resave_with_libreoffice,
    typical_row,
)

ROWS = [
    typical_row(ENGINEER, 1, employee_id="0012", manager_comment="第一行\n第二行 R&D <Ltd> \"引号\" 😀"),
    typical_row(ENGINEER, 2, **{"K1.score": None, "K1.target": 50, "K1.actual": 45, "K2.score": 7.25}),
    typical_row(ENGINEER, 3, adjustment=-2.5, adjustment_reason=None),
]


def _full_rows(path) -> list[tuple]:
    """The Scores rows as openpyxl's full (not read-only) load gives them, trailing blanks dropped."""
    ws = openpyxl.load_workbook(path, data_only=True)[SCORES]
    return _trimmed(ws.iter_rows(values_only=True))


def _read_only_rows(path) -> list[tuple]:
    wb = scoresheet._open(path, None)
    try:
        return _trimmed(scoresheet._rows(wb[SCORES], None, 1))
    finally:
        wb.close()


def _trimmed(rows) -> list[tuple]:
    out = [tuple(row) for row in rows]
    out = [row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in out]
    while out and not out[-1]:
        out.pop()
    return out


def _with_dimension(path, out, ref: str):
    """A copy whose Scores sheet declares `ref` as its size (as some writers get it wrong)."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), data)
                assert count == 1
            dst.writestr(info, data)
    return out


def test_read_only_rows_are_the_full_loads_rows(tmp_path):
    path = make_workbook(tmp_path / "scores.xlsx", ENGINEER, ROWS)
    rows = _read_only_rows(path)
    assert rows == _full_rows(path) and len(rows) == 1 + len(ROWS)


@needs_libreoffice
def test_read_only_rows_are_the_full_loads_rows_after_libreoffice(tmp_path):
    resaved = resave_with_libreoffice(make_workbook(tmp_path / "scores.xlsx", ENGINEER, ROWS), tmp_path / "lo")
    assert _read_only_rows(resaved) == _full_rows(resaved)
    assert [e.employee_id for e in read_scoresheet(resaved, ENGINEER).employees] == ["0012", "E002", "E003"]


def test_a_wrong_declared_size_cuts_nothing(tmp_path):
    path = make_workbook(tmp_path / "scores.xlsx", ENGINEER, ROWS)
    small = _with_dimension(path, tmp_path / "small.xlsx", "A1:B2")
    assert _read_only_rows(small) == _full_rows(path)
    assert read_scoresheet(small, ENGINEER).employees == read_scoresheet(path, ENGINEER).employees


def test_a_sheet_broken_inside_is_a_one_line_error(tmp_path):
    path = make_workbook(tmp_path / "scores.xlsx", ENGINEER, ROWS)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: data.index(b"<row r=\"3\"")] + b"<row r=\"3\"><c r=\"A3\" t=\"n\"><v>1</v></row>"
            dst.writestr(info, data)
    with pytest.raises(InputError, match=r"broken.xlsx.*not an Excel .xlsx workbook"):
        read_scoresheet(broken, ENGINEER)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_fill_with_a_terminal_reads_the_workbook_once(tmp_path, monkeypatch):
    path = make_workbook(tmp_path / "scores.xlsx", ENGINEER, ROWS)
    opened = []
    real_open = scoresheet._open
    monkeypatch.setattr(scoresheet, "_open", lambda *args: opened.append(args) or real_open(*args))
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    main.main(["review", "fill", str(path), "--role", "presales-engineer", "-o", str(tmp_path / "out")],
              standalone_mode=False)
    assert len(opened) == 1
    assert "packets" in terminal.getvalue()  # the progress bar was drawn
    assert len(list((tmp_path / "out").glob("*.docx"))) == len(ROWS)
    shutil.rmtree(tmp_path / "out")
