"""Read cells of a filled-in Excel form the way the person who typed them sees them.

openpyxl hands back what is stored, which is often not what was typed:
merged cells are empty except the top-left one, formulas come without a value
when the file was last saved by a program that does not calculate (openpyxl
itself), `3.10` typed into a number cell comes back as the float 3.1, and
control characters come back as `_x000B_` escapes. This module undoes all of
that and says where each value came from.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from docgen.core.errors import InputError, Location, Problem
from docgen.core.text import clean_text
from docgen.core.xlsxguard import XlsxLimits, check_xlsx, limits_from_env

Value = tuple[str | None, Location]

# "priority 优先级", "Sales owner (销售)", "presales_owner/售前" -> the English part.
_HEADER_EN = re.compile(r"\s*([A-Za-z][A-Za-z_ ]*)")
# Rows whose key cell starts like this are the grey examples of the form.
# ("示例-R1", "example: Rival Co"); a name like "Example Corp" is real data.
_EXAMPLE = re.compile(r"\s*(示例|example)\s*([-_:：#\d]|$)", re.IGNORECASE)
# A formula that only points at another cell: =B2, =$B$2, =Client!B2, ='My sheet'!B2
_REFERENCE = re.compile(r"=\s*(?:(?:'([^']+)'|([^\s!'=]+))!)?\$?([A-Z]{1,3})\$?(\d+)\s*")
_STRING_LITERAL = re.compile(r'=\s*"((?:[^"]|"")*)"\s*')
_EXCEL_ERRORS = {"#REF!", "#VALUE!", "#NAME?", "#DIV/0!", "#N/A", "#NUM!", "#NULL!"}
# Number formats that fix digits: "0", "000", "0.00", "#,##0.00".
_FIXED_DIGITS = re.compile(r"[#,]*(0*)(?:\.(0+))?")


def header_key(text: object) -> str:
    """The English field name of a header cell, lower-case with underscores."""
    match = _HEADER_EN.match(str(text or ""))
    if not match:
        return ""
    return "_".join(match.group(1).lower().split())


def is_example(text: str | None) -> bool:
    return bool(text) and bool(_EXAMPLE.match(text))


def number_text(value: int | float, number_format: str) -> str:
    """A number as the cell shows it: 3.1 in a "0.00" cell is "3.10", 3.0 is "3"."""
    fixed = _FIXED_DIGITS.fullmatch(number_format or "")
    if fixed and (fixed.group(1) or fixed.group(2)):
        decimals = len(fixed.group(2) or "")
        width = len(fixed.group(1)) + (decimals + 1 if decimals else 0)
        return f"{value:0{width}.{decimals}f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _as_text(value: object, number_format: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return number_text(value, number_format)
    text = clean_text(value).strip()
    return text or None


class SheetReader:
    """One worksheet, read through both the formula and the cached-value view."""

    def __init__(self, book: "WorkbookReader", title: str):
        self.book = book
        self.title = title
        self._formulas = book.formulas[title]
        self._values = book.values[title]
        # Every cell of a merged range reads as its top-left cell.
        self._merged: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in self._formulas.merged_cells.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    self._merged[(row, col)] = (rng.min_row, rng.min_col)

    @property
    def max_row(self) -> int:
        return self._formulas.max_row

    @property
    def max_column(self) -> int:
        return self._formulas.max_column

    def where(self, row: int, col: int, field: str | None = None) -> Location:
        return Location(file=self.book.file, sheet=self.title, row=row, column=get_column_letter(col), field=field)

    def text(self, row: int, col: int, field: str | None = None) -> Value:
        """The cell's text as displayed, None when empty; problems go to the book."""
        where = self.where(row, col, field)
        row, col = self._merged.get((row, col), (row, col))
        return self.book.resolve(self.title, row, col, where, depth=0), where


class WorkbookReader:
    """An .xlsx opened twice: formulas (to see them) and cached values (to read them).

    `limits` bounds what the file may hold (rows, columns, cells, size), checked
    before openpyxl parses anything; the default is XlsxLimits() with any
    DOCGEN_MAX_* environment variable applied (docgen.core.xlsxguard).
    """

    def __init__(self, path: Path, file: str, *, limits: XlsxLimits | None = None):
        self.file = file
        self.problems: list[Problem] = []
        check_xlsx(path, file, limits or limits_from_env())
        try:
            self.formulas = openpyxl.load_workbook(path, data_only=False)
            self.values = openpyxl.load_workbook(path, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
            raise InputError(f"cannot read this Excel file: {exc}", where=Location(file=file)) from None

    @property
    def sheet_names(self) -> list[str]:
        return list(self.formulas.sheetnames)

    def sheet(self, name: str) -> SheetReader | None:
        """The sheet called `name`, also when a label follows ("Client 客户信息")."""
        for title in self.formulas.sheetnames:
            if header_key(title) == name.lower():
                return SheetReader(self, title)
        return None

    def resolve(self, title: str, row: int, col: int, where: Location, depth: int) -> str | None:
        cell = self.formulas[title].cell(row=row, column=col)
        raw = cell.value
        formula = raw.text if isinstance(raw, ArrayFormula) else raw
        if not (isinstance(formula, str) and formula.startswith("=")):
            return _as_text(raw, cell.number_format)
        cached = self.values[title].cell(row=row, column=col).value
        if cached in _EXCEL_ERRORS:
            self.problems.append(Problem(where, f"formula {formula} gives the error {cached}; fix the formula "
                                                "or type the value"))
            return None
        if cached is not None:
            return _as_text(cached, cell.number_format)
        return self._without_cache(formula, title, where, depth)

    def _without_cache(self, formula: str, title: str, where: Location, depth: int) -> str | None:
        # Files written by openpyxl (or some scripts) carry no computed values;
        # follow plain references and string literals, report anything else.
        literal = _STRING_LITERAL.fullmatch(formula)
        if literal:
            return clean_text(literal.group(1).replace('""', '"')).strip() or None
        ref = _REFERENCE.fullmatch(formula)
        if ref and depth < 20:
            target = ref.group(1) or ref.group(2) or title
            if target in self.formulas.sheetnames:
                col = column_index_from_string(ref.group(3))
                return self.resolve(target, int(ref.group(4)), col, where, depth + 1)
        self.problems.append(
            Problem(
                where,
                f"formula {formula} has no saved result (the file was saved by a program that does not "
                "calculate formulas); open and save it in Excel or LibreOffice, or type the value",
            )
        )
        return None
