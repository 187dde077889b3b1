"""Stage 1 of contract 1: read a requirements file (YAML or xlsx) into raw records.

Both formats become the same shape: values that are still text (or lists and
mappings of text), each with the place it came from, so validation in
docgen.intake.requirements is written once and every message names a YAML line or a
sheet/row/column.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docgen.core.errors import InputError, Location, Problems
from docgen.core.xlsxread import SheetReader, WorkbookReader, header_key, is_example
from docgen.core.yamlload import Node, load_yaml

# The fields of contract 1, in the order forms and messages list them.
CLIENT_FIELDS = (
    "name", "industry", "language", "trust", "presales_owner", "sales_owner",
    "region", "deadline", "background", "contacts",
)
REQUIREMENT_FIELDS = ("id", "category", "text", "priority", "tags", "notes")
COMPETITOR_FIELDS = ("name", "strengths", "weaknesses")
CONTACT_FIELDS = ("name", "role", "email", "phone")
TOP_LEVEL = ("client", "requirements", "competitors")

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
    if b"\x00" in data:
        raise InputError("is binary, not YAML text; expected a .yaml, .yml or .xlsx requirements file", where=where)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 text (byte {exc.start}); save it as UTF-8", where=where) from None
    return from_yaml(text, file)


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
    book = WorkbookReader(path, file)
    raw = RawFile(source=file)
    client_sheet = book.sheet("client")
    if client_sheet is None:
        raw.problems.add(Location(file=file, sheet="Client"),
                         f"sheet Client is missing; the workbook has {', '.join(book.sheet_names)}")
        raw.reported_missing.add("client")
    else:
        raw.client = _client_sheet(client_sheet, raw.problems)
        contacts = book.sheet("contacts")
        if contacts is not None:
            raw.client.value["contacts"] = _records(contacts, CONTACT_FIELDS, "name", raw.problems)
    requirements = book.sheet("requirements")
    if requirements is None:
        raw.problems.add(Location(file=file, sheet="Requirements"),
                         f"sheet Requirements is missing; the workbook has {', '.join(book.sheet_names)}")
        raw.reported_missing.add("requirements")
    else:
        raw.requirements = _records(requirements, REQUIREMENT_FIELDS, "id", raw.problems)
    competitors = book.sheet("competitors")
    if competitors is not None:
        raw.competitors = _records(competitors, COMPETITOR_FIELDS, "name", raw.problems)
    for problem in book.problems:
        raw.problems.add(problem.where, problem.message)
    return raw


def _client_sheet(sheet: SheetReader, problems: Problems) -> Raw:
    """Two columns: field (English name, optional label) and value."""
    fields: dict[str, Raw] = {}
    for row in range(1, sheet.max_row + 1):
        label, label_where = sheet.text(row, 1)
        key = header_key(label)
        if not key or key == "field":
            continue
        if key not in CLIENT_FIELDS or key == "contacts":
            problems.warn(label_where, f"unknown field {label!r} ignored; expected one of "
                                       f"{', '.join(f for f in CLIENT_FIELDS if f != 'contacts')}")
            continue
        value, where = sheet.text(row, 2, key)
        if key in fields:
            problems.add(where, f"field {key} is given twice (first in row {fields[key].where.row})")
            continue
        fields[key] = Raw(value, where)
    return Raw(fields, sheet.where(1, 1).with_(row=None, column=None))


def _records(sheet: SheetReader, known: tuple[str, ...], key_field: str, problems: Problems) -> Raw:
    """One record per row under the header row; blank and grey example rows are skipped."""
    sheet_where = Location(file=sheet.book.file, sheet=sheet.title)
    header_row, columns = _find_header(sheet, known, problems)
    if header_row is None:
        problems.add(sheet_where.with_(row=1), f"no header row found; expected headers {', '.join(known)}")
        return Raw([], sheet_where)
    records: list[Raw] = []
    for row in range(header_row + 1, sheet.max_row + 1):
        values = {name: sheet.text(row, col, name) for name, col in columns.items()}
        if all(value is None for value, _ in values.values()):
            continue
        first = values.get(key_field, (None, None))[0] or next(v for v, _ in values.values() if v is not None)
        if is_example(first):
            continue
        fields = {name: Raw(value, where) for name, (value, where) in values.items()}
        records.append(Raw(fields, sheet_where.with_(row=row)))
    return Raw(records, sheet_where)


def _find_header(sheet: SheetReader, known: tuple[str, ...], problems: Problems):
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
