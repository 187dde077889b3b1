"""Refuse an .xlsx that would cost minutes or gigabytes — before openpyxl parses any of it.

openpyxl trusts the file: it inflates every part, builds a Python object for
every cell (also for every cell of a merged range or a hyperlinked range), and
our readers walk every row up to the last one used. A 16 KB file with one cell
at row 1,048,576 took 194 s and 1.5 GB; a 2 MB zip bomb 85 s and 2.2 GB
(PITFALLS, "Hostile input"). This module decides from the zip directory and
one streaming pass over the XML, in well under a second, and says which limit
a file exceeds and how to raise it.

The pass also refuses a DTD (`<!DOCTYPE`, `<!ENTITY`: entity bombs, external
entities) and XML that is not UTF-8 (which the byte scan could not read);
Excel and LibreOffice write neither.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass, fields, replace
from pathlib import Path, PurePosixPath

from docgen.core.errors import InputError, Location

_MB = 1 << 20
_CHUNK = _MB
_RATIO_FLOOR = _MB  # parts smaller than this may compress as well as they like
# openpyxl builds an object per style record; Excel itself allows 64,000 cell formats.
MAX_STYLE_RECORDS = 100_000


@dataclass(frozen=True)
class XlsxLimits:
    """What one workbook may hold; each field can be raised by an environment variable (ENV)."""

    max_rows: int = 20_000  # per sheet: the last row used
    max_columns: int = 200  # per sheet: the last column used
    max_cells: int = 200_000  # whole workbook; a merged or hyperlinked range counts every cell
    max_megabytes: int = 50  # whole workbook, uncompressed
    max_parts: int = 2_000  # files inside the zip
    max_ratio: int = 200  # uncompressed : compressed size of one part (of 1 MB or more)


ENV = {
    "max_rows": "DOCGEN_MAX_ROWS",
    "max_columns": "DOCGEN_MAX_COLUMNS",
    "max_cells": "DOCGEN_MAX_CELLS",
    "max_megabytes": "DOCGEN_MAX_XLSX_MB",
    "max_parts": "DOCGEN_MAX_XLSX_PARTS",
    "max_ratio": "DOCGEN_MAX_XLSX_RATIO",
}


def limits_from_env(base: XlsxLimits = XlsxLimits()) -> XlsxLimits:
    """`base` with every limit set in the environment (DOCGEN_MAX_ROWS=50000 …) replaced."""
    changes = {}
    for item in fields(XlsxLimits):
        name = ENV[item.name]
        text = os.environ.get(name, "").strip()
        if not text:
            continue
        if not text.isdigit() or int(text) < 1:
            raise InputError(f"environment variable {name}={text!r}: expected a whole number of at least 1")
        changes[item.name] = int(text)
    return replace(base, **changes)


def check_xlsx(path: str | Path, file: str, limits: XlsxLimits) -> None:
    """Raise InputError naming the file (and sheet) when the workbook exceeds `limits`."""
    where = Location(file=file)
    try:
        with zipfile.ZipFile(path) as archive:
            _Guard(archive, where, limits).run()
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        # RuntimeError: an encrypted part; NotImplementedError: an unknown compression method.
        raise InputError(f"cannot read this Excel file: damaged or unsupported zip ({exc})", where=where) from None


def _over(what: str, allowed: str, name: str) -> str:
    return f"{what}; docgen allows {allowed} (to allow more, set the environment variable {name})"


# A start tag we count and its attributes (a quoted value may hold '>', never
# '<'); then one attribute at a time, so text inside a value is never taken
# for an attribute. A tag cannot contain '<', so a chunk is cut there.
_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
_ATTRS = rb"(?=[\s/>])((?:[^<>\"']|\"[^<\"]*\"|'[^<']*')*)>"
_TAG = re.compile(_PREFIX + rb"(row|c)" + _ATTRS)
# Ranges openpyxl fills cell by cell (merged, hyperlinked), a comment's cell, the declared used range.
_RANGE_TAG = re.compile(_PREFIX + rb"(mergeCell|hyperlink|comment|dimension)" + _ATTRS)
_ELEMENT = re.compile(rb"<[A-Za-z_]")
_STYLE_RECORD = re.compile(_PREFIX + rb"(?:xf|dxf|font|fill|border|numFmt|cellStyle)(?=[\s/>])")
# What Excel, LibreOffice and openpyxl write: no prefix, r= first and plain.
# Such a chunk is counted in bulk (literal searches are fast); a chunk with
# any other <row> or <c> is walked tag by tag.
_AFTER_NAME = (b" ", b"\t", b"\n", b"\r", b"/", b">")
_PLAIN_ROW = re.compile(rb"<row r=\"(\d{1,10})\"")
_PLAIN_CELL_ROW = re.compile(rb"<c r=\"[A-Z]{1,3}(\d{1,10})\"")
_PLAIN_CELL_COLUMN = re.compile(rb"<c r=\"([A-Z]{1,3})\d{1,10}\"")
_RANGE_NAMES = (b"mergeCell", b"hyperlink", b"comment", b"dimension")
_ATTR = re.compile(rb"\s*([A-Za-z_][\w.:-]*)\s*=\s*(?:\"([^<\"]*)\"|'([^<']*)')")
_TAG_END = re.compile(rb"\s*/?\s*")
_REF_NAMES = {b"row": b"r", b"c": b"r"}  # the others name a range in ref=
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,10})")
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_PROLOG_NOISE = re.compile(rb"<\?.*?\?>|<!--.*?-->", re.DOTALL)
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(rb"\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")
_SHEET_ROOTS = {b"worksheet", b"dialogsheet", b"macrosheet", b"comments"}


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


class _Guard:
    def __init__(self, archive: zipfile.ZipFile, where: Location, limits: XlsxLimits):
        self.archive, self.where, self.limits = archive, where, limits
        self.cells = 0
        # Everything outside the sheets (shared strings, styles, comments' text, links…)
        # becomes Python objects too: bounded in proportion to the cells.
        self.elements = 0
        self.max_elements = 2 * limits.max_cells + 100_000
        self.style_records = 0

    def refuse(self, message: str, sheet: str | None = None):
        raise InputError(message, where=self.where.with_(sheet=sheet))

    def run(self) -> None:
        limits = self.limits
        parts = self.archive.infolist()
        if len(parts) > limits.max_parts:
            self.refuse(_over(f"holds {len(parts):,} files", f"at most {limits.max_parts:,} files in one workbook",
                              ENV["max_parts"]))
        for info in parts:
            if info.file_size >= _RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                self.refuse(_over(f"part {info.filename} unpacks to {ratio:,} times its packed size (a zip bomb?)",
                                  f"at most {limits.max_ratio:,} times", ENV["max_ratio"]))
        total = sum(info.file_size for info in parts)
        if total > limits.max_megabytes * _MB:
            biggest = max(parts, key=lambda info: info.file_size)
            self.refuse(_over(f"unpacks to {total / _MB:,.0f} MB ({biggest.filename}: {biggest.file_size / _MB:,.0f} MB)",
                              f"at most {limits.max_megabytes:,} MB unpacked", ENV["max_megabytes"]))
        names = _sheet_names(self.archive)
        for info in parts:  # every part: openpyxl follows relationships, whatever a part is called
            if not info.is_dir():
                self.scan(info, names.get(info.filename))

    def scan(self, info: zipfile.ZipInfo, sheet_name: str | None) -> None:
        """One streaming pass over a part: encoding, DTD, and what openpyxl would build from it."""
        part = info.filename
        feed = None
        carry = b""
        first = True
        with self.archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                data = carry + chunk
                if first:
                    first = False
                    head = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
                    if _other_encoding(head):
                        self.refuse(f"part {part} is XML in an encoding other than UTF-8, which Excel never "
                                    "writes; open and save the file in Excel or LibreOffice")
                    feed = self._feeder(_root_name(head), part, sheet_name)
                if _DTD.search(data):
                    self.refuse(f"part {part} contains a DTD (<!DOCTYPE or <!ENTITY), which Excel never writes "
                                "and which can hide an entity bomb; open and save the file in Excel or LibreOffice")
                # Carry a tag (or "<!DOCTYPE") that may continue in the next chunk, from its '<'.
                cut = data.rfind(b"<")
                cut = len(data) if cut < 0 else cut
                if feed is not None:
                    feed(data[:cut])
                carry = data[cut:]
        if feed is not None:
            feed(carry)

    def _feeder(self, root: bytes | None, part: str, sheet_name: str | None):
        """What counts the part's content: a sheet (or comments) counter, an element counter, or nothing."""
        if root in _SHEET_ROOTS:
            if root == b"comments":  # each comment makes its cell
                return _SheetCounter(self, None, f"part {part}: ").feed
            return _SheetCounter(self, sheet_name or part).feed
        if root is None:  # not XML (an image, a printer setting)
            return None
        styles = root == b"styleSheet"

        def count(data: bytes) -> None:
            self.elements += len(_ELEMENT.findall(data))
            if self.elements > self.max_elements:
                self.refuse(_over(f"part {part} brings the XML outside the sheets to more than "
                                  f"{self.max_elements:,} elements", "twice the cell limit plus 100,000",
                                  ENV["max_cells"]))
            if styles:
                self.style_records += len(_STYLE_RECORD.findall(data))
                if self.style_records > MAX_STYLE_RECORDS:
                    self.refuse(f"part {part} defines more than {MAX_STYLE_RECORDS:,} styles (Excel itself allows "
                                "64,000 cell formats); open and save the file in Excel or LibreOffice")

        return count


class _SheetCounter:
    """Rows, columns and cells of one sheet, counted the way openpyxl places them."""

    def __init__(self, guard: _Guard, sheet: str | None, prefix: str = ""):
        self.guard, self.sheet, self.prefix = guard, sheet, prefix
        self.row = 0
        self.column = 0

    def feed(self, data: bytes) -> None:
        if any(name in data for name in _RANGE_NAMES):
            self._ranges(data)
        if b":row" in data or b":c" in data:  # a prefixed tag (x:row): count one by one
            self._one_by_one(data)
            return
        rows = _PLAIN_ROW.findall(data)
        cell_rows = _PLAIN_CELL_ROW.findall(data)
        if (len(rows) == sum(data.count(b"<row" + end) for end in _AFTER_NAME)
                and len(cell_rows) == sum(data.count(b"<c" + end) for end in _AFTER_NAME)):
            self._bulk(rows, cell_rows, _PLAIN_CELL_COLUMN.findall(data))
        else:
            self._one_by_one(data)

    def _ranges(self, data: bytes) -> None:
        for match in _RANGE_TAG.finditer(data):  # openpyxl makes a cell for each cell of these ranges
            tag, value = match.group(1), self._reference(match.group(1), match.group(2))
            if value:
                (top, left), (bottom, right) = self._range(value)
                self._check(bottom, right, declared=value if tag == b"dimension" else None)
                if tag != b"dimension":
                    self._count((bottom - top + 1) * (right - left + 1))

    def _bulk(self, rows: list[bytes], cell_rows: list[bytes], columns: list[bytes]) -> None:
        if rows:
            self._check(max(map(int, rows)), 1)
            self.row = int(rows[-1])
        if cell_rows:
            # The widest column stands for the last one: a later cell without r
            # can only be placed further right than it really is.
            self.column = max(_column_number(letters.decode()) for letters in set(columns))
            self._check(max(map(int, cell_rows)), self.column)
            self._count(len(cell_rows))

    def _one_by_one(self, data: bytes) -> None:
        """openpyxl's placement: a row without r follows the last, a cell without r the last cell."""
        for match in _TAG.finditer(data):
            tag = match.group(1)
            value = self._reference(tag, match.group(2)) or None  # r="" counts as no r (openpyxl)
            if tag == b"row":
                self.row = self._row_number(value) if value is not None else self.row + 1
                self.column = 0
                self._check(self.row, 1)
                continue
            if value is None:
                self.column += 1
                row = self.row
            else:
                row, self.column = self._cell(value)
            self._check(row, self.column)
            self._count(1)

    def _reference(self, tag: bytes, attrs: bytes) -> str | None:
        """The r= (row, cell) or ref= (range) attribute; a tag whose attributes do not parse is refused."""
        wanted = _REF_NAMES.get(tag, b"ref")
        found, pos = None, 0
        while match := _ATTR.match(attrs, pos):
            if match.group(1) == wanted and found is None:
                found = match.group(2) if match.group(2) is not None else match.group(3)
            pos = match.end()
        if not _TAG_END.fullmatch(attrs, pos):
            self._refuse(f"a <{tag.decode()}> element is not well-formed XML; "
                              "open and save the file in Excel or LibreOffice")
        return found.decode("utf-8", "replace") if found is not None else None

    def _row_number(self, value: str) -> int:
        if not value.isdigit():
            self._not_plain(f"row number {value!r}")
        return int(value)

    def _cell(self, value: str) -> tuple[int, int]:
        match = _CELL_REF.fullmatch(value)
        if match is None:
            self._not_plain(f"cell reference {value!r}")
        return int(match.group(2)), _column_number(match.group(1))

    def _range(self, value: str) -> tuple[tuple[int, int], tuple[int, int]]:
        first, _, last = value.partition(":")
        start = self._cell(first)
        end = self._cell(last) if last else start
        return (min(start[0], end[0]), min(start[1], end[1])), (max(start[0], end[0]), max(start[1], end[1]))

    def _not_plain(self, what: str) -> None:
        self._refuse(f"{what} is not a plain Excel reference (such as B7); "
                          "open and save the file in Excel or LibreOffice")

    def _refuse(self, message: str) -> None:
        self.guard.refuse(self.prefix + message, self.sheet)

    def _check(self, row: int, column: int, declared: str | None = None) -> None:
        limits = self.guard.limits
        used = f"declares its used range as {declared}" if declared else None
        if row > limits.max_rows:
            self._refuse(_over(used or f"uses row {row:,}", f"at most {limits.max_rows:,} rows per sheet",
                                    ENV["max_rows"]))
        if column > limits.max_columns:
            self._refuse(_over(used or f"uses column {column:,}",
                                    f"at most {limits.max_columns:,} columns per sheet", ENV["max_columns"]))

    def _count(self, cells: int) -> None:
        self.guard.cells += cells
        limits = self.guard.limits
        if self.guard.cells > limits.max_cells:
            self._refuse(_over("holds too many cells (counting every cell of merged and hyperlinked ranges)",
                                    f"at most {limits.max_cells:,} cells in one workbook", ENV["max_cells"]))


def _other_encoding(head: bytes) -> bool:
    """XML in UTF-16/32 or EBCDIC, or declared in another encoding: tags the byte scan cannot see."""
    start = head[:4]
    if start[:2] in (b"\xff\xfe", b"\xfe\xff") or start == b"\x4c\x6f\xa7\x94":  # BOMs, EBCDIC "<?xm"
        return True
    if b"\x00" in start and (b"<" in start or b"\x00\x00\xfe\xff" == start):
        return True
    declared = _DECLARED_ENCODING.match(head[:1024])
    return bool(declared) and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8")


def _root_name(head: bytes) -> bytes | None:
    """The local name of the root element, from the start of an XML part."""
    match = _ROOT.search(_PROLOG_NOISE.sub(b"", head[:65536]))
    return match.group(1) if match else None


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> sheet name, for messages; {} when the workbook does not say (it is only for naming)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    rel_ns = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    doc_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        root_rels = ElementTree.fromstring(_small_part(archive, "_rels/.rels"))
        book = next((r.get("Target", "") for r in root_rels.iter(f"{rel_ns}Relationship")
                     if r.get("Type", "").endswith("/officeDocument")), "xl/workbook.xml").lstrip("/")
        folder = PurePosixPath(book).parent
        book_rels = ElementTree.fromstring(_small_part(archive, f"{folder}/_rels/{PurePosixPath(book).name}.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in book_rels.iter(f"{rel_ns}Relationship")}
        names = {}
        for sheet in ElementTree.fromstring(_small_part(archive, book)).iter():
            if sheet.tag.endswith("}sheet") and sheet.get(doc_rel) in targets:
                target = targets[sheet.get(doc_rel)]
                part = target.lstrip("/") if target.startswith("/") else str(folder / target)
                names[os.path.normpath(part).replace(os.sep, "/")] = sheet.get("name", "")
        return names
    except (KeyError, ValueError, SyntaxError, DefusedXmlException):
        return {}


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > 4 * _MB:
        raise ValueError("too large to be a list of sheets")
    return archive.read(info)
