"""The score workbook (format: docs/score-workbook.md): write it for HR, read it back.

Writing: sheet Indicators (read-only reference) and sheet Scores (one row per
employee) with data validation, the indicator name as a comment on every
score column header, a frozen header and sensible widths; a roster pre-fills
the employee columns.

Reading: validates every cell before anything is rendered and reports all
problems at once with sheet, row, column and the expected range. Workbooks
re-saved by LibreOffice Calc read the same (numbers come back as floats,
ids typed as text stay text).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.core.errors import InputError, Location, Problem, Problems
from docgen.core.output import write_atomic
from docgen.core.text import clean_text
from docgen.core.workbook_style import labeled, print_setup, style_table
from docgen.core.xlsxguard import XlsxLimits, check_xlsx, limits_from_env
from docgen.review.roles import Indicator, Role
from docgen.review.scoring import (
    ADJUSTMENT_LIMIT,
    ScoringError,
    Totals,
    dec,
    format_points,
    machine_score,
    totals,
)

SCORES, INDICATORS = "Scores", "Indicators"
EMPLOYEE_COLUMNS = ("employee_id", "name", "department", "position", "manager", "period")
TAIL_COLUMNS = ("adjustment", "adjustment_reason", "manager_comment")
# Per indicator: "<code>.<part>" columns, e.g. K1.target, B1.level.
KPI_PARTS = ("target", "actual", "self", "score")
BEHAVIOR_PARTS = ("self_level", "level")
INDICATOR_COLUMNS = ("code", "section", "name_zh", "name_en", "weight", "rule")  # the Indicators sheet
# Header labels after each key (`K1.target 目标值`); readers match on the key before the first space.
COLUMN_LABELS = {
    "employee_id": "工号", "name": "姓名", "department": "部门", "position": "职位", "manager": "直接上级",
    "period": "考核周期", "target": "目标值", "actual": "实际完成", "self": "自评分", "score": "上级评分",
    "self_level": "自评等级", "level": "上级评定等级", "adjustment": "加减分", "adjustment_reason": "加减分事由",
    "manager_comment": "上级评语",
    "code": "编号", "section": "类别", "name_zh": "中文名称", "name_en": "英文名称", "weight": "权重", "rule": "评分规则",
}


def column_header(column: str) -> str:
    """'K1.target' -> 'K1.target 目标值'."""
    return labeled(column, COLUMN_LABELS.get(column.partition(".")[2] or column))
_VALIDATED_ROWS = 1000  # data validation reaches this far below the header
# Numbers beyond ±10^12 (the workbook's own validation for targets and actuals)
# are refused: Decimal arithmetic cannot round 1E+30 to cents.
MAX_MAGNITUDE = Decimal(10) ** 12
MAX_EMPLOYEES = 10_000
# What a score workbook or roster may hold before openpyxl reads it (docgen.core.xlsxguard):
# 10,000 employees under the header, and every column of a large role.
LIMITS = XlsxLimits(max_rows=MAX_EMPLOYEES + 1, max_cells=600_000)


def columns_for(role: Role) -> list[str]:
    """The Scores columns for `role`, in order (docs/score-workbook.md)."""
    cols = list(EMPLOYEE_COLUMNS)
    for k in role.kpis:
        cols += [f"{k.code}.{part}" for part in KPI_PARTS]
    for b in role.behaviors:
        cols += [f"{b.code}.{part}" for part in BEHAVIOR_PARTS]
    return cols + list(TAIL_COLUMNS)


# --- models ---------------------------------------------------------------------

@dataclass(frozen=True)
class KpiEntry:
    code: str
    target: Decimal | None
    actual: Decimal | None
    self_score: Decimal | None
    score: Decimal
    computed: bool  # True when the machine rule produced the score


@dataclass(frozen=True)
class EmployeeScores:
    employee_id: str
    name: str
    department: str
    position: str
    manager: str
    period: str
    kpis: tuple[KpiEntry, ...]
    self_levels: dict[str, int | None]
    levels: dict[str, int]
    adjustment: Decimal | None  # as typed; totals.adjustment is clamped
    adjustment_reason: str
    manager_comment: str
    totals: Totals
    row: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ScoreSheet:
    path: str
    employees: tuple[EmployeeScores, ...]
    warnings: tuple[Problem, ...] = ()


# --- writing ----------------------------------------------------------------------

_HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
_SCORE_FILL = PatternFill("solid", fgColor="FFF2CC")


def _rule_text(ind: Indicator) -> str:
    if ind.section == "behavior":
        return "等级 5/4/3/2/1 = 权重的 100/80/60/40/20% · levels 5/4/3/2/1 = 100/80/60/40/20 % of the weight"
    return f"{ind.rule_zh} / {ind.rule_en}"


def _header_comment(column: str, by_code: dict[str, Indicator]) -> str | None:
    code, _, part = column.partition(".")
    ind = by_code.get(code)
    if ind is None:
        return None
    weight = format_points(ind.weight)
    what = {
        "target": ("目标值", "target", ind.unit_zh, ind.unit_en),
        "actual": ("实际完成", "actual", ind.unit_zh, ind.unit_en),
        "self": ("自评分", "self score", f"0–{weight}", f"0–{weight}"),
        "score": ("上级评分(空白且有目标和实际时按规则计算)", "manager score (blank = computed from target and actual)", f"0–{weight}", f"0–{weight}"),
        "self_level": ("自评等级", "self level", "1–5", "1–5"),
        "level": ("上级评定等级", "manager level", "1–5", "1–5"),
    }[part]
    return f"{ind.code} {ind.name_zh} / {ind.name_en} (权重 weight {weight})\n{what[0]} {what[2]}\n{what[1]} {what[3]}"


def _validation(kind: str, low, high, message: str) -> DataValidation:
    dv = DataValidation(type=kind, operator="between", formula1=str(low), formula2=str(high), allow_blank=True)
    dv.error, dv.errorTitle, dv.showErrorMessage = message, "docgen", True
    dv.prompt, dv.showInputMessage = message, True
    return dv


def _add_validations(ws, columns: list[str], by_code: dict[str, Indicator]) -> None:
    last = _VALIDATED_ROWS + 1
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        code, _, part = column.partition(".")
        if part in ("self", "score"):
            w = format_points(by_code[code].weight)
            dv = _validation("decimal", 0, w, f"0–{w}")
        elif part in ("self_level", "level"):
            dv = _validation("whole", 1, 5, "1–5")
        elif part in ("target", "actual"):
            dv = _validation("decimal", -1e12, 1e12, "a number")
        elif column == "adjustment":
            dv = _validation("decimal", -ADJUSTMENT_LIMIT, ADJUSTMENT_LIMIT, "−5…5")
        else:
            continue
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)


def _indicators_sheet(wb: Workbook, role: Role) -> None:
    ws = wb.create_sheet(INDICATORS)
    ws.append([column_header(c) for c in INDICATOR_COLUMNS])
    for ind in role.indicators:
        ws.append([ind.code, ind.section, ind.name_zh, ind.name_en, ind.weight, _rule_text(ind)])
    style_table(ws, lang="zh", widths=(9, 10, 22, 34, 8, 90), landscape=True, title="考核指标说明 Indicators")
    ws.protection.sheet = True  # a reference, not a place to type


def build_workbook(role: Role, roster: list[dict[str, str]] | None = None) -> Workbook:
    """The score workbook for `role`, pre-filled from `roster` rows when given."""
    wb = Workbook()
    ws = wb.active
    ws.title = SCORES
    columns = columns_for(role)
    by_code = {i.code: i for i in role.indicators}
    ws.append([column_header(c) for c in columns])
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = Font(bold=True), _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        note = _header_comment(column, by_code)
        if note:
            cell.comment = Comment(note, "docgen", width=300, height=110)
        part = column.partition(".")[2]
        letter = get_column_letter(i)
        wide = {"name": 12, "employee_id": 12, "manager_comment": 50, "adjustment_reason": 30, "department": 14, "position": 14}
        ws.column_dimensions[letter].width = wide.get(column, 11 if part in ("target", "actual") else 10)
        if part in ("score", "level"):
            cell.fill = _SCORE_FILL
        if column == "employee_id":  # keep ids as typed: 0012 and 3.10 must not become numbers
            for row in range(2, _VALIDATED_ROWS + 2):
                ws.cell(row=row, column=i).number_format = "@"
    for row, person in enumerate(roster or (), start=2):  # not ws.append: formatted rows already exist
        for col, name in enumerate(EMPLOYEE_COLUMNS, start=1):
            ws.cell(row=row, column=col, value=person.get(name) or None)
    ws.freeze_panes = "C2"
    ws.row_dimensions[1].height = 45  # two lines: the key, then its label
    # ~50 columns at one page width would be unreadable: they print across landscape pages at full
    # size, each page repeating the header row and the id and name columns.
    print_setup(ws, lang="zh", landscape=True, title_rows="1:1", fit_width=False, title="考核评分表 Scores")
    ws.print_title_cols = "A:B"
    _add_validations(ws, columns, by_code)
    _indicators_sheet(wb, role)
    return wb


def write_scoresheet(role: Role, path: str | Path, roster: list[dict[str, str]] | None = None, force: bool = False) -> Path:
    wb = build_workbook(role, roster)
    return write_atomic(path, lambda tmp: wb.save(tmp), force=force)


# --- reading: cells ------------------------------------------------------------------

_BROKEN = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError)  # SyntaxError: XML


def _open(path: Path, limits: XlsxLimits | None):
    """The workbook, read-only: rows are parsed as they are read, never held as cells (close it after)."""
    where = Location(file=str(path))
    if not path.is_file():
        raise InputError("file not found", where=where)
    if not zipfile.is_zipfile(path):
        raise InputError("not an Excel .xlsx workbook; save it as .xlsx", where=where)
    check_xlsx(path, str(path), limits or limits_from_env(LIMITS))
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except _BROKEN as exc:
        raise _not_a_workbook(exc, where) from None


def _not_a_workbook(exc: Exception, where: Location) -> InputError:
    return InputError(f"not an Excel .xlsx workbook ({type(exc).__name__}); save it as .xlsx", where=where)


def _rows(ws, where: Location, min_row: int, max_row: int | None = None):
    """A read-only sheet's rows as values. The size a workbook declares is ignored (some writers
    declare too few rows or columns, and read-only openpyxl would cut the sheet there); a sheet
    found broken only now, while read, is an InputError like any other."""
    ws.reset_dimensions()
    try:
        yield from ws.iter_rows(min_row=min_row, max_row=max_row, values_only=True)
    except _BROKEN as exc:
        raise _not_a_workbook(exc, where) from None


def _header_name(value) -> str:
    """'K1.score 得分' -> 'K1.score': a label after the name is allowed."""
    text = clean_text(value).strip()
    return text.split()[0] if text else ""


def _id_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value).strip()


def _number(value) -> Decimal | None | str:
    """Decimal, None for blank, or the offending text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return str(value)
    try:
        number = dec(value) if isinstance(value, (int, float)) else Decimal(str(value).strip())
    except InvalidOperation:
        return str(value)
    return number if number.is_finite() else str(value)


class _RowReader:
    """Reads one Scores row, adding each problem with its cell."""

    def __init__(self, problems: Problems, base: Location, row: int, values: dict[str, object], letters: dict[str, str]):
        self.problems, self.base, self.row, self.values, self.letters = problems, base, row, values, letters

    def where(self, column: str) -> Location:
        return self.base.with_(row=self.row, column=f"{self.letters[column]} ({column})")

    def text(self, column: str) -> str:
        return clean_text(self.values.get(column)).strip()

    def number(self, column: str, low=None, high=None, expected: str = "") -> Decimal | None:
        value = _number(self.values.get(column))
        if isinstance(value, str):
            self.problems.add(self.where(column), f"expected {expected or 'a number'}, got text {value!r}")
            return None
        if value is not None and abs(value) > MAX_MAGNITUDE:
            self.problems.add(self.where(column), f"expected {expected or 'a number from -10^12 to 10^12'}, got {value}")
            return None
        if value is not None and ((low is not None and value < low) or (high is not None and value > high)):
            self.problems.add(self.where(column), f"expected {expected}, got {format_points(value)}")
            return None
        return value

    def level(self, column: str) -> int | None:
        value = self.number(column, 1, 5, "a level from 1 to 5")
        if value is not None and value != value.to_integral_value():
            self.problems.add(self.where(column), f"expected a whole level from 1 to 5, got {format_points(value)}")
            return None
        return int(value) if value is not None else None


def _kpi(r: _RowReader, ind: Indicator) -> KpiEntry:
    w = dec(ind.weight)
    span = f"points from 0 to {format_points(w)} (the weight of {ind.code})"
    target, actual = r.number(f"{ind.code}.target"), r.number(f"{ind.code}.actual")
    self_score = r.number(f"{ind.code}.self", 0, w, span)
    score_col = f"{ind.code}.score"
    raw_score = r.values.get(score_col)
    score = r.number(score_col, 0, w, span)
    computed = False
    if score is None and _number(raw_score) is None:
        rule = ind.machine
        if rule and actual is not None and (target is not None or not rule.needs_target):
            try:
                score, computed = machine_score(rule, ind.weight, target, actual), True
            except ScoringError as exc:
                r.problems.add(r.where(f"{ind.code}.target"), f"cannot compute {ind.code}.score: the {rule.type} rule {exc}")
        else:
            need = "target and actual" if not rule or rule.needs_target else "actual"
            how = f", or {need} for its {rule.type} rule" if rule else ""
            r.problems.add(r.where(score_col), f"missing score; expected {span}{how}")
    return KpiEntry(ind.code, target, actual, self_score, score if score is not None else Decimal(0), computed)


def _employee(r: _RowReader, role: Role, problems: Problems) -> EmployeeScores | None:
    before = len(problems.errors)
    name = r.text("name")
    if not name:
        problems.add(r.where("name"), "missing name; every employee needs one")
    kpis = tuple(_kpi(r, k) for k in role.kpis)
    self_levels = {b.code: r.level(f"{b.code}.self_level") for b in role.behaviors}
    levels = {}
    for b in role.behaviors:
        level = r.level(f"{b.code}.level")
        if level is None and _number(r.values.get(f"{b.code}.level")) is None:
            problems.add(r.where(f"{b.code}.level"), "missing level; expected 1 to 5")
        levels[b.code] = level or 0
    adjustment = r.number("adjustment")
    if adjustment is not None and abs(adjustment) > ADJUSTMENT_LIMIT:
        given, counted = format_points(adjustment), format_points(max(-5, min(5, adjustment)))
        problems.warn(r.where("adjustment"), f"adjustment {given} is outside ±5; counted as {counted}",
                      zh=f"调整分 {given} 超出 ±5，按 {counted} 计")
    if len(problems.errors) > before:
        return None
    return EmployeeScores(
        employee_id=_id_text(r.values.get("employee_id")), name=name,
        department=r.text("department"), position=r.text("position"), manager=r.text("manager"), period=r.text("period"),
        kpis=kpis, self_levels=self_levels, levels=levels, adjustment=adjustment,
        adjustment_reason=r.text("adjustment_reason"), manager_comment=r.text("manager_comment"),
        totals=totals(role, {k.code: k.score for k in kpis}, levels, adjustment), row=r.row,
    )


def _expected_columns(role: Role) -> str:
    """The Scores columns of `role` in words, for a message about a column that does not belong."""
    kpis = ", ".join(k.code for k in role.kpis)
    items = ", ".join(b.code for b in role.behaviors)
    return (f"{', '.join(EMPLOYEE_COLUMNS)}; for each KPI ({kpis}) "
            f"{', '.join('<code>.' + p for p in KPI_PARTS)}; for each work-performance item ({items}) "
            f"{', '.join('<code>.' + p for p in BEHAVIOR_PARTS)}; then {', '.join(TAIL_COLUMNS)} "
            "(see docs/score-workbook.md; `docgen review scoresheet` writes them all)")


def _header(ws, role: Role, base: Location, problems: Problems) -> dict[str, int] | None:
    first = next(_rows(ws, base, 1, 1), None)
    if not first or not any(v is not None and str(v).strip() for v in first):
        problems.add(base.with_(row=1), f"the sheet is empty; expected a header row: {', '.join(columns_for(role)[:8])}, …")
        return None
    expected = columns_for(role)
    index: dict[str, int] = {}
    for i, value in enumerate(first):
        name = _header_name(value)
        if not name:
            continue
        where = base.with_(row=1, column=f"{get_column_letter(i + 1)} ({name})")
        if name not in expected:
            problems.add(where, f"unknown column {name!r} for role {role.id}; expected {_expected_columns(role)}")
        elif name in index:
            problems.add(where, f"column {name} appears twice (also column {get_column_letter(index[name] + 1)})")
        else:
            index[name] = i
    missing = [c for c in expected if c not in index]
    if missing:
        problems.add(base.with_(row=1), f"missing column(s): {', '.join(missing)}")
    return index


def read_scoresheet(path: str | Path, role: Role, *, limits: XlsxLimits | None = None) -> ScoreSheet:
    """Every employee of a filled score workbook, validated; InputError lists all problems.

    `limits` defaults to LIMITS with any DOCGEN_MAX_* environment variable applied.
    """
    path = Path(path)
    wb = _open(path, limits)
    try:
        return _read_scores(wb, path, role)
    finally:
        wb.close()


def _read_scores(wb, path: Path, role: Role) -> ScoreSheet:
    problems = Problems()
    base = Location(file=str(path), sheet=SCORES)
    if SCORES not in wb.sheetnames:
        raise InputError(f"no sheet {SCORES!r}; the workbook has {', '.join(wb.sheetnames)}", where=Location(file=str(path)))
    ws = wb[SCORES]
    index = _header(ws, role, base, problems)
    if index is None or problems:
        problems.raise_if_any()
    letters = {c: get_column_letter(i + 1) for c, i in index.items()}
    employees: list[EmployeeScores] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(_rows(ws, base, 2), start=2):
        values = {c: row[i] if i < len(row) else None for c, i in index.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        reader = _RowReader(problems, base, row_number, values, letters)
        employee_id = _id_text(values["employee_id"])
        if not employee_id:
            problems.add(reader.where("employee_id"), "missing employee_id")
        elif employee_id in seen:
            problems.add(reader.where("employee_id"), f"duplicate employee_id {employee_id!r} (also row {seen[employee_id]})")
        else:
            seen[employee_id] = row_number
        person = _employee(reader, role, problems)
        if person is not None and employee_id:
            employees.append(person)
    if not seen and not problems:
        problems.add(base.with_(row=2), "no employees: the sheet has a header but no rows below it")
    problems.raise_if_any()
    return ScoreSheet(str(path), tuple(employees), tuple(problems.warnings))


# --- reading: roster ---------------------------------------------------------------------

def read_roster(path: str | Path, *, limits: XlsxLimits | None = None) -> list[dict[str, str]]:
    """Employees from a roster workbook (first sheet; columns as EMPLOYEE_COLUMNS, others ignored)."""
    path = Path(path)
    wb = _open(path, limits)
    try:
        return _read_roster(wb.worksheets[0], path)
    finally:
        wb.close()


def _read_roster(ws, path: Path) -> list[dict[str, str]]:
    base = Location(file=str(path), sheet=ws.title)
    problems = Problems()
    first = next(_rows(ws, base, 1, 1), None) or ()
    index = {name: i for i, v in enumerate(first) if (name := _header_name(v)) in EMPLOYEE_COLUMNS}
    for needed in ("employee_id", "name"):
        if needed not in index:
            problems.add(base.with_(row=1), f"missing column {needed}; expected {', '.join(EMPLOYEE_COLUMNS)}")
    problems.raise_if_any()
    people: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(_rows(ws, base, 2), start=2):
        person = {c: (_id_text(row[i]) if i < len(row) else "") for c, i in index.items()}
        if not any(person.values()):
            continue
        where = base.with_(row=row_number)
        if not person["employee_id"]:
            problems.add(where.with_(column="employee_id"), "missing employee_id")
        elif person["employee_id"] in seen:
            problems.add(where.with_(column="employee_id"), f"duplicate employee_id (also row {seen[person['employee_id']]})")
        seen.setdefault(person["employee_id"], row_number)
        if not person["name"]:
            problems.add(where.with_(column="name"), "missing name")
        people.append(person)
    problems.raise_if_any()
    return people
