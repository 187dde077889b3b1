"""Our answers written back into a copy of the client's own questionnaire (`docgen proposal respond`).

The client scores their own sheet, so the answered copy must still be their
sheet: every cell, style, merge, width, formula and dropdown stays as it was;
only the response, compliance and deviation-note cells of requirement rows are
written — in the client's own columns when they have them (a compliance
dropdown's own words: 无偏离/负偏离, Yes/No/Partial …), else in columns added
at the right with their header style. Rows are found by the id in the client's
id column, else by the row `docgen requirements import` recorded.

Where the answers come from is one function, `responses_for`; the rest does
not care.
"""

from __future__ import annotations

import os
import re
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl.cell.cell import MergedCell
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.worksheet import Worksheet

from docgen.core.config import Settings
from docgen.core.errors import InputError, Location
from docgen.core.output import check_writable, write_atomic
from docgen.core.text import clean_text
from docgen.core.xlsxread import SheetReader, WorkbookReader
from docgen.intake.questionnaire import (
    Layout,
    detect_layout,
    open_workbook,
    read_import_record,
)

FULL, PARTIAL, NOT_MET, TO_CONFIRM = "full", "partial", "not_met", "to_confirm"
WORDS = {FULL: ("满足", "Full"), PARTIAL: ("部分满足", "Partial"), NOT_MET: ("不满足", "Not met"),
         TO_CONFIRM: ("待确认", "To confirm")}
_STATUS_OF = {word.casefold(): status for status, words in WORDS.items() for word in words}
# Headers of the columns we add when the client's sheet has none: (zh, en).
ADDED_HEADERS = {"response": ("应答", "Response"), "compliance": ("是否满足", "Compliance"),
                 "note": ("偏离说明", "Deviation note")}
ADDED_WIDTHS = {"response": 48, "compliance": 12, "note": 30}
_NORM = re.compile(r"[\s:：()（）/._\-]+")
_RANGE = re.compile(r"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?")
MAX_CHOICES = 200


@dataclass(frozen=True)
class Response:
    """Our answer to one requirement: the text, 满足/部分满足/不满足/待确认 (or Full/…), a deviation note."""

    text: str
    compliance: str
    note: str = ""


def responses_for(requirements_file, settings: Settings | None = None) -> dict[str, Response]:
    """requirement id -> our response, from the detailed draft's response matrix.

    The one place that decides what we answer: swap in the response library here.
    """
    from docgen.proposal.build import prepare, stage_selection
    from docgen.proposal.compliance import UNANSWERED, response_sentence
    from docgen.proposal.context import answer_placeholder, first_paragraph

    prepared = prepare(requirements_file, settings=settings)
    selection = stage_selection(prepared, "detailed")
    language = selection.language
    lang = 0 if language == "zh" else 1
    responses = {}
    for answer in selection.answers:
        requirement, entry, assessment = answer.requirement, answer.entry, answer.assessment
        if entry is None:
            text = answer_placeholder(requirement, selection.owner, language)
            note = ("尚无应答，由售前负责人补充", "No answer yet")[lang]
            responses[requirement.id] = Response(text, WORDS[TO_CONFIRM][lang], note)
            continue
        sentences = [response_sentence(figure, declared, language) for figure, declared in assessment.met]
        text = ("；" if lang == 0 else "; ").join([*sentences, first_paragraph(entry.text)])
        status = assessment.status if assessment.status != UNANSWERED else TO_CONFIRM
        note = "" if status in (FULL, PARTIAL) else assessment.reason(language)
        responses[requirement.id] = Response(text, WORDS[status][lang], note)
    return responses


@dataclass(frozen=True)
class Answered:
    """What `respond` wrote: where, how many rows, which columns it added, what it could not place."""

    path: Path
    sheet: str
    filled: tuple[str, ...]  # requirement ids answered in the sheet
    by_status: tuple[tuple[str, int], ...]  # compliance word -> rows
    added: tuple[str, ...]  # headers of columns added at the right
    warnings: tuple[str, ...]


def respond(client_workbook, requirements_file, out, *, force: bool = False, settings: Settings | None = None,
            responses: dict[str, Response] | None = None) -> Answered:
    """Write our responses into a copy of the client's workbook at `out`; the original is never touched."""
    from docgen.intake.requirements import load_requirements

    check_writable(out, force)
    if os.path.exists(client_workbook) and os.path.exists(out) and os.path.samefile(client_workbook, out):
        raise InputError("-o names the client's own workbook; write the answers to a copy",
                         where=Location(file=str(out)))
    req = load_requirements(requirements_file)
    record = read_import_record(requirements_file)
    answers = responses if responses is not None else responses_for(requirements_file, settings)
    book = open_workbook(client_workbook)
    warnings: list[str] = []
    sheet = record.sheet if record.sheet in book.sheet_names else None
    if record.sheet and sheet is None:
        warnings.append(f"sheet {record.sheet!r} recorded at import is not in {book.file}; "
                        "the sheet was detected again")
    layout = detect_layout(book, sheet, record.columns if sheet else None)
    rows = _rows(book, layout, req, record, warnings)
    if not rows:
        raise InputError(f"none of the {len(req.requirements)} requirements of {requirements_file} is in sheet "
                         f"{layout.sheet}; is this the workbook they were imported from?",
                         where=Location(file=book.file, sheet=layout.sheet))
    lang = 0 if req.client.language == "zh" else 1
    writer = _SheetWriter(book.formulas[layout.sheet], layout, lang)

    targets = {"response": layout.columns.get("response"), "compliance": layout.columns.get("compliance"),
               "note": layout.columns.get("note")}
    if targets["note"] is None and "notes" in layout.columns and all(
            writer.empty(row, layout.columns["notes"]) for row in rows.values()):
        targets["note"] = layout.columns["notes"]  # the client's 备注/Remarks, left empty for us
    planned = []
    for rid, row in rows.items():
        answer = answers.get(rid)
        if answer is None:
            warnings.append(f"{rid}: no response for this requirement; row {row} left as it was")
            continue
        if targets["compliance"] is None:
            word, note = answer.compliance, answer.note
        else:
            word, note = writer.compliance(row, targets["compliance"], answer)
        planned.append((rid, row, clean_text(answer.text), clean_text(word or ""), clean_text(note)))
    for name in ("response", "compliance", "note"):
        if targets[name] is None and (name != "note" or any(note for *_, note in planned)):
            targets[name] = writer.add_column(name)

    counts: dict[str, int] = {}
    for rid, row, text, word, note in planned:
        writer.put(row, targets["response"], text)
        if word:
            writer.put(row, targets["compliance"], word)
        if note:
            writer.put(row, targets["note"], note)
        counts[word or "blank"] = counts.get(word or "blank", 0) + 1
    warnings += writer.warnings
    path = write_atomic(out, book.formulas.save, force=force)
    return Answered(path, layout.sheet, tuple(rid for rid, *_ in planned), tuple(counts.items()),
                    tuple(writer.added), tuple(warnings))


def _status(answer: Response | None) -> str | None:
    return _STATUS_OF.get(answer.compliance.strip().casefold()) if answer else None


def _rows(book: WorkbookReader, layout: Layout, req, record, warnings: list[str]) -> dict[str, int]:
    """requirement id -> its row: the one row whose id cell says it, else the row recorded at import."""
    reader = SheetReader(book, layout.sheet)
    by_id: dict[str, list[int]] = {}
    if "id" in layout.columns:
        for row in range(layout.first_row, reader.max_row + 1):
            value = reader.text(row, layout.columns["id"])[0]
            if value:
                by_id.setdefault(value.casefold(), []).append(row)
    rows: dict[str, int] = {}
    taken: dict[int, str] = {}
    for requirement in req.requirements:
        found = by_id.get(requirement.id.casefold(), [])
        # The recorded row counts only in the sheet it was recorded in.
        recorded = record.rows.get(requirement.where.line) if record.sheet == layout.sheet else None
        if len(found) == 1:
            row = found[0]
        elif recorded and layout.first_row <= recorded <= reader.max_row:
            row = recorded
        else:
            where = f"found in rows {', '.join(map(str, found))}" if found else "not found"
            warnings.append(f"{requirement.id}: {where} in sheet {layout.sheet}; answer it in the proposal")
            continue
        if row in taken:
            warnings.append(f"{requirement.id}: row {row} already holds the answer to {taken[row]}; not written")
            continue
        taken[row] = requirement.id
        rows[requirement.id] = row
    return rows


def _kind(value: str) -> str | None:
    """What a word of the client's dropdown means: full, partial, not_met, to_confirm, better (正偏离)."""
    v = _NORM.sub("", value.casefold())
    if any(w in v for w in ("待确认", "待定", "tbc", "tbd", "toconfirm", "pending")):
        return TO_CONFIRM
    if "部分" in v or "partial" in v:
        return PARTIAL
    if (any(w in v for w in ("不满足", "不符合", "负偏离", "不响应", "不支持", "notmet", "noncompl", "notcompl",
                             "doesnot")) or v in ("no", "n", "否", "fail", "x", "×")):
        return NOT_MET
    if "正偏离" in v or "exceed" in v or "better" in v:
        return "better"
    if any(w in v for w in ("无偏离", "满足", "符合", "响应", "支持", "comply", "complian", "yes", "full", "met")) or v in (
            "y", "是", "ok", "√", "✓"):
        return FULL
    return None


# Which dropdown word may stand for our status, in order: partial is "not fully", never "yes".
_FALLBACK = {FULL: (FULL,), PARTIAL: (PARTIAL, NOT_MET), NOT_MET: (NOT_MET,), TO_CONFIRM: (TO_CONFIRM,)}


def choose_word(status: str | None, choices: list[str]) -> str | None:
    """The client's word closest to our status, or None when none is honest (the cell is left blank)."""
    kinds = [(_kind(choice), choice) for choice in choices]
    for wanted in _FALLBACK.get(status, ()):
        for kind, choice in kinds:
            if kind == wanted:
                return choice
    return None


class _SheetWriter:
    """Writes cells of one worksheet without disturbing anything else in it."""

    def __init__(self, ws: Worksheet, layout: Layout, lang: int):
        self.ws, self.layout, self.lang = ws, layout, lang
        self.added: list[str] = []
        self.warnings: list[str] = []
        self._new: set[int] = set()  # columns we added: their cells take the style of the row's text cell
        self._choices: dict[int, list[str] | None] = {}

    def _top_left(self, row: int, col: int):
        cell = self.ws.cell(row, col)
        if not isinstance(cell, MergedCell):
            return cell
        for rng in self.ws.merged_cells.ranges:
            if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
                return self.ws.cell(rng.min_row, rng.min_col) if rng.min_row == row else None
        return None

    def empty(self, row: int, col: int) -> bool:
        cell = self._top_left(row, col)
        return cell is None or cell.value in (None, "")

    def put(self, row: int, col: int, value: str) -> None:
        cell = self._top_left(row, col)
        if cell is None:
            self.warnings.append(f"row {row}, column {get_column_letter(col)} is inside a merged cell that starts "
                                 "on another row; not written")
            return
        cell.value = value
        cell.data_type = "s"  # text, also when it starts with "=": never a formula
        if col in self._new:
            source = self._top_left(row, self.layout.columns["text"])
            if source is not None:
                _copy_style(source, cell)

    def add_column(self, name: str) -> int:
        """A new column at the right, headed like the client's own header, cells styled like their row."""
        col = self.ws.max_column + 1
        layout = self.layout
        label = ADDED_HEADERS[name][self.lang]
        if layout.header_row:
            source = self._top_left(layout.header_row, layout.columns["text"]) or self.ws.cell(layout.header_row, 1)
            header = self.ws.cell(layout.header_row, col, label)
            _copy_style(source, header)
            if layout.first_row - 1 > layout.header_row:
                for row in range(layout.header_row + 1, layout.first_row):
                    _copy_style(source, self.ws.cell(row, col))
                self.ws.merge_cells(start_row=layout.header_row, start_column=col,
                                    end_row=layout.first_row - 1, end_column=col)
        _own_column(self.ws, col).width = ADDED_WIDTHS[name]
        self.added.append(label)
        self._new.add(col)
        return col

    def compliance(self, row: int, col: int, answer: Response) -> tuple[str | None, str]:
        """The word to write (the client's when their cell has a dropdown) and the note to go with it."""
        status = _status(answer)
        choices = self._dropdown(row, col)
        if choices is None or status is None:
            return answer.compliance, answer.note
        word = choose_word(status, choices)
        if word is not None and _kind(word) == status:
            return word, answer.note
        ours = WORDS[status][self.lang]
        return word, f"{ours}: {answer.note}" if answer.note else ours

    def _dropdown(self, row: int, col: int) -> list[str] | None:
        coordinate = f"{get_column_letter(col)}{row}"
        for dv in self.ws.data_validations.dataValidation:
            if dv.type == "list" and dv.formula1 and coordinate in dv.sqref:
                key = id(dv)
                if key not in self._choices:
                    self._choices[key] = _list_values(self.ws, dv.formula1)
                return self._choices[key]
        return None


def _copy_style(source, target) -> None:
    target.font = copy(source.font)
    target.fill = copy(source.fill)
    target.border = copy(source.border)
    target.alignment = copy(source.alignment)


def _own_column(ws: Worksheet, col: int) -> ColumnDimension:
    """The dimension of column `col` alone: a group such as LibreOffice's G:AMJ is split around it."""
    letter = get_column_letter(col)
    for key, dim in list(ws.column_dimensions.items()):
        low, high = dim.min or column_index_from_string(key), dim.max or column_index_from_string(key)
        if low <= col <= high and (low, high) != (col, col):
            if low < col:
                dim.max = col - 1
            else:
                del ws.column_dimensions[key]
            if high > col:
                rest = copy(dim)
                rest.index, rest.min, rest.max = get_column_letter(col + 1), col + 1, high
                ws.column_dimensions[rest.index] = rest
            break
    dim = ws.column_dimensions[letter]
    dim.min = dim.max = col
    return dim


def _list_values(ws: Worksheet, formula: str) -> list[str] | None:
    """The words of a list dropdown: "a,b,c" inline, a range, or a defined name that holds one."""
    formula = formula.strip()
    if formula.startswith('"'):
        return [part.strip() for part in formula.strip('"').split(",") if part.strip()]
    book = ws.parent
    text = formula.lstrip("=")
    if text in book.defined_names:
        text = book.defined_names[text].attr_text.lstrip("=")
    sheet_part, _, ref = text.rpartition("!")
    title = sheet_part[1:-1].replace("''", "'") if sheet_part.startswith("'") else sheet_part or ws.title
    match = _RANGE.fullmatch(ref.replace("$", ""))
    if not match or title not in book.sheetnames:
        return None
    first_col, first_row = column_index_from_string(match.group(1)), int(match.group(2))
    last_col = column_index_from_string(match.group(3)) if match.group(3) else first_col
    last_row = int(match.group(4)) if match.group(4) else first_row
    values = []
    source = book[title]
    for row in range(first_row, min(last_row, first_row + MAX_CHOICES) + 1):
        for col in range(first_col, min(last_col, first_col + 10) + 1):
            value = source.cell(row, col).value
            if value not in (None, ""):
                values.append(str(value).strip())
    return values
