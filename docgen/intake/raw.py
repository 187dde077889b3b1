"""Stage 1 of loading a requirements file (docs/requirements-file.md): YAML or xlsx into raw records.

Both formats become the same shape: values that are still text (or lists and
mappings of text), each with the place it came from, so validation in
docgen.intake.requirements is written once and every message names a YAML line or a
sheet/row/column.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.core.errors import InputError, Location, Problems
from docgen.core.yamlload import Node, load_yaml

if TYPE_CHECKING:  # openpyxl is loaded only when a workbook is read: YAML files start faster
    from docgen.core.xlsxread import SheetReader

# The fields of a requirements file, in the order forms and messages list them
# (docs/requirements-file.md documents each; tests/test_docs.py checks it does).
CLIENT_FIELDS = (
    "name", "industry", "language", "trust", "presales_owner", "sales_owner",
    "region", "deadline", "project_name", "background", "internal_notes", "contacts",
)
REQUIREMENT_FIELDS = ("id", "category", "text", "priority", "tags", "notes")
COMPETITOR_FIELDS = ("name", "strengths", "weaknesses")
CONTACT_FIELDS = ("name", "role", "email", "phone")
TOP_LEVEL = ("client", "requirements", "competitors")
# Columns the Requirements sheet must have: without one, every row would be
# read wrong (a missing priority would silently make every must-have a should).
REQUIRED_REQUIREMENT_COLUMNS = ("id", "category", "text", "priority")
CLIENT_SHEET_COLUMNS = ("field", "value")

YAML_SUFFIXES = (".yaml", ".yml")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Raw:
    """An unvalidated value: str, None, list[Raw] or dict[str, Raw], and its place."""

    value: object
    where: Location


@dataclass
class RawFile:
    source: str
    client: Raw | None = None
    requirements: Raw | None = None
    competitors: Raw | None = None
    problems: Problems = field(default_factory=Problems)
    reported_missing: set[str] = field(default_factory=set)  # sections the reader already said are absent


def read_raw(path: str | Path) -> RawFile:
    """Read YAML or xlsx by content (not only by name); InputError when it is neither."""
    path = Path(path)
    file = str(path)
    where = Location(file=file)
    if not path.exists():
        raise InputError("file not found", where=where)
    if path.is_dir():
        raise InputError("is a folder; expected a .yaml, .yml or .xlsx file", where=where)
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if data[:4] == b"PK\x03\x04":
        return _read_zip(path, file)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError("is an old Excel 97-2003 (.xls) or Word (.doc) file; save it as .xlsx", where=where)
    if suffix in XLSX_SUFFIXES:
        raise InputError("is not an Excel workbook (its content is not .xlsx); expected a form made by "
                         "`docgen requirements new`", where=where)
    if suffix not in YAML_SUFFIXES:
        raise InputError(f"unsupported file type {suffix or '(none)'!r}; expected a .yaml, .yml or .xlsx "
                         "requirements file", where=where)
    if _is_utf16(data):
        raise InputError("is UTF-16 text (Notepad calls it \"Unicode\"); save it as UTF-8", where=where)
    if b"\x00" in data:
        raise InputError("is binary, not YAML text; expected a .yaml, .yml or .xlsx requirements file", where=where)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 text (byte {exc.start}); save it as UTF-8", where=where) from None
    return from_yaml(text, file)


def _is_utf16(data: bytes) -> bool:
    """A byte-order mark, or ASCII text with a NUL after (or before) every character."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:64]
    return len(head) >= 4 and (not any(head[1::2]) or not any(head[0::2]))


def _read_zip(path: Path, file: str) -> RawFile:
    where = Location(file=file)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise InputError("is a damaged zip/xlsx file", where=where) from None
    if "xl/workbook.xml" not in names:
        kind = "a Word document (.docx)" if "word/document.xml" in names else "a zip archive"
        raise InputError(f"is {kind}, not an Excel workbook; expected a .yaml, .yml or .xlsx requirements file",
                         where=where)
    return from_xlsx(path, file)


# --- YAML -------------------------------------------------------------------

def _raw(node: Node, file: str, path: str) -> Raw:
    where = Location(file=file, line=node.line, field=path or None)
    if isinstance(node.value, list):
        return Raw([_raw(item, file, f"{path}[{i + 1}]") for i, item in enumerate(node.value)], where)
    if isinstance(node.value, dict):
        return Raw({k: _raw(v, file, f"{path}.{k}" if path else k) for k, v in node.value.items()}, where)
    return Raw(node.value, where)


def from_yaml(text: str, file: str) -> RawFile:
    root = _raw(load_yaml(text, file), file, "")
    raw = RawFile(source=file)
    if not isinstance(root.value, dict):
        raise InputError("expected a YAML mapping with `client:` and `requirements:` at the top level",
                         where=Location(file=file, line=root.where.line))
    for key, value in root.value.items():
        if key not in TOP_LEVEL:
            raw.problems.warn(value.where, f"unknown section ignored; expected one of {', '.join(TOP_LEVEL)}")
    raw.client = root.value.get("client")
    raw.requirements = root.value.get("requirements")
    raw.competitors = root.value.get("competitors")
    return raw


# --- Excel ------------------------------------------------------------------

def from_xlsx(path: Path, file: str) -> RawFile:
    from docgen.core.xlsxread import WorkbookReader

    book = WorkbookReader(path, file)
    raw = RawFile(source=file)
    client_sheet = book.sheet("client")
    if client_sheet is None:
        raw.problems.add(Location(file=file, sheet="Client"),
                         f"sheet Client is missing; the workbook has {', '.join(book.sheet_names)}")
        raw.reported_missing.add("client")
    else:
        raw.client = _client_sheet(client_sheet, raw.problems)
        if raw.client is None:
            raw.reported_missing.add("client")
        contacts = book.sheet("contacts")
        if contacts is not None and raw.client is not None:
            raw.client.value["contacts"] = _records(contacts, CONTACT_FIELDS, "name", raw.problems)
    requirements = book.sheet("requirements")
    if requirements is None:
        raw.problems.add(Location(file=file, sheet="Requirements"),
                         f"sheet Requirements is missing; the workbook has {', '.join(book.sheet_names)}")
        raw.reported_missing.add("requirements")
    else:
        raw.requirements = _records(requirements, REQUIREMENT_FIELDS, "id", raw.problems,
                                    required=REQUIRED_REQUIREMENT_COLUMNS)
        if raw.requirements is None:
            raw.reported_missing.add("requirements")
    competitors = book.sheet("competitors")
    if competitors is not None:
        raw.competitors = _records(competitors, COMPETITOR_FIELDS, "name", raw.problems)
    for problem in book.problems:
        raw.problems.add(problem.where, problem.message)
    return raw


def _client_sheet(sheet: SheetReader, problems: Problems) -> Raw | None:
    """The header row `field | value | …`; each field's value is read from the value column only.

    A form whose value column was deleted must not be read from the grey
    example column next to it: a missing column is one error, never a fallback.
    """
    from docgen.core.xlsxread import header_key
    sheet_where = Location(file=sheet.book.file, sheet=sheet.title)
    header_row, columns = None, {}
    for row in range(1, min(sheet.max_row, 10) + 1):
        keys = {header_key(sheet.text(row, col)[0]): col for col in range(sheet.max_column, 0, -1)}
        if "field" in keys:
            header_row, columns = row, keys
            break
    if header_row is None:
        problems.add(sheet_where.with_(row=1), "no header row found; expected the columns field and value "
                                               "(see docs/requirements-file.md)")
        return None
    missing = [name for name in CLIENT_SHEET_COLUMNS if name not in columns]
    if missing:
        for name in missing:
            problems.add(sheet_where.with_(row=header_row, field=name),
                         f"column {name} is missing; the Client sheet needs the columns field and value")
        return None
    field_col, value_col = columns["field"], columns["value"]
    fields: dict[str, Raw] = {}
    for row in range(header_row + 1, sheet.max_row + 1):
        label, label_where = sheet.text(row, field_col)
        key = header_key(label)
        if not key:
            continue
        if key not in CLIENT_FIELDS or key == "contacts":
            problems.warn(label_where, f"unknown field {label!r} ignored; expected one of "
                                       f"{', '.join(f for f in CLIENT_FIELDS if f != 'contacts')}")
            continue
        value, where = sheet.text(row, value_col, key)
        if key in fields:
            problems.add(where, f"field {key} is given twice (first in row {fields[key].where.row})")
            continue
        fields[key] = Raw(value, where)
    return Raw(fields, sheet_where)


def _records(sheet: SheetReader, known: tuple[str, ...], key_field: str, problems: Problems,
             required: tuple[str, ...] = ()) -> Raw | None:
    """One record per row under the header row; blank and grey example rows are skipped.

    None when a `required` column is missing: one problem names the sheet and
    the column, and no row is read (never another column in its place).
    """
    from docgen.core.xlsxread import is_example
    sheet_where = Location(file=sheet.book.file, sheet=sheet.title)
    header_row, columns = _find_header(sheet, known, problems)
    if header_row is None:
        problems.add(sheet_where.with_(row=1), f"no header row found; expected headers {', '.join(known)}")
        return Raw([], sheet_where)
    missing = [name for name in required if name not in columns]
    if missing:
        for name in missing:
            problems.add(sheet_where.with_(row=header_row, field=name),
                         f"column {name} is missing; the sheet needs the columns {', '.join(required)} "
                         "(see docs/requirements-file.md)")
        return None
    records: list[Raw] = []
    for row in range(header_row + 1, sheet.max_row + 1):
        values = {name: sheet.text(row, col, name) for name, col in columns.items()}
        if all(value is None for value, _ in values.values()):
            continue
        # Example rows are recognised only by the marker in their key column (示例-R1, example-…).
        if key_field in values and is_example(values[key_field][0]):
            continue
        fields = {name: Raw(value, where) for name, (value, where) in values.items()}
        records.append(Raw(fields, sheet_where.with_(row=row)))
    return Raw(records, sheet_where)


def _find_header(sheet: SheetReader, known: tuple[str, ...], problems: Problems):
    from docgen.core.xlsxread import header_key

    for row in range(1, min(sheet.max_row, 10) + 1):
        keys = {col: header_key(sheet.text(row, col)[0]) for col in range(1, sheet.max_column + 1)}
        if not any(key in known for key in keys.values()):
            continue
        columns: dict[str, int] = {}
        for col, key in keys.items():
            where = sheet.where(row, col)
            if key in columns:
                problems.add(where, f"header {key} appears twice (also column {sheet.where(row, columns[key]).column})")
            elif key in known:
                columns[key] = col
            elif sheet.text(row, col)[0]:
                problems.warn(where, f"column {sheet.text(row, col)[0]!r} ignored: its header has no known "
                                     f"English name; expected {', '.join(known)}")
        return row, columns
    return None, {}
